"""File -> :class:`Document`: read a resume's text, or fail with one clear line.

PDFs are read with pdfplumber page by page (each page closed after use, which
keeps a long file's memory flat); ``.txt`` and ``.md`` are read as UTF-8.
pdfminer's log messages become the document's warnings instead of reaching the
terminal, and every exception from the PDF stack becomes an
:class:`~classifier.errors.ExtractionError` that names the file and what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from classifier.config import (
    DEFAULT_ENGINE,
    DOCX_ENGINE,
    DOCX_SUFFIXES,
    ENGINES,
    LEGACY_FORMATS,
    MAX_FILE_MB,
    MAX_PAGES,
    PDF_SUFFIXES,
    READ_SUFFIXES,
    TEXT_ENGINE,
)
from classifier.errors import (
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


def extract(
    path: str | os.PathLike[str],
    *,
    max_pages: int = MAX_PAGES,
    max_mb: float = MAX_FILE_MB,
    engine: str = DEFAULT_ENGINE,
) -> Document:
    """Read one resume file into a normalised :class:`Document` (in this process)."""
    p = Path(path)
    return extract_bytes(read_file(p, max_mb=max_mb), str(p), max_pages, engine)


def read_file(p: Path, *, max_mb: float = MAX_FILE_MB) -> bytes:
    """A resume file's bytes, after checking its type and size; one-line errors otherwise."""
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
    """``"pdf"``, ``"docx"`` or ``"text"`` for a file type we read; a one-line error otherwise."""
    suffix = p.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in LEGACY_FORMATS:
        from classifier.read.docx import legacy_format_error

        raise legacy_format_error(str(p))
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{p}: unsupported file type {p.suffix.lower() or '(none)'!r}; resume-role reads "
            f"{', '.join(SUPPORTED_SUFFIXES)}: export the resume as PDF"
        )
    return "text"


def engine_for(name: str, engine: str = DEFAULT_ENGINE) -> str:
    """The engine a file of this name is read with, as its :class:`Document` records it:
    ``engine`` for a PDF, python-docx for Word, ``text`` for the rest (and for files that
    are refused before reading)."""
    suffix = Path(name).suffix.lower()
    if suffix in PDF_SUFFIXES:
        return engine
    return DOCX_ENGINE if suffix in DOCX_SUFFIXES else TEXT_ENGINE


def extract_bytes(
    data: bytes,
    name: str,
    max_pages: int = MAX_PAGES,
    engine: str = DEFAULT_ENGINE,
    ocr: bool = False,
) -> Document:
    """A file's content (``name`` gives its type and is used in messages) -> Document.

    With ``ocr``, PDF pages without a text layer are rendered and read by Tesseract.
    """
    p = Path(name)
    kind = check_suffix(p)
    if not data:
        raise ExtractionError(f"{p}: the file is empty (0 bytes); export the resume again")
    if kind == "pdf":
        doc = _extract_pdf(p, data, max_pages, engine, ocr)
        return _with_ocr(doc, data, max_pages) if ocr else doc
    if kind == "docx":
        from classifier.read.docx import docx_document

        return docx_document(data, str(p))
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


def _extract_text(p: Path, raw: bytes) -> Document:
    warnings: list[str] = []
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warnings.append(
            f"invalid UTF-8 at byte {exc.start}: undecodable bytes were replaced; "
            "save the file as UTF-8 for an exact reading"
        )
        decoded = raw.decode("utf-8-sig", errors="replace")
    text = normalize(decoded)
    if not text.strip():
        raise NoTextError(f"{p}: the file holds no text; check that it is the right file")
    return Document(str(p), text, pages=0, warnings=tuple(warnings), engine=TEXT_ENGINE)


def _extract_pdf(p: Path, data: bytes, max_pages: int, engine: str, ocr: bool = False) -> Document:
    head = data[:_MAGIC_WINDOW]
    if _PDF_MAGIC not in head:
        kind = "HTML" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "other data"
        raise ExtractionError(
            f"{p}: not a PDF (the file holds {kind}); export the resume as PDF and try again"
        )
    if engine == "pdfium":
        from classifier.read.pdfium import pdfium_pages

        pages_text, npages, hidden = pdfium_pages(data, p, max_pages)
        if not hidden:
            return _pdf_document(p, pages_text, npages, max_pages, [], engine, ocr)
        # pdfium gives no per-glyph filtering cheaply: pdfplumber leaves hidden text out.
        doc = _extract_pdf(p, data, max_pages, "pdfplumber", ocr)
        note = "hidden text found: this file was read with pdfplumber to leave it out"
        return Document(doc.source, doc.text, doc.pages, (*doc.warnings, note), engine)
    if engine != "pdfplumber":
        check_engine(engine)
    from classifier.read.plumber import plumber_pages

    pages_text, npages, logged = plumber_pages(data, p, max_pages)
    return _pdf_document(p, pages_text, npages, max_pages, logged, engine, ocr)


def _pdf_document(
    p: Path,
    pages_text: list[str],
    npages: int,
    max_pages: int,
    logged: list[str],
    engine: str,
    ocr: bool = False,
) -> Document:
    """Pages joined into one document; with ``ocr``, page breaks are kept for OCR to fill."""
    notes = []
    if npages > max_pages:
        notes.append(
            f"read the first {max_pages} of {npages} pages; raise the limit with --max-pages"
        )
    if ocr:  # normalised after OCR has filled the empty pages
        return Document(str(p), _PAGE_BREAK.join(pages_text), npages, (*notes, *logged), engine)
    text = normalize("\n".join(pages_text))
    if not text.strip():
        raise NoTextError(
            f"{p}: no extractable text: it looks like a scan; run again with --ocr "
            "(or export the resume from its original document)"
        )
    return Document(str(p), text, pages=npages, warnings=tuple(notes + logged), engine=engine)
