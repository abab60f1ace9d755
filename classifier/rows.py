"""Batch output rows: JSONL and CSV, appended as files finish, read back to resume.

A JSONL row is the ``classify --json`` object plus ``sha256``, ``status``,
``error`` and ``duplicate_of``; a CSV row has the scalar fields plus
``top_engineer_terms`` and ``top_scientist_terms``. Text cells of the CSV that
a spreadsheet would run as a formula are neutralised with a leading quote and
restored when read back. A torn last line (a kill mid-write) is dropped on
resume, never parsed as data.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .config import CSV_TOP_TERMS
from .render import to_dict
from .results import Classification

CSV_FIELDS = (
    "source", "status", "label", "scientist_probability", "logit", "evidence_terms", "ml_terms",
    "pages", "engine", "ocr", "model", "sha256", "duplicate_of", "error", "warnings",
    "top_engineer_terms", "top_scientist_terms",
)  # fmt: skip
_NUMERIC = frozenset({"scientist_probability", "logit", "evidence_terms", "ml_terms", "pages"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRAL = "'"


def ok_row(result: Classification, source: str, sha256: str) -> dict[str, Any]:
    row = to_dict(result)
    row.update(source=source, sha256=sha256, status="ok", error=None, duplicate_of=None)
    return row


def error_row(source: str, sha256: str, error: str, engine: str, model: str) -> dict[str, Any]:
    return {
        "source": source,
        "label": None,
        "scientist_probability": None,
        "logit": None,
        "contributions": [],
        "evidence_terms": None,
        "ml_terms": None,
        "pages": None,
        "warnings": [],
        "engine": engine,
        "model": model,
        "sha256": sha256,
        "status": "error",
        "error": error,
        "duplicate_of": None,
    }


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


def _terms(row: dict[str, Any], sign: int) -> str:
    chosen = [c for c in row.get("contributions") or [] if c["weight"] * sign > 0]
    return "; ".join(f"{c['term']}:{c['weight']:.4f}" for c in chosen[:CSV_TOP_TERMS])


def csv_record(row: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, Any] = {k: row.get(k) for k in CSV_FIELDS}
    warnings = row.get("warnings") or []
    flat["warnings"] = warnings if isinstance(warnings, str) else "; ".join(warnings)
    if "contributions" in row:  # a fresh row; one read back from CSV keeps its cells
        flat["top_engineer_terms"] = _terms(row, -1)
        flat["top_scientist_terms"] = _terms(row, +1)
    out: dict[str, str] = {}
    for key, value in flat.items():
        if value is None:
            out[key] = ""
        elif key in _NUMERIC:
            out[key] = repr(value) if isinstance(value, float) else str(value)
        else:
            out[key] = neutralise(str(value))
    return out


class RowWriter:
    """Appends rows to a file (or stdout), flushing each so a kill loses nothing written."""

    def __init__(self, stream: IO[str], fmt: str, write_header: bool) -> None:
        self.stream = stream
        self.fmt = fmt
        self._csv = csv.DictWriter(stream, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if self._csv is not None and write_header:
            self._csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        if self._csv is not None:
            self._csv.writerow(csv_record(row))
        else:
            self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stream.flush()


# -- reading back (resume) ----------------------------------------------------


def read_rows(path: Path, fmt: str) -> tuple[list[dict[str, Any]], bool]:
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
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            torn = True  # a line cut mid-write and then appended to
    return rows, torn


def _csv_rows(text: str) -> Iterator[dict[str, Any]]:
    for record in csv.DictReader(io.StringIO(text, newline="")):
        if None in record or any(v is None for v in record.values()):
            continue  # a short, torn record
        yield {k: (v if k in _NUMERIC else restore(v)) for k, v in record.items()}


def rewrite_sorted(path: Path, fmt: str) -> None:
    """Rewrite the output sorted by source, atomically (temp file + rename).

    JSONL rows are indexed by byte offset and copied in order, so memory holds
    the index, not the rows (which carry every contribution). CSV records are
    small and may span lines (names with newlines), so they are sorted whole.
    """
    tmp = path.with_name(f".{path.name}.sorting-{os.getpid()}")
    try:
        if fmt == "csv":
            _sort_csv(path, tmp)
        else:
            _sort_jsonl(path, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _sort_jsonl(path: Path, tmp: Path) -> None:
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
    with path.open("rb") as src, tmp.open("wb") as dst:
        for _, start, end in index:
            src.seek(start)
            dst.write(src.read(end - start))
        dst.flush()
        os.fsync(dst.fileno())


def _sort_csv(path: Path, tmp: Path) -> None:
    rows, _ = read_rows(path, "csv")
    rows.sort(key=lambda r: r["source"])
    with tmp.open("w", newline="", encoding="utf-8") as dst:
        writer = csv.DictWriter(dst, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise(v) if k not in _NUMERIC else v for k, v in row.items()})
        dst.flush()
        os.fsync(dst.fileno())
