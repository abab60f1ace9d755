"""Word files (.docx) -> text, in reading order; one-line errors for what we cannot read.

python-docx opens the package (zip, content types, relationships); the text is
read by walking the XML ourselves, because ``Paragraph.text`` misses runs inside
content controls (``w:sdt``), tracked insertions and smart tags, which resume
templates use a lot. Body paragraphs and tables come in document order; tables
row by row through python-docx's cells, each merged cell once (keyed by its
``w:tc`` element); text boxes (``w:txbxContent``) after the paragraph that
anchors them, reading only the ``mc:Choice`` of each ``mc:AlternateContent`` so
Word's VML fallback copy is not read twice; the headers and footers of every
section, once each. Legacy formats (.doc, .rtf, .odt, .pages) get a one-line
error saying how to convert them.
"""

from __future__ import annotations

import io
import shlex
import zipfile
from pathlib import Path
from typing import Any

from classifier.config import (
    DOCX_ENGINE,
    DOCX_MAX_UNPACKED_MB,
    LEGACY_FORMATS,
    READ_SUFFIXES,
)
from classifier.errors import (
    EncryptedFileError,
    ExtractionError,
    LegacyFormatError,
    NoTextError,
    ResourceLimitError,
    describe,
)
from classifier.read.normalize import normalize
from classifier.results import Document

__all__ = ["LEGACY_FORMATS", "docx_document", "docx_text", "legacy_format_error"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ZIP_MAGIC = b"PK\x03\x04"
#: OLE compound file: a legacy .doc, or an encrypted Office file of any kind.
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STRICT_NS = b"purl.oclc.org/ooxml"
_LEGACY_LABELS = {
    ".doc": "Word 97-2003 (.doc)",
    ".rtf": "RTF (.rtf)",
    ".odt": "OpenDocument (.odt)",
    ".pages": "Apple Pages (.pages)",
}
#: Run content that stands for a character.
_INLINE_CHARS = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
#: Subtrees that hold no visible text of their own (deleted or moved-away text, properties).
_SKIPPED = frozenset(
    f"{_W}{tag}" for tag in ("del", "moveFrom", "rPr", "pPr", "instrText", "delText", "sectPr")
)
#: Block-level wrappers whose children are paragraphs and tables.
_BLOCK_WRAPPERS = frozenset(f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "ins"))


def legacy_format_error(name: str, suffix: str | None = None) -> LegacyFormatError:
    """The one-line error for a .doc/.rtf/.odt/.pages file.

    ``suffix`` is the format found in the content when the name says otherwise
    (a .doc saved as ``resume.docx``); it defaults to the name's suffix.
    """
    named = Path(name).suffix.lower()
    kind = (suffix or named).lower()
    label = _LEGACY_LABELS.get(kind, kind or "this kind of")
    if kind != named:
        what = f"despite its name the file is a {label} file, which is not read"
        how = "open it in Word or LibreOffice and save it as .docx or PDF"
    elif kind == ".pages":
        what, how = f"{label} files are not read", "in Pages, use File > Export To > Word or PDF"
    else:
        what = f"{label} files are not read"
        target = shlex.quote(name) if name.isprintable() else "FILE"
        how = (
            f"convert it with `libreoffice --headless --convert-to docx {target}`, "
            "or open it and Save As .docx or PDF"
        )
    return LegacyFormatError(
        f"{name}: {what} (resume-role reads {', '.join(READ_SUFFIXES)}); {how}"
    )


def docx_document(data: bytes, name: str) -> Document:
    """A .docx file's content -> normalised :class:`Document` (engine ``python-docx``)."""
    raw, warnings = _read(data, name)
    text = normalize(raw)
    if not text.strip():
        raise NoTextError(
            f"{name}: the Word file holds no text; if the resume is a picture inside it, "
            "export it as PDF and read it with OCR"
        )
    return Document(name, text, pages=0, warnings=tuple(warnings), engine=DOCX_ENGINE)


def docx_text(data: bytes, name: str) -> str:
    """Raw text of a .docx: headers, body (paragraphs, tables, text boxes), footers.

    Not normalised (the caller runs :func:`classifier.text.normalize`). Raises a
    one-line :class:`ExtractionError` naming ``name`` for anything unreadable.
    """
    return _read(data, name)[0]


def _read(data: bytes, name: str) -> tuple[str, list[str]]:
    _check_package(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        warnings: list[str] = []
        if document.element.body.find(f".//{_W}altChunk") is not None:
            warnings.append(
                "the document embeds chunks of another format (altChunk) that are not read; "
                "open it in Word and save it again for a complete reading"
            )
        return _document_text(document), warnings
    except Exception as exc:  # python-docx and lxml do not wrap their failures
        if isinstance(exc, MemoryError):
            raise
        raise ExtractionError(
            f"{name}: cannot read the Word file ({describe(exc)}); it may be damaged: "
            "open it in Word and save it again as .docx, or export it as PDF"
        ) from exc


def _check_package(data: bytes, name: str) -> None:
    """Fail early, with a precise line, on what is not a readable .docx package."""
    head = data[:1024]
    if head.startswith(_CFB_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFileError(
                f"{name}: the Word file is password-protected; save a copy without the "
                "password (File > Info > Protect Document) and try again"
            )
        raise legacy_format_error(name, ".doc")
    if not head.startswith(_ZIP_MAGIC):
        if head.lstrip().startswith(b"{\\rtf"):
            raise legacy_format_error(name, ".rtf")
        if b"%PDF-" in head:
            kind = "a PDF: rename it to .pdf"
        elif b"<html" in head.lower() or b"<!doctype" in head.lower():
            kind = "HTML: save the resume from Word as .docx or PDF"
        else:
            kind = "other data: save the resume from Word as .docx or PDF"
        raise ExtractionError(f"{name}: not a Word .docx file (it holds {kind})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            rels = package.read("_rels/.rels") if "_rels/.rels" in package.namelist() else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ExtractionError(
            f"{name}: the Word file is damaged or truncated ({exc}); "
            "open it in Word and save it again, or export it as PDF"
        ) from exc
    if unpacked > DOCX_MAX_UNPACKED_MB * 1024 * 1024:
        raise ResourceLimitError(
            f"{name}: the Word file unpacks to {unpacked / 1024 / 1024:.0f} MB, over the "
            f"{DOCX_MAX_UNPACKED_MB} MB limit; export the resume as PDF"
        )
    if _STRICT_NS in rels:
        raise ExtractionError(
            f"{name}: the file is saved as 'Strict Open XML', which is not read; "
            "in Word, Save As 'Word Document (.docx)' or PDF"
        )


def _document_text(document: Any) -> str:
    """Headers of every section, the body, then footers of every section; each part once."""
    headers: list[str] = []
    footers: list[str] = []
    seen_parts: set[Any] = set()
    related = document.part.related_parts
    for section in document.sections:
        for ref in section._sectPr:
            tag = ref.tag.removeprefix(_W)
            if tag not in ("headerReference", "footerReference"):
                continue
            part = related.get(ref.get(_R_ID))
            if part is None or part in seen_parts:
                continue
            seen_parts.add(part)
            text = "\n".join(_blocks(part.element)).strip("\n")
            target = headers if tag == "headerReference" else footers
            if text.strip() and text not in headers and text not in footers:
                target.append(text)
    body = _blocks(document.element.body)
    return "\n".join([*headers, *body, *footers])


def _blocks(container: Any) -> list[str]:
    """Lines of a block container (body, cell, header, text box) in document order."""
    lines: list[str] = []
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            text_parts: list[str] = []
            boxes: list[Any] = []
            _inline(child, text_parts, boxes)
            lines.append("".join(text_parts))
            for box in boxes:
                lines.extend(_blocks(box))
        elif tag == f"{_W}tbl":
            lines.extend(_table(child))
        elif tag in _BLOCK_WRAPPERS:
            lines.extend(_blocks(child))
        elif tag == f"{_MC}AlternateContent":
            lines.extend(_blocks(_alternative(child)))
    return lines


def _inline(element: Any, out: list[str], boxes: list[Any]) -> None:
    """Append the text of a paragraph's runs to ``out``; collect its text boxes in ``boxes``."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue  # comments and processing instructions have a non-str tag
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag in _INLINE_CHARS:
            out.append(_INLINE_CHARS[tag])
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag == f"{_MC}AlternateContent":
            _inline(_alternative(child), out, boxes)
        else:
            _inline(child, out, boxes)


def _alternative(alternate: Any) -> Any:
    """The first ``mc:Choice`` of an ``mc:AlternateContent`` (else its fallback): one copy."""
    for tag in ("Choice", "Fallback"):
        found = alternate.find(f"{_MC}{tag}")
        if found is not None:
            return found
    return alternate


def _table(tbl: Any) -> list[str]:
    """A table row by row; a row of one-line cells as ``a | b``, else each cell's lines."""
    from docx.table import Table, _Row

    table = Table(tbl, None)  # type: ignore[arg-type]  # the parent only serves styles
    # Elements themselves, not id()s: lxml proxies are recreated (and ids reused) once dropped.
    seen: set[Any] = set()
    lines: list[str] = []
    direct_rows = set(tbl.tr_lst)
    rows = tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr")
    for tr in rows:
        tcs = _row_cells(tr, table, _Row) if tr in direct_rows else None
        if tcs is None:  # a row python-docx cannot lay out: each w:tc once, as written
            tcs = [tc for tc in tr.iter(f"{_W}tc") if _owning_row(tc) is tr]
        cells: list[list[str]] = []
        for tc in tcs:
            if tc in seen:  # a merged cell comes back once per grid column or row
                continue
            seen.add(tc)
            cell_lines = [line for line in _blocks(tc) if line.strip()]
            if cell_lines:
                cells.append(cell_lines)
        if all(len(c) == 1 and "\n" not in c[0] for c in cells):
            if cells:
                lines.append(" | ".join(c[0].strip() for c in cells))
        else:
            for c in cells:
                lines.extend(c)
    return lines


def _row_cells(tr: Any, table: Any, row_cls: Any) -> list[Any] | None:
    """The row's ``w:tc`` elements through python-docx (merged cells repeated), or None."""
    try:
        return [cell._tc for cell in row_cls(tr, table).cells]
    except (ValueError, IndexError, AttributeError):  # e.g. a vMerge "continue" in row one
        return None


def _owning_row(tc: Any) -> Any:
    """The ``w:tr`` a cell belongs to (its nearest row ancestor)."""
    parent = tc.getparent()
    while parent is not None and parent.tag != f"{_W}tr":
        parent = parent.getparent()
    return parent
