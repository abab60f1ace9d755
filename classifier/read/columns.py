"""Two-column layouts, shared by both PDF engines: find the gutter from word boxes.

Words are dicts with ``x0``, ``x1``, ``top`` and ``bottom`` (pdfplumber's
words, or word boxes built from pdfium's character boxes).
"""

from __future__ import annotations

from typing import Any

from classifier.config import (
    COLUMN_HEADER_BAND,
    COLUMN_MIN_GUTTER,
    COLUMN_MIN_SIDE_SHARE,
    COLUMN_SEARCH_BAND,
)

Obj = dict[str, Any]


def column_regions(
    words: list[Obj], width: float, height: float
) -> list[tuple[float, float, float, float]] | None:
    """Bounding boxes (header, left, right) of a two-column page, or None for one column.

    A gutter is a vertical strip no body word crosses, wide enough, in the middle
    band of the page, with enough words on each side. Words crossing it are
    allowed only near the top (a full-width name and contact header).
    """
    if len(words) < 2:
        return None
    header_limit = height * COLUMN_HEADER_BAND
    body = [w for w in words if w["top"] >= header_limit]
    gutter = _widest_gap(body, width * COLUMN_SEARCH_BAND[0], width * COLUMN_SEARCH_BAND[1])
    if gutter is None:
        return None
    mid = (gutter[0] + gutter[1]) / 2
    # A word crosses only if it straddles the middle of the gutter: glyph boxes
    # of headings may reach into the gap without spanning it.
    crossing = [w for w in words if w["x0"] < mid < w["x1"]]
    header_bottom = max((w["bottom"] for w in crossing), default=0.0)
    below = [w for w in words if w["top"] >= header_bottom]
    left = sum(1 for w in below if w["x1"] <= mid)
    right = sum(1 for w in below if w["x0"] >= mid)
    share = COLUMN_MIN_SIDE_SHARE * len(below)
    if not below or left < share or right < share:
        return None
    regions = [(0.0, header_bottom, mid, height), (mid, header_bottom, width, height)]
    if header_bottom > 0:
        regions.insert(0, (0.0, 0.0, width, header_bottom))
    return regions


def _widest_gap(words: list[Obj], lo: float, hi: float) -> tuple[float, float] | None:
    """The widest x-interval in [lo, hi] that no word covers, if wide enough.

    More words only narrow the gaps: when some of a page's words leave none wide enough,
    all of them leave none (pdfium's column probe relies on it)."""
    spans = sorted(
        (max(w["x0"], lo), min(w["x1"], hi)) for w in words if w["x1"] > lo and w["x0"] < hi
    )
    best: tuple[float, float] | None = None
    cursor = lo
    for x0, x1 in [*spans, (hi, hi)]:
        if x0 - cursor >= COLUMN_MIN_GUTTER and (best is None or x0 - cursor > best[1] - best[0]):
            best = (cursor, x0)
        cursor = max(cursor, x1)
    return best


def _centre_in(obj: Obj, box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= cx < box[2] and box[1] <= cy < box[3]
