"""Reading one PDF page's text with pdfplumber, the way a person reads it.

Three measured problems are handled here:

* LaTeX word spacing is tighter than pdfplumber's default ``x_tolerance=3``:
  we use :data:`~classifier.config.PDF_X_TOLERANCE` so words stay apart;
* two-column layouts interleave line by line: we find the gutter from word
  positions and read each column top to bottom (a full-width header first);
* faux-bold text (each glyph printed twice) reads "PPrrooffiillee": we detect
  doubled glyphs and only then pay for ``dedupe_chars``.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from classifier.config import (
    FAUX_BOLD_MIN_CHARS,
    FAUX_BOLD_MIN_SHARE,
    FAUX_BOLD_TOLERANCE,
    MIN_VISIBLE_FONT_PT,
    NEAR_WHITE,
    PDF_X_TOLERANCE,
    PDF_Y_TOLERANCE,
)
from classifier.errors import ExtractionError, describe, encrypted_pdf
from classifier.read.columns import _centre_in, column_regions
from classifier.read.pdfium import hidden_chars

_TEXT_OPTS = {"x_tolerance": PDF_X_TOLERANCE, "y_tolerance": PDF_Y_TOLERANCE}

Obj = dict[str, Any]


def page_text(page: Any) -> tuple[str, int]:
    """The text of one pdfplumber page, columns read in order, and how many hidden chars."""
    bbox = tuple(float(v) for v in page.bbox)
    hidden = sum(1 for c in page.chars if not is_visible(c, bbox))
    if hidden:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or is_visible(obj, bbox))
    if has_faux_bold(page.chars):
        page = page.dedupe_chars(tolerance=FAUX_BOLD_TOLERANCE)
    words = page.extract_words(**_TEXT_OPTS)
    regions = column_regions(words, float(page.width), float(page.height))
    if regions is None:
        return str(page.extract_text(**_TEXT_OPTS)), hidden
    parts = []
    for x0, top, x1, bottom in regions:
        region = page.filter(lambda obj, b=(x0, top, x1, bottom): _centre_in(obj, b))
        parts.append(region.extract_text(**_TEXT_OPTS))
    return "\n".join(p for p in parts if p), hidden


def is_visible(char: Obj, bbox: tuple[float, ...]) -> bool:
    """Would a reader see this glyph? Not if tiny, white-on-white or off the page.

    Resumes stuffed for screening software hide keywords exactly these ways.
    """
    if float(char.get("size") or 0.0) < MIN_VISIBLE_FONT_PT:
        return False
    cx = (char["x0"] + char["x1"]) / 2
    cy = (char["top"] + char["bottom"]) / 2
    if not (bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]):
        return False
    return not _near_white(char.get("non_stroking_color"))


def _near_white(color: object) -> bool:
    if not isinstance(color, tuple | list) or not color:
        return False
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return False  # a pattern or named colour: assume visible
    if len(values) == 4:  # CMYK: white is no ink at all
        return all(v <= 1 - NEAR_WHITE for v in values)
    return all(v >= NEAR_WHITE for v in values)  # grey or RGB


def has_faux_bold(chars: list[Obj]) -> bool:
    """True when enough glyphs are printed twice at (nearly) the same spot."""
    if len(chars) < FAUX_BOLD_MIN_CHARS:
        return False
    ordered = sorted(chars, key=lambda c: (c["text"], round(c["top"]), c["x0"]))
    doubled = 0
    for a, b in itertools.pairwise(ordered):
        if a["text"] != b["text"] or a["text"].isspace() or round(a["top"]) != round(b["top"]):
            continue
        tolerance = min(FAUX_BOLD_TOLERANCE, 0.5 * max(a["x1"] - a["x0"], 0.0))
        if abs(a["x0"] - b["x0"]) < tolerance:
            doubled += 1
    return doubled >= FAUX_BOLD_MIN_CHARS and doubled >= FAUX_BOLD_MIN_SHARE * len(chars)


def plumber_pages(data: bytes, p: Path, max_pages: int) -> tuple[list[str], int, list[str]]:
    """Text of the first ``max_pages`` pages, the page count, and warnings (pdfminer's log
    messages and the count of hidden characters left out). Each page is closed after use,
    which keeps a long file's memory flat. A page that fails to parse is read as empty, with
    a warning; when every page fails, the file does."""
    import pdfplumber

    pages_text: list[str] = []
    hidden = 0
    failed: list[int] = []
    first_failure: Exception | None = None
    with _captured_pdf_logs() as logged:
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                npages = len(pdf.pages)
                for number, page in enumerate(pdf.pages[:max_pages], start=1):
                    try:
                        text, left_out = page_text(page)
                        pages_text.append(text)
                        hidden += left_out
                    except Exception as exc:
                        if _fatal(exc):
                            raise
                        failed.append(number)
                        pages_text.append("")
                        first_failure = first_failure or exc
                    finally:
                        page.close()
                if first_failure is not None and len(failed) == len(pages_text):
                    raise first_failure
        except Exception as exc:  # pdfplumber does not wrap every failure
            raise _pdf_error(exc, p) from exc
    if failed:
        shown = ", ".join(str(n) for n in failed[:10]) + (" ..." if len(failed) > 10 else "")
        logged.insert(0, f"page(s) {shown} could not be parsed (damaged) and were read as empty")
    if hidden:
        logged.insert(0, hidden_chars(hidden))
    return pages_text, npages, logged


def _cause(exc: BaseException) -> BaseException:
    """What went wrong: pdfplumber wraps pdfminer's exception as its cause or first argument."""
    if exc.__cause__ is not None:
        return exc.__cause__
    if exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _fatal(exc: BaseException) -> bool:
    """Failures that no other page can make up for: encryption, memory."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    fatal = (PDFPasswordIncorrect, PDFEncryptionError, MemoryError)
    return isinstance(exc, fatal) or isinstance(_cause(exc), fatal)


def _pdf_error(exc: Exception, p: Path) -> BaseException:
    """The one-line error (or the MemoryError, for the guard to name the cap) for ``exc``."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(exc, ExtractionError):
        return exc
    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(
        exc, PDFPasswordIncorrect | PDFEncryptionError
    ):
        return encrypted_pdf(p)
    if isinstance(cause, MemoryError) or isinstance(exc, MemoryError):
        return MemoryError(str(cause))  # pdfplumber wraps it: the guard names the cap
    return ExtractionError(
        f"{p}: cannot read the PDF ({describe(cause)}); "
        "the file may be damaged or truncated: re-export it from the original document"
    )


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = f"pdf: {record.getMessage()}"
        if message not in self.messages:
            self.messages.append(message)


@contextmanager
def _captured_pdf_logs() -> Iterator[list[str]]:
    """Route pdfminer's and pdfplumber's warnings into a list, away from stderr."""
    handler = _ListHandler()
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        if lg.level == logging.NOTSET or lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        for lg, (propagate, level) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)
