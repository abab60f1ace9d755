"""The package's data flows one way: read -> text -> model -> explain -> render, composed above.

Every import of a ``classifier`` module, at module level or inside a function,
is read with ``ast``: a layer imports only lower layers (and its own
subpackage); the composing layers (flow, batch, training) do not import each
other; and no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "classifier"

#: Rank of each top-level unit (a module or a subpackage of ``classifier``).
LAYERS = {
    "config": 0, "errors": 0, "results": 0, "paths": 0, "outputs": 0,
    "read": 1,
    "text": 2,
    "model": 3,
    "explain": 4,
    "render": 5,
    "flow": 6, "batch": 6, "training": 6,
    "serve": 7,
    "cli": 8,
    "__init__": 9, "__main__": 9,
}  # fmt: skip
#: Deprecated import paths kept for one release: they only re-export.
SHIMS = {"batchrun"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The classifier modules ``name`` imports anywhere in its code."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_every_module_has_a_layer() -> None:
    units = {_unit(m) for m in _modules()} - SHIMS
    assert units <= set(LAYERS), f"give these a layer: {sorted(units - set(LAYERS))}"


def test_layers_import_only_downward() -> None:
    wrong = []
    for module, imported in _graph().items():
        unit = _unit(module)
        if unit in SHIMS:
            continue
        for target in imported:
            other = _unit(target)
            if other == unit or other == "__init__":
                continue
            if LAYERS[other] > LAYERS[unit] or (LAYERS[other] == LAYERS[unit] and LAYERS[unit] > 0):
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    graph = _graph()
    # Importing a module imports its package's __init__; edges to a package are fine.
    edges = {m: {t for t in ts if not (m.startswith(t + "."))} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_function_level_imports() -> None:
    graph = _graph()
    # cli.commands imports its library calls inside the handlers
    assert "classifier.flow" in graph["classifier.cli.commands"]
