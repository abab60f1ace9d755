"""Batch output rows: JSONL and CSV, appended as files finish, read back to resume.

Every writer and reader here takes or gives :class:`~classifier.results.Row`.
A JSONL line is :func:`~classifier.render.row_dict` of a row; a CSV record has
the scalar fields plus ``top_engineer_terms`` and ``top_scientist_terms``. Text
cells of the CSV that a spreadsheet would run as a formula are neutralised with
a leading quote and restored when read back; numbers are read back as numbers.
A torn last line (a kill mid-write) is dropped on resume, never parsed as data.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from classifier.config import CSV_TOP_TERMS
from classifier.render.json import row_dict, row_from_dict
from classifier.results import Row, TermWeight

CSV_FIELDS = (
    "source", "status", "label", "scientist_probability", "logit", "evidence_terms", "ml_terms",
    "pages", "engine", "ocr", "model", "sha256", "duplicate_of", "error", "warnings",
    "top_engineer_terms", "top_scientist_terms",
)  # fmt: skip
_FLOATS = frozenset({"scientist_probability", "logit"})
_INTS = frozenset({"evidence_terms", "ml_terms", "pages"})
_NUMERIC = _FLOATS | _INTS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRAL = "'"
_WARNING_SEPARATOR = "; "


def format_for(path: Path | None, explicit: str | None) -> str:
    """``--format``, else from the output file's extension, else JSONL."""
    if explicit:
        return explicit
    if path is not None and path.suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


# -- writing ------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return _NEUTRAL + value if value.startswith(_FORMULA_START) else value


def restore(value: str) -> str:
    if value.startswith(_NEUTRAL) and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _top_terms(row: Row, sign: float) -> str:
    # The sign of the weight, not its value: a weight read back from a CSV cell as "-0.0000"
    # is still a term toward the engineer side.
    chosen = [c for c in row.contributions if math.copysign(1.0, c.weight) == sign]
    return "; ".join(f"{c.term}:{c.weight:.4f}" for c in chosen[:CSV_TOP_TERMS])


def csv_record(row: Row) -> dict[str, str]:
    """A row as CSV cells: numbers exact (``repr``), text neutralised, warnings joined."""
    values: dict[str, object] = {
        "source": row.source,
        "status": row.status,
        "label": row.label,
        "scientist_probability": row.scientist_probability,
        "logit": row.logit,
        "evidence_terms": row.evidence_terms,
        "ml_terms": row.ml_terms,
        "pages": row.pages,
        "engine": row.engine,
        "ocr": row.ocr,
        "model": row.model,
        "sha256": row.sha256,
        "duplicate_of": row.duplicate_of,
        "error": row.error,
        "warnings": _WARNING_SEPARATOR.join(row.warnings),
        "top_engineer_terms": _top_terms(row, -1.0),
        "top_scientist_terms": _top_terms(row, +1.0),
    }
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            out[key] = ""
        elif key in _NUMERIC:
            out[key] = repr(value) if isinstance(value, float) else str(value)
        else:
            out[key] = neutralise(str(value))
    return out


def _jsonl_line(row: Row) -> str:
    return json.dumps(row_dict(row), ensure_ascii=False) + "\n"


class RowWriter:
    """Appends rows to a file (or stdout), flushing each so a kill loses nothing written."""

    def __init__(self, stream: IO[str], fmt: str, write_header: bool) -> None:
        self.stream = stream
        self.fmt = fmt
        self._csv = csv.DictWriter(stream, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if self._csv is not None and write_header:
            self._csv.writeheader()

    def write(self, row: Row) -> None:
        if self._csv is not None:
            self._csv.writerow(csv_record(row))
        else:
            self.stream.write(_jsonl_line(row))
        self.stream.flush()


# -- reading back (resume) ----------------------------------------------------


def read_rows(path: Path, fmt: str) -> tuple[list[Row], bool]:
    """Complete rows already in ``path`` and whether a torn last line was dropped."""
    if not path.exists() or path.stat().st_size == 0:
        return [], False
    raw = path.read_bytes()
    torn = not raw.endswith(b"\n")
    text = raw.decode("utf-8", errors="replace")
    if fmt == "csv":
        rows = list(_csv_rows(text))
        if torn and rows:
            rows.pop()
        return rows, torn
    rows = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if torn and i == len(lines) - 1:
            break
        try:
            rows.append(row_from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            torn = True  # a line cut mid-write and then appended to
    return rows, torn


def _csv_rows(text: str) -> Iterator[Row]:
    for record in csv.DictReader(io.StringIO(text, newline="")):
        if None in record or any(v is None for v in record.values()):
            continue  # a short, torn record
        cells = {k: (v if k in _NUMERIC else restore(v)) for k, v in record.items()}
        with contextlib.suppress(ValueError, KeyError):
            yield _row_from_csv(cells)


def _row_from_csv(cells: dict[str, str]) -> Row:
    def text(key: str) -> str | None:
        return cells[key] or None

    def real(key: str) -> float | None:
        return float(cells[key]) if cells[key] else None

    def whole(key: str) -> int | None:
        return int(cells[key]) if cells[key] else None

    return Row(
        source=cells["source"],
        status=cells["status"],
        sha256=cells["sha256"],
        engine=cells["engine"],
        model=cells["model"],
        label=text("label"),
        scientist_probability=real("scientist_probability"),
        logit=real("logit"),
        contributions=_terms_from_cells(cells["top_engineer_terms"], "engineer")
        + _terms_from_cells(cells["top_scientist_terms"], "scientist"),
        evidence_terms=whole("evidence_terms"),
        ml_terms=whole("ml_terms"),
        pages=whole("pages"),
        ocr={"True": True, "False": False}.get(cells["ocr"]),
        warnings=tuple(cells["warnings"].split(_WARNING_SEPARATOR)) if cells["warnings"] else (),
        error=text("error"),
        duplicate_of=text("duplicate_of"),
    )


def _terms_from_cells(cell: str, role: str) -> tuple[TermWeight, ...]:
    """``term:weight; ...`` back into terms (their counts and sections are not in the CSV)."""
    out = []
    for item in cell.split("; ") if cell else ():
        term, _, weight = item.rpartition(":")
        out.append(TermWeight(term, float(weight), 0, role, ""))
    return tuple(out)


def rewrite_rows(path: Path, fmt: str, rows: list[Row]) -> None:
    """Replace ``path`` with exactly ``rows``, atomically (temp file, fsync, rename)."""
    from classifier.outputs import atomic_stream

    with atomic_stream(path) as fh:
        writer = RowWriter(fh, fmt, write_header=True)
        for row in rows:
            writer.write(row)


def rewrite_sorted(path: Path, fmt: str) -> None:
    """Rewrite the output sorted by source, atomically.

    JSONL rows are indexed by byte offset and copied in order, so memory holds
    the index, not the rows (which carry every contribution). CSV records are
    small and may span lines (names with newlines), so they are sorted whole.
    """
    if fmt == "csv":
        rows, _ = read_rows(path, "csv")
        rewrite_rows(path, fmt, sorted(rows, key=lambda r: r.source))
        return
    from classifier.outputs import atomic_stream

    index: list[tuple[str, int, int]] = []
    with path.open("rb") as fh:
        offset = 0
        for line in fh:
            end = offset + len(line)
            if line.strip() and line.endswith(b"\n"):
                with contextlib.suppress(json.JSONDecodeError, KeyError):  # torn: never data
                    index.append((json.loads(line)["source"], offset, end))
            offset = end
    index.sort(key=lambda item: item[0])
    with path.open("rb") as src, atomic_stream(path, binary=True) as dst:
        for _, start, end in index:
            src.seek(start)
            dst.write(src.read(end - start))
