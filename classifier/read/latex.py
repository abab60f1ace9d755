"""LaTeX source (``.tex``) -> the text a reader of the typeset resume would see.

pylatexenc (a maintained LaTeX parser, imported only when a ``.tex`` is read)
parses the source into nodes and renders them as text: commands, environments,
comments and the preamble's definitions are dropped, the arguments of text
commands (``\\textbf{...}``, ``\\href{url}{text}``, a resume template's own
``\\resumeSubheading{...}{...}``) are kept. Three adjustments to its defaults:

* ``\\href`` is parsed with its two arguments and rendered as its text only
  (pylatexenc 2.10-2.11 parse it without arguments and then fail on it);
  ``\\texttt``, ``\\underline`` and a few more keep their argument, which it
  drops; ``\\textcolor``/``\\color`` lose their colour name;
* sections are rendered as their title on a line of its own, not "§ TITLE";
* the groups of an unknown command are kept apart by a space, so
  ``\\resumeSubheading{Engineer}{2021}`` does not read "Engineer2021".

Source that does not parse strictly (an unclosed brace, a stray ``$``) is read
again tolerantly, with a warning; source that cannot be read at all is an
:class:`~classifier.errors.ExtractionError`.
"""

from __future__ import annotations

from typing import Any

from classifier.errors import ExtractionError, describe

__all__ = ["latex_text"]


def latex_text(source: str, name: str) -> tuple[str, list[str]]:
    """The text of LaTeX ``source`` and warnings; ``name`` is the file, for messages."""
    from pylatexenc.latexwalker import LatexWalkerError

    warnings: list[str] = []
    try:
        try:
            return _to_text(source, tolerant=False), warnings
        except LatexWalkerError as exc:
            reason = str(exc).splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
            warnings.append(
                f"the LaTeX source does not parse cleanly ({reason}); it was read tolerantly, "
                "so some text may be missing or out of place"
            )
            return _to_text(source, tolerant=True), warnings
    except (RecursionError, MemoryError):
        raise ExtractionError(
            f"{name}: cannot read the LaTeX source (nested too deeply); "
            "export the resume as PDF and try again"
        ) from None
    except Exception as exc:  # pylatexenc fails in many ways on broken source
        raise ExtractionError(
            f"{name}: cannot read the LaTeX source ({describe(exc)}); check that it compiles, "
            "or export the resume as PDF and try again"
        ) from exc


def _to_text(source: str, tolerant: bool) -> str:
    from pylatexenc.latexwalker import LatexWalker

    walker = LatexWalker(source, latex_context=_parse_context(), tolerant_parsing=tolerant)
    nodes, _, _ = walker.get_latex_nodes()
    return str(_converter().nodelist_to_text(nodes))


#: Text commands whose argument is shown text, which pylatexenc 2.11 would drop.
_KEPT_ARGUMENT = ("texttt", "textsf", "textup", "textmd", "textnormal", "underline", "uline",
                  "mbox", "fbox", "textsuperscript")  # fmt: skip

_cache: dict[str, Any] = {}


def _parse_context() -> Any:
    """pylatexenc's parsing context, plus the argument specs it lacks."""
    if "parse" not in _cache:
        from pylatexenc import latexwalker, macrospec

        context = latexwalker.get_default_latex_context_db()
        context.add_context_category(
            "resume-role",
            prepend=True,
            macros=[
                macrospec.MacroSpec(name, args)
                for name, args in (
                    ("href", "{{"),
                    ("textcolor", "[{{"),
                    ("color", "[{"),
                    *((name, "{") for name in _KEPT_ARGUMENT if name != "href"),
                )
            ],
        )
        _cache["parse"] = context
    return _cache["parse"]


def _converter() -> Any:
    """A LatexNodes2Text with the adjustments listed in the module docstring."""
    if "text" in _cache:
        return _cache["text"]
    from pylatexenc import latex2text, latexwalker

    def heading(node: Any, l2tobj: Any) -> str:  # pylatexenc passes itself by this name
        return f"\n\n{l2tobj.node_arg_to_text(node, 2).strip()}\n"

    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "resume-role",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("href", "%(2)s"),
            latex2text.MacroTextSpec("textcolor", "%(3)s"),
            latex2text.MacroTextSpec("color", ""),
            *(latex2text.MacroTextSpec(name, discard=False) for name in _KEPT_ARGUMENT),
            *(
                latex2text.MacroTextSpec(name, heading)
                for name in ("part", "chapter", "section", "subsection", "subsubsection")
            ),
        ],
    )

    class _Converter(latex2text.LatexNodes2Text):
        def node_to_text(self, node: Any, prev_node_hint: Any = None, textcol: int = 0) -> str:
            text = str(super().node_to_text(node, prev_node_hint, textcol))
            if node is not None and node.isNodeType(latexwalker.LatexGroupNode) and text:
                return f" {text} "
            return text

    _cache["text"] = _Converter(latex_context=context, math_mode="text")
    return _cache["text"]
