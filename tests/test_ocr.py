"""OCR of image-only PDFs: agreement with the text layer, word error rate, failures, Tesseract."""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from classifier import classify
from classifier.errors import (
    ClassifierError,
    EncryptedFileError,
    ExtractionError,
    OcrError,
    OcrUnavailableError,
    ResourceLimitError,
)
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.read import ocr as ocr_module
from classifier.read.guard import ReadOptions, run_guarded
from classifier.read.normalize import normalize
from classifier.read.ocr import ocr_allowance_s, ocr_pages, ocr_pdf, parse_tsv
from classifier.results import Document

from .conftest import EXAMPLES, FIXTURES, PDF

SCANNED = FIXTURES / "scanned"
SAMPLES = ("engineer", "scientist")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr / brew install tesseract)",
)


def words(text: str) -> list[str]:
    """Lower-cased words without punctuation, for the word error rate."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w\s]|_", " ", text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance (substitutions, insertions, deletions) / reference words."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / max(len(ref), 1)


@pytest.fixture(scope="module")
def ocr_results() -> dict[str, tuple[str, list[str]]]:
    """OCR of each scanned fixture, once for the module (about 4 s a page)."""
    return {
        sample: ocr_pdf((SCANNED / f"{sample}_resume.pdf").read_bytes(), sample, None, 30)
        for sample in SAMPLES
    }


@pytest.mark.parametrize("sample", SAMPLES)
def test_scanned_fixtures_have_no_text_layer(sample: str) -> None:
    with pdfplumber.open(SCANNED / f"{sample}_resume.pdf") as pdf:
        assert len(pdf.pages) == 2
        assert all(not page.chars and page.images for page in pdf.pages)


@pytest.mark.heavy  # about 8 s of tesseract
@needs_tesseract
@pytest.mark.parametrize("sample", SAMPLES)
def test_ocr_agrees_with_the_text_layer(
    sample: str, ocr_results: dict[str, tuple[str, list[str]]], model: ScoringModel
) -> None:
    text, _ = ocr_results[sample]
    from_scan = explain(Document(f"{sample}.pdf", normalize(text)), model)
    from_pdf = classify(EXAMPLES / f"{sample}_resume.pdf", model)
    assert from_scan.label == from_pdf.label == sample
    assert abs(from_scan.scientist_probability - from_pdf.scientist_probability) <= 0.1


@pytest.mark.heavy
@needs_tesseract
@pytest.mark.parametrize("sample", SAMPLES)
def test_ocr_word_error_rate(sample: str, ocr_results: dict[str, tuple[str, list[str]]]) -> None:
    text, warnings = ocr_results[sample]
    source = (EXAMPLES / f"{sample}_resume.txt").read_text(encoding="utf-8")
    assert word_error_rate(source, text) <= 0.05  # measured: about 0.01
    assert warnings[0].startswith("OCR: 2 page(s) without a text layer read with Tesseract")


def test_word_error_rate_counts_edits() -> None:
    assert word_error_rate("Deployed models, on K8s.", "deployed MODELS on k8s") == 0.0
    assert word_error_rate("a b c d", "a x c") == 0.5  # one substitution, one deletion


@pytest.mark.heavy  # about 4 s of tesseract
@needs_tesseract
def test_chosen_pages_only_and_the_page_limit() -> None:
    data = (SCANNED / "engineer_resume.pdf").read_bytes()
    texts, _ = ocr_pages(data, "e.pdf", [1, 7], 30)  # page 8 does not exist: ignored
    assert list(texts) == [1] and "PROJECTS" in texts[1]
    texts, warnings = ocr_pages(data, "e.pdf", None, 1)
    assert list(texts) == [0] and "Daniel Reyes" in texts[0]
    assert "OCR read the first 1 pages only; raise the limit with --max-pages" in warnings


def test_parse_tsv_keeps_lines_and_paragraphs() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t9\t9\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\tMachine",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t93.5\tLearning",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t90\tEngineer",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t80\tKubernetes",
        "5\t1\t2\t1\t1\t2\t0\t0\t9\t9\t95\t ",
    ]
    text, confidence = parse_tsv("\n".join([header, *rows]))
    assert text == "Machine Learning\nEngineer\n\nKubernetes"
    assert confidence == pytest.approx(90.0)
    assert parse_tsv(header) == ("", None)


def test_allowance_grows_with_pages() -> None:
    assert ocr_allowance_s(0) == 0
    assert ocr_allowance_s(3) == 3 * ocr_module.OCR_PAGE_ALLOWANCE_S


# --- Tesseract absent, failing, slow: a fake program on the PATH ----------------------------


def test_missing_tesseract_gives_install_instructions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract anywhere
    assert shutil.which("tesseract") is None
    with pytest.raises(OcrUnavailableError) as info:
        ocr_pdf((SCANNED / "engineer_resume.pdf").read_bytes(), "scan.pdf", None, 30)
    message = str(info.value)
    assert isinstance(info.value, ClassifierError) and isinstance(info.value, RuntimeError)
    assert message.startswith("scan.pdf: OCR needs the Tesseract program") and "\n" not in message
    assert "apt-get install tesseract-ocr" in message and "brew install tesseract" in message


def fake_tesseract(folder: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """Put a shell script named tesseract first on the PATH."""
    script = folder / "tesseract"
    script.write_text(f"#!/bin/sh\ncat > /dev/null\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


TSV_OK = (
    "printf 'level\\tp\\tb\\tpar\\tl\\tw\\tx\\ty\\tw\\th\\tconf\\ttext\\n"
    "5\\t1\\t1\\t1\\t1\\t1\\t0\\t0\\t1\\t1\\t30\\tKubernetes\\n'"
)


def test_tesseract_runs_on_one_thread_and_poor_pages_are_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(
        tmp_path, monkeypatch, f'echo "$OMP_THREAD_LIMIT $*" >> {tmp_path}/calls\n{TSV_OK}'
    )
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    text, warnings = ocr_pdf((SCANNED / "engineer_resume.pdf").read_bytes(), "s.pdf", None, 30)
    assert text == "Kubernetes\nKubernetes"
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls == ["1 stdin stdout -l eng --psm 3 tsv"] * 2
    assert any(w.startswith("page 2: OCR confidence is low (30%)") for w in warnings)


def test_failing_tesseract_on_every_page_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path, monkeypatch, "echo 'Error: bad image' >&2; exit 3")
    with pytest.raises(OcrError, match=r"^s\.pdf: OCR failed on every page \(page 1: Tesseract"):
        ocr_pdf((SCANNED / "engineer_resume.pdf").read_bytes(), "s.pdf", None, 30)


def test_a_slow_page_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "slow-once"
    body = f"if [ ! -e {marker} ]; then touch {marker}; exec sleep 10; fi\n{TSV_OK}"
    fake_tesseract(tmp_path, monkeypatch, body)
    monkeypatch.setattr(ocr_module, "OCR_PAGE_TIMEOUT_S", 0.5)
    texts, warnings = ocr_pages((SCANNED / "engineer_resume.pdf").read_bytes(), "s.pdf")
    assert list(texts) == [1]
    assert "page 1: OCR took longer than 0.5 s; the page was skipped" in warnings


def test_missing_language_data_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path, monkeypatch, "echo \"Failed loading language 'eng'\" >&2; exit 1")
    with pytest.raises(OcrUnavailableError, match="apt-get install tesseract-ocr-eng"):
        ocr_pdf((SCANNED / "engineer_resume.pdf").read_bytes(), "s.pdf", None, 30)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_tesseract_dies_with_a_reader_the_guard_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"
    fake_tesseract(tmp_path, monkeypatch, f"echo $$ > {pid_file}; exec sleep 30")
    data = (SCANNED / "engineer_resume.pdf").read_bytes()
    with pytest.raises(ResourceLimitError, match="longer than 2 s"):
        run_guarded(ocr_pdf, (data, "s.pdf", None, 30), ReadOptions(timeout_s=2.0), "s.pdf")
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "Tesseract outlived the reader the guard killed"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_unreadable_pdfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tesseract(tmp_path, monkeypatch, TSV_OK)
    with pytest.raises(EncryptedFileError, match=r"enc\.pdf: the PDF is password-protected"):
        ocr_pdf((PDF / "encrypted.pdf").read_bytes(), "enc.pdf", None, 30)
    with pytest.raises(ExtractionError, match=r"^bad\.pdf: cannot read the PDF"):
        ocr_pdf(b"%PDF-1.4 garbage", "bad.pdf", None, 30)
