"""Resume sections from heading lines, and each section's exact share of the logit.

A heading is a short line made only of known heading words ("Experience",
"Research Experience", "AWARDS AND GRANTS", "## Skills", "Education:"), in
any case. Text before the first heading is the header (name, contact line).
Each term's contribution is split evenly across its occurrences and every
occurrence counts in the section it starts in, so the section contributions
plus the bias equal the logit, as the term contributions do.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict

from classifier.config import UNPLACED_SECTION
from classifier.results import Classification, SectionShare, SectionTerm
from classifier.text.headings import find_sections


def section_breakdown(result: Classification) -> tuple[SectionShare, ...]:
    """Each section's net contribution to the logit, sections merged by name, in text order.

    ``result.bias + sum(s.contribution for s in shares) == result.logit`` to 1e-9.
    """
    sections = find_sections(result.text)
    starts = [s.start for s in sections]
    order = list(dict.fromkeys(s.name for s in sections))
    headings: dict[str, list[str]] = defaultdict(list)
    for s in sections:
        if s.heading:
            headings[s.name].append(s.heading)
    shares: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for c in result.contributions:
        if not c.spans:
            shares[UNPLACED_SECTION][c.term].extend([c.weight / c.count] * c.count)
            continue
        each = c.weight / len(c.spans)
        for start, _ in c.spans:
            index = max(bisect.bisect_right(starts, start) - 1, 0)
            shares[sections[index].name][c.term].append(each)
    if UNPLACED_SECTION in shares:
        order.append(UNPLACED_SECTION)
    out: list[SectionShare] = []
    for name in order:
        terms = sorted(
            (SectionTerm(t, math.fsum(ws), len(ws)) for t, ws in shares.get(name, {}).items()),
            key=lambda st: (-abs(st.weight), st.term),
        )
        total = math.fsum(w for ws in shares.get(name, {}).values() for w in ws)
        out.append(SectionShare(name, total, tuple(terms), tuple(headings.get(name, ()))))
    return tuple(out)
