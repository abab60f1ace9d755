"""The role vocabulary: a human-edited TOML file read into plain data.

Every canonical term has a role, the article section it comes from, whether
the article names it or it is an expansion, whether it is machine-learning
evidence, and its variants (``k8s`` -> ``kubernetes``). Role terms are the
model's only features; shared terms are evidence that a text is about the
field, never features.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.errors import VocabularyError
from classifier.results import TermInfo

ROLES = ("engineer", "scientist", "shared")
SECTIONS = (
    "definition",
    "responsibilities",
    "skills",
    "education",
    "tools",
    "industries",
    "outlook",
)
ORIGINS = ("article", "expansion")
#: A term form written with this prefix is guarded (see text.Analyzer).
GUARD_PREFIX = "!"


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical term with its variants (the canonical form is a variant too).

    ``guarded`` lists the variants that count only as a capitalised list item.
    """

    info: TermInfo
    variants: tuple[str, ...]
    guarded: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All entries, in file order."""

    entries: tuple[Entry, ...]

    @property
    def features(self) -> tuple[str, ...]:
        """Role terms (not shared), sorted: the model's feature names."""
        return tuple(sorted(e.info.term for e in self.entries if e.info.role != "shared"))

    def info(self) -> dict[str, TermInfo]:
        return {e.info.term: e.info for e in self.entries}

    def to_data(self) -> list[dict[str, Any]]:
        """Plain data for the scoring file (round-trips through :func:`from_data`)."""
        return [
            {
                "term": e.info.term,
                "role": e.info.role,
                "section": e.info.section,
                "origin": e.info.origin,
                "ml": e.info.ml,
                "guarded": list(e.guarded),
                "variants": list(e.variants),
            }
            for e in self.entries
        ]

    @classmethod
    def from_data(cls, data: list[dict[str, Any]]) -> Vocabulary:
        try:
            entries = tuple(
                Entry(
                    TermInfo(d["term"], d["role"], d["section"], d["origin"], bool(d["ml"])),
                    tuple(d["variants"]),
                    tuple(d["guarded"]),
                )
                for d in data
            )
        except (KeyError, TypeError) as exc:
            raise VocabularyError(
                f"vocabulary data is malformed ({exc!r}); retrain the model"
            ) from exc
        return cls(entries)


def default_vocabulary_path() -> Path:
    """The bundled ``vocabulary.toml`` (installed wheel, or the source checkout)."""
    from classifier.paths import data_dir

    return data_dir("training_data") / "vocabulary.toml"


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and check a vocabulary file; every problem names the group and term."""
    path = path or default_vocabulary_path()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VocabularyError(f"{path}: vocabulary file not found; reinstall the package") from exc
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML ({exc}); fix the file") from exc
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for number, group in enumerate(doc.get("group", []), start=1):
        where = f"{path}: group {number}"
        _check_choice(where, "role", group.get("role"), ROLES)
        _check_choice(where, "section", group.get("section"), SECTIONS)
        _check_choice(where, "origin", group.get("origin"), ORIGINS)
        ml = group.get("ml")
        if not isinstance(ml, bool):
            raise VocabularyError(f"{where}: 'ml' must be true or false, not {ml!r}")
        for raw in group.get("terms", []):
            entry = _parse_term(where, raw, group, ml)
            if entry.info.term in seen:
                raise VocabularyError(
                    f"{where}: term {entry.info.term!r} is already defined in group "
                    f"{seen[entry.info.term]}; merge the two entries"
                )
            seen[entry.info.term] = number
            entries.append(entry)
    if not entries:
        raise VocabularyError(f"{path}: no [[group]] with terms; the model needs a vocabulary")
    return Vocabulary(tuple(entries))


def _check_choice(where: str, key: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise VocabularyError(f"{where}: {key} {value!r} is not one of {', '.join(choices)}")


def _parse_term(where: str, raw: object, group: dict[str, Any], ml: bool) -> Entry:
    if not isinstance(raw, str) or not raw.strip():
        raise VocabularyError(f"{where}: term {raw!r} must be a non-empty string")
    head, _, tail = raw.partition("=")
    forms = [head.strip().lower()] + [v.strip().lower() for v in tail.split(",") if v.strip()]
    guarded = tuple(
        f.removeprefix(GUARD_PREFIX).strip() for f in forms if f.startswith(GUARD_PREFIX)
    )
    forms = [f.removeprefix(GUARD_PREFIX).strip() for f in forms]
    if not forms[0]:
        raise VocabularyError(f"{where}: term {raw!r} has no canonical form before '='")
    info = TermInfo(forms[0], group["role"], group["section"], group["origin"], ml)
    return Entry(info, tuple(forms), guarded)
