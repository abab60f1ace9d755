"""Regression tests for bugs that came from data with no single definition (issue 14).

Each test failed before its fix.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from classifier import classify_text, score_folder
from classifier.batch.rows import read_rows
from classifier.batch.run import run_batch
from classifier.cli.parser import main
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions, read_document

from .conftest import EXAMPLES, FIXTURES, PDF
from .fixtures.hostile import decompression_bomb_pdf


def _shifted(model: ScoringModel, delta: float = 0.75) -> ScoringModel:
    """The bundled model with its intercept moved: a different model with a known effect."""
    data = json.loads(model.to_bytes())
    data["intercept"] = model.intercept + delta
    data.pop("sha256")
    import hashlib

    from classifier.model.scoring import canonical_json

    data["sha256"] = hashlib.sha256(canonical_json(data)).hexdigest()
    raw = json.dumps(data, sort_keys=True, indent=1).encode()
    return ScoringModel.from_bytes(raw, "<shifted>")


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(EXAMPLES / "engineer_resume.pdf", root / "eng.pdf")
    shutil.copy(EXAMPLES / "scientist_resume.txt", root / "sci.txt")
    shutil.copy(FIXTURES / "docx" / "scientist_table.docx", root / "table.docx")
    shutil.copy(PDF / "truncated.pdf", root / "broken.pdf")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_score_folder_scores_with_the_model_object_it_was_given(
    small_folder: Path, model: ScoringModel, jobs: int
) -> None:
    custom = _shifted(model)
    rows = {r["source"]: r for r in score_folder(small_folder, custom, jobs=jobs)}
    text = (small_folder / "sci.txt").read_text()
    expected = classify_text(text, custom).logit
    assert rows["sci.txt"]["model"] == custom.sha256 != model.sha256
    assert rows["sci.txt"]["logit"] == pytest.approx(expected, abs=1e-9)


def test_run_batch_without_a_model_path_uses_the_model_object(
    small_folder: Path, model: ScoringModel, tmp_path: Path
) -> None:
    custom = _shifted(model)
    out = tmp_path / "rows.jsonl"
    run_batch(small_folder, custom, output=out, jobs=2)
    rows = {r.source: r for r in read_rows(out, "jsonl")[0]}
    assert {r.model for r in rows.values()} == {custom.sha256}
    ok = classify_text((small_folder / "sci.txt").read_text(), custom)
    assert rows["sci.txt"].logit == pytest.approx(ok.logit, abs=1e-9)


def test_docx_rows_are_kept_on_resume(
    small_folder: Path, model: ScoringModel, tmp_path: Path
) -> None:
    out = tmp_path / "rows.jsonl"
    first = run_batch(small_folder, model, output=out)
    assert first.scored == 4
    again = run_batch(small_folder, model, output=out)
    assert again.scored == 0 and again.kept == 4 and again.stale_rows_dropped == 0


def test_error_rows_have_the_shape_of_ok_rows(
    small_folder: Path, model: ScoringModel, tmp_path: Path
) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(small_folder, model, output=out)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    by = {r["source"]: r for r in lines}
    assert by["broken.pdf"]["status"] == "error" and by["eng.pdf"]["status"] == "ok"
    assert list(by["broken.pdf"]) == list(by["eng.pdf"])


def _index_rows(index: str) -> int:
    return len(re.findall(r"<tr><td", index))


def test_report_without_output_file_indexes_every_row(
    small_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report"
    assert main(["batch", str(small_folder), "--report", str(report), "-j", "1"]) == 3
    capsys.readouterr()
    index = (report / "index.html").read_text()
    assert "Batch report: 4 resumes" in index
    assert _index_rows(index) == 4


def test_report_from_csv_rows_keeps_numbers(small_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "report"
    out = tmp_path / "rows.csv"
    assert main(["batch", str(small_folder), "-o", str(out), "--report", str(report)]) == 3
    index = (report / "index.html").read_text()
    # three scored resumes: the histogram counts them and the table shows their numbers
    assert "histogram of P(scientist) over 3 resumes" in index
    assert len(re.findall(r'<td data-v="[0-9.e-]+" class=num>[01]\.\d{3}</td>', index)) == 3


def test_memory_cap_is_named_with_pdfplumber(tmp_path: Path) -> None:
    from classifier.errors import ResourceLimitError

    bomb = decompression_bomb_pdf(tmp_path / "bomb.pdf")
    options = ReadOptions(memory_mb=512, timeout_s=30, engine="pdfplumber")
    with pytest.raises(ResourceLimitError, match="--max-memory"):
        read_document(bomb, options)


def test_info_with_a_damaged_card_is_one_line(
    isolated_model_paths: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (isolated_model_paths / "card.json").write_text("{not json")
    try:
        code = main(["info"])
    finally:
        shutil.copy(
            Path(__file__).resolve().parent.parent / "models" / "default" / "card.json",
            isolated_model_paths / "card.json",
        )
    err = capsys.readouterr().err
    assert code == 1
    assert "card.json" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_shifted_model_helper_is_a_valid_model(model: ScoringModel) -> None:
    custom = _shifted(model)
    assert dataclasses.replace(custom, sha256="").intercept == pytest.approx(model.intercept + 0.75)
