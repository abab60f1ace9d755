"""The fast extraction engine: PDFium (pypdfium2, installed with pdfplumber) instead of pdfminer.

PDFium reads text roughly 50-100x faster than pdfminer. Word boxes built from its
character boxes stand in for pdfplumber's words, so the same column detection
(:func:`classifier.read.columns.column_regions`) reads two-column resumes column by
column; PDFium marks a line-break hyphen as U+FFFE, which
:func:`classifier.read.normalize.normalize` joins. It de-duplicates faux-bold glyphs by
itself. A page PDFium cannot load is read as empty, with a warning, and
:func:`count_images` tells a scan from an empty PDF.

What the engine checks beyond the text runs at C speed (issue 17): PDFium's functions
are called through lean prototypes (plain addresses, no pypdfium2 object per page
object). Hidden text is looked for once per text object; the text objects a reader cannot
see are taken off the page before its text is read, so PDFium's own text leaves them out
(a re-read with pdfplumber, ~40x slower, is left for a page with more than
PDFIUM_MAX_HIDDEN_OBJECTS of them, and for a PDFium too old to take an object out of a form
XObject). Columns are looked for in three exact steps,
cheapest first: the text runs (few start mid-page: one column), a few lines of word boxes
from the middle of the page (no gap a gutter needs: one column), then every character.
tests/test_pdfium_speedup.py holds the engine as it was and checks that both read alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from classifier.config import (
    COLUMN_HEADER_BAND,
    COLUMN_MIN_SIDE_SHARE,
    COLUMN_PROBE_CHARS,
    COLUMN_PROBE_WORDS,
    COLUMN_SEARCH_BAND,
    MIN_VISIBLE_FONT_PT,
    NEAR_WHITE,
    PDF_X_TOLERANCE,
    PDF_Y_TOLERANCE,
    PDFIUM_MAX_FORM_DEPTH,
    PDFIUM_MAX_HIDDEN_OBJECTS,
)
from classifier.errors import ExtractionError, encrypted_pdf
from classifier.read.columns import _widest_gap, column_regions

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
    cannot see are still in that text (tiny, white, invisible or off the page; 0 but where
    this PDFium cannot take them out, and then the caller re-reads the file with pdfplumber),
    and warnings (one with the count of hidden characters left out).

    A page PDFium cannot load (a damaged page object, a page tree counting pages that are not
    there) is read as empty, with a warning, so the other pages still count.
    """
    import pypdfium2 as pdfium

    pdf = open_pdf(data, p)
    try:
        npages = len(pdf)
        texts = []
        kept = left_out = 0
        failed = []
        for index in range(min(npages, max_pages)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                failed.append(index + 1)
                texts.append("")
                continue
            try:
                hidden = _hidden_text_objects(page)
                if len(hidden) > PDFIUM_MAX_HIDDEN_OBJECTS:  # hostile: pdfplumber re-reads
                    kept += len(hidden)
                elif hidden:
                    before = _char_count(page)
                    kept += _take_out(page, hidden)
                    left_out += max(0, before - _char_count(page))
                texts.append(_page_text(page))
            except pdfium.PdfiumError:
                failed.append(index + 1)
                texts.append("")
            finally:
                page.close()
        warnings = [unloadable_pages(failed)] if failed else []
        if left_out:
            warnings.insert(0, hidden_chars(left_out))
        return texts, npages, kept, warnings
    finally:
        pdf.close()


def hidden_chars(count: int) -> str:
    """The warning for ``count`` characters a reader cannot see, left out of the text (both
    engines give it)."""
    return (
        f"{count} characters of text a reader cannot see (white, tiny or off the page) "
        "were not counted"
    )


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


# -- PDFium at C speed --------------------------------------------------------------------
#
# pypdfium2's helper classes cost ~4 us a call (a wrapper object per page object, pointer
# types for every argument); the checks below make hundreds to thousands of calls a page, so
# they call PDFium's functions through prototypes of their own that take and return plain
# addresses (~0.3-0.5 us a call, measured), and build no wrapper objects.


class _Pdfium:
    """The PDFium functions the checks call, as ``ctypes`` prototypes over plain addresses."""

    def __init__(self) -> None:
        import ctypes

        import pypdfium2.raw as raw

        def plain(kind: Any) -> Any:
            """A handle type (pointer to an opaque ``fpdf_*`` struct) as a plain address."""
            target = getattr(kind, "_type_", None)
            opaque = isinstance(target, type) and target.__name__.startswith("struct_fpdf_")
            return ctypes.c_void_p if opaque else kind

        def fn(name: str) -> Any:
            """``name`` with pypdfium2's own signature, handles as plain addresses."""
            bound = getattr(raw, name)
            address = ctypes.cast(bound, ctypes.c_void_p).value
            assert address is not None, name
            # PYFUNCTYPE keeps the GIL over the call: these getters return in well under a
            # microsecond, and releasing and taking back the GIL costs ~10% of each call.
            prototype = ctypes.PYFUNCTYPE(plain(bound.restype), *map(plain, bound.argtypes))
            return prototype(address)

        self.count_objects = fn("FPDFPage_CountObjects")
        self.get_object = fn("FPDFPage_GetObject")
        self.form_count_objects = fn("FPDFFormObj_CountObjects")
        self.form_get_object = fn("FPDFFormObj_GetObject")
        self.object_type = fn("FPDFPageObj_GetType")
        self.render_mode = fn("FPDFTextObj_GetTextRenderMode")
        self.bounds = fn("FPDFPageObj_GetBounds")
        self.matrix = fn("FPDFPageObj_GetMatrix")
        self.font_size = fn("FPDFTextObj_GetFontSize")
        self.fill_color = fn("FPDFPageObj_GetFillColor")
        self.count_rects = fn("FPDFText_CountRects")
        self.get_rect = fn("FPDFText_GetRect")
        self.count_chars = fn("FPDFText_CountChars")
        self.unicode = fn("FPDFText_GetUnicode")
        self.char_box = fn("FPDFText_GetCharBox")
        self.remove_object = fn("FPDFPage_RemoveObject")
        self.destroy_object = fn("FPDFPageObj_Destroy")
        # Not in every PDFium that pypdfium2 >= 4.30 ships; without it, hidden text in a form
        # XObject stays in PDFium's text and the caller re-reads the file with pdfplumber.
        self.form_remove_object = (
            fn("FPDFFormObj_RemoveObject") if hasattr(raw, "FPDFFormObj_RemoveObject") else None
        )
        self.matrix_type = raw.FS_MATRIX
        self.form_type = raw.FPDF_PAGEOBJ_FORM
        self.invisible = raw.FPDF_TEXTRENDERMODE_INVISIBLE


_C: _Pdfium | None = None


def _c() -> _Pdfium:
    global _C
    if _C is None:
        _C = _Pdfium()
    return _C


def _address(handle: Any) -> int:
    """The address behind a pypdfium2 handle (``page.raw``, ``textpage.raw``)."""
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value or 0


# -- hidden text ----------------------------------------------------------------------------


def _hidden_text_objects(page: Any) -> list[tuple[int, int]]:
    """The text objects on the page a reader cannot see (smaller than MIN_VISIBLE_FONT_PT once
    scaled, near-white or fully transparent fill, the invisible render mode, or the centre off
    the page), as (form object or 0 for the page, text object) addresses. Checked per object
    (a line or run), not per glyph, in nested form XObjects too, down to
    PDFIUM_MAX_FORM_DEPTH levels. The walk stops once it has found more than
    PDFIUM_MAX_HIDDEN_OBJECTS (a hostile page: the caller leaves it to pdfplumber).

    PDFium gives no per-page summary of colours or render modes, and its text page leaves out
    objects that the walk must still see (zero-width runs, a run repeated at the same place as
    faux bold prints it, marked content replaced by /ActualText), so every text object is read
    once: six calls each, through the lean prototypes.
    """
    import ctypes

    c = _c()
    width, height = page.get_size()
    # One set of out-parameters per page, as before: a call that fails (an object without a
    # colour state) leaves the previous object's values, or zero (transparent) on the first.
    fill = tuple(ctypes.c_uint() for _ in range(4))
    size = ctypes.c_float()
    box = tuple(ctypes.c_float() for _ in range(4))
    matrix = c.matrix_type()
    found: list[tuple[int, int]] = []
    page_address = _address(page.raw)
    args = (float(width), float(height), fill, size, box, matrix, found)
    _hidden_in(c, page_address, 0, 0, *args)
    return found


def _hidden_in(
    c: _Pdfium,
    holder: int,
    form: int,
    level: int,
    width: float,
    height: float,
    fill: tuple[Any, ...],
    size: Any,
    box: tuple[Any, ...],
    matrix: Any,
    found: list[tuple[int, int]],
) -> None:
    """Append the hidden text objects of ``holder`` (the page, or the form object ``form``)."""
    import pypdfium2 as pdfium

    count = (c.form_count_objects if form else c.count_objects)(holder)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    get_object = c.form_get_object if form else c.get_object
    render_mode, bounds, get_matrix = c.render_mode, c.bounds, c.matrix
    font_size, fill_color, invisible = c.font_size, c.fill_color, c.invisible
    r, g, b, a = fill
    left, bottom, right, top = box
    white = NEAR_WHITE * 255
    for i in range(count):
        obj = get_object(holder, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        mode = render_mode(obj)  # -1 for anything but a text object
        if mode < 0:
            if level < PDFIUM_MAX_FORM_DEPTH - 1 and c.object_type(obj) == c.form_type:
                _hidden_in(c, obj, obj, level + 1, width, height, fill, size, box, matrix, found)
                if len(found) > PDFIUM_MAX_HIDDEN_OBJECTS:
                    return
            continue
        if not bounds(obj, left, bottom, right, top):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        if not get_matrix(obj, matrix):
            raise pdfium.PdfiumError("Failed to get matrix of pageobject.")
        font_size(obj, size)
        fill_color(obj, r, g, b, a)
        cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
        if (
            mode == invisible
            or min(r.value, g.value, b.value) >= white
            or a.value == 0
            or size.value * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            < MIN_VISIBLE_FONT_PT
            or not (0 <= cx <= width and 0 <= cy <= height)
        ):
            found.append((form, obj))
            if len(found) > PDFIUM_MAX_HIDDEN_OBJECTS:
                return


def _take_out(page: Any, hidden: list[tuple[int, int]]) -> int:
    """Take the ``hidden`` text objects off the page (PDFium's text page is built from the
    page's objects, so its text leaves them out); how many could not be taken out (in a form
    XObject, with a PDFium before FPDFFormObj_RemoveObject)."""
    c = _c()
    page_address = _address(page.raw)
    kept = 0
    for form, obj in hidden:
        if form:
            taken = c.form_remove_object is not None and c.form_remove_object(form, obj)
        else:
            taken = c.remove_object(page_address, obj)
        if taken:
            c.destroy_object(obj)  # taken out, it is the caller's to free
        else:
            kept += 1
    return kept


def _char_count(page: Any) -> int:
    """How many characters, spaces and line breaks apart, PDFium's text of ``page`` holds."""
    textpage = page.get_textpage()
    try:
        text = str(textpage.get_text_range())
    finally:
        textpage.close()
    return len(text) - sum(map(str.isspace, text))


# -- text and columns -----------------------------------------------------------------------


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        regions = _column_regions(textpage, width, height)
        if regions is None:
            return str(textpage.get_text_range())
        parts = [
            textpage.get_text_bounded(left=x0, bottom=height - y1, right=x1, top=height - y0)
            for x0, y0, x1, y1 in regions
        ]
        return "\n".join(str(part) for part in parts if part)
    finally:
        textpage.close()


def _column_regions(
    textpage: Any, width: float, height: float
) -> list[tuple[float, float, float, float]] | None:
    """The page's column regions (:func:`column_regions` of its word boxes), or None.

    Three tests, cheapest first, each exact: PDFium's text runs (few enough runs must start
    mid-page for a page to have columns at all), then a few lines of word boxes from the
    middle of the page (a one-column page's lines cover the middle band with no gap a gutter
    needs), and only then every character's box.
    """
    c = _c()
    tp = _address(textpage.raw)
    if not _may_have_columns(c, tp, width):
        return None
    n = c.count_chars(tp)
    if n < 0:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to get character count.")
    if _no_gutter(c, tp, n, float(width), height):
        return None
    return column_regions(_words(c, tp, n, height), float(width), float(height))


def _may_have_columns(c: _Pdfium, tp: int, width: float) -> bool:
    """Cheap test on PDFium's text runs: do enough of them start mid-page?"""
    import ctypes

    import pypdfium2 as pdfium

    n = c.count_rects(tp, 0, -1)
    if n == -1:
        raise pdfium.PdfiumError("Failed to count rectangles.")
    if n == 0:
        return False
    needed = COLUMN_MIN_SIDE_SHARE * n
    mid = COLUMN_SEARCH_BAND[0] * width
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    get_rect = c.get_rect
    starts = 0
    for i in range(n):
        if not get_rect(tp, i, left, top, right, bottom):
            raise pdfium.PdfiumError("Failed to get rectangle.")
        if left.value >= mid:
            starts += 1
            if starts >= needed:
                return True
        elif starts + (n - 1 - i) < needed:
            return False
    return starts >= needed


def _no_gutter(c: _Pdfium, tp: int, n: int, width: float, height: float) -> bool:
    """True when some words from the middle of the page already leave no gap a gutter needs.

    The words are those :func:`_words` finds among COLUMN_PROBE_CHARS characters from the
    middle of the page, and from a fifth and four fifths of the way if need be (see
    :func:`_words` for why they are the same). If the body words among them leave no gap of
    COLUMN_MIN_GUTTER in the search band, all the page's body words leave none (more words
    only fill gaps), and :func:`column_regions` says one column. A window of
    COLUMN_PROBE_WORDS body words that leaves a gap is taken as a real gutter: the next
    windows are not tried.
    """
    if n <= 2 * COLUMN_PROBE_CHARS:  # reading every character costs as little
        return False
    header_limit = height * COLUMN_HEADER_BAND
    lo, hi = width * COLUMN_SEARCH_BAND[0], width * COLUMN_SEARCH_BAND[1]
    for start in (n // 2, n // 5, 4 * n // 5):
        end = min(n, start + COLUMN_PROBE_CHARS)
        body = [w for w in _words(c, tp, n, height, start, end) if w["top"] >= header_limit]
        if body and _widest_gap(body, lo, hi) is None:
            return True
        if len(body) >= COLUMN_PROBE_WORDS:
            return False
    return False


def _words(
    c: _Pdfium, tp: int, n: int, height: float, start: int = 0, end: int | None = None
) -> list[dict[str, float]]:
    """Word boxes from character boxes (PDFium's runs can span a column gutter).

    Characters join a word while they are on its line and follow it closely; a space or a
    character without a box ends it. Given a window (``start``, ``end``) of the characters,
    only the words that reading all of them gives too are returned: those after the first
    space (or boxless character) in the window, and the last only if the window ends the
    page or with a space.
    """
    import ctypes

    end = n if end is None else end
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    unicode, char_box, spaces = c.unicode, c.char_box, _spaces()
    y_tol, x_tol = PDF_Y_TOLERANCE * 2, PDF_X_TOLERANCE * 2
    words: list[dict[str, float]] = []
    word = False  # a word is open: (x0, x1, w_top, w_bottom)
    x0 = x1 = w_top = w_bottom = 0.0
    synced = start == 0  # from the first character, or once a word has ended for sure
    for i in range(start, end):
        code = unicode(tp, i)
        if code > _MAX_UNICODE:
            chr(code)  # ValueError, as reading the character always raised
        if code in spaces or not char_box(tp, i, left, right, bottom, top):
            if word:
                words.append({"x0": x0, "x1": x1, "top": w_top, "bottom": w_bottom})
                word = False
            synced = True
            continue
        if not synced:
            continue
        box_x0 = left.value
        box_top = height - top.value
        if word and abs(box_top - w_top) < y_tol and 0 <= box_x0 - x1 < x_tol:
            x1 = max(x1, right.value)
            w_top = min(w_top, box_top)
            w_bottom = max(w_bottom, height - bottom.value)
        else:
            if word:
                words.append({"x0": x0, "x1": x1, "top": w_top, "bottom": w_bottom})
            x0, x1, w_top, w_bottom = box_x0, right.value, box_top, height - bottom.value
            word = True
    if word and end == n:  # else it may go on past the window
        words.append({"x0": x0, "x1": x1, "top": w_top, "bottom": w_bottom})
    return words


_MAX_UNICODE = 0x10FFFF
_SPACES: frozenset[int] | None = None


def _spaces() -> frozenset[int]:
    """The code points ``str.isspace`` is true of (all below U+3001)."""
    global _SPACES
    if _SPACES is None:
        _SPACES = frozenset(code for code in range(0x3001) if chr(code).isspace())
    return _SPACES
