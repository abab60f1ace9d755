"""Extraction: golden text for fixture PDFs, the measured PDF problems, and every error case."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import extract
from classifier.errors import (
    ClassifierError,
    EncryptedFileError,
    ExtractionError,
    InputNotFoundError,
    NoTextError,
    UnsupportedFormatError,
)

from .conftest import EXAMPLES, FIXTURES, PDF
from .fixtures.update_golden import GOLDEN_PDFS

GOLDEN = sorted((FIXTURES / "golden").glob("*.txt"))


def test_golden_files_exist() -> None:
    assert {p.stem for p in GOLDEN} == set(GOLDEN_PDFS)


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_pdf_text_matches_golden(golden: Path, engine: str) -> None:
    """Both engines give the golden text: pdfium is batch's default, pdfplumber the reference."""
    doc = extract(PDF / f"{golden.stem}.pdf", engine=engine)
    assert doc.text + "\n" == golden.read_text(encoding="utf-8")
    assert doc.engine == engine


@pytest.mark.parametrize("sample", ["engineer_resume.pdf", "scientist_resume.pdf"])
def test_engines_agree_on_the_samples(sample: str) -> None:
    plumber = extract(EXAMPLES / sample, engine="pdfplumber")
    pdfium = extract(EXAMPLES / sample, engine="pdfium")
    assert plumber.text == pdfium.text and plumber.pages == pdfium.pages


def test_two_columns_are_read_one_after_the_other() -> None:
    text = extract(PDF / "two_column.pdf").text
    lines = text.splitlines()
    # Naive extraction puts "SKILLS EXPERIENCE" and "Python Senior Machine ..." on one line.
    assert "SKILLS" in lines and "EXPERIENCE" in lines
    assert "scikit-learn" in lines
    assert lines.index("SKILLS") < lines.index("EXPERIENCE")
    assert lines[0] == "Priya Raman"  # full-width header first


def test_latex_words_stay_apart_and_bullets_vanish() -> None:
    text = extract(PDF / "latex_resume.pdf").text
    assert "machine learning research scientist" in text
    assert "(cid:" not in text
    assert "development" in text  # "develop-\nment" joined


def test_faux_bold_is_deduplicated() -> None:
    text = extract(PDF / "faux_bold.pdf").text
    assert "Profile" in text.splitlines()
    assert "PPrr" not in text and "EExx" not in text


def test_ligatures_become_letters() -> None:
    text = extract(PDF / "ligature.pdf").text
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "fine-tuning" in text and "workflow" in text


def test_multipage_counts_pages_and_joins_hyphenation() -> None:
    doc = extract(PDF / "multipage.pdf")
    assert doc.pages == 3
    assert "develop-\nment" not in doc.text and "development" in doc.text


def test_owner_password_only_opens() -> None:
    assert "Research Scientist" in extract(PDF / "owner_only.pdf").text


@pytest.mark.parametrize(
    ("name", "error", "hint"),
    [
        ("empty.pdf", ExtractionError, "empty"),
        ("not_a_pdf.pdf", ExtractionError, "not a PDF"),
        ("truncated.pdf", ExtractionError, "re-export"),
        ("encrypted.pdf", EncryptedFileError, "password"),
        ("scanned.pdf", NoTextError, "--ocr"),
    ],
)
def test_bad_pdfs_give_one_line_naming_the_file(name: str, error: type, hint: str) -> None:
    with pytest.raises(error) as info:
        extract(PDF / name)
    message = str(info.value)
    assert str(PDF / name) in message
    assert hint in message
    assert "\n" not in message
    assert isinstance(info.value, ClassifierError)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no such file"):
        extract(tmp_path / "nope.pdf")
    folder = tmp_path / "dir.pdf"
    folder.mkdir()
    with pytest.raises(InputNotFoundError, match="batch"):
        extract(folder)
    assert issubclass(InputNotFoundError, FileNotFoundError)


def test_unsupported_suffix(tmp_path: Path) -> None:
    doc = tmp_path / "resume.doc"
    doc.write_bytes(b"x")
    with pytest.raises(UnsupportedFormatError, match=r"\.doc"):
        extract(doc)


def test_text_and_markdown() -> None:
    txt = extract(FIXTURES / "text" / "sample.txt")
    md = extract(FIXTURES / "text" / "sample.md")
    assert txt.engine == "text" and txt.pages == 0
    assert "Kubernetes" in txt.text and "Kubernetes" in md.text


def test_invalid_utf8_is_a_warning_with_the_offset(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    raw = b"Machine learning engineer\x00 with Kubernetes \xff\xfe and MLflow"
    f.write_bytes(raw)
    doc = extract(f)
    assert "Kubernetes" in doc.text and "\x00" not in doc.text
    offset = raw.index(b"\xff")
    assert any(f"byte {offset}" in w for w in doc.warnings)


def test_blank_text_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "blank.md"
    f.write_text("  \n\t\n")
    with pytest.raises(NoTextError):
        extract(f)
