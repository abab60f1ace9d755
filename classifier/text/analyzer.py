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
from itertools import accumulate, compress
from operator import attrgetter

from classifier.config import CONTEXT_WINDOW_TOKENS, MAX_PHRASE_TOKENS, MAX_TERM_OCCURRENCES
from classifier.results import TermMatch
from classifier.text.language import simple_lower
from classifier.text.structure import POSTING, document_kind, held_titles, in_requirement
from classifier.text.vocabulary import (
    REQUIREMENT_PREFIX,
    Vocabulary,
    requirement_eligible,
    title_feature,
)

# Tokens: letters and digits, keeping C++ / C# / F# and .NET whole.
_TOKEN = re.compile(r"\.net(?![^\W_])|[^\W_]+(?:\+\+|#)?", re.IGNORECASE)
# The same tokens in lower-cased text, split out in one call: [gap, token, gap, ..., gap];
# in ASCII text the letters and digits are [a-z0-9] (a plain range is faster to test).
_TOKEN_SPLIT = re.compile(r"(\.net(?![^\W_])|[^\W_]+(?:\+\+|#)?)")
_TOKEN_SPLIT_ASCII = re.compile(r"(\.net(?![a-z0-9])|[a-z0-9]+(?:\+\+|#)?)")
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
# Every _MASKED match holds one of these (lower-cased): a text without any masks nothing.
_MASK_HINT = re.compile(r"@|://|www\.|\.(?:com|org|net|io|ai|edu|dev|me|co|uk|de)")
_NOT_SPACE = re.compile(r"\S*")
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


#: A vocabulary form: (canonical term, guarded, context words or None).
_Form = tuple[str, bool, frozenset[str] | None]


class _Node:
    """A node of the phrase trie: the form whose tokens lead here (if any), and the nodes
    one token further."""

    __slots__ = ("form", "next")

    def __init__(self) -> None:
        self.form: _Form | None = None
        self.next: dict[str, _Node] = {}


class Analyzer:
    """Finds vocabulary terms in text. Calling it returns the feature terms (for sklearn).

    Picklable and deterministic; built from a :class:`Vocabulary`.

    One pass over the text: ``re.split`` cuts the lower-cased text into tokens and the gaps
    between them; the tokens that begin a vocabulary form are picked out in C
    (``compress``); only from those does a walk down a token trie find the longest form
    that counts (the phrase-gap rule between tokens, guarded and context-gated forms).
    Masking URLs and e-mail addresses looks only at the runs of non-space characters that
    could hold one.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._memo: dict[str, list[str]] | None = None
        # token tuple -> (term, guarded, context words or None)
        self._phrases: dict[tuple[str, ...], _Form] = {}
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
        self._trie = _trie(self._phrases)

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
            requirable = self._requirable
            matches = [
                TermMatch(REQUIREMENT_PREFIX + m.term, m.start, m.end)
                if m.term in requirable and in_requirement(text, m.start, m.end)
                else m
                for m in matches
            ]
        titles = held_titles(text, kind)
        if not titles:
            return matches  # in order already
        return sorted(
            [*matches, *(TermMatch(title_feature(t.role, t.when), t.start, t.end) for t in titles)],
            key=_SPAN,
        )

    def _find_terms(self, text: str) -> list[TermMatch]:
        """Every vocabulary term (role and shared) in ``text``, longest match first."""
        words, bounds = _tokens_of(text)
        first = self._trie.next
        n = len(words)
        matches: list[TermMatch] = []
        taken = 0  # tokens before this one are part of a match already
        for i in compress(range(n), map(first.__contains__, words)):
            if i < taken:
                continue
            node = first[words[i]]
            best: str | None = None
            last = j = i
            while True:
                form = node.form
                if form is not None and (
                    (not form[1] and form[2] is None)
                    or (
                        (not form[1] or _guard_ok(text, words, bounds, i))
                        and (form[2] is None or _context_ok(text, words, bounds, i, j, form[2]))
                    )
                ):
                    best, last = form[0], j
                j += 1
                if not node.next or j >= n:
                    break
                child = node.next.get(words[j])
                if child is None:
                    break
                gap_start, gap_end = bounds[2 * j - 1], bounds[2 * j]
                if not (
                    (gap_end == gap_start + 1 and text[gap_start] == " ")
                    or _PHRASE_GAP.fullmatch(text, gap_start, gap_end)
                ):
                    break
                node = child
            if best is not None:
                matches.append(TermMatch(best, bounds[2 * i], bounds[2 * last + 1]))
                taken = last + 1
        return matches

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
        del state["_trie"]  # rebuilt from the phrases
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        # Also reads analyzers pickled before the trie (pipeline.joblib of older models).
        state = {k: v for k, v in state.items() if k != "_prefixes"}
        self.__dict__.update(state)
        self._trie = _trie(self._phrases)

    def __call__(self, text: str) -> list[str]:
        return self.features(text)

    def role(self, term: str) -> str:
        return self._roles[term]


_SPAN = attrgetter("start", "end")


def _trie(phrases: dict[tuple[str, ...], _Form]) -> _Node:
    root = _Node()
    for key, form in phrases.items():
        node = root
        for token in key:
            node = node.next.setdefault(token, _Node())
        node.form = form
    return root


def _tokens_of(text: str) -> tuple[list[str], list[int]]:
    """The lower-cased tokens of ``text`` (URLs and e-mail addresses masked) and their
    bounds: token ``k`` is ``text[bounds[2k]:bounds[2k + 1]]``."""
    low = simple_lower(text)
    if low is None:  # a character that lower-cases differently alone: token by token
        masked = _MASKED.sub(lambda m: " " * len(m.group()), text)
        found = list(_TOKEN.finditer(masked))
        return [m.group().lower() for m in found], [x for m in found for x in m.span()]
    if _MASK_HINT.search(low):
        low = _mask(text, low)
    parts = (_TOKEN_SPLIT_ASCII if low.isascii() else _TOKEN_SPLIT).split(low)
    return parts[1::2], list(accumulate(map(len, parts)))


def _mask(text: str, low: str) -> str:
    """``low`` with every URL and e-mail address of ``text`` blanked, as ``_MASKED.sub``
    would blank them. No match crosses a space, and each holds a ``_MASK_HINT``, so it is
    enough to match ``_MASKED`` within the runs of non-space characters around the hints
    (its word boundaries see the spaces around the run, as in the whole text)."""
    spans: list[tuple[int, int]] = []
    backwards: str | None = None
    done = 0  # the runs before this offset are matched already
    size = len(text)
    for hint in _MASK_HINT.finditer(low):
        at = hint.start()
        if at < done:
            continue
        if backwards is None:
            backwards = text[::-1]
        # the run's characters before the hint, read backwards from it
        start = at - (_run_end(backwards, size - at) - (size - at))
        end = _run_end(text, at)
        spans.extend(m.span() for m in _MASKED.finditer(text, start, end))
        done = end
    pieces: list[str] = []
    kept = 0
    for a, b in spans:
        pieces += (low[kept:a], " " * (b - a))
        kept = b
    pieces.append(low[kept:])
    return "".join(pieces)


def _run_end(s: str, at: int) -> int:
    """Where the run of non-space characters from ``at`` ends."""
    run = _NOT_SPACE.match(s, at)
    return run.end() if run is not None else at


def _conditions(entry: _Form) -> int:
    return int(entry[1]) + int(entry[2] is not None)


def _context_ok(
    text: str, words: list[str], bounds: list[int], i: int, j: int, wanted: frozenset[str]
) -> bool:
    """An ambiguous form (ECS, lab, ADs, Spark) counts only with a context word nearby:
    within CONTEXT_WINDOW_TOKENS tokens, in the same clause (no line break or sentence
    punctuation between)."""
    n = len(words)
    for step, start in ((-1, i), (1, j)):
        k = start
        for _ in range(CONTEXT_WINDOW_TOKENS):
            nxt = k + step
            if not 0 <= nxt < n:
                break
            left, right = (nxt, k) if step < 0 else (k, nxt)
            if _CLAUSE_BREAK.search(text, bounds[2 * left + 1], bounds[2 * right]):
                break
            if words[nxt] in wanted:
                return True
            k = nxt
    return False


def tokens(phrase: str) -> tuple[str, ...]:
    """The analyzer's tokens of a phrase, lower-cased: two spellings with the same tokens
    ("Ph.D." and "PhD " are not; "scikit-learn" and "Scikit Learn" are) are one form."""
    return tuple(m.group().lower() for m in _TOKEN.finditer(phrase))


def _guard_ok(text: str, words: list[str], bounds: list[int], i: int) -> bool:
    """A guarded one-word term (R, Go, Julia): capitalised, in a list, not "R&D"."""
    start, end = bounds[2 * i], bounds[2 * i + 1]
    if not text[start].isupper():
        return False
    # the characters next to the token, past spaces and tabs ("" at either end of the text)
    before = start - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    after, size = end, len(text)
    while after < size and text[after] in " \t":
        after += 1
    left = text[before] if before >= 0 else ""
    right = text[after] if after < size else ""
    if left == "&" or right == "&":
        return False
    if left in _LIST_PUNCT or right in _LIST_AFTER_PUNCT:
        return True
    prev_word = words[i - 1] if i > 0 else ""
    next_word = words[i + 1] if i + 1 < len(words) else ""
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
