"""The role vocabulary: a human-edited TOML file read into plain data.

Every canonical term has a role, the article section it comes from, whether
the article names it or it is an expansion, whether it is machine-learning
evidence, and its variants (``k8s`` -> ``kubernetes``). Role terms are the
model's only features; shared terms are evidence that a text is about the
field, never features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.config import REQUIREMENT_SECTIONS, REQUIREMENT_TERMS
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
#: A form followed by ``{word|word}`` counts only with one of those words nearby.
_CONTEXT = re.compile(r"([^{}]+)\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical term with its variants (the canonical form is a variant too).

    ``guarded`` lists the variants that count only as a capitalised list item.
    """

    info: TermInfo
    variants: tuple[str, ...]
    guarded: tuple[str, ...] = ()
    #: Forms that count only near one of their context words: ``(form, (word, ...))``.
    contexts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def context(self, form: str) -> tuple[str, ...]:
        """The context words ``form`` needs nearby, or () when it counts anywhere."""
        return dict(self.contexts).get(form, ())


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All entries, in file order."""

    entries: tuple[Entry, ...]

    @property
    def features(self) -> tuple[str, ...]:
        """Role terms (not shared) and the structural features, sorted: the model's feature
        names."""
        return tuple(sorted(t for t, i in self.info().items() if i.role != "shared"))

    def info(self) -> dict[str, TermInfo]:
        """Every term's role, section and flags: the vocabulary's, and the structural
        features derived from it (held titles; requirement forms of degrees and
        publications in a posting)."""
        out = {e.info.term: e.info for e in self.entries}
        for role in ("engineer", "scientist"):
            for when in ("current", "past"):
                term = title_feature(role, when)
                # not ML evidence on its own: a title is role evidence, and a misread
                # title must not make a non-ML resume look like an ML one
                out[term] = TermInfo(term, role, "definition", "expansion", False, False)
        for e in self.entries:
            if e.info.role != "shared" and requirement_eligible(e.info):
                term = REQUIREMENT_PREFIX + e.info.term
                i = e.info
                out[term] = TermInfo(term, i.role, i.section, i.origin, i.ml, False)
        return out

    def to_data(self) -> list[dict[str, Any]]:
        """Plain data for the scoring file (round-trips through :func:`from_data`)."""
        return [
            {
                "term": e.info.term,
                "role": e.info.role,
                "section": e.info.section,
                "origin": e.info.origin,
                "ml": e.info.ml,
                "advice": e.info.advice,
                "guarded": list(e.guarded),
                "contexts": [[form, list(words)] for form, words in e.contexts],
                "variants": list(e.variants),
            }
            for e in self.entries
        ]

    @classmethod
    def from_data(cls, data: list[dict[str, Any]]) -> Vocabulary:
        try:
            entries = tuple(
                Entry(
                    TermInfo(
                        d["term"],
                        d["role"],
                        d["section"],
                        d["origin"],
                        bool(d["ml"]),
                        bool(d.get("advice", True)),
                    ),
                    tuple(d["variants"]),
                    tuple(d["guarded"]),
                    tuple((str(form), tuple(words)) for form, words in d.get("contexts", [])),
                )
                for d in data
            )
        except (KeyError, TypeError) as exc:
            raise VocabularyError(
                f"vocabulary data is malformed ({exc!r}); retrain the model"
            ) from exc
        return cls(entries)


#: Structural feature names: a held title, and a term asked for by a posting.
TITLE_PREFIX = "title:"
REQUIREMENT_PREFIX = "req:"


def title_feature(role: str, when: str) -> str:
    """``title:engineer@current``: the writer holds (or a posting is for) this role's title."""
    return f"{TITLE_PREFIX}{role}@{when}"


def requirement_eligible(info: TermInfo) -> bool:
    """Is the term a qualification a posting asks for (a degree, publications)?"""
    return info.section in REQUIREMENT_SECTIONS or info.term in REQUIREMENT_TERMS


def default_vocabulary_path() -> Path:
    """The bundled ``vocabulary.toml`` (installed wheel, or the source checkout)."""
    from classifier.paths import data_dir

    return data_dir("training_data") / "vocabulary.toml"


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and check a vocabulary file; every problem names the group and term."""
    import tomllib  # only here: scoring reads the vocabulary from scoring.json (~4 ms saved)

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
        advice = group.get("advice", True)
        if not isinstance(advice, bool):
            raise VocabularyError(f"{where}: 'advice' must be true or false, not {advice!r}")
        for raw in group.get("terms", []):
            entry = _parse_term(where, raw, group, ml, advice)
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


def _parse_term(where: str, raw: object, group: dict[str, Any], ml: bool, advice: bool) -> Entry:
    if not isinstance(raw, str) or not raw.strip():
        raise VocabularyError(f"{where}: term {raw!r} must be a non-empty string")
    head, _, tail = raw.partition("=")
    written = [head.strip().lower()] + [v.strip().lower() for v in tail.split(",") if v.strip()]
    forms: list[str] = []
    guarded: list[str] = []
    contexts: list[tuple[str, tuple[str, ...]]] = []
    for item in written:
        form, context = _split_context(where, raw, item)
        if form.startswith(GUARD_PREFIX):
            form = form.removeprefix(GUARD_PREFIX).strip()
            guarded.append(form)
        if context:
            contexts.append((form, context))
        forms.append(form)
    if not forms[0]:
        raise VocabularyError(f"{where}: term {raw!r} has no canonical form before '='")
    info = TermInfo(forms[0], group["role"], group["section"], group["origin"], ml, advice)
    return Entry(info, tuple(forms), tuple(guarded), tuple(contexts))


def _split_context(where: str, raw: str, item: str) -> tuple[str, tuple[str, ...]]:
    """``"ecs{aws|cluster}"`` -> ``("ecs", ("aws", "cluster"))``; a form without braces -> ()."""
    match = _CONTEXT.fullmatch(item)
    if match is None:
        if "{" in item or "}" in item:
            raise VocabularyError(
                f"{where}: form {item!r} of {raw!r} has unbalanced braces; write form{{w1|w2}}"
            )
        return item.strip(), ()
    words = tuple(w.strip() for w in match.group(2).split("|") if w.strip())
    if not words or any(" " in w for w in words):
        raise VocabularyError(
            f"{where}: context of {item!r} must list single words, as in ecs{{aws|cluster}}"
        )
    return match.group(1).strip(), words
