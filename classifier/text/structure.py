"""What a document is and what its writer holds: kind, held role titles with recency, and
requirement phrasing. Rules on the text, used inside the one analyzer (training and scoring).

* **Kind**: a job posting speaks to the reader ("you will", "we are looking for",
  "requirements", "benefits", "apply"); a resume lists dated positions. ``posting`` or
  ``resume``.
* **Held titles**: an ML role title at the start of a line (a headline, an experience
  entry, a posting's title line), with the dates on or next to its line. The latest
  ("present", "now", "since 2021", the highest end year) is the current title; the others
  are past. Titles of other people ("reporting to the Head of Research", "worked with ML
  engineers", references) and plural titles are not held.
* **Requirements**: in a posting, a clause that asks for something ("MS or PhD
  preferred", "publications a plus", "familiarity with ...") is a requirement; degree and
  publication terms in it are requirement evidence, weaker than a held degree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifier.config import (
    HEADLINE_LINES,
    POSTING_MIN_CUES,
    TITLE_DATE_LOOKAROUND_LINES,
    TITLE_MAX_OFFSET_TOKENS,
)
from classifier.text.headings import find_sections
from classifier.text.language import simple_lower

POSTING, RESUME = "posting", "resume"
CURRENT, PAST = "current", "past"

_POSTING_CUES = re.compile(
    r"\bwe(?:'re| are) (?:looking|seeking|hiring)\b|\byou will\b|\byou'll\b"
    r"|\bwhat you(?:'ll| will) do\b"
    r"|\bthe (?:ideal )?candidate\b|\bnice to have\b|\b(?:preferred|minimum|basic) qualifications\b"
    r"|\bjoin (?:us|our)\b|\babout the (?:role|team|job|position)\b|\bequal opportunity\b"
    r"|\bbenefits\b|\bapply\b|\bour client\b|\bsalary\b|\bcompensation\b|\bwho you are\b"
    r"|\bresponsibilities\s*:|\brequirements\s*:|\bqualifications\s*:",
    re.IGNORECASE,
)
# The same cues for lower-cased text (see language.simple_lower): a case-sensitive pattern
# with the word boundary tested once per position is several times faster.
_POSTING_CUES_LOWER = re.compile(
    r"\b(?:" + _POSTING_CUES.pattern.replace(r"|\b", "|").removeprefix(r"\b") + ")"
)
_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:(?:{_MONTH}\s*|\d{{1,2}}\s*/\s*)?{_YEAR})"
_OPEN_END = r"(?:present|current|now|today|ongoing|date)"
_RANGE = re.compile(
    rf"(?P<since>\bsince\s+{_DATE})|(?P<start>{_DATE})\s*(?:-|–|—|to|until|till)\s*"
    rf"(?P<end>{_DATE}|{_OPEN_END})\b",
    re.IGNORECASE,
)
_ENGINEER_TITLE = (
    r"(?:senior |staff |principal |lead |junior )?"
    r"(?:machine[ -]learning|ml|mlops|ai|deep[ -]learning|computer[ -]vision|nlp|llm)"
    r"(?: platform| infrastructure| ops)? engineer|\bmle\b|research engineer"
)
_SCIENTIST_TITLE = (
    r"(?:senior |staff |principal |lead )?"
    r"(?:research|applied|machine[ -]learning|ml|ai|nlp) scientist"
    r"|(?:machine[ -]learning|ml|ai) researcher|ph\.? ?d\.? (?:candidate|student|researcher)"
    r"|doctoral (?:candidate|student|researcher)|post-?doc(?:toral)?(?: researcher| fellow)?"
)
_TITLE = re.compile(
    rf"(?P<eng>{_ENGINEER_TITLE})(?!s\b)|(?P<sci>{_SCIENTIST_TITLE})(?!s\b)", re.IGNORECASE
)
#: Every title holds one of these words: a line without any (in lower case) holds no title.
_TITLE_HINT = re.compile(r"engineer|scientist|researcher|mle|candidate|student|doc")
#: The same titles in lower-cased text (see language.simple_lower): case-sensitive is faster.
_TITLE_LOWER = re.compile(_TITLE.pattern)
#: No title is longer (a test checks it against the pattern), so a title starts at most
#: this far before the first title word found on its line, and ends at most
#: ``_TITLE_WIDTH + 12`` after the start of the last one found: 10 more for a title word
#: that overlaps it (``finditer`` reports one of the two), 2 for what ``(?!s\b)`` reads.
_TITLE_WIDTH = 50
#: Words before a title on its line that make it someone else's.
_OTHERS = re.compile(
    r"\b(?:references?|referees?|report(?:ing|ed|s)? to|worked with|work with|working with"
    r"|partner(?:ed|ing)? with"
    r"|collaborat\w* with|alongside|managed|manage|mentor\w*|supervis\w*|hired|hiring|led a team"
    r"|team of|with (?:a|the|our)|under|for (?:a|the)|by)\b",
    re.IGNORECASE,
)
_REQUIREMENT = re.compile(
    r"\b(?:preferred|a plus|is a plus|nice to have|bonus|desired|desirable|or equivalent"
    r"|or phd|or ph\.d|ms or|m\.s\. or|bs or|b\.s\. or|master'?s or|familiarity with"
    r"|required|requirements?|qualifications?|must have|should have|ideally|degree in)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[^\n.;•]+")
_CLAUSE_ENDS = "\n.;•"
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class HeldTitle:
    """A role title the writer holds: its role, when, and where it is in the text."""

    role: str  # "engineer" | "scientist"
    when: str  # CURRENT | PAST
    start: int
    end: int


def document_kind(text: str) -> str:
    """``posting`` when the text speaks to a reader about a job, else ``resume``."""
    last_text, last_kind = _last_kind
    if text is last_text:  # the analyzer and the explanation ask about the same text
        return last_kind
    low = simple_lower(text)
    cues: set[str] = set()
    if low is None:
        cues = {m.group().lower() for m in _POSTING_CUES.finditer(text)}
    else:
        for m in _POSTING_CUES_LOWER.finditer(low):
            cues.add(m.group())
            if len(cues) >= POSTING_MIN_CUES:
                break
    kind = POSTING if len(cues) >= POSTING_MIN_CUES else RESUME
    _remember_kind(text, kind)
    return kind


#: The last text asked about and its kind: the analyzer and then the explanation ask about
#: the same text (the same object, so ``is`` tells, and holding it keeps the identity).
_last_kind: tuple[str, str] = ("", RESUME)


def _remember_kind(text: str, kind: str) -> None:
    global _last_kind
    _last_kind = (text, kind)


def held_titles(text: str, kind: str) -> list[HeldTitle]:
    """The ML role titles the writer holds (a posting: its own title), current or past."""
    lines = text.split("\n")
    low = simple_lower(text)
    # the References sections, found when first needed (None: not yet); without the word
    # "references" there is no such heading
    references: set[tuple[int, int]] | None = None if low is None or "references" in low else set()
    found: list[tuple[str, int, int, float | None, bool]] = []  # role, start, end, end-year, head
    for index, offset, lo, hi in _title_lines(lines, low):
        if references is None:
            references = {(s.start, s.end) for s in find_sections(text) if s.name == "References"}
        if any(a <= offset < b for a, b in references):
            continue
        line = lines[index]
        # Scanning from ``lo`` finds what scanning from 0 finds: no title ends before the
        # first title word. Nor does one start after the last, or get cut short by ``hi``.
        # (In the lower-cased text the line's bounds are its bounds in ``text``.)
        if low is None:
            titles, shift = _TITLE.finditer(line, lo, hi), 0
        else:
            titles, shift = _TITLE_LOWER.finditer(low, offset + lo, offset + hi), offset
        for m in titles:
            before = line[: m.start() - shift]
            if len(_TOKEN.findall(before)) > TITLE_MAX_OFFSET_TOKENS or _OTHERS.search(before):
                continue
            role = "engineer" if m.group("eng") else "scientist"
            ends = _end_year(lines, index)
            headline = index < HEADLINE_LINES
            at = offset - shift
            found.append((role, at + m.start(), at + m.end(), ends, headline))
            break  # one title per line
        if found and kind == POSTING:
            break  # a posting's title is its first
    if not found:
        return []
    if kind == POSTING:  # the posting's own title: its first title line
        role, start, end, _, _ = found[0]
        return [HeldTitle(role, CURRENT, start, end)]
    years = [f[3] for f in found if f[3] is not None]
    latest = max(years, default=None)
    out = []
    for role, start, end, year, headline in found:
        if year is not None:
            when = CURRENT if year == latest else PAST
        else:
            when = CURRENT if headline or not years else PAST
        out.append(HeldTitle(role, when, start, end))
    return out


def _title_lines(lines: list[str], low: str | None) -> list[tuple[int, int, int, int]]:
    """(index, offset, lo, hi) of the lines that may hold a title, in order, with the part
    ``line[lo:hi]`` to look in: with the lower-cased text, only the lines holding a title
    word, around those words; else every line, whole."""
    out: list[tuple[int, int, int, int]] = []
    if low is None:
        offset = 0
        for index, line in enumerate(lines):
            out.append((index, offset, 0, len(line)))
            offset += len(line) + 1
        return out
    index = searched = 0
    next_line = -1  # where the line after the last one taken starts
    for hint in _TITLE_HINT.finditer(low):
        at = hint.start()
        if at < next_line:  # another title word on the line taken last: look further along
            index_, start, lo, _ = out[-1]
            out[-1] = (index_, start, lo, min(len(lines[index_]), at - start + _TITLE_WIDTH + 12))
            continue
        index += low.count("\n", searched, at)
        searched = at
        start = low.rfind("\n", 0, at) + 1
        size = len(lines[index])
        column = at - start
        out.append(
            (index, start, max(0, column - _TITLE_WIDTH), min(size, column + _TITLE_WIDTH + 12))
        )
        next_line = start + size + 1
    return out


def requirement_spans(text: str) -> list[tuple[int, int]]:
    """Clauses of a posting that ask for something rather than describe a duty."""
    return [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if _REQUIREMENT.search(m.group())]


def in_requirement(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` inside one of the :func:`requirement_spans` clauses? (The
    clause that holds ``start``, when a clause does, is the one from the last clause end
    before it.)"""
    a = max(text.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    clause = _CLAUSE.match(text, a)
    # A clause holds no clause end, so the requirement pattern searched within the clause's
    # bounds (whose word boundaries see the clause ends around it) finds what it finds in
    # the clause cut out.
    return (
        clause is not None
        and end <= clause.end()
        and bool(_REQUIREMENT.search(text, a, clause.end()))
    )


def _end_year(lines: list[str], index: int) -> float | None:
    """The end of the date range on a title's line or the lines around it: a year, or
    infinity for "present" / "since ..."; None when there is no range there."""
    lo = max(0, index - TITLE_DATE_LOOKAROUND_LINES)
    hi = min(len(lines), index + TITLE_DATE_LOOKAROUND_LINES + 1)
    # the title's own line first, then the nearest neighbours
    order = sorted(range(lo, hi), key=lambda i: (abs(i - index), i < index))
    for i in order:
        m = _RANGE.search(lines[i])
        if m is None:
            continue
        if m.group("since"):
            return float("inf")
        end = m.group("end").lower()
        if re.fullmatch(_OPEN_END, end):
            return float("inf")
        years = re.findall(_YEAR, end)
        return float(years[-1]) if years else None
    return None
