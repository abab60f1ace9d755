"""Word files: reading order, tables, merged cells, headers and footers, text boxes, errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml

from classifier import classify
from classifier.config import READ_SUFFIXES
from classifier.errors import (
    ClassifierError,
    EncryptedFileError,
    ExtractionError,
    LegacyFormatError,
    NoTextError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.read import docx as word
from classifier.read.docx import LEGACY_FORMATS, docx_document, docx_text, legacy_format_error
from classifier.read.normalize import normalize
from classifier.results import Document

from .conftest import EXAMPLES, FIXTURES
from .fixtures.make_office_fixtures import text_box_run

DOCX = FIXTURES / "docx"
SAMPLES = ("engineer", "scientist")
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def to_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def lines_of(document: Any) -> list[str]:
    return normalize(docx_text(to_bytes(document), "t.docx")).splitlines()


def source_lines(sample: str) -> list[str]:
    """The example's non-blank lines, bullets without "- " (Word's bullets are a style)."""
    text = (EXAMPLES / f"{sample}_resume.txt").read_text(encoding="utf-8")
    return [normalize(line.removeprefix("- ")) for line in text.splitlines() if line.strip()]


# --- the fixtures ---------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES)
def test_paragraph_fixture_reads_every_line_in_order(sample: str) -> None:
    text = normalize(docx_text((DOCX / f"{sample}_paragraphs.docx").read_bytes(), "p.docx"))
    assert [line for line in text.splitlines() if line] == source_lines(sample)


@pytest.mark.parametrize("sample", SAMPLES)
def test_table_fixture_reads_every_line_once(sample: str) -> None:
    text = normalize(docx_text((DOCX / f"{sample}_table.docx").read_bytes(), "t.docx"))
    assert sorted(line for line in text.splitlines() if line) == sorted(source_lines(sample))


def test_table_fixture_layout_order() -> None:
    lines = normalize(
        docx_text((DOCX / "engineer_table.docx").read_bytes(), "engineer_table.docx")
    ).splitlines()
    assert lines[0] == "Daniel Reyes"  # the page header comes first
    assert lines[-1].startswith("San Francisco, CA | daniel.reyes@example.com")  # the footer last
    assert lines[1] == "SUMMARY"  # the merged top row, once
    assert lines.count("SUMMARY") == 1
    # left column (skills, education) before the right one (experience), text box after the table
    order = ["TECHNICAL SKILLS", "EDUCATION", "PROFESSIONAL EXPERIENCE", "ADDITIONAL INFORMATION"]
    assert [lines.index(h) for h in order] == sorted(lines.index(h) for h in order)
    assert lines.count("ADDITIONAL INFORMATION") == 1  # wps text box read, VML fallback not


@pytest.mark.parametrize("layout", ["paragraphs", "table"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_docx_agrees_with_pdf(sample: str, layout: str, model: ScoringModel) -> None:
    name = f"{sample}_{layout}.docx"
    from_word = explain(
        Document(name, normalize(docx_text((DOCX / name).read_bytes(), name))), model
    )
    from_pdf = classify(EXAMPLES / f"{sample}_resume.pdf", model)
    assert from_word.label == from_pdf.label == sample
    assert abs(from_word.scientist_probability - from_pdf.scientist_probability) <= 0.05


def test_docx_document_is_normalised() -> None:
    document = docx_document((DOCX / "scientist_table.docx").read_bytes(), "s.docx")
    assert document.engine == "python-docx" and document.source == "s.docx"
    assert document.text == normalize(document.text) and "  " not in document.text


# --- tables ---------------------------------------------------------------------------------


def test_merged_cells_are_read_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    wide = table.cell(0, 0).merge(table.cell(0, 1))  # horizontal span
    wide.text = "Kubernetes and Docker"
    tall = table.cell(0, 2).merge(table.cell(1, 2))  # vertical span
    tall.text = "PyTorch"
    table.cell(1, 0).text, table.cell(1, 1).text = "MLflow", "Airflow"
    table.cell(2, 0).text, table.cell(2, 2).text = "Spark", "Kafka"
    assert lines_of(document) == [
        "Kubernetes and Docker | PyTorch",
        "MLflow | Airflow",
        "Spark | Kafka",
    ]


def test_cells_of_several_lines_and_nested_tables_keep_their_order() -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    outer = document.add_table(rows=1, cols=2)
    left, right = outer.cell(0, 0), outer.cell(0, 1)
    left.text = "SKILLS"
    left.add_paragraph("Python, SQL")
    right.text = "EXPERIENCE"
    inner = right.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "2021", "Deployed models on Kubernetes"
    right.add_paragraph("Built CI/CD")
    document.add_paragraph("After")
    assert [line for line in lines_of(document) if line] == [
        "Before",
        "SKILLS",
        "Python, SQL",
        "EXPERIENCE",
        "2021 | Deployed models on Kubernetes",
        "Built CI/CD",
        "After",
    ]


def test_a_table_python_docx_cannot_lay_out_is_still_read() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "a", (0, 1): "b", (1, 0): "c", (1, 1): "d"}.items():
        table.cell(r, c).text = text
    table.cell(0, 0)._tc.vMerge = "continue"  # a continued merge with nothing above it
    assert lines_of(document) == ["a | b", "c | d"]


# --- headers, footers, text boxes, inline wrappers ------------------------------------------


def test_headers_and_footers_of_every_section_once() -> None:
    document = docx.Document()
    first = document.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "First page header"
    first.header.paragraphs[0].text = "Running header"
    first.footer.paragraphs[0].text = "Footer"
    document.add_paragraph("Body one")
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "Second section header"
    document.add_paragraph("Body two")  # the second section's footer is linked: read once
    lines = [line for line in lines_of(document) if line]
    assert sorted(lines[:3]) == ["First page header", "Running header", "Second section header"]
    assert lines[3:] == ["Body one", "Body two", "Footer"]


def test_text_box_is_read_once_after_its_paragraph() -> None:
    document = docx.Document()
    anchor = document.add_paragraph("Before the box")
    anchor._p.append(text_box_run(["Boxed: Kubernetes & Docker", "second line"]))
    document.add_paragraph("After the box")
    assert [line for line in lines_of(document) if line] == [
        "Before the box",
        "Boxed: Kubernetes & Docker",
        "second line",
        "After the box",
    ]


def test_runs_inside_content_controls_insertions_and_links_are_read() -> None:
    document = docx.Document()
    paragraph = parse_xml(
        f'<w:p {W_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<w:r><w:t>Deployed</w:t></w:r>"
        "<w:sdt><w:sdtContent>"
        '<w:r><w:t xml:space="preserve"> models</w:t></w:r>'
        "</w:sdtContent></w:sdt>"
        '<w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> on</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText> nowhere</w:delText></w:r></w:del>'
        '<w:hyperlink r:id="rId99">'
        '<w:r><w:t xml:space="preserve"> Kubernetes</w:t></w:r>'
        "</w:hyperlink>"
        "<w:r><w:tab/><w:t>CI</w:t><w:noBreakHyphen/><w:t>CD</w:t><w:br/><w:t>next</w:t></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r>"
        "</w:p>"
    )
    block = parse_xml(
        f"<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>In a block control</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    body = document.element.body
    body.insert(0, block)
    body.insert(0, paragraph)
    assert [line for line in lines_of(document) if line] == [
        "Deployed models on Kubernetes CI-CD",
        "next",
        "In a block control",
    ]


# --- errors ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for member, content in members.items():
            z.writestr(member, content)
    return buffer.getvalue()


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {info.filename: z.read(info.filename) for info in z.infolist()}
    members[member] = content
    return _zip(members)


_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
GOOD = (DOCX / "engineer_paragraphs.docx").read_bytes() if DOCX.exists() else b""

BAD_FILES: dict[str, tuple[bytes, type[Exception], str]] = {
    "random": (b"\x00\x01 these are not the bytes of a Word file", ExtractionError, "not a Word"),
    "pdf": (b"%PDF-1.7\n...", ExtractionError, "rename it to .pdf"),
    "html": (b"<!DOCTYPE html><html>resume</html>", ExtractionError, "HTML"),
    "truncated": (GOOD[: len(GOOD) // 2], ExtractionError, "damaged or truncated"),
    "zip of other files": (_zip({"a.txt": b"hello"}), ExtractionError, "cannot read the Word"),
    "broken xml": (
        _replace_member(GOOD, "word/document.xml", b"<w:document><w:body"),
        ExtractionError,
        "cannot read the Word file",
    ),
    "strict ooxml": (
        _replace_member(GOOD, "_rels/.rels", b"<Relationships purl.oclc.org/ooxml/>"),
        ExtractionError,
        "Strict Open XML",
    ),
    "encrypted": (_CFB + "EncryptedPackage".encode("utf-16-le"), EncryptedFileError, "password"),
    "legacy doc": (_CFB + "WordDocument".encode("utf-16-le"), LegacyFormatError, "97-2003"),
    "rtf": (b"{\\rtf1\\ansi resume}", LegacyFormatError, "RTF (.rtf) file"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_unreadable_docx_gives_one_line_naming_the_file(case: str) -> None:
    data, kind, hint = BAD_FILES[case]
    with pytest.raises(kind) as info:
        docx_text(data, "cv folder/resume.docx")
    message = str(info.value)
    assert isinstance(info.value, ClassifierError) and isinstance(info.value, ValueError)
    assert message.startswith("cv folder/resume.docx: ") and "\n" not in message
    assert hint in message


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word, "DOCX_MAX_UNPACKED_MB", 0.1)
    with pytest.raises(ResourceLimitError, match=r"r\.docx: the Word file unpacks to .* limit"):
        docx_text(GOOD, "r.docx")


def test_empty_word_file_has_no_text() -> None:
    with pytest.raises(NoTextError, match=r"e\.docx: the Word file holds no text"):
        docx_document(to_bytes(docx.Document()), "e.docx")


@pytest.mark.parametrize("suffix", LEGACY_FORMATS)
def test_legacy_formats_get_one_line_with_the_conversion(suffix: str) -> None:
    name = f"my cv{suffix}"
    error = legacy_format_error(name)
    message = str(error)
    assert isinstance(error, LegacyFormatError) and isinstance(error, UnsupportedFormatError)
    assert isinstance(error, ValueError)
    assert message.startswith(f"{name}: ") and f"({suffix}) files are not read" in message
    assert f"(resume-role reads {', '.join(READ_SUFFIXES)})" in message and "\n" not in message
    assert ".pdf, .docx" in message
    if suffix == ".pages":
        assert message.endswith("in Pages, use File > Export To > Word or PDF")
    else:
        assert f"`libreoffice --headless --convert-to docx 'my cv{suffix}'`" in message
        assert message.endswith("or open it and Save As .docx or PDF")


def test_legacy_content_under_a_docx_name_says_so() -> None:
    message = str(legacy_format_error("cv.docx", ".doc"))
    assert message.startswith("cv.docx: despite its name the file is a Word 97-2003 (.doc) file")
    assert "libreoffice" not in message  # converting cv.docx to docx would overwrite it
    assert message.endswith("open it in Word or LibreOffice and save it as .docx or PDF")


def test_legacy_formats_cover_the_common_word_processors() -> None:
    assert set(LEGACY_FORMATS) == {".doc", ".rtf", ".odt", ".pages"}
    assert Path("x.DOC").suffix.lower() in LEGACY_FORMATS
