"""Issue 16, nothing silently lost: new inputs (.markdown, .tex, .typ, images), skipped and
hidden files in a batch, one PDF reading strategy (engine fallback, scan vs empty, damaged
PDFs), and ``classify FOLDER``."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.batch.rows import read_rows
from classifier.batch.run import run_batch
from classifier.cli.parser import main
from classifier.config import READ_SUFFIXES
from classifier.errors import ExtractionError, NoTextError, UnsupportedFormatError
from classifier.model.scoring import ScoringModel
from classifier.read import dispatch
from classifier.read.dispatch import engine_for, extract_bytes, skip_reason
from classifier.read.guard import ReadOptions, read_bytes, read_document
from classifier.render.text import render_summary
from classifier.results import SKIPPED, Document

from .conftest import EXAMPLES, FIXTURES, PDF
from .fixtures import damaged, hostile

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr / brew install tesseract)",
)
needs_typst = pytest.mark.skipif(
    importlib.util.find_spec("typst") is None,
    reason="the optional typst package is not installed (pip install '.[typst]')",
)
OPTIONS = ReadOptions(timeout_s=20.0, memory_mb=512)
ENGINEER_PDF = EXAMPLES / "engineer_resume.pdf"

LATEX = r"""\documentclass[11pt]{article}
\usepackage{hyperref}
% a comment a reader never sees: NeurIPS ICML PhD
\newcommand{\entry}[2]{\textbf{#1} \hfill #2}
\begin{document}
\begin{center}{\LARGE Jane Doe} \\ \href{mailto:jane@example.com}{jane@example.com}\end{center}
\section*{Experience}
\entry{Machine Learning Engineer}{2020--2024}
\begin{itemize}
  \item Deployed \emph{PyTorch} models on Kubernetes with MLflow \& Airflow; p99 latency -40\%.
  \item Built feature pipelines in C\texttt{++} and Python.
\end{itemize}
\end{document}
"""

TYPST = b"""#let role(name) = text(weight: "bold", name)
= Jane Doe
#role[Machine Learning Engineer]: deployed PyTorch models on Kubernetes with MLflow.

== Skills
- Docker, Airflow, feature stores
"""


# -- new text inputs ------------------------------------------------------------


def test_markdown_is_read_like_md() -> None:
    data = b"# Jane Doe\n\nMachine learning engineer: *Kubernetes*, MLflow.\n"
    long, short = extract_bytes(data, "cv.markdown"), extract_bytes(data, "cv.md")
    assert long.text == short.text and long.engine == short.engine == "text"
    assert ".markdown" in READ_SUFFIXES


def test_latex_source_is_read_without_commands(tmp_path: Path) -> None:
    path = tmp_path / "cv.tex"
    path.write_text(LATEX, encoding="utf-8")
    doc = read_document(path, OPTIONS)
    assert doc.engine == "pylatexenc" == engine_for(path.name) and doc.pages == 0
    assert "Jane Doe" in doc.text and "jane@example.com" in doc.text
    assert "Deployed PyTorch models on Kubernetes with MLflow & Airflow" in doc.text
    assert "C++" in doc.text and "Machine Learning Engineer 2020" in doc.text
    for gone in ("\\", "NeurIPS", "documentclass", "itemize", "mailto", "#1"):
        assert gone not in doc.text, gone
    assert not doc.warnings


def test_broken_latex_is_read_tolerantly_with_a_warning() -> None:
    doc = extract_bytes(b"\\begin{itemize} \\item Kubernetes and {MLflow", "open.tex")
    assert "Kubernetes" in doc.text and "MLflow" in doc.text
    assert any("does not parse cleanly" in w for w in doc.warnings)


def test_unreadable_latex_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.tex"
    path.write_bytes(b"{" * 200_000)
    with pytest.raises(ExtractionError) as info:
        read_document(path, OPTIONS)
    message = str(info.value)
    assert str(path) in message and "\n" not in message and "LaTeX" in message
    with pytest.raises(NoTextError, match=r"empty\.tex"):
        extract_bytes(b"\\documentclass{article}\\usepackage{x}", "empty.tex")


def test_classify_start_up_does_not_import_pylatexenc_or_typst() -> None:
    code = (
        "import sys\n"
        "import classifier, classifier.cli.parser, classifier.read.guard\n"
        "from classifier.read.dispatch import extract_bytes\n"
        "extract_bytes(b'Machine learning engineer', 'a.txt')\n"
        "print(sorted(m for m in ('pylatexenc', 'typst', 'PIL') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


@needs_typst
def test_typst_source_is_compiled_and_read(tmp_path: Path) -> None:
    path = tmp_path / "cv.typ"
    path.write_bytes(TYPST)
    doc = read_document(path, OPTIONS)
    assert doc.engine == "typst" == engine_for(path.name, "pdfplumber") and doc.pages == 1
    assert "Machine Learning Engineer" in doc.text and "Kubernetes" in doc.text
    assert "#let" not in doc.text and "Airflow" in doc.text


@needs_typst
def test_typst_that_does_not_compile_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.typ"
    path.write_bytes(b"#let x = (\nMachine learning")
    with pytest.raises(ExtractionError) as info:
        read_document(path, OPTIONS)
    message = str(info.value)
    assert message.startswith(f"{path}: cannot compile the Typst source (") and "\n" not in message


def test_typst_without_the_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst -> ImportError
    with pytest.raises(UnsupportedFormatError) as info:
        extract_bytes(TYPST, "cv.typ")
    message = str(info.value)
    assert message.startswith("cv.typ: ") and "\n" not in message
    assert "pip install 'resume-role-classifier[typst]'" in message and "PDF" in message


# -- images ---------------------------------------------------------------------


def _page_image(top: float = 0.08, bottom: float = 0.25, page: int = 0) -> object:
    """A band of a fixture PDF page rendered at 180 dpi (a small image: OCR stays fast)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(ENGINEER_PDF)
    try:
        image = pdf[page].render(scale=2.5, grayscale=True).to_pil()
    finally:
        pdf.close()
    width, height = image.size
    return image.crop((0, int(height * top), width, int(height * bottom)))


def _encoded(image: object, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_an_image_without_ocr_says_to_use_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(_encoded(_page_image(), "PNG"))
    with pytest.raises(UnsupportedFormatError) as info:
        read_document(path, OPTIONS)
    assert str(info.value) == f"{path}: an image: run again with --ocr to read it with OCR"
    assert skip_reason(str(path)) == str(info.value) and skip_reason(str(path), ocr=True) is None


@needs_tesseract
@pytest.mark.parametrize(("suffix", "fmt"), [(".png", "PNG"), (".jpg", "JPEG")])
def test_images_are_read_with_ocr(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"scan{suffix}"
    path.write_bytes(_encoded(_page_image(), fmt))
    doc = read_document(path, ReadOptions(ocr=True, timeout_s=30.0))
    assert doc.engine == "tesseract" == engine_for(path.name) and doc.ocr and doc.pages == 1
    assert "Machine Learning Engineer" in doc.text and "production" in doc.text
    assert doc.warnings[0].startswith("OCR: the image was read with Tesseract")


@needs_tesseract
def test_a_multi_page_tiff_is_read_page_by_page(tmp_path: Path) -> None:
    first, second = _page_image(0.08, 0.2), _page_image(0.3, 0.42)
    path = tmp_path / "scan.tiff"
    path.write_bytes(_encoded(first, "TIFF", save_all=True, append_images=[second]))
    doc = read_document(path, ReadOptions(ocr=True, timeout_s=30.0))
    assert doc.pages == 2 and "SUMMARY" in doc.text
    assert doc.text.index("SUMMARY") < len(doc.text) // 2  # page order kept


@needs_tesseract
def test_a_transparent_background_is_read_as_white(tmp_path: Path) -> None:
    from PIL import Image, ImageOps

    grey = _page_image()
    ink = ImageOps.invert(grey)  # opaque where the text is
    rgba = Image.merge("RGBA", (*(Image.new("L", grey.size, 0) for _ in range(3)), ink))
    path = tmp_path / "transparent.png"
    path.write_bytes(_encoded(rgba, "PNG"))
    doc = read_document(path, ReadOptions(ocr=True, timeout_s=30.0))
    assert "Machine Learning Engineer" in doc.text


def test_a_huge_image_is_scaled_down_with_a_warning() -> None:
    from PIL import Image

    from classifier.config import OCR_MAX_PAGE_PIXELS
    from classifier.read.ocr import _image_png

    warnings: list[str] = []
    png = _image_png(Image.new("L", (5000, 4000), 255), 0, warnings)
    width, height = Image.open(io.BytesIO(png)).size
    assert width * height <= OCR_MAX_PAGE_PIXELS and width / height == pytest.approx(1.25, 0.01)
    assert warnings and "very large (5000 x 4000 pixels)" in warnings[0]


@needs_tesseract
def test_a_damaged_image_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(ExtractionError) as info:
        read_document(path, ReadOptions(ocr=True))
    message = str(info.value)
    assert message.startswith(f"{path}: cannot read the image (") and "\n" not in message


# -- engines recorded ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.pdf", "pdfium"), ("a.docx", "python-docx"), ("a.txt", "text"), ("a.MARKDOWN", "text"),
     ("a.tex", "pylatexenc"), ("a.typ", "typst"), ("a.png", "tesseract"), ("a.TIF", "tesseract"),
     ("a.zip", "text"), ("a.doc", "text")],
)  # fmt: skip
def test_engine_for_every_type(name: str, expected: str) -> None:
    assert engine_for(name, "pdfium") == expected


# -- one PDF reading strategy -----------------------------------------------------------


def test_the_other_engine_steps_in_when_the_first_reads_no_text(tmp_path: Path) -> None:
    data = damaged.xref_garbled(ENGINEER_PDF.read_bytes())  # pdfminer finds no page in it
    path = tmp_path / "xref.pdf"
    path.write_bytes(data)
    doc = read_document(path, ReadOptions(engine="pdfplumber"))
    assert "Kubernetes" in doc.text and doc.pages == 2
    assert doc.warnings[0] == "pdfplumber found no text; read with pdfium"
    assert doc.engine == "pdfplumber" == engine_for(path.name, "pdfplumber")  # resume keeps it


def test_the_other_engine_steps_in_when_the_first_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from classifier.read import pdfium

    def broken(data: bytes, p: Path, max_pages: int) -> object:
        raise ExtractionError(f"{p}: cannot read the PDF (PdfiumError: boom); re-export it")

    monkeypatch.setattr(pdfium, "pdfium_pages", broken)
    doc = extract_bytes(ENGINEER_PDF.read_bytes(), "cv.pdf", engine="pdfium")
    assert "Kubernetes" in doc.text and doc.engine == "pdfium"
    assert doc.warnings[0] == (
        "pdfium could not read the file (PdfiumError: boom); read with pdfplumber"
    )


def test_a_scan_the_first_engine_cannot_parse_is_still_called_a_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from classifier.read import plumber

    def broken(data: bytes, p: Path, max_pages: int) -> object:
        raise ExtractionError(f"{p}: cannot read the PDF (PSEOF: boom); re-export it")

    monkeypatch.setattr(plumber, "plumber_pages", broken)
    with pytest.raises(NoTextError, match="looks like a scan; run again with --ocr"):
        extract_bytes((PDF / "scanned.pdf").read_bytes(), "scan.pdf", engine="pdfplumber")


def test_pages_that_fail_to_load_are_skipped_with_a_warning(tmp_path: Path) -> None:
    data = damaged.page_object_broken(ENGINEER_PDF.read_bytes())
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    for engine in ("pdfium", "pdfplumber"):
        doc = read_document(path, ReadOptions(engine=engine))
        assert "Kubernetes" in doc.text, engine  # page 2 says it too
    doc = read_document(path, ReadOptions(engine="pdfium"))
    assert any("page(s) 1 could not be loaded" in w for w in doc.warnings)


def test_hidden_text_reread_falls_back_to_pdfium_when_pdfplumber_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where PDFium cannot take hidden text out (a form XObject, an older PDFium: here made to
    refuse), pdfplumber re-reads the file; if that fails too, PDFium's text stands, with a
    warning that hidden text may be counted."""
    from classifier.read import pdfium, plumber

    path = hostile.invisible_text_pdf(tmp_path / "invisible.pdf")

    def broken(data: bytes, p: Path, max_pages: int) -> object:
        raise ExtractionError(f"{p}: cannot read the PDF (PSEOF: boom); re-export it")

    monkeypatch.setattr(pdfium._c(), "remove_object", lambda page, obj: 0)
    monkeypatch.setattr(plumber, "plumber_pages", broken)
    doc = extract_bytes(path.read_bytes(), str(path), engine="pdfium")
    assert "Kubernetes" in doc.text and doc.engine == "pdfium"
    assert any(
        "hidden text found, but pdfplumber could not re-read the file (PSEOF: boom)" in w
        for w in doc.warnings
    )


def test_a_scan_is_told_to_use_ocr_and_an_empty_pdf_is_not(tmp_path: Path) -> None:
    for engine in ("pdfplumber", "pdfium"):
        with pytest.raises(NoTextError, match="looks like a scan; run again with --ocr"):
            read_document(PDF / "scanned.pdf", ReadOptions(engine=engine))
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(hostile._page_pdf(b"0 0 m 100 100 l S"))  # a line, no text, no image
    for engine in ("pdfplumber", "pdfium"):
        with pytest.raises(NoTextError) as info:
            read_document(blank, ReadOptions(engine=engine))
        message = str(info.value)
        assert "no text layer and no images: the PDF is empty or damaged; re-export it" in message
        assert "--ocr" not in message and message.startswith(str(blank))


@pytest.mark.parametrize("variant", ["header_junk", "header_missing", "junk_prefix"])
@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_a_pdf_with_a_damaged_header_is_read(tmp_path: Path, variant: str, engine: str) -> None:
    path = tmp_path / f"{variant}.pdf"
    path.write_bytes(damaged.VARIANTS[variant](ENGINEER_PDF.read_bytes()))
    doc = read_document(path, ReadOptions(engine=engine))
    assert "Kubernetes" in doc.text and doc.pages == 2 and doc.engine == engine
    assert "the PDF header is damaged or missing; the file was read anyway" in doc.warnings


def test_what_is_not_a_pdf_is_still_refused(tmp_path: Path) -> None:
    html = tmp_path / "page.pdf"
    html.write_text("<!DOCTYPE html><html><body>Resume</body></html>")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 8)
    zipped = tmp_path / "zipped.pdf"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    for engine in ("pdfplumber", "pdfium"):
        with pytest.raises(ExtractionError, match=r"not a PDF \(the file holds HTML\)"):
            read_document(html, ReadOptions(engine=engine))
        for path in (junk, zipped):
            with pytest.raises(ExtractionError) as info:
                read_document(path, ReadOptions(engine=engine))
            assert str(info.value) == (
                f"{path}: not a PDF (the file holds other data); export the resume as PDF and "
                "try again"
            )


#: What each damaged variant of the sample PDFs gives, with either engine.
READ = {
    "header_junk",
    "header_missing",
    "junk_prefix",
    "xref_garbled",
    "startxref_wrong",
    "stream_truncated",
    "page_object_broken",
    "page_count_wrong",
    "contents_missing",
}
REFUSED = {"no_xref", "truncated_90", "truncated_50"}  # fmt: skip


def test_damaged_samples_are_read_or_refused_in_one_line(tmp_path: Path) -> None:
    assert set(damaged.VARIANTS) == READ | REFUSED
    paths = damaged.write_damaged(tmp_path, [ENGINEER_PDF])  # the measurement used both
    for path in paths:
        variant = path.stem.split("__")[1]
        for engine in ("pdfplumber", "pdfium"):
            options = ReadOptions(engine=engine, timeout_s=10.0, memory_mb=512)
            if variant in READ:
                doc = read_document(path, options)
                assert len(doc.text.split()) > 100, (path.name, engine)
            else:
                with pytest.raises(ExtractionError) as info:
                    read_bytes(path.read_bytes(), str(path), options)
                message = str(info.value)
                assert message.startswith(str(path)) and "\n" not in message
                assert "re-export" in message, message


# -- classify FOLDER ------------------------------------------------------------------------


def test_classify_a_folder_says_to_use_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in (tmp_path / "resumes", tmp_path / "looks-like.pdf"):
        folder.mkdir()
        assert main(["classify", str(folder)]) == 1
        err = capsys.readouterr().err.strip()
        assert err.endswith(f"{folder}: is a folder; use 'resume-role batch' for folders"), err
        assert len(err.splitlines()) == 1


# -- batch: skipped and hidden files --------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "mixed"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(PDF / "one_column.pdf", root / "a.pdf")
    shutil.copy(PDF / "one_column.pdf", root / ".git" / "in-hidden-folder.pdf")
    (root / "notes.md").write_text("Machine learning engineer: Kubernetes, MLflow, Airflow.\n")
    (root / "cv.tex").write_text(LATEX, encoding="utf-8")
    (root / "archive.zip").write_bytes(b"PK\x03\x04 not read")
    (root / "sub" / "table.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (root / "photo.png").write_bytes(_encoded(_page_image(), "PNG"))
    (root / "README").write_text("no extension")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "._a.pdf").write_bytes(b"\x00\x05\x16\x07AppleDouble")
    return root


def test_files_not_read_get_skipped_rows_and_hidden_files_are_counted(
    mixed: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "rows.jsonl"
    summary = run_batch(mixed, model, output=out, recursive=True)
    rows, _ = read_rows(out, "jsonl")
    by = {r.source: r for r in rows}
    assert set(by) == {"a.pdf", "notes.md", "cv.tex", "archive.zip", "sub/table.xlsx",
                       "photo.png", "README"}  # fmt: skip
    assert {s for s, r in by.items() if r.ok} == {"a.pdf", "notes.md", "cv.tex"}
    skipped = {s for s, r in by.items() if r.status == SKIPPED}
    assert skipped == {"archive.zip", "sub/table.xlsx", "photo.png", "README"}
    assert "unsupported file type '.zip'" in str(by["archive.zip"].error)
    assert "run again with --ocr" in str(by["photo.png"].error)
    assert by["photo.png"].engine == "tesseract" and by["cv.tex"].engine == "pylatexenc"
    assert all(by[s].sha256 for s in skipped)
    assert summary.failures == () and summary.skipped == 4 and summary.files == 7
    assert summary.skipped_files == ("README", "archive.zip", "photo.png", "sub/table.xlsx")
    assert summary.hidden == 3  # .DS_Store, ._a.pdf and the .git folder
    text = render_summary(summary)
    assert "7 files (3 hidden left out): 3 scored now" in text
    assert (
        "4 skipped (type not read): README, archive.zip, photo.png, sub/table.xlsx; "
        "run again with --ocr to read the images"
    ) in text
    assert "failed: 0" in text
    # resumed: the skipped rows are kept, none is written twice
    again = run_batch(mixed, model, output=out, recursive=True)
    assert again.scored == 0 and again.kept == 7 and again.skipped == 4
    assert len(read_rows(out, "jsonl")[0]) == 7


def test_only_skipped_files_do_not_fail_the_batch(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.csv"
    assert main(["batch", str(mixed), "-o", str(out), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "3 skipped (type not read): README, archive.zip, photo.png" in err
    rows, _ = read_rows(out, "csv")
    assert {r.source: r.status for r in rows}["archive.zip"] == "skipped"


def test_the_output_inside_the_folder_gets_no_row(mixed: Path, model: ScoringModel) -> None:
    out = mixed / "rows.jsonl"
    run_batch(mixed, model, output=out)
    run_batch(mixed, model, output=out)
    assert "rows.jsonl" not in {r.source for r in read_rows(out, "jsonl")[0]}


@needs_tesseract
def test_with_ocr_a_skipped_image_is_read_on_the_next_run(
    mixed: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(mixed, model, output=out)
    summary = run_batch(mixed, model, output=out, options=ReadOptions(ocr=True, timeout_s=30.0))
    by = {r.source: r for r in read_rows(out, "jsonl")[0]}
    assert by["photo.png"].ok and by["photo.png"].ocr and by["photo.png"].engine == "tesseract"
    assert summary.skipped == 2 and summary.scored == 1


def test_engine_for_matches_the_document_for_every_type() -> None:
    """A resumed batch keys rows by engine_for: it must be what the Document records (images
    and Typst are checked in their own tests)."""
    samples = {
        "a.pdf": ENGINEER_PDF.read_bytes(),
        "a.txt": b"Machine learning engineer",
        "a.markdown": b"# Machine learning engineer",
        "a.tex": LATEX.encode(),
        "a.docx": (FIXTURES / "docx" / "engineer_paragraphs.docx").read_bytes(),
    }
    for name, data in samples.items():
        for engine in ("pdfplumber", "pdfium"):
            doc: Document = dispatch.extract_bytes(data, name, engine=engine)
            assert doc.engine == engine_for(name, engine), name
