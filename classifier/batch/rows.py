"""Batch output rows: JSONL, CSV and xlsx, appended as files finish, read back to resume.

Every writer and reader here takes or gives :class:`~classifier.results.Row`.
A JSONL line is :func:`~classifier.render.row_dict` of a row (every digit kept).
A CSV record and an xlsx row have the same columns (:data:`CSV_FIELDS`): the
ones a person reads first (file, verdict, P(scientist) rounded, evidence, top
terms each way, warnings, error), then the ones a program needs (the exact
logit, reading details, hashes, status). P(scientist) is left empty for an
``undetermined`` row: it has no lean to report (JSONL keeps the number).

CSV is plain UTF-8 without a byte-order mark unless asked for one (``bom``:
Excel needs it to read accents right, many other parsers choke on it); the
mark is skipped when read back. Text cells that a spreadsheet would run as a
formula are neutralised with a leading quote in the CSV and restored when read
back; an xlsx holds them as explicit strings (see :mod:`classifier.batch.xlsx`).
A torn last line (a kill mid-write) is dropped on resume, never parsed as data.

Reading a CSV or xlsx row back restores P(scientist) from the logit (P is the
logistic function of the logit): exactly from a CSV, whose logit has every
digit, to 16 significant digits from an xlsx; never from the rounded cell.
An xlsx run streams rows to a JSONL sidecar and writes the workbook at the end
(see :mod:`classifier.batch.xlsx`); resuming reads the workbook and the sidecar.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from classifier.batch.xlsx import (
    Cell,
    read_workbook,
    require_openpyxl,
    sidecar,
    write_workbook,
)
from classifier.config import (
    CSV_TOP_TERMS,
    FORMAT_SUFFIXES,
    FORMATS,
    ROW_FSYNC_ROWS,
    ROW_FSYNC_SECONDS,
    SHOWN_PROBABILITY_DIGITS,
    UNDETERMINED,
)
from classifier.errors import UsageError
from classifier.explain.contributions import sigmoid
from classifier.render.json import row_dict, row_from_dict
from classifier.render.text import term_with_forms
from classifier.results import OK, Row, TermWeight, lean_of

CSV_FIELDS = (
    # for people: the file, the verdict, how far it leans, on what evidence, what to check
    "source", "label", "scientist_probability", "evidence_terms", "ml_terms",
    "top_engineer_terms", "top_scientist_terms", "warnings", "error",
    # for programs (and for resuming): the exact logit, how it was read, identity
    "logit", "pages", "engine", "ocr", "model", "sha256", "duplicate_of", "status",
)  # fmt: skip
_FLOATS = frozenset({"scientist_probability", "logit"})
_INTS = frozenset({"evidence_terms", "ml_terms", "pages"})
_NUMERIC = _FLOATS | _INTS
_REQUIRED = ("source", "status", "sha256", "engine", "model")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRAL = "'"
_WARNING_SEPARATOR = "; "
_BOM = "\ufeff"
#: How an xlsx shows P(scientist): three decimals, more only when stored (near 0 or 1).
_PROBABILITY_FORMAT = "0.000" + "#" * 12
_XLSX_WIDTHS = {"source": 36.0, "label": 13.0, "scientist_probability": 12.0,
                "top_engineer_terms": 40.0, "top_scientist_terms": 40.0, "warnings": 40.0,
                "error": 40.0}  # fmt: skip


def format_for(path: Path | None, explicit: str | None) -> str:
    """``--format``, else from the output file's extension, else (stdout) JSONL.

    An extension that names no format is a :class:`~classifier.errors.UsageError`:
    rows are never written in a format the file name does not promise.
    """
    if explicit:
        if explicit not in FORMATS:
            raise UsageError(f"unknown output format {explicit!r}; use one of {', '.join(FORMATS)}")
        return explicit
    if path is None:
        return "jsonl"
    fmt = FORMAT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMAT_SUFFIXES)
        raise UsageError(
            f"cannot tell the output format of {path.name!r} from its extension: name the file "
            f"{known}, or give --format ({', '.join(FORMATS)})"
        )
    return fmt


def check_output(path: Path | None, fmt: str) -> None:
    """Refuse, before any file is scored, an output that could not be written at the end."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if path is None:
            raise UsageError(
                "an xlsx workbook cannot be written to stdout: give --output FILE.xlsx"
            )
        require_openpyxl()


# -- cells ----------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return _NEUTRAL + value if value.startswith(_FORMULA_START) else value


def restore(value: str) -> str:
    if value.startswith(_NEUTRAL) and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def probability_digits(p: float) -> int:
    """Decimals P(scientist) is shown with: 3, or as many as keep a P that is not 0 or 1
    from reading as 0.000 or 1.000 (two significant digits of its distance from them)."""
    tail = min(p, 1.0 - p)
    if tail <= 0.0 or round(p, SHOWN_PROBABILITY_DIGITS) not in (0.0, 1.0):
        return SHOWN_PROBABILITY_DIGITS
    return min(max(-math.floor(math.log10(tail)) + 1, SHOWN_PROBABILITY_DIGITS), 15)


def shown_probability(row: Row) -> float | None:
    """P(scientist) as CSV and xlsx cells hold it: rounded, and empty without a lean."""
    p = row.scientist_probability
    if p is None or row.label == UNDETERMINED:
        return None
    return round(p, probability_digits(p))


def _top_terms(row: Row, sign: float) -> str:
    # The sign of the weight, not its value: a weight read back from a CSV cell as "-0.0000"
    # is still a term toward the engineer side.
    # Each term with the words the resume used for it: "data stores (Elasticsearch):-0.2671".
    chosen = [c for c in row.contributions if math.copysign(1.0, c.weight) == sign]
    return "; ".join(
        f"{term_with_forms(c.term, c.matched)}:{c.weight:.4f}" for c in chosen[:CSV_TOP_TERMS]
    )


def cells(row: Row) -> dict[str, Cell]:
    """A row's spreadsheet cells, typed, in :data:`CSV_FIELDS` order (``None`` is empty)."""
    values: dict[str, Cell] = {
        "source": row.source,
        "label": row.label,
        "scientist_probability": shown_probability(row),
        "evidence_terms": row.evidence_terms,
        "ml_terms": row.ml_terms,
        "top_engineer_terms": _top_terms(row, -1.0) or None,
        "top_scientist_terms": _top_terms(row, +1.0) or None,
        "warnings": _WARNING_SEPARATOR.join(row.warnings) or None,
        "error": row.error,
        "logit": row.logit,
        "pages": row.pages,
        "engine": row.engine,
        "ocr": row.ocr,
        "model": row.model,
        "sha256": row.sha256,
        "duplicate_of": row.duplicate_of,
        "status": row.status,
    }
    return {key: values[key] for key in CSV_FIELDS}


def csv_record(row: Row) -> dict[str, str]:
    """A row as CSV cells: P rounded, the logit exact (``repr``), text neutralised."""
    out: dict[str, str] = {}
    for key, value in cells(row).items():
        if value is None:
            out[key] = ""
        elif key == "scientist_probability" and isinstance(value, float):
            out[key] = f"{value:.{probability_digits(value)}f}"
        elif key in _NUMERIC:
            out[key] = repr(value) if isinstance(value, float) else str(value)
        else:
            out[key] = neutralise(str(value))
    return out


def _jsonl_line(row: Row) -> str:
    return json.dumps(row_dict(row), ensure_ascii=False) + "\n"


# -- writing ----------------------------------------------------------------------


class RowWriter:
    """Appends rows to a file (or stdout), flushing each so a kill loses nothing written.

    ``fmt`` is ``jsonl`` or ``csv`` (an xlsx run appends JSONL to its sidecar); with
    ``bom`` a CSV that starts here starts with a UTF-8 byte-order mark. A file this writer
    opened (``owned``) is also fsynced every ROW_FSYNC_ROWS rows or ROW_FSYNC_SECONDS, and
    when it is closed, so a power cut loses at most those rows (a resumed run rescores them).
    """

    def __init__(
        self, stream: IO[str], fmt: str, write_header: bool, *, bom: bool = False,
        owned: bool = False,
    ) -> None:  # fmt: skip
        self.stream = stream
        self.fmt = fmt
        self._owned = owned
        self._unsynced = 0
        self._synced_at = time.monotonic()
        self._csv = csv.DictWriter(stream, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if self._csv is not None and write_header:
            if bom:
                stream.write(_BOM)
            self._csv.writeheader()

    def write(self, row: Row) -> None:
        if self._csv is not None:
            self._csv.writerow(csv_record(row))
        else:
            self.stream.write(_jsonl_line(row))
        self.stream.flush()
        if self._owned:
            self._unsynced += 1
            if (
                self._unsynced >= ROW_FSYNC_ROWS
                or time.monotonic() - self._synced_at >= ROW_FSYNC_SECONDS
            ):
                self._sync()

    def _sync(self) -> None:
        os.fsync(self.stream.fileno())
        self._unsynced = 0
        self._synced_at = time.monotonic()

    def close(self) -> None:
        """Close the file this writer opened (never stdout), synced to disk."""
        if self._owned:
            try:
                if self._unsynced:
                    self._sync()
            finally:
                self.stream.close()


def rows_text(rows: list[Row], fmt: str) -> str:
    """Rows as the content of a ``jsonl`` or ``csv`` output file (the server's downloads),
    byte for byte what ``batch -o`` writes for the same rows."""
    buffer = io.StringIO(newline="")
    writer = RowWriter(buffer, fmt, write_header=True)
    for row in rows:
        writer.write(row)
    return buffer.getvalue()


def open_writer(path: Path | None, fmt: str, *, bom: bool = False) -> RowWriter:
    """A writer appending rows to ``path`` (an xlsx: to its sidecar) or to stdout.

    A CSV written by an earlier version with other columns is first rewritten with
    today's columns, so that appended records line up with its header.
    """
    if path is None:
        return RowWriter(sys.stdout, fmt, write_header=True, bom=bom)
    target, stream_fmt = (sidecar(path), "jsonl") if fmt == "xlsx" else (path, fmt)
    if fmt == "csv" and not _csv_header_current(path):
        rewrite_rows(path, "csv", read_rows(path, "csv")[0], bom=bom)
    empty = not target.exists() or target.stat().st_size == 0
    stream = target.open("a", encoding="utf-8", newline="")
    return RowWriter(stream, stream_fmt, write_header=empty, bom=bom, owned=True)


def _csv_header_current(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        first = fh.readline().decode("utf-8", errors="replace").lstrip(_BOM).rstrip("\r\n")
    return first == ",".join(CSV_FIELDS)


def rewrite_rows(path: Path, fmt: str, rows: list[Row], *, bom: bool = False) -> None:
    """Replace ``path`` with exactly ``rows``, atomically (temp file, fsync, rename)."""
    if fmt == "xlsx":
        write_workbook(
            path,
            CSV_FIELDS,
            (tuple(cells(r).values()) for r in rows),
            number_formats={"scientist_probability": _PROBABILITY_FORMAT},
            widths=_XLSX_WIDTHS,
        )
        sidecar(path).unlink(missing_ok=True)  # its rows are in the workbook now
        return
    from classifier.outputs import atomic_stream

    with atomic_stream(path) as fh:
        writer = RowWriter(fh, fmt, write_header=True, bom=bom)
        for row in rows:
            writer.write(row)


def rewrite_sorted(path: Path, fmt: str, *, bom: bool = False) -> None:
    """Rewrite the output sorted by source, atomically.

    JSONL rows are indexed by byte offset and copied in order, so memory holds
    the index, not the rows (which carry every contribution). CSV records are
    small and may span lines (names with newlines), so they are sorted whole;
    so are xlsx rows, which are written into the workbook with the sidecar's.
    """
    if fmt in ("csv", "xlsx"):
        rows, _ = read_rows(path, fmt)
        rewrite_rows(path, fmt, sorted(rows, key=lambda r: r.source), bom=bom)
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


# -- reading back (resume) ----------------------------------------------------


def read_rows(path: Path, fmt: str) -> tuple[list[Row], bool]:
    """Complete rows already in ``path`` and whether a torn last line was dropped.

    For an xlsx: the workbook's rows, then its sidecar's (a run that did not finish),
    a later row of a source replacing an earlier one; their terms are cut to the top
    terms each way, as the workbook keeps them.
    """
    if fmt == "xlsx":
        return _xlsx_rows(path)
    if not path.exists() or path.stat().st_size == 0:
        return [], False
    raw = path.read_bytes()
    torn = not raw.endswith(b"\n")
    text = raw.decode("utf-8", errors="replace")
    if fmt == "csv":
        return list(_csv_rows(text.removeprefix(_BOM), torn)), torn
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


def _xlsx_rows(path: Path) -> tuple[list[Row], bool]:
    by_source: dict[str, Row] = {}
    if path.exists() and path.stat().st_size > 0:
        for record in read_workbook(path, _REQUIRED):
            text = {k: _xlsx_text(k, v) for k, v in record.items() if k in CSV_FIELDS}
            with contextlib.suppress(ValueError, KeyError):
                row = _row_from_cells({**dict.fromkeys(CSV_FIELDS, ""), **text})
                by_source[row.source] = row
    side, torn = read_rows(sidecar(path), "jsonl")
    for row in side:
        by_source[row.source] = _top_only(row)
    return list(by_source.values()), torn


def _xlsx_text(key: str, value: Cell) -> str:
    """A typed xlsx cell as the CSV text it stands for (its text is never neutralised)."""
    if value is None:
        return ""
    if isinstance(value, float) and key in _INTS and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _top_only(row: Row) -> Row:
    """The row with only the terms a CSV or xlsx row keeps (top terms each way)."""
    engineer = [c for c in row.contributions if math.copysign(1.0, c.weight) < 0]
    scientist = [c for c in row.contributions if math.copysign(1.0, c.weight) > 0]
    kept = {id(c) for c in engineer[:CSV_TOP_TERMS] + scientist[:CSV_TOP_TERMS]}
    return replace(row, contributions=tuple(c for c in row.contributions if id(c) in kept))


def _csv_rows(text: str, torn: bool) -> Iterator[Row]:
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    if torn and records:
        records.pop()  # the record cut by a kill, whether it parses or not
    for record in records:
        if None in record or any(v is None for v in record.values()):
            continue  # a short record
        cells = {k: (v if k in _NUMERIC else restore(v)) for k, v in record.items()}
        with contextlib.suppress(ValueError, KeyError):
            yield _row_from_cells(cells)


def _row_from_cells(cells: dict[str, str]) -> Row:
    def text(key: str) -> str | None:
        return cells[key] or None

    def real(key: str) -> float | None:
        return float(cells[key]) if cells[key] else None

    def whole(key: str) -> int | None:
        return int(cells[key]) if cells[key] else None

    logit = real("logit")
    ok = cells["status"] == OK
    # P is the logistic function of the logit: exact, where the cell is rounded or empty.
    probability = sigmoid(logit) if ok and logit is not None else real("scientist_probability")
    return Row(
        source=cells["source"],
        status=cells["status"],
        sha256=cells["sha256"],
        engine=cells["engine"],
        model=cells["model"],
        label=text("label"),
        lean=lean_of(logit) if ok and logit is not None else None,
        scientist_probability=probability,
        logit=logit,
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
    """``term (as written):weight; ...`` back into terms (their counts and sections are not
    in the CSV)."""
    out = []
    for item in cell.split("; ") if cell else ():
        label, _, weight = item.rpartition(":")
        term, matched = label, tuple[str, ...]()
        if label.endswith(")") and " (" in label:
            term, _, forms = label[:-1].partition(" (")
            matched = tuple(forms.split(", "))
        out.append(TermWeight(term, float(weight), 0, role, "", matched))
    return tuple(out)
