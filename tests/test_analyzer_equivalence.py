"""The fast analyzer finds exactly what the old one found: the same terms at the same spans.

The first half of this file is the implementation as it was before the fast rewrite
(issue 17 item 5), copied verbatim from ``classifier/text/analyzer.py``,
``text/structure.py``, ``text/language.py``, ``read/normalize.py`` and
``explain/contributions.py`` at commit 0b7ac8b, renamed with a ``ref``/``_R`` prefix. It is
the yardstick: every test below compares the package's output with it, on every corpus
document, fixture, sample and data file, and on adversarial strings.
``bench/analyzer_bench.py`` times the same reference against the package.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.config import (
    CONTEXT_WINDOW_TOKENS,
    HEADLINE_LINES,
    MAX_PHRASE_TOKENS,
    MAX_TERM_OCCURRENCES,
    MIN_ENGLISH_SHARE,
    MIN_FUNCTION_WORDS,
    MIN_ML_TERMS,
    MIN_ROLE_TERMS,
    POSTING_MIN_CUES,
    ROLE_TERMS_FOR_ONE_ML_TERM,
    TITLE_DATE_LOOKAROUND_LINES,
    TITLE_MAX_OFFSET_TOKENS,
    UNDETERMINED,
)
from classifier.model.scoring import ScoringModel
from classifier.results import Classification, Contribution, Document, TermMatch, lean_of
from classifier.text.headings import find_sections
from classifier.text.structure import HeldTitle
from classifier.text.vocabulary import (
    REQUIREMENT_PREFIX,
    Vocabulary,
    requirement_eligible,
    title_feature,
)

# =========================================================================================
# Reference: read/normalize.py as it was
# =========================================================================================

_R_CID = re.compile(r"\(cid:\d+\)")
_R_PDFIUM_HYPHEN = re.compile(r"[\ufffe\x02]\n?[ \t]*")
_R_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u00ad]\n[ \t]*(?=[a-zß-ÿ])")
_R_SPACES = re.compile(r"[^\S\n]+")
_R_MANY_NEWLINES = re.compile(r"\n{3,}")
_R_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def ref_normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _R_CID.sub(" ", text)
    text = _R_PDFIUM_HYPHEN.sub("", text)
    text = _R_HYPHEN_BREAK.sub("", text)
    text = text.replace("\u00ad", "")
    text = _R_CONTROL.sub(" ", text)
    text = _R_SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    text = _R_MANY_NEWLINES.sub("\n\n", text)
    return unicodedata.normalize("NFKC", text)


# =========================================================================================
# Reference: text/structure.py as it was
# =========================================================================================

_R_POSTING, _R_RESUME = "posting", "resume"
_R_CURRENT, _R_PAST = "current", "past"

_R_POSTING_CUES = re.compile(
    r"\bwe(?:'re| are) (?:looking|seeking|hiring)\b|\byou will\b|\byou'll\b"
    r"|\bwhat you(?:'ll| will) do\b"
    r"|\bthe (?:ideal )?candidate\b|\bnice to have\b|\b(?:preferred|minimum|basic) qualifications\b"
    r"|\bjoin (?:us|our)\b|\babout the (?:role|team|job|position)\b|\bequal opportunity\b"
    r"|\bbenefits\b|\bapply\b|\bour client\b|\bsalary\b|\bcompensation\b|\bwho you are\b"
    r"|\bresponsibilities\s*:|\brequirements\s*:|\bqualifications\s*:",
    re.IGNORECASE,
)
_R_YEAR = r"(?:19|20)\d\d"
_R_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_R_DATE = rf"(?:(?:{_R_MONTH}\s*|\d{{1,2}}\s*/\s*)?{_R_YEAR})"
_R_OPEN_END = r"(?:present|current|now|today|ongoing|date)"
_R_RANGE = re.compile(
    rf"(?P<since>\bsince\s+{_R_DATE})|(?P<start>{_R_DATE})\s*(?:-|–|—|to|until|till)\s*"
    rf"(?P<end>{_R_DATE}|{_R_OPEN_END})\b",
    re.IGNORECASE,
)
_R_ENGINEER_TITLE = (
    r"(?:senior |staff |principal |lead |junior )?"
    r"(?:machine[ -]learning|ml|mlops|ai|deep[ -]learning|computer[ -]vision|nlp|llm)"
    r"(?: platform| infrastructure| ops)? engineer|\bmle\b|research engineer"
)
_R_SCIENTIST_TITLE = (
    r"(?:senior |staff |principal |lead )?"
    r"(?:research|applied|machine[ -]learning|ml|ai|nlp) scientist"
    r"|(?:machine[ -]learning|ml|ai) researcher|ph\.? ?d\.? (?:candidate|student|researcher)"
    r"|doctoral (?:candidate|student|researcher)|post-?doc(?:toral)?(?: researcher| fellow)?"
)
_R_TITLE = re.compile(
    rf"(?P<eng>{_R_ENGINEER_TITLE})(?!s\b)|(?P<sci>{_R_SCIENTIST_TITLE})(?!s\b)", re.IGNORECASE
)
_R_OTHERS = re.compile(
    r"\b(?:references?|referees?|report(?:ing|ed|s)? to|worked with|work with|working with"
    r"|partner(?:ed|ing)? with"
    r"|collaborat\w* with|alongside|managed|manage|mentor\w*|supervis\w*|hired|hiring|led a team"
    r"|team of|with (?:a|the|our)|under|for (?:a|the)|by)\b",
    re.IGNORECASE,
)
_R_REQUIREMENT = re.compile(
    r"\b(?:preferred|a plus|is a plus|nice to have|bonus|desired|desirable|or equivalent"
    r"|or phd|or ph\.d|ms or|m\.s\. or|bs or|b\.s\. or|master'?s or|familiarity with"
    r"|required|requirements?|qualifications?|must have|should have|ideally|degree in)\b",
    re.IGNORECASE,
)
_R_CLAUSE = re.compile(r"[^\n.;•]+")
_R_STOKEN = re.compile(r"\S+")


def ref_document_kind(text: str) -> str:
    cues = {m.group().lower() for m in _R_POSTING_CUES.finditer(text)}
    return _R_POSTING if len(cues) >= POSTING_MIN_CUES else _R_RESUME


def ref_held_titles(text: str, kind: str) -> list[HeldTitle]:
    lines = _ref_lines(text)
    references = {(s.start, s.end) for s in find_sections(text) if s.name == "References"}
    found: list[tuple[str, int, int, float | None, bool]] = []
    for index, (offset, line) in enumerate(lines):
        if any(a <= offset < b for a, b in references):
            continue
        for m in _R_TITLE.finditer(line):
            before = line[: m.start()]
            if len(_R_STOKEN.findall(before)) > TITLE_MAX_OFFSET_TOKENS or _R_OTHERS.search(before):
                continue
            role = "engineer" if m.group("eng") else "scientist"
            ends = _ref_end_year(lines, index)
            headline = index < HEADLINE_LINES
            found.append((role, offset + m.start(), offset + m.end(), ends, headline))
            break
    if not found:
        return []
    if kind == _R_POSTING:
        role, start, end, _, _ = found[0]
        return [HeldTitle(role, _R_CURRENT, start, end)]
    years = [f[3] for f in found if f[3] is not None]
    latest = max(years, default=None)
    out = []
    for role, start, end, year, headline in found:
        if year is not None:
            when = _R_CURRENT if year == latest else _R_PAST
        else:
            when = _R_CURRENT if headline or not years else _R_PAST
        out.append(HeldTitle(role, when, start, end))
    return out


def ref_requirement_spans(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end()) for m in _R_CLAUSE.finditer(text) if _R_REQUIREMENT.search(m.group())
    ]


def _ref_lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _ref_end_year(lines: list[tuple[int, str]], index: int) -> float | None:
    lo = max(0, index - TITLE_DATE_LOOKAROUND_LINES)
    hi = min(len(lines), index + TITLE_DATE_LOOKAROUND_LINES + 1)
    order = sorted(range(lo, hi), key=lambda i: (abs(i - index), i < index))
    for i in order:
        m = _R_RANGE.search(lines[i][1])
        if m is None:
            continue
        if m.group("since"):
            return float("inf")
        end = m.group("end").lower()
        if re.fullmatch(_R_OPEN_END, end):
            return float("inf")
        years = re.findall(_R_YEAR, end)
        return float(years[-1]) if years else None
    return None


# =========================================================================================
# Reference: text/language.py as it was
# =========================================================================================

_R_WORD = re.compile(r"[^\W\d_]+")
_R_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "english": frozenset(
        "the and of to with for on at by from as is are was were be been this that these "
        "which who we our my i have has had will would can could into over under using "
        "including while where when than also their its an".split()
    ),
    "german": frozenset(
        "und der das den dem des ein eine einer eines mit für von zu zur zum auf bei ist "
        "sind wurde wurden werden nicht sowie durch über nach ich wir im am vom".split()
    ),
    "french": frozenset(
        "le la les des du de et en un une pour avec dans sur par est sont été au aux ce "
        "cette qui que je nous mes leur dont ainsi".split()
    ),
    "spanish": frozenset(
        "el la los las del de y en un una para con por es son fue como que se al su sus "
        "mediante sobre entre desde también mis".split()
    ),
    "portuguese": frozenset(
        "o os as do da dos das de e em um uma para com por é são foi como que se ao sua "
        "seu nos nas pela pelo também meus".split()
    ),
    "italian": frozenset(
        "il lo gli della delle degli del di e per con su una uno sono è stato come che "
        "nella nel alla allo".split()
    ),
    "dutch": frozenset(
        "het een van en voor met op bij zijn werd worden niet ook door naar ik wij mijn".split()
    ),
}


def ref_language_shares(text: str) -> dict[str, int]:
    counts = dict.fromkeys(_R_FUNCTION_WORDS, 0)
    for match in _R_WORD.finditer(text):
        word = match.group().lower()
        for language, words in _R_FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    return counts


def ref_non_english_warning(text: str) -> str | None:
    counts = ref_language_shares(text)
    total = sum(counts.values())
    if total < MIN_FUNCTION_WORDS:
        return None
    english = counts["english"] / total
    if english >= MIN_ENGLISH_SHARE:
        return None
    other = max((n, lang) for lang, n in counts.items() if lang != "english")[1]
    return (
        f"the text reads as mostly {other.capitalize()}, not English "
        f"({english:.0%} of its function words are English): the role vocabulary is English, "
        "so the verdict is left undetermined rather than guessed from a few tool names"
    )


# =========================================================================================
# Reference: text/analyzer.py as it was
# =========================================================================================

_R_TOKEN = re.compile(r"\.net(?![^\W_])|[^\W_]+(?:\+\+|#)?", re.IGNORECASE)
_R_PHRASE_GAP = re.compile(r"[ \t\-/.&'’]*\n?[ \t]*")
_R_CLAUSE_BREAK = re.compile(r"[\n.;!?•·|]")
_R_MASKED = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|edu|dev|me|co|uk|de)(?:/\S*)?",
    re.IGNORECASE,
)
_R_LIST_PUNCT = set(",/(;:|•·*+")
_R_LIST_AFTER_PUNCT = set(",/);:|")
_R_LIST_WORDS_BEFORE = frozenset(
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
_R_LIST_WORDS_AFTER = frozenset(
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


class ReferenceAnalyzer:
    """``Analyzer.find`` as it was: a phrase walk from every token position."""

    def __init__(self, vocabulary: Vocabulary) -> None:
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
                self._add(ref_tokens(variant), entry.info.term, guarded, context, explicit=True)
        for entry in vocabulary.entries:
            for variant in entry.variants:
                if variant in entry.guarded:
                    continue
                toks = ref_tokens(variant)
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
                raise AssertionError(f"variant {' '.join(key)!r} maps to two terms")
            return
        if existing is None or _ref_conditions(existing) > _ref_conditions(
            (term, guarded, context)
        ):
            self._phrases[key] = (term, guarded, context)

    def find(self, text: str) -> list[TermMatch]:
        matches = self._find_terms(text)
        kind = ref_document_kind(text)
        if kind == _R_POSTING:
            asks = ref_requirement_spans(text)
            matches = [
                TermMatch(REQUIREMENT_PREFIX + m.term, m.start, m.end)
                if m.term in self._requirable and _ref_inside(m, asks)
                else m
                for m in matches
            ]
        titles = [
            TermMatch(title_feature(t.role, t.when), t.start, t.end)
            for t in ref_held_titles(text, kind)
        ]
        return sorted([*matches, *titles], key=lambda m: (m.start, m.end))

    def _find_terms(self, text: str) -> list[TermMatch]:
        masked = _R_MASKED.sub(lambda m: " " * len(m.group()), text)
        toks = [(m.group().lower(), m.start(), m.end()) for m in _R_TOKEN.finditer(masked)]
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
            if j > i and not _R_PHRASE_GAP.fullmatch(text, toks[j - 1][2], toks[j][1]):
                break
            key = (*key, toks[j][0])
            found = self._phrases.get(key)
            if (
                found is not None
                and (not found[1] or _ref_guard_ok(text, toks, i))
                and (found[2] is None or _ref_context_ok(text, toks, i, j, found[2]))
            ):
                best = (found[0], j - i + 1)
            if key not in self._prefixes:
                break
        return best

    def features(self, text: str) -> list[str]:
        return [m.term for m in ref_capped(self.find(text)) if self._roles[m.term] != "shared"]


def _ref_inside(m: TermMatch, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans)


def _ref_conditions(entry: tuple[str, bool, frozenset[str] | None]) -> int:
    return int(entry[1]) + int(entry[2] is not None)


def _ref_context_ok(
    text: str, toks: list[tuple[str, int, int]], i: int, j: int, words: frozenset[str]
) -> bool:
    for step, start in ((-1, i), (1, j)):
        k = start
        for _ in range(CONTEXT_WINDOW_TOKENS):
            nxt = k + step
            if not 0 <= nxt < len(toks):
                break
            left, right = (nxt, k) if step < 0 else (k, nxt)
            if _R_CLAUSE_BREAK.search(text, toks[left][2], toks[right][1]):
                break
            if toks[nxt][0] in words:
                return True
            k = nxt
    return False


def ref_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(m.group().lower() for m in _R_TOKEN.finditer(phrase))


def _ref_guard_ok(text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    _, start, end = toks[i]
    if not text[start].isupper():
        return False
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    if before.endswith("&") or after.startswith("&"):
        return False
    if (before and before[-1] in _R_LIST_PUNCT) or (after and after[0] in _R_LIST_AFTER_PUNCT):
        return True
    prev_word = toks[i - 1][0] if i > 0 else ""
    next_word = toks[i + 1][0] if i + 1 < len(toks) else ""
    return prev_word in _R_LIST_WORDS_BEFORE or next_word in _R_LIST_WORDS_AFTER


def ref_capped(matches: Iterable[TermMatch]) -> list[TermMatch]:
    seen: dict[str, int] = {}
    kept = []
    for m in matches:
        seen[m.term] = seen.get(m.term, 0) + 1
        if seen[m.term] <= MAX_TERM_OCCURRENCES:
            kept.append(m)
    return kept


# =========================================================================================
# Reference: explain/contributions.py (explain_matches) as it was
# =========================================================================================


def _ref_sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _ref_enough_evidence(ml_terms: int, role_terms: int) -> bool:
    needed = 1 if role_terms >= ROLE_TERMS_FOR_ONE_ML_TERM else MIN_ML_TERMS
    return role_terms >= MIN_ROLE_TERMS and ml_terms >= needed


def _ref_surface_forms(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(text[s:e].split()) for s, e in spans))


def ref_explain_matches(
    document: Document, model: ScoringModel, matches: list[TermMatch]
) -> Classification:
    info = model.info
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in ref_capped(matches):
        spans[m.term].append((m.start, m.end))
    stuffed = sorted(
        t for t, n in Counter(m.term for m in matches).items() if n > MAX_TERM_OCCURRENCES
    )
    counts = Counter({t: len(s) for t, s in spans.items() if t in model.index})
    vec = model.tfidf(counts)
    contributions = sorted(
        (
            Contribution(
                term=t,
                weight=model.coefficient(t) * v,
                count=counts[t],
                tfidf=v,
                coefficient=model.coefficient(t),
                role=info[t].role,
                section=info[t].section,
                spans=tuple(spans[t]),
                matched=_ref_surface_forms(document.text, spans[t]),
            )
            for t, v in vec.items()
        ),
        key=lambda c: (-abs(c.weight), c.term),
    )
    logit = model.intercept + math.fsum(c.weight for c in sorted(contributions, key=_ref_by_term))
    probability = _ref_sigmoid(logit)
    ml_terms = sum(1 for t in spans if info[t].ml)
    role_terms = len(counts)
    warnings = document.warnings
    if stuffed:
        warnings = (
            *warnings,
            f"repeated far beyond normal use, counted {MAX_TERM_OCCURRENCES} times only: "
            + ", ".join(stuffed),
        )
    language = ref_non_english_warning(document.text)
    if language is not None:
        warnings = (*warnings, language)
    if language is not None or not _ref_enough_evidence(ml_terms, role_terms):
        label = UNDETERMINED
    else:
        label = lean_of(logit)
    return Classification(
        source=document.source,
        label=label,
        scientist_probability=probability,
        logit=logit,
        bias=model.intercept,
        contributions=tuple(contributions),
        evidence_terms=role_terms,
        ml_terms=ml_terms,
        warnings=warnings,
        pages=document.pages,
        engine=document.engine,
        ocr=document.ocr,
        kind=ref_document_kind(document.text),
        model=model.sha256,
        text=document.text,
    )


def _ref_by_term(c: Contribution) -> str:
    return c.term


def ref_classify_text(
    text: str, model: ScoringModel, analyzer: ReferenceAnalyzer
) -> Classification:
    """``classify_text`` as it was: normalise, find, explain."""
    document = Document("<text>", ref_normalize(text))
    return ref_explain_matches(document, model, analyzer.find(document.text))


# =========================================================================================
# The comparisons
# =========================================================================================

ROOT = Path(__file__).resolve().parent.parent

#: Strings made to catch the rules at their edges: guarded and context-gated forms, masked
#: URLs and e-mail addresses, tokens with ++ / # / .NET, phrase gaps, clause breaks, and
#: characters that lower-case differently alone (İ, ı, ſ, the Kelvin sign, Σ).
ADVERSARIAL = [
    "",
    " ",
    "R",
    "R&D",
    "R & D engineer; R&D in Go",
    "R, Python",
    "Skills: Python, R, SQL",
    "Proficient in R.",
    "R/RStudio",
    "Go, Julia and R programming",
    "go to market; Go-to-market; GO",
    "Languages: C++, C#, .NET, Java",
    "C++/C#",
    "C++/C#/F#, ASP.NET, .net core, .NETFramework, dotnet, c+++",
    "C++python c#sharp",
    "see https://github.com/jdoe/machine-learning and www.kaggle.com/jdoe",
    "jane.doe@ml.ai | jane@deep-learning.io, jdoe@example.co.uk",
    "scikit-learn.Deep learning models.Deployed to prod.Co",
    "http://x.io/machine learning, www.Example.COM/pytorch",
    "mailto:x@y.de; ftp://a.b machine@learning.ai",
    "machine\nlearning, machine-\nlearning, machine -\n learning, machine\n\nlearning",
    "deep   learning; deep\tlearning; deep/learning; deep.learning; deep&learning; deep'learning",
    "develop-\nment of large lan-\nguage models",
    "ECS 170: Artificial Intelligence; ECS 189G Deep Learning",
    "Deployed services on AWS ECS with Fargate; ECS clusters",
    "ECS. aws",
    "ECS\naws",
    "Apache Spark jobs; spark of joy; Spark\nclusters; Spark streaming",
    "the lab; ML lab; machine learning lab; research laboratory",
    "ads ranking; ADs; Ads\nrevenue",
    "launched the product; launch; launching models",
    "S3 buckets; s3; EC2 instances; lambda functions on aws",
    "Triton inference server; triton",
    "ACL 2023 findings; ACL; acl paper",
    "Stan and PyMC for Bayesian models; Stan",
    "Maple, Mathematica and MATLAB",
    "PhD, Ph.D., Ph. D., M.S. or Ph.D. in CS preferred; MS or PhD required",
    "Requirements: PhD in Computer Science. Publications at NeurIPS are a plus; MS degree",
    "We are looking for a Machine Learning Engineer. You will build. Benefits. Apply now.",
    "Senior Machine Learning Engineer, 2020 - present\nML Scientist 2015 - 2019",
    "References\nJane Roe, Research Scientist\nML Engineer",
    "Reporting to the Head of Research; worked with ML engineers; Research Scientists",
    "PhD candidate; Ph.D. student; post-doc; Postdoctoral Fellow; doctoral researcher; MLE",
    "İstanbul ML engineer; PYTHON İN R; ıR, Go",
    "ſcikit-learn, ſpark; Kubernetes with the Kelvin sign",
    "ΟΔΟΣ machine learning ΣR, Go Σ",
    "Maſter's or PhD",
    "MLOPS ENGINEER with KUBERNETES",
    "naïve Bayes, Café ML, résumé, Zürich; Python, R",
    "x" * 300 + "@" + "y" * 300 + ".com machine learning",
    "a.b.c.d.e.f.g.com/" + "z" * 200,
    "\u00ad\ufffe\x02(cid:12)\r\n\r\x0c\u2028 machine learning",
    "•machine learning·deep learning|pytorch;tensorflow!keras?jax",
    "1. Python 2. R 3. SQL",
    "R\u2019s tidyverse; R's ggplot; R ,",
]


def _jsonl_texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]


def _documents() -> list[tuple[str, str]]:
    """(name, text) of every document the comparison runs on."""
    docs: list[tuple[str, str]] = []
    paths = sorted((ROOT / "training_data" / "corpus").glob("*.jsonl"))
    paths += sorted((ROOT / "tests" / "data").rglob("*.jsonl"))
    for path in paths:
        docs += [(f"{path.name}:{i}", t) for i, t in enumerate(_jsonl_texts(path))]
    for path in sorted((ROOT / "examples").glob("*.txt")):
        docs.append((path.name, path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "tests" / "fixtures" / "text").iterdir()):
        docs.append((path.name, path.read_text(encoding="utf-8")))
    docs += [(f"adversarial:{i}", t) for i, t in enumerate(ADVERSARIAL)]
    return docs


def _pdf_documents() -> list[tuple[str, str]]:
    from classifier.errors import ExtractionError
    from classifier.read.dispatch import extract

    docs = []
    for path in sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")):
        try:
            docs.append((path.name, extract(path).text))
        except ExtractionError:  # encrypted, empty, scanned, not a PDF: no text to compare
            continue
    return docs


DOCUMENTS = _documents()


def _share(every: int) -> list[tuple[str, str]]:
    """Every document when ``every`` is 1; else every ``every``-th corpus line, plus every
    whole file and adversarial text (the default run; ``-m heavy`` compares them all)."""
    return [
        (name, text)
        for i, (name, text) in enumerate(DOCUMENTS)
        if every == 1 or ".jsonl:" not in name or i % every == 0
    ]


#: The default run compares a fifth of the corpus lines; ``-m heavy`` compares all of them.
SHARES = pytest.mark.parametrize(
    "every", [pytest.param(5, id="a-fifth"), pytest.param(1, id="all", marks=pytest.mark.heavy)]
)


@pytest.fixture(scope="module")
def reference(model: ScoringModel) -> ReferenceAnalyzer:
    return ReferenceAnalyzer(model.vocabulary)


def _spans(matches: list[TermMatch]) -> list[tuple[str, int, int]]:
    return [(m.term, m.start, m.end) for m in matches]


def test_the_comparison_covers_the_data() -> None:
    names = {name.split(":")[0] for name, _ in DOCUMENTS}
    assert {"lines.jsonl", "postings.jsonl", "resumes.jsonl", "resumes_hard.jsonl"} <= names
    assert {"roles.jsonl", "heldout_hard.jsonl", "non_english.jsonl", "heldout_v2.jsonl"} <= names
    assert {"engineer_resume.txt", "sample.txt", "sample.md", "adversarial"} <= names
    assert len(DOCUMENTS) > 1300


@SHARES
def test_find_equals_the_reference_on_every_document(
    model: ScoringModel, reference: ReferenceAnalyzer, every: int
) -> None:
    from classifier.read.normalize import normalize

    for name, raw in _share(every):
        for text in (raw, normalize(raw)):
            assert _spans(model.analyzer.find(text)) == _spans(reference.find(text)), name


def test_find_equals_the_reference_on_the_pdf_fixtures(
    model: ScoringModel, reference: ReferenceAnalyzer
) -> None:
    docs = _pdf_documents()
    assert len(docs) >= 7
    for name, text in docs:
        assert _spans(model.analyzer.find(text)) == _spans(reference.find(text)), name


@SHARES
def test_tokens_and_masking_equal_the_reference(every: int) -> None:
    from classifier.text.analyzer import _tokens_of

    for name, text in _share(every):
        masked = _R_MASKED.sub(lambda m: " " * len(m.group()), text)
        want = [(m.group().lower(), m.start(), m.end()) for m in _R_TOKEN.finditer(masked)]
        words, bounds = _tokens_of(text)
        got = [(w, bounds[2 * k], bounds[2 * k + 1]) for k, w in enumerate(words)]
        assert got == want, name


@SHARES
def test_normalize_language_and_structure_equal_the_reference(every: int) -> None:
    from classifier.read.normalize import normalize
    from classifier.text.language import language_shares, non_english_warning
    from classifier.text.structure import (
        POSTING,
        RESUME,
        document_kind,
        held_titles,
        in_requirement,
        requirement_spans,
    )

    for name, raw in _share(every):
        assert normalize(raw) == ref_normalize(raw), name
        for text in (raw, normalize(raw)):
            assert language_shares(text) == ref_language_shares(text), name
            assert non_english_warning(text) == ref_non_english_warning(text), name
            assert document_kind(text) == ref_document_kind(text), name
            for kind in (POSTING, RESUME):
                assert held_titles(text, kind) == ref_held_titles(text, kind), name
            spans = ref_requirement_spans(text)
            assert requirement_spans(text) == spans, name
            # at and next to every clause's bounds, and across them
            bounds = {x for m in _R_CLAUSE.finditer(text) for x in m.span()}
            starts = {x + d for x in bounds for d in (-1, 0, 1)} | set(range(0, len(text), 41))
            for start in sorted(x for x in starts if 0 <= x < len(text)):
                for end in (start + 1, start + 9, start + 60):
                    if end <= len(text):
                        want = any(a <= start and end <= b for a, b in spans)
                        assert in_requirement(text, start, end) == want, (name, start, end)


@SHARES
def test_classification_equals_the_reference(
    model: ScoringModel, reference: ReferenceAnalyzer, every: int
) -> None:
    from classifier.explain.contributions import explain_matches
    from classifier.flow import classify_text

    for name, raw in _share(every):
        assert classify_text(raw, model) == ref_classify_text(raw, model, reference), name
        document = Document(name, raw)
        matches = reference.find(raw)
        got = explain_matches(document, model, matches)
        assert got == ref_explain_matches(document, model, matches), name


_PIECES = [
    *"R Go Julia C++ C# F# .NET .net ECS ecs AWS Spark spark lab ADs ads S3 Stan Maple".split(),
    *"machine learning deep Learning pytorch scikit learn kubernetes models model data".split(),
    *"python sql java in and or with using programming language packages studio".split(),
    *"PhD Ph.D M.S. MS publications preferred required plus degree in bonus".split(),
    *"engineer Engineer scientist Scientist researcher ML MLE senior post doc".split(),
    *"present 2019 2021 - – since references References the we are looking you will".split(),
    "github.com/x",
    "x@y.io",
    "www.a.de",
    "https://q.ai/p",
    "İ",
    "ı",
    "ſ",
    "\u212a",
    "Σ",
    "é",
    "\u00ad",
    "\ufffe",
]
_GLUE = [
    " ",
    "  ",
    "\n",
    "\n\n\n",
    "\t",
    "-",
    "-\n",
    "/",
    ".",
    ". ",
    ",",
    ", ",
    ";",
    "&",
    "'",
    "’",
    "•",
    "|",
    "(",
    ")",
    ":",
    "+",
    "#",
    "_",
    "",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GLUE)), max_size=40))
def test_find_equals_the_reference_on_generated_text(
    model: ScoringModel, pieces: list[tuple[str, str]]
) -> None:
    from classifier.read.normalize import normalize
    from classifier.text.language import non_english_warning
    from classifier.text.structure import document_kind

    text = "".join(p + g for p, g in pieces)
    reference = _reference_for(model)
    assert _spans(model.analyzer.find(text)) == _spans(reference.find(text))
    assert normalize(text) == ref_normalize(text)
    assert non_english_warning(text) == ref_non_english_warning(text)
    assert document_kind(text) == ref_document_kind(text)


_REFERENCES: dict[str, ReferenceAnalyzer] = {}


def _reference_for(model: ScoringModel) -> ReferenceAnalyzer:
    """One reference analyzer per model (a hypothesis test cannot take a module fixture)."""
    if model.sha256 not in _REFERENCES:
        _REFERENCES[model.sha256] = ReferenceAnalyzer(model.vocabulary)
    return _REFERENCES[model.sha256]


def test_the_analyzer_survives_pickling_in_the_old_and_the_new_form(model: ScoringModel) -> None:
    import pickle

    from classifier.text.analyzer import Analyzer

    text = "Skills: Python, R, SQL; ECS on AWS; machine-\nlearning; PhD preferred"
    again = pickle.loads(pickle.dumps(model.analyzer))
    assert again.find(text) == model.analyzer.find(text)
    # an analyzer pickled before the trie: its phrases and the prefix set it kept
    old = dict(model.analyzer.__getstate__())
    old["_prefixes"] = {p[:n] for p in old["_phrases"] for n in range(1, len(p))}
    revived = Analyzer.__new__(Analyzer)
    revived.__setstate__(old)
    assert revived.find(text) == model.analyzer.find(text)
    assert not hasattr(revived, "_prefixes")


def test_simple_lower_names_every_character_that_lowers_differently_alone() -> None:
    """``simple_lower`` trusts ``text.lower()`` unless the text holds one of
    ``_CASE_SPECIAL``: every other character lower-cases to one character of the same
    classes (word, letter, digit, space, each punctuation the rules name), context-free,
    and matches an ASCII letter ignoring case only if it lower-cases to that letter."""
    import sys

    from classifier.text.language import _CASE_SPECIAL

    everything = [chr(code) for code in range(sys.maxunicode + 1)]
    lowered = [c.lower() for c in everything]
    special = {c for c, low in zip(everything, lowered, strict=True) if len(low) != 1}
    special.add("\u03a3")  # capital sigma: "σ" or "ς" depending on what follows
    one = "".join(c for c in everything if c not in special)
    one_lowered = "".join(c.lower() for c in one)
    assert len(one) == len(one_lowered)
    for pattern in (r"[^\W_]", r"[^\W\d_]", r"\w", r"\s", r"\d", r"[\n\t .+#\-/&'’;•·|!?@:]"):
        k = re.compile(pattern)
        where = {m.start() for m in k.finditer(one)}
        where_lowered = {m.start() for m in k.finditer(one_lowered)}
        special |= {one[i] for i in where ^ where_lowered}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for m in re.finditer(letter, one, re.IGNORECASE):
            if one_lowered[m.start()] != letter:
                special.add(m.group())
    assert special == {c for c in everything if _CASE_SPECIAL.match(c)}


def test_the_title_window_is_wide_enough() -> None:
    from classifier.text.structure import _TITLE, _TITLE_WIDTH

    widest = re._parser.parse(_TITLE.pattern, _TITLE.flags).getwidth()[1]
    assert widest <= _TITLE_WIDTH
