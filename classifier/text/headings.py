"""Resume section headings: which lines head a section, and the sections they make.

A heading is a short line made only of known heading words ("Experience",
"Research Experience", "AWARDS AND GRANTS", "## Skills", "Education:"), in
any case. Text before the first heading is the header (name, contact line).
"""

from __future__ import annotations

import re

from classifier.config import HEADER_SECTION, HEADING_MAX_CHARS, HEADING_MAX_WORDS
from classifier.results import Section

#: Heading words and the canonical section each names.
_HEAD_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["summary", "profile", "about", "objective", "overview", "statement", "bio", "biography"],
        "Summary",
    ),
    **dict.fromkeys(["experience", "employment", "positions", "appointments"], "Experience"),
    **dict.fromkeys(["education", "degrees", "qualifications"], "Education"),
    **dict.fromkeys(["publications", "papers", "preprints", "bibliography"], "Publications"),
    **dict.fromkeys(
        ["skills", "competencies", "expertise", "technologies", "tools", "toolkit"], "Skills"
    ),
    "projects": "Projects",
    **dict.fromkeys(
        ["awards", "honors", "honours", "grants", "fellowships", "scholarships", "achievements"],
        "Awards",
    ),
    **dict.fromkeys(["certifications", "certificates", "licenses", "licences"], "Certifications"),
    **dict.fromkeys(["talks", "presentations", "speaking"], "Talks"),
    **dict.fromkeys(["service", "reviewing", "volunteering", "volunteer"], "Service"),
    **dict.fromkeys(["teaching", "mentoring", "supervision", "mentorship"], "Teaching"),
    **dict.fromkeys(["leadership", "activities", "affiliations", "memberships"], "Activities"),
    "interests": "Interests",
    "patents": "Patents",
    "references": "References",
    **dict.fromkeys(["coursework", "courses"], "Coursework"),
    "languages": "Languages",
    **dict.fromkeys(["information", "miscellaneous"], "Additional"),
    "contact": "Contact",
}


#: Words that may qualify a heading word ("Selected Publications", "Work Experience").
_MODIFIERS = frozenset(
    "research professional work technical selected relevant key core invited academic industry "
    "industrial career history recent additional other personal community programming "
    "computer software engineering open source contributions continued cont scientific "
    "peer conference journal employment training volunteer and honors me".split()
)


_CONNECTORS = frozenset(["and", "&", "of", "in", "/"])


#: Single-word headings that name a section only when alone on their line.
_ALONE: dict[str, str] = {"research": "Research", "work": "Experience", "other": "Additional"}


#: Besides letters, a heading may hold only these characters.
_PUNCT = frozenset(" \t&/,-()")


_WORD = re.compile(r"[^\W\d_]+|&|/")


_MARKUP = re.compile(r"^(?:#{1,6}[ \t]+|\*\*|__)|(?:\*\*|__)$")


def heading_name(line: str) -> str | None:
    """The canonical section a line heads, or None when it is not a heading."""
    s = _MARKUP.sub("", line.strip()).strip()
    s = _MARKUP.sub("", s).strip()
    if s.endswith(":"):
        s = s[:-1].rstrip()
    if not s or len(s) > HEADING_MAX_CHARS or not all(ch.isalpha() or ch in _PUNCT for ch in s):
        return None
    words = [w.lower() for w in _WORD.findall(s)]
    content = [w for w in words if w not in _CONNECTORS]
    if not content or words[0] in _CONNECTORS or len(content) > HEADING_MAX_WORDS:
        return None
    if len(content) == 1 and content[0] in _ALONE:
        return _ALONE[content[0]]
    name: str | None = None
    for w in content:
        if w in _HEAD_WORDS:
            name = name or _HEAD_WORDS[w]
        elif w not in _MODIFIERS:
            return None
    return name


def find_sections(text: str) -> tuple[Section, ...]:
    """The sections of ``text`` in order; they tile it from offset 0 to ``len(text)``."""
    starts: list[tuple[int, str, str]] = []
    offset = 0
    for line in text.split("\n"):
        name = heading_name(line)
        if name is not None:
            starts.append((offset, name, line.strip()))
        offset += len(line) + 1
    sections: list[Section] = []
    if not starts or starts[0][0] > 0:
        first = starts[0][0] if starts else len(text)
        sections.append(Section(HEADER_SECTION, "", 0, first))
    for i, (start, name, heading) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections.append(Section(name, heading, start, end))
    return tuple(sections)
