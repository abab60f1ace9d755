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
    cues = {m.group().lower() for m in _POSTING_CUES.finditer(text)}
    return POSTING if len(cues) >= POSTING_MIN_CUES else RESUME


def held_titles(text: str, kind: str) -> list[HeldTitle]:
    """The ML role titles the writer holds (a posting: its own title), current or past."""
    lines = _lines(text)
    references = {(s.start, s.end) for s in find_sections(text) if s.name == "References"}
    found: list[tuple[str, int, int, float | None, bool]] = []  # role, start, end, end-year, head
    for index, (offset, line) in enumerate(lines):
        if any(a <= offset < b for a, b in references):
            continue
        for m in _TITLE.finditer(line):
            before = line[: m.start()]
            if len(_TOKEN.findall(before)) > TITLE_MAX_OFFSET_TOKENS or _OTHERS.search(before):
                continue
            role = "engineer" if m.group("eng") else "scientist"
            ends = _end_year(lines, index)
            headline = index < HEADLINE_LINES
            found.append((role, offset + m.start(), offset + m.end(), ends, headline))
            break  # one title per line
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


def requirement_spans(text: str) -> list[tuple[int, int]]:
    """Clauses of a posting that ask for something rather than describe a duty."""
    return [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if _REQUIREMENT.search(m.group())]


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _end_year(lines: list[tuple[int, str]], index: int) -> float | None:
    """The end of the date range on a title's line or the lines around it: a year, or
    infinity for "present" / "since ..."; None when there is no range there."""
    lo = max(0, index - TITLE_DATE_LOOKAROUND_LINES)
    hi = min(len(lines), index + TITLE_DATE_LOOKAROUND_LINES + 1)
    # the title's own line first, then the nearest neighbours
    order = sorted(range(lo, hi), key=lambda i: (abs(i - index), i < index))
    for i in order:
        m = _RANGE.search(lines[i][1])
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
