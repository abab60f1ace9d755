"""Text normalisation and the analyzer: the one tokenizer used in training and scoring.

:func:`normalize` turns raw extracted text into the document text that spans
refer to. :class:`Analyzer` finds vocabulary terms in it: it lower-cases,
maps variants to canonical terms, keeps multi-word terms whole, keeps C++, C#
and .NET, counts R (and Go, Julia) only as languages in a list, and never
makes a feature of anything outside the vocabulary (names, e-mail addresses,
URLs, phone numbers, stop words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classifier.config import CONTEXT_WINDOW_TOKENS, MAX_PHRASE_TOKENS, MAX_TERM_OCCURRENCES
from classifier.results import TermMatch
from classifier.text.structure import POSTING, document_kind, held_titles, requirement_spans
from classifier.text.vocabulary import (
    REQUIREMENT_PREFIX,
    Vocabulary,
    requirement_eligible,
    title_feature,
)

# Tokens: letters and digits, keeping C++ / C# / F# and .NET whole.
_TOKEN = re.compile(r"\.net(?![^\W_])|[^\W_]+(?:\+\+|#)?", re.IGNORECASE)
# What may stand between two tokens of one multi-word term.
_PHRASE_GAP = re.compile(r"[ \t\-/.&'’]*\n?[ \t]*")
# What ends the clause a context word must share with an ambiguous form.
_CLAUSE_BREAK = re.compile(r"[\n.;!?•·|]")
# Masked before matching, so that "github.com/jdoe" or "jane@ml.ai" never count.
_MASKED = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|edu|dev|me|co|uk|de)(?:/\S*)?",  # bare domains
    re.IGNORECASE,
)
# Guarded terms (R, Go, Julia) count only in a list of languages or tools.
_LIST_PUNCT = set(",/(;:|•·*+")
_LIST_AFTER_PUNCT = set(",/);:|")
_LIST_WORDS_BEFORE = frozenset(
    [
        "in",
        "and",
        "or",
        "with",
        "using",
        "python",
        "sql",
        "java",
        "scala",
        "c++",
        "matlab",
        "languages",
        "language",
        "including",
        "like",
    ]
)
_LIST_WORDS_AFTER = frozenset(
    [
        "and",
        "or",
        "programming",
        "language",
        "languages",
        "studio",
        "shiny",
        "packages",
        "package",
        "scripts",
        "markdown",
    ]
)


class Analyzer:
    """Finds vocabulary terms in text. Calling it returns the feature terms (for sklearn).

    Picklable and deterministic; built from a :class:`Vocabulary`.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._memo: dict[str, list[str]] | None = None
        # token tuple -> (term, guarded, context words or None)
        self._phrases: dict[tuple[str, ...], tuple[str, bool, frozenset[str] | None]] = {}
        info = vocabulary.info()
        self._roles: dict[str, str] = {t: i.role for t, i in info.items()}
        self._requirable = frozenset(
            e.info.term for e in vocabulary.entries if requirement_eligible(e.info)
        )
        for entry in vocabulary.entries:
            for variant in entry.variants:
                guarded = variant in entry.guarded
                context = frozenset(entry.context(variant)) or None
                self._add(tokens(variant), entry.info.term, guarded, context, explicit=True)
        # Plurals of single words come for free ("microservice" -> "microservices"), with the
        # same context condition as the singular.
        for entry in vocabulary.entries:
            for variant in entry.variants:
                if variant in entry.guarded:
                    continue
                toks = tokens(variant)
                if toks and toks[-1].isalpha() and len(toks[-1]) >= 4 and toks[-1][-1] not in "sy":
                    plural = (*toks[:-1], toks[-1] + "s")
                    context = frozenset(entry.context(variant)) or None
                    self._add(plural, entry.info.term, False, context, explicit=False)
        self._prefixes = {p[:n] for p in self._phrases for n in range(1, len(p))}

    def _add(
        self,
        key: tuple[str, ...],
        term: str,
        guarded: bool,
        context: frozenset[str] | None,
        explicit: bool,
    ) -> None:
        if not key or len(key) > MAX_PHRASE_TOKENS:
            return
        existing = self._phrases.get(key)
        if existing is not None and existing[0] != term:
            if explicit:
                from classifier.errors import VocabularyError

                raise VocabularyError(
                    f"variant {' '.join(key)!r} maps to both {existing[0]!r} and {term!r}; "
                    "keep it under one term in vocabulary.toml"
                )
            return
        # Of two ways to write the same form, the less conditional one wins.
        if existing is None or _conditions(existing) > _conditions((term, guarded, context)):
            self._phrases[key] = (term, guarded, context)

    def find(self, text: str) -> list[TermMatch]:
        """Every vocabulary term (role and shared) in ``text``, longest match first, and the
        structural features: held titles, and degrees or publications a posting asks for
        (``req:phd``) instead of the plain term."""
        matches = self._find_terms(text)
        kind = document_kind(text)
        if kind == POSTING:
            asks = requirement_spans(text)
            matches = [
                TermMatch(REQUIREMENT_PREFIX + m.term, m.start, m.end)
                if m.term in self._requirable and _inside(m, asks)
                else m
                for m in matches
            ]
        titles = [
            TermMatch(title_feature(t.role, t.when), t.start, t.end)
            for t in held_titles(text, kind)
        ]
        return sorted([*matches, *titles], key=lambda m: (m.start, m.end))

    def _find_terms(self, text: str) -> list[TermMatch]:
        """Every vocabulary term (role and shared) in ``text``, longest match first."""
        masked = _MASKED.sub(lambda m: " " * len(m.group()), text)
        toks = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(masked)]
        matches: list[TermMatch] = []
        i = 0
        while i < len(toks):
            hit = self._longest(text, toks, i)
            if hit is None:
                i += 1
                continue
            term, n = hit
            matches.append(TermMatch(term, toks[i][1], toks[i + n - 1][2]))
            i += n
        return matches

    def _longest(
        self, text: str, toks: list[tuple[str, int, int]], i: int
    ) -> tuple[str, int] | None:
        best: tuple[str, int] | None = None
        key: tuple[str, ...] = ()
        for j in range(i, min(i + MAX_PHRASE_TOKENS, len(toks))):
            if j > i and not _PHRASE_GAP.fullmatch(text, toks[j - 1][2], toks[j][1]):
                break
            key = (*key, toks[j][0])
            found = self._phrases.get(key)
            if (
                found is not None
                and (not found[1] or _guard_ok(text, toks, i))
                and (found[2] is None or _context_ok(text, toks, i, j, found[2]))
            ):
                best = (found[0], j - i + 1)
            if key not in self._prefixes:
                break
        return best

    def features(self, text: str) -> list[str]:
        """Role terms only, one per occurrence: the model's input."""
        if self._memo is not None:
            cached = self._memo.get(text)
            if cached is not None:
                return cached
        found = [m.term for m in capped(self.find(text)) if self._roles[m.term] != "shared"]
        if self._memo is not None:
            self._memo[text] = found
        return found

    def remember(self) -> None:
        """Memoise :meth:`features` by text, so cross-validation analyses each text once."""
        self._memo = {}

    def forget(self) -> None:
        self._memo = None

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_memo"] = None  # never pickled
        return state

    def __call__(self, text: str) -> list[str]:
        return self.features(text)

    def role(self, term: str) -> str:
        return self._roles[term]


def _inside(m: TermMatch, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans)


def _conditions(entry: tuple[str, bool, frozenset[str] | None]) -> int:
    return int(entry[1]) + int(entry[2] is not None)


def _context_ok(
    text: str, toks: list[tuple[str, int, int]], i: int, j: int, words: frozenset[str]
) -> bool:
    """An ambiguous form (ECS, lab, ADs, Spark) counts only with a context word nearby:
    within CONTEXT_WINDOW_TOKENS tokens, in the same clause (no line break or sentence
    punctuation between)."""
    for step, start in ((-1, i), (1, j)):
        k = start
        for _ in range(CONTEXT_WINDOW_TOKENS):
            nxt = k + step
            if not 0 <= nxt < len(toks):
                break
            left, right = (nxt, k) if step < 0 else (k, nxt)
            if _CLAUSE_BREAK.search(text, toks[left][2], toks[right][1]):
                break
            if toks[nxt][0] in words:
                return True
            k = nxt
    return False


def tokens(phrase: str) -> tuple[str, ...]:
    """The analyzer's tokens of a phrase, lower-cased: two spellings with the same tokens
    ("Ph.D." and "PhD " are not; "scikit-learn" and "Scikit Learn" are) are one form."""
    return tuple(m.group().lower() for m in _TOKEN.finditer(phrase))


def _guard_ok(text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    """A guarded one-word term (R, Go, Julia): capitalised, in a list, not "R&D"."""
    _, start, end = toks[i]
    if not text[start].isupper():
        return False
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    if before.endswith("&") or after.startswith("&"):
        return False
    if (before and before[-1] in _LIST_PUNCT) or (after and after[0] in _LIST_AFTER_PUNCT):
        return True
    prev_word = toks[i - 1][0] if i > 0 else ""
    next_word = toks[i + 1][0] if i + 1 < len(toks) else ""
    return prev_word in _LIST_WORDS_BEFORE or next_word in _LIST_WORDS_AFTER


def capped(matches: Iterable[TermMatch]) -> list[TermMatch]:
    """At most MAX_TERM_OCCURRENCES of each term: repetition far beyond normal use
    (keyword stuffing) earns nothing more. Used for training and scoring alike."""
    seen: dict[str, int] = {}
    kept = []
    for m in matches:
        seen[m.term] = seen.get(m.term, 0) + 1
        if seen[m.term] <= MAX_TERM_OCCURRENCES:
            kept.append(m)
    return kept
