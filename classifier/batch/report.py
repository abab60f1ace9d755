"""The report folder of a batch (``--report DIR``): which rows have a page, and the index.

A resume's page is rendered from its text, which only the run that scores the
file has: rows kept from an earlier run carry no text, so no page can be made
for them later. The index therefore links a row only to a page written for
that very row (same file, content, engine and model), now or by an earlier run
into the same folder, and says how many scored rows have none. Which page was
written for which row is kept in a small journal in the folder, appended as
each page is written, so an interrupted run that is resumed still links every
page it wrote.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from classifier.outputs import write_text_atomic
from classifier.render.htmlkit import page_name
from classifier.results import Row

#: The journal of pages written into a report folder (one JSON object a line).
JOURNAL = ".resume-role-pages.jsonl"


def _key(row: Row) -> list[str]:
    return [row.source, row.sha256, row.engine, row.model]


def record_page(folder: Path, row: Row) -> None:
    """Note that ``row``'s page has just been written into ``folder``."""
    line = json.dumps({"page": page_name(row.source), "row": _key(row)})
    with (folder / JOURNAL).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _journal(folder: Path) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    with contextlib.suppress(OSError):
        for line in (folder / JOURNAL).read_text(encoding="utf-8", errors="replace").split("\n"):
            with contextlib.suppress(ValueError, TypeError, KeyError):  # a torn line is no entry
                entry = json.loads(line)
                entries[str(entry["page"])] = list(entry["row"])
    return entries


def page_links(folder: Path, rows: list[Row]) -> dict[str, str]:
    """Source -> page for the scored rows whose own page is in ``folder``."""
    written = _journal(folder)
    links = {}
    for row in rows:
        name = page_name(row.source)
        if row.ok and written.get(name) == _key(row) and (folder / name).is_file():
            links[row.source] = name
    return links


def write_index(folder: Path, rows: list[Row]) -> None:
    """Write ``index.html`` over ``rows`` (sorted by source), and compact the journal to the
    pages that still exist."""
    from classifier.render.index import render_batch_index

    rows = sorted(rows, key=lambda r: r.source)
    links = page_links(folder, rows)
    kept = {name: key for name, key in _journal(folder).items() if (folder / name).is_file()}
    if kept:
        lines = (json.dumps({"page": n, "row": k}) + "\n" for n, k in kept.items())
        write_text_atomic(folder / JOURNAL, "".join(lines))
    else:
        (folder / JOURNAL).unlink(missing_ok=True)
    write_text_atomic(folder / "index.html", render_batch_index(rows, links))
