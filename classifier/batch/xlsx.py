"""Spreadsheet output of a batch: one xlsx workbook, written whole (the ``xlsx`` extra: openpyxl).

A workbook cannot be appended to row by row, so a batch run streams its rows
into a hidden JSONL *sidecar* next to the workbook (:func:`sidecar`) and
writes the workbook, atomically, when the run ends; the sidecar is then
removed. A run that is killed leaves the sidecar behind, and the next run reads
the workbook *and* the sidecar back, so nothing already scored is scored again.

Text cells are always written as explicit strings (never a formula, an error
code or a number guessed from text), and those a spreadsheet would run as a
formula also get Excel's own "quote prefix" flag, so they stay text when a
person edits them; their text is stored exactly, without the leading ``'``
that the CSV needs. Numbers are numbers; openpyxl stores them with 16
significant digits (Excel shows 15), so the exact logit is JSONL's (or the CSV's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from classifier.config import XLSX_EXTRA
from classifier.errors import ClassifierError

#: Characters an xlsx cannot hold (XML 1.0 control characters); each becomes U+FFFD.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Longest text an xlsx cell holds.
_MAX_CELL = 32_767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET = "scores"

Cell = str | int | float | bool | None


class XlsxMissingError(ClassifierError, ImportError):
    """xlsx output was asked for but openpyxl (the ``xlsx`` extra) is not installed."""


def require_openpyxl() -> Any:
    """The openpyxl module, or a one-line error saying how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise XlsxMissingError(
            "writing .xlsx needs openpyxl: pip install 'resume-role-classifier"
            f"[{XLSX_EXTRA}]' (or write .csv or .jsonl)"
        ) from None
    return openpyxl


def sidecar(path: Path) -> Path:
    """Where a run streams the rows of the workbook ``path`` until it writes the workbook."""
    return path.with_name(f".{path.name}.rows.jsonl")


def write_workbook(
    path: Path,
    header: Sequence[str],
    records: Iterable[Sequence[Cell]],
    *,
    number_formats: Mapping[str, str] | None = None,
    widths: Mapping[str, float] | None = None,
) -> None:
    """Write a one-sheet workbook atomically: a bold header row, panes frozen below the
    header and right of the first column, an autofilter, numbers as numbers."""
    openpyxl = require_openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from classifier.outputs import atomic_stream

    rows = list(records)
    formats = {header.index(k): f for k, f in (number_formats or {}).items()}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "B2"
    for name, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(header.index(name) + 1)].width = width
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)

    def cell(value: Cell, column: int) -> Any:
        out = WriteOnlyCell(sheet)
        if isinstance(value, str):
            text = _ILLEGAL.sub("\ufffd", value)[:_MAX_CELL]
            out.value = text
            out.data_type = "s"  # never a formula or an error code, whatever the text
            if text.startswith(_FORMULA_START):
                out.quotePrefix = True
        else:
            out.value = value
            if column in formats and value is not None:
                out.number_format = formats[column]
        return out

    heading = []
    for name in header:
        head = cell(name, -1)
        head.font = bold
        heading.append(head)
    sheet.append(heading)
    for record in rows:
        sheet.append([cell(v, i) for i, v in enumerate(record)])
    with atomic_stream(path, binary=True) as fh:
        book.save(fh)


def read_workbook(path: Path, required: Iterable[str]) -> Iterator[dict[str, Cell]]:
    """The records of a workbook this module wrote, as {header: typed value}.

    A file that is not a workbook, or whose first row lacks ``required`` column names,
    is refused (it is someone's spreadsheet, not ours to overwrite).
    """
    openpyxl = require_openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise ClassifierError(
            f"{path}: cannot read the rows of an earlier run back (not an xlsx workbook: "
            f"{type(exc).__name__}); give another --output or move the file aside"
        ) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(values, ())]
        missing = set(required) - set(header)
        if missing:
            raise ClassifierError(
                f"{path}: not a resume-role workbook (no {', '.join(sorted(missing))} column); "
                "give another --output or move the file aside"
            )
        for values_row in values:
            if all(v is None for v in values_row):
                continue
            padded = (*values_row, *([None] * (len(header) - len(values_row))))
            yield dict(zip(header, padded, strict=False))
    finally:
        book.close()
