"""The fast extraction engine: PDFium (pypdfium2, installed with pdfplumber) instead of pdfminer.

PDFium reads text roughly 50-100x faster than pdfminer. Its text runs
(``count_rects``/``get_rect``) stand in for pdfplumber's words, so the same
column detection (:func:`classifier.pdf.column_regions`) reads two-column
resumes column by column; PDFium marks a line-break hyphen as U+FFFE, which
:func:`classifier.text.normalize` joins. It de-duplicates faux-bold glyphs by
itself. A page PDFium cannot load is read as empty, with a warning, and
:func:`count_images` tells a scan from an empty PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from classifier.config import (
    COLUMN_MIN_SIDE_SHARE,
    COLUMN_SEARCH_BAND,
    MIN_VISIBLE_FONT_PT,
    NEAR_WHITE,
    PDF_X_TOLERANCE,
    PDF_Y_TOLERANCE,
    PDFIUM_MAX_FORM_DEPTH,
)
from classifier.errors import ExtractionError, encrypted_pdf
from classifier.read.columns import column_regions

#: PDFium's error code for a missing or wrong password (FPDF_ERR_PASSWORD).
_PASSWORD_ERROR = 4


def open_pdf(data: bytes, name: object) -> Any:
    """A ``pypdfium2.PdfDocument`` of ``data``: the one place a PDFium open can fail, with the
    one message for an encrypted or a damaged file (text engine and OCR alike)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR or "password" in str(exc).lower():
            raise encrypted_pdf(name) from exc
        raise ExtractionError(
            f"{name}: cannot read the PDF ({exc}); the file may be damaged or truncated: "
            "re-export it from the original document"
        ) from exc


def pdfium_pages(data: bytes, p: Path, max_pages: int) -> tuple[list[str], int, int, list[str]]:
    """Text of the first ``max_pages`` pages, the page count, how many text objects a reader
    cannot see (tiny, white, invisible or off the page), and warnings.

    A page PDFium cannot load (a damaged page object, a page tree counting pages that are not
    there) is read as empty, with a warning, so the other pages still count.
    """
    import pypdfium2 as pdfium

    pdf = open_pdf(data, p)
    try:
        npages = len(pdf)
        texts = []
        hidden = 0
        failed = []
        for index in range(min(npages, max_pages)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                failed.append(index + 1)
                texts.append("")
                continue
            try:
                hidden += _hidden_text_objects(page)
                texts.append(_page_text(page))
            except pdfium.PdfiumError:
                failed.append(index + 1)
                texts.append("")
            finally:
                page.close()
        return texts, npages, hidden, [unloadable_pages(failed)] if failed else []
    finally:
        pdf.close()


def unloadable_pages(pages: list[int]) -> str:
    """The warning for pages (1-based) that could not be loaded."""
    shown = ", ".join(str(n) for n in pages[:10]) + (" ..." if len(pages) > 10 else "")
    return f"page(s) {shown} could not be loaded (damaged) and were read as empty"


def count_images(data: bytes, max_pages: int) -> int | None:
    """Image objects on the first ``max_pages`` pages (in form XObjects too), or None when
    PDFium cannot open the file. Tells a scan (images, no text) from an empty or damaged PDF."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    images = 0
    try:
        for index in range(min(len(pdf), max_pages)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                continue
            try:
                objects = page.get_objects(
                    filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=PDFIUM_MAX_FORM_DEPTH
                )
                images += sum(1 for _ in objects)
            finally:
                page.close()
    finally:
        pdf.close()
    return images


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        regions = None
        if _may_have_columns(textpage, width):
            regions = column_regions(_words(textpage, height), float(width), float(height))
        if regions is None:
            return str(textpage.get_text_range())
        parts = [
            textpage.get_text_bounded(left=x0, bottom=height - y1, right=x1, top=height - y0)
            for x0, y0, x1, y1 in regions
        ]
        return "\n".join(str(part) for part in parts if part)
    finally:
        textpage.close()


def _may_have_columns(textpage: Any, width: float) -> bool:
    """Cheap test on PDFium's text runs: do enough of them start mid-page?"""
    n = textpage.count_rects()
    if n == 0:
        return False
    starts = sum(1 for i in range(n) if textpage.get_rect(i)[0] >= COLUMN_SEARCH_BAND[0] * width)
    return starts >= COLUMN_MIN_SIDE_SHARE * n


def _words(textpage: Any, height: float) -> list[dict[str, float]]:
    """Word boxes from character boxes (PDFium's runs can span a column gutter)."""
    import ctypes

    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    words: list[dict[str, float]] = []
    current: dict[str, float] | None = None
    for i in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
        if char.isspace() or not raw.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top):
            current = None
            continue
        box = {"x0": left.value, "x1": right.value, "top": height - top.value,
               "bottom": height - bottom.value}  # fmt: skip
        if (
            current is not None
            and abs(box["top"] - current["top"]) < PDF_Y_TOLERANCE * 2
            and 0 <= box["x0"] - current["x1"] < PDF_X_TOLERANCE * 2
        ):
            current["x1"] = max(current["x1"], box["x1"])
            current["top"] = min(current["top"], box["top"])
            current["bottom"] = max(current["bottom"], box["bottom"])
        else:
            current = box
            words.append(current)
    return words


def _hidden_text_objects(page: Any) -> int:
    """Text objects a reader cannot see; checked per object (a line or run), not per glyph."""
    import ctypes

    import pypdfium2.raw as raw

    width, height = page.get_size()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    size = ctypes.c_float()
    hidden = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=PDFIUM_MAX_FORM_DEPTH):
        left, bottom, right, top = obj.get_bounds()
        m = obj.get_matrix().get()
        raw.FPDFTextObj_GetFontSize(obj.raw, size)
        scaled = size.value * abs(m[0] * m[3] - m[1] * m[2]) ** 0.5
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        white = min(r.value, g.value, b.value) >= NEAR_WHITE * 255 or a.value == 0
        invisible = raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
        cx, cy = (left + right) / 2, (bottom + top) / 2
        off_page = not (0 <= cx <= width and 0 <= cy <= height)
        hidden += scaled < MIN_VISIBLE_FONT_PT or white or invisible or off_page
    return hidden
