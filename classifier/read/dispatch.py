"""File -> :class:`Document`: read a resume's text, or fail with one clear line.

One reading strategy for ``classify`` and ``batch``, whatever the file type:

* PDFs are read with the engine asked for (pdfplumber page by page, each page
  closed after use, or pdfium). When it reads no text, or cannot read the file
  at all, the other engine is tried, and the document says so in its warnings.
  A PDF whose header is damaged or missing (junk before ``%PDF-``, a mail
  gateway's banner) is read with the header repaired; an HTML page or other
  data saved as ``.pdf`` is refused with "not a PDF". A PDF with no text says
  whether it looks like a scan (its pages hold images: run again with
  ``--ocr``) or is empty or damaged.
* ``.docx`` is read with python-docx; ``.txt``, ``.md`` and ``.markdown`` as
  UTF-8; LaTeX ``.tex`` with pylatexenc; Typst ``.typ`` is compiled to PDF with
  the optional typst package; images are read with Tesseract when OCR is on.

pdfminer's log messages become the document's warnings instead of reaching the
terminal, and every exception from a reading library becomes an
:class:`~classifier.errors.ExtractionError` that names the file and what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import (
    DEFAULT_ENGINE,
    DOCX_ENGINE,
    DOCX_SUFFIXES,
    ENGINES,
    IMAGE_SUFFIXES,
    LATEX_ENGINE,
    LATEX_SUFFIXES,
    LEGACY_FORMATS,
    MAX_FILE_MB,
    MAX_PAGES,
    OCR_ENGINE,
    PDF_SUFFIXES,
    READ_SUFFIXES,
    TEXT_ENGINE,
    TYPST_ENGINE,
    TYPST_SUFFIXES,
)
from classifier.errors import (
    EncryptedFileError,
    ExtractionError,
    InputNotFoundError,
    NoTextError,
    ResourceLimitError,
    UnsupportedFormatError,
    UsageError,
)
from classifier.read.normalize import normalize
from classifier.results import Document

_PAGE_BREAK = "\f"  # between pages until OCR has filled the empty ones
SUPPORTED_SUFFIXES = READ_SUFFIXES
_PDF_MAGIC = b"%PDF-"
#: The PDF header may follow a little junk; readers look this far for it.
_MAGIC_WINDOW = 1024
#: A header that some junk pushed past the window is looked for this far (a mail banner,
#: a download page's preamble).
_HEADER_SEARCH = 64 * 1024
#: What a PDF with no header at all is given, so that PDFium opens it (pdfminer needs none).
_REPAIR_HEADER = b"%PDF-1.7\n"
#: The kinds of file :func:`check_suffix` names, with the engine each is recorded as read with
#: (a PDF's is the engine asked for).
_KIND_ENGINES = {"docx": DOCX_ENGINE, "text": TEXT_ENGINE, "latex": LATEX_ENGINE,
                 "typst": TYPST_ENGINE, "image": OCR_ENGINE}  # fmt: skip


def extract(
    path: str | os.PathLike[str],
    *,
    max_pages: int = MAX_PAGES,
    max_mb: float = MAX_FILE_MB,
    engine: str = DEFAULT_ENGINE,
    ocr: bool = False,
) -> Document:
    """Read one resume file into a normalised :class:`Document` (in this process)."""
    p = Path(path)
    return extract_bytes(read_file(p, max_mb=max_mb), str(p), max_pages, engine, ocr)


def read_file(p: Path, *, max_mb: float = MAX_FILE_MB) -> bytes:
    """A resume file's bytes, after checking its type and size; one-line errors otherwise."""
    if p.is_dir():  # before the type: a folder has none, and wants another command
        raise InputNotFoundError(f"{p}: is a folder; use 'resume-role batch' for folders")
    check_suffix(p)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise IsADirectoryError(p)
        check_size(str(p), size, max_mb)
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise InputNotFoundError(f"{p}: no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise InputNotFoundError(f"{p}: is a folder; use 'resume-role batch' for folders") from exc
    except PermissionError as exc:
        raise ExtractionError(f"{p}: permission denied; check the file's permissions") from exc
    except OSError as exc:
        raise ExtractionError(f"{p}: cannot read the file ({exc.strerror or exc})") from exc


def check_engine(engine: str) -> None:
    """The one check of a PDF engine name."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def check_size(name: str, size: int, max_mb: float) -> None:
    """The one size limit: a file over ``max_mb`` is refused before anything parses it."""
    if size > max_mb * 1024 * 1024:
        raise ResourceLimitError(
            f"{name}: {size / 1024 / 1024:.1f} MB is over the {max_mb:g} MB limit for one resume; "
            "compress the PDF, or raise the limit with --max-size"
        )


def check_suffix(p: Path) -> str:
    """The kind of file we read (``"pdf"``, ``"docx"``, ``"text"``, ``"latex"``, ``"typst"``
    or ``"image"``), by its suffix; a one-line error for other types."""
    suffix = p.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in LATEX_SUFFIXES:
        return "latex"
    if suffix in TYPST_SUFFIXES:
        return "typst"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in LEGACY_FORMATS:
        from classifier.read.docx import legacy_format_error

        raise legacy_format_error(str(p))
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{p}: unsupported file type {p.suffix.lower() or '(none)'!r}; resume-role reads "
            f"{', '.join(SUPPORTED_SUFFIXES)}: export the resume as PDF"
        )
    return "text"


def image_needs_ocr(name: str) -> UnsupportedFormatError:
    """The one-line error for an image read without OCR."""
    return UnsupportedFormatError(f"{name}: an image: run again with --ocr to read it with OCR")


def skip_reason(name: str, ocr: bool = False) -> str | None:
    """Why a batch leaves a file of this name unread (its row is "skipped"), or None when
    the batch reads it. Legacy word-processor files are read, to get their error row that
    says how to convert them."""
    p = Path(name)
    try:
        kind = check_suffix(p)
    except UnsupportedFormatError as exc:
        if p.suffix.lower() in LEGACY_FORMATS:
            return None
        return str(exc)
    if kind == "image" and not ocr:
        return str(image_needs_ocr(name))
    return None


def engine_for(name: str, engine: str = DEFAULT_ENGINE) -> str:
    """The engine a file of this name is read with, as its :class:`Document` records it:
    ``engine`` for a PDF (also when the other engine stepped in: see :func:`_extract_pdf`),
    python-docx for Word, pylatexenc for LaTeX, typst for Typst, tesseract for images,
    ``text`` for the rest (and for files that are refused before reading)."""
    try:
        kind = check_suffix(Path(name))
    except UnsupportedFormatError:
        return TEXT_ENGINE
    return engine if kind == "pdf" else _KIND_ENGINES[kind]


def extract_bytes(
    data: bytes,
    name: str,
    max_pages: int = MAX_PAGES,
    engine: str = DEFAULT_ENGINE,
    ocr: bool = False,
) -> Document:
    """A file's content (``name`` gives its type and is used in messages) -> Document.

    With ``ocr``, PDF pages without a text layer are rendered and read by Tesseract, and
    images are read; without it an image is refused.
    """
    p = Path(name)
    kind = check_suffix(p)
    if kind == "image" and not ocr:
        raise image_needs_ocr(str(p))
    if not data:
        raise ExtractionError(f"{p}: the file is empty (0 bytes); export the resume again")
    if kind == "pdf":
        data, repaired = _pdf_bytes(p, data)
        doc = _extract_pdf(p, data, max_pages, engine, ocr, repaired)
        return _with_ocr(doc, data, max_pages) if ocr else doc
    if kind == "docx":
        from classifier.read.docx import docx_document

        return docx_document(data, str(p))
    if kind == "latex":
        return _extract_latex(p, data)
    if kind == "typst":
        return _extract_typst(p, data, max_pages)
    if kind == "image":
        return _extract_image(p, data, max_pages)
    return _extract_text(p, data)


def _with_ocr(doc: Document, data: bytes, max_pages: int) -> Document:
    """OCR the pages left without text (marked by the reader), and merge them in order."""
    from classifier.read.ocr import ocr_pages

    pages = doc.text.split(_PAGE_BREAK)
    empty = [i for i, text in enumerate(pages) if not text.strip()]
    if not empty:
        return Document(
            doc.source, normalize("\n".join(pages)), doc.pages, doc.warnings, doc.engine
        )
    read, notes = ocr_pages(data, doc.source, empty, max_pages)
    merged = normalize("\n".join(read.get(i, text) for i, text in enumerate(pages)))
    if not merged.strip():
        raise NoTextError(f"{doc.source}: no text found, even by OCR; check the scan's quality")
    warnings = (*doc.warnings, *notes)
    return Document(doc.source, merged, doc.pages, warnings, doc.engine, ocr=True)


def _decode(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 text (a BOM dropped); undecodable bytes replaced, with a warning."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        warning = (
            f"invalid UTF-8 at byte {exc.start}: undecodable bytes were replaced; "
            "save the file as UTF-8 for an exact reading"
        )
        return raw.decode("utf-8-sig", errors="replace"), [warning]


def _extract_text(p: Path, raw: bytes) -> Document:
    decoded, warnings = _decode(raw)
    text = normalize(decoded)
    if not text.strip():
        raise NoTextError(f"{p}: the file holds no text; check that it is the right file")
    return Document(str(p), text, pages=0, warnings=tuple(warnings), engine=TEXT_ENGINE)


def _extract_latex(p: Path, raw: bytes) -> Document:
    from classifier.read.latex import latex_text

    decoded, warnings = _decode(raw)
    text, notes = latex_text(decoded, str(p))
    text = normalize(text)
    if not text.strip():
        raise NoTextError(
            f"{p}: the LaTeX source holds no text outside its commands; check that it is the "
            "resume itself (not a class or preamble file), or export the resume as PDF"
        )
    return Document(str(p), text, 0, (*warnings, *notes), engine=LATEX_ENGINE)


def _extract_typst(p: Path, raw: bytes, max_pages: int) -> Document:
    from classifier.read.typst_source import typst_pdf

    pdf, notes = typst_pdf(raw, str(p))
    doc = _extract_pdf(p, pdf, max_pages, "pdfium")
    return Document(doc.source, doc.text, doc.pages, (*notes, *doc.warnings), TYPST_ENGINE)


def _extract_image(p: Path, raw: bytes, max_pages: int) -> Document:
    from classifier.read.ocr import ocr_image

    pages, count, warnings = ocr_image(raw, str(p), max_pages)
    text = normalize("\n".join(pages))
    if not text.strip():
        raise NoTextError(
            f"{p}: no text found in the image by OCR; check the image's quality (a scan at "
            "300 dpi reads best), or export the resume as PDF"
        )
    return Document(str(p), text, count, tuple(warnings), engine=OCR_ENGINE, ocr=True)


# -- PDF ------------------------------------------------------------------------


def _pdf_bytes(p: Path, data: bytes) -> tuple[bytes, bool]:
    """The PDF's bytes to read, and whether its header was repaired.

    HTML, or other text, saved as ``.pdf`` is refused here. A header pushed past the
    first 1024 bytes by junk is cut to; a missing or overwritten one is put back, so that
    PDFium opens the file too (whether it holds a PDF at all is for the engines to find).
    """
    head = data[:_MAGIC_WINDOW]
    if _PDF_MAGIC in head:
        return data, False
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype" in lowered or b"<body" in lowered:
        raise _not_a_pdf(p, "HTML")
    late = data.find(_PDF_MAGIC, 0, _HEADER_SEARCH)
    if late >= 0:
        return data[late:], True
    return _REPAIR_HEADER + data, True


def _not_a_pdf(p: Path, kind: str) -> ExtractionError:
    return ExtractionError(
        f"{p}: not a PDF (the file holds {kind}); export the resume as PDF and try again"
    )


@dataclass
class _Read:
    """What one engine read of a PDF."""

    pages: list[str]
    npages: int
    warnings: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(page.strip() for page in self.pages)


def _extract_pdf(
    p: Path,
    data: bytes,
    max_pages: int,
    engine: str,
    ocr: bool = False,
    repaired: bool = False,
) -> Document:
    """Read a PDF with ``engine``; the other engine steps in when it reads no text or cannot
    read the file. The Document records ``engine`` either way (the step-in is a warning):
    ``engine_for`` and a resumed batch key rows by the engine asked for, so a row of a file
    read by the other engine is kept on resume like any other."""
    check_engine(engine)
    other = "pdfium" if engine == "pdfplumber" else "pdfplumber"
    failure: ExtractionError | None = None
    read: _Read | None = None
    try:
        read = _read_pdf(engine, p, data, max_pages, reread_hidden=True)
    except EncryptedFileError:
        raise
    except ExtractionError as exc:
        failure = exc
    if read is None or not read.has_text:
        try:
            # pdfplumber, if it was the first, failed or found nothing: pdfium does not ask it
            # again to leave hidden text out
            alt = _read_pdf(other, p, data, max_pages, reread_hidden=False)
        except ExtractionError:
            alt = None
        # With no text from either, the other's pages still serve when the first read none
        # (a scan pdfminer cannot parse: OCR renders its pages, or the message says scan).
        if alt is not None and (alt.has_text or read is None):
            how = (
                "found no text" if failure is None else f"could not read the file ({_why(failure)})"
            )
            alt.warnings.insert(0, f"{engine} {how}; read with {other}")
            read = alt
    if repaired and read is not None:
        read.warnings.insert(0, "the PDF header is damaged or missing; the file was read anyway")
    if read is None:
        if repaired:
            raise _not_a_pdf(p, "other data") from failure
        assert failure is not None
        raise failure
    return _pdf_document(p, data, read, max_pages, engine, ocr, repaired)


def _why(exc: ExtractionError) -> str:
    """The reason inside an engine's one-line error, without the file name and advice."""
    text = str(exc)
    start, end = text.find("("), text.rfind(")")
    return text[start + 1 : end] if 0 <= start < end else text


def _read_pdf(engine: str, p: Path, data: bytes, max_pages: int, reread_hidden: bool) -> _Read:
    if engine == "pdfplumber":
        from classifier.read.plumber import plumber_pages

        pages, npages, logged = plumber_pages(data, p, max_pages)
        return _Read(pages, npages, logged)
    from classifier.read.pdfium import pdfium_pages

    pages, npages, hidden, notes = pdfium_pages(data, p, max_pages)
    if not hidden:
        return _Read(pages, npages, notes)
    # pdfium gives no per-glyph filtering cheaply: pdfplumber leaves hidden text out.
    if reread_hidden:
        try:
            from classifier.read.plumber import plumber_pages

            plumber = _Read(*plumber_pages(data, p, max_pages))
        except ExtractionError as exc:
            reason = f"pdfplumber could not re-read the file ({_why(exc)})"
        else:
            if plumber.has_text:
                note = "hidden text found: this file was read with pdfplumber to leave it out"
                plumber.warnings.append(note)
                return plumber
            reason = "pdfplumber found no text in it"
    else:
        reason = "pdfplumber (which leaves it out) could not read the file"
    notes.append(f"hidden text found, but {reason}: the hidden text may be counted")
    return _Read(pages, npages, notes)


def _pdf_document(
    p: Path,
    data: bytes,
    read: _Read,
    max_pages: int,
    engine: str,
    ocr: bool = False,
    repaired: bool = False,
) -> Document:
    """Pages joined into one document; with ``ocr``, page breaks are kept for OCR to fill."""
    notes = []
    if read.npages > max_pages:
        notes.append(
            f"read the first {max_pages} of {read.npages} pages; raise the limit with --max-pages"
        )
    warnings = (*notes, *read.warnings)
    if ocr:  # normalised after OCR has filled the empty pages
        return Document(str(p), _PAGE_BREAK.join(read.pages), read.npages, warnings, engine)
    text = normalize("\n".join(read.pages))
    if not text.strip():
        raise _no_text_error(p, data, max_pages, repaired)
    return Document(str(p), text, pages=read.npages, warnings=warnings, engine=engine)


def _no_text_error(p: Path, data: bytes, max_pages: int, repaired: bool) -> ExtractionError:
    """A scan (pages that hold images) is told to use --ocr; anything else is empty or damaged."""
    from classifier.read.pdfium import count_images

    images = count_images(data, max_pages)
    if images:
        return NoTextError(
            f"{p}: no extractable text: it looks like a scan; run again with --ocr "
            "(or export the resume from its original document)"
        )
    if repaired:
        return _not_a_pdf(p, "other data")
    return NoTextError(
        f"{p}: no text layer and no images: the PDF is empty or damaged; re-export it "
        "from the original document"
    )
