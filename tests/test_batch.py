"""Batch scoring: one row per file, failures isolated, resumable, safe CSV, same rows on Dask."""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import pytest

from classifier.batch.rows import read_rows
from classifier.batch.run import run_batch
from classifier.cli.parser import main
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions
from classifier.results import Row

from .conftest import EXAMPLES, FIXTURES, PDF
from .fixtures.hostile import many_glyphs_pdf, text_pdf

GOOD = ["one_column.pdf", "two_column.pdf", "latex_resume.pdf"]
BROKEN = ["empty.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf", "not_a_pdf.pdf"]
LEGACY = "cover-letter.doc"
ODD_NAMES = ["=cmd() résumé.pdf", "-1+1 line\nbreak.pdf", "@at sign.txt"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "resumes"
    (root / "deeper").mkdir(parents=True)
    for name in GOOD + BROKEN:
        shutil.copy(PDF / name, root / name)
    shutil.copy(EXAMPLES / "engineer_resume.pdf", root / "deeper" / "eng.pdf")
    shutil.copy(EXAMPLES / "engineer_resume.pdf", root / ODD_NAMES[0])  # identical content
    shutil.copy(PDF / "latex_resume.pdf", root / ODD_NAMES[1])
    shutil.copy(FIXTURES / "text" / "sample.txt", root / ODD_NAMES[2])
    (root / "cover-letter.doc").write_bytes(b"\xd0\xcf\x11\xe0legacy word")
    (root / "photo.png").write_bytes(b"\x89PNG")
    return root


def _by_source(rows: list[Row]) -> dict[str, Row]:
    return {r.source: r for r in rows}


def test_one_row_per_file_with_statuses(folder: Path, tmp_path: Path, model: ScoringModel) -> None:
    out = tmp_path / "rows.jsonl"
    summary = run_batch(folder, model, output=out, recursive=True)
    rows, torn = read_rows(out, "jsonl")
    assert not torn
    by = _by_source(rows)
    expected = set(GOOD + BROKEN + ODD_NAMES) | {"deeper/eng.pdf", LEGACY}
    assert set(by) == expected | {"photo.png"} and len(rows) == len(expected) + 1
    # an image without --ocr is named in a skipped row, never silently left out
    assert by["photo.png"].status == "skipped" and "--ocr" in str(by["photo.png"].error)
    assert [r.source for r in rows] == sorted(by)  # rewritten sorted by path
    for name in GOOD + ODD_NAMES:
        assert by[name].status == "ok" and by[name].error is None, name
    for name in BROKEN:
        assert by[name].status == "error" and name in by[name].error, name
    assert by["encrypted.pdf"].error.count("\n") == 0
    assert "libreoffice --headless --convert-to docx" in by[LEGACY].error
    assert "--ocr" in by["scanned.pdf"].error
    dup = {r.source: r.duplicate_of for r in rows if r.duplicate_of}
    assert dup == {"deeper/eng.pdf": ODD_NAMES[0], "latex_resume.pdf": ODD_NAMES[1]}
    for source, original in dup.items():
        assert by[source].sha256 == by[original].sha256
        assert by[source].logit == by[original].logit
    assert summary.ignored == 1 and summary.scored == len(expected)
    assert len(summary.failures) == len(BROKEN) + 1
    for row in rows:
        assert row.model == model.sha256 and row.engine in {"pdfplumber", "text", "tesseract"}


def test_a_hanging_file_is_stopped_and_the_batch_goes_on(
    tmp_path: Path, model: ScoringModel
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    many_glyphs_pdf(root / "hang.pdf", 400_000)
    text_pdf(root / "ok.pdf", ["Machine learning engineer", "Kubernetes, Docker, MLflow, serving"])
    start = time.monotonic()
    summary = run_batch(
        root, model, output=tmp_path / "o.jsonl", options=ReadOptions(timeout_s=1.5)
    )
    assert time.monotonic() - start < 15
    by = _by_source(read_rows(tmp_path / "o.jsonl", "jsonl")[0])
    assert by["ok.pdf"].status == "ok"
    assert by["hang.pdf"].status == "error" and "--timeout" in by["hang.pdf"].error
    assert summary.failures == (("hang.pdf", by["hang.pdf"].error),)


def test_resume_after_a_kill_gives_exactly_one_row_per_file(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(folder, model, output=out, recursive=True)
    lines = out.read_bytes().splitlines(keepends=True)
    # A kill mid-run: four rows written, the fifth torn in half.
    out.write_bytes(b"".join(lines[:4]) + lines[4][: len(lines[4]) // 2])
    summary = run_batch(folder, model, output=out, recursive=True)
    assert summary.torn_line_dropped and summary.kept == 4
    rows, torn = read_rows(out, "jsonl")
    assert not torn and len(rows) == len(lines)
    assert len({r.source for r in rows}) == len(rows)
    again = run_batch(folder, model, output=out, recursive=True)
    assert again.scored == 0 and again.kept == len(lines)


def test_rows_of_another_model_are_rescored(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(folder, model, output=out)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    rows[0]["model"] = "0" * 64
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary = run_batch(folder, model, output=out)
    assert summary.scored == 1 and summary.stale_rows_dropped == 1
    assert len(read_rows(out, "jsonl")[0]) == len(rows)


def test_csv_neutralises_formulas_and_names_round_trip(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "rows.csv"
    run_batch(folder, model, output=out, fmt="csv")
    with out.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    raw_sources = {r["source"] for r in records}
    assert "'=cmd() résumé.pdf" in raw_sources and "'-1+1 line\nbreak.pdf" in raw_sources
    assert "'@at sign.txt" in raw_sources
    for r in records:
        for key, value in r.items():
            if key not in {"scientist_probability", "logit"}:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)
        if r["status"] == "ok" and r["label"] != "undetermined":
            assert float(r["scientist_probability"]) >= 0.0
        elif r["label"] == "undetermined":
            assert r["scientist_probability"] == ""  # no lean to report in a spreadsheet
    rows, _ = read_rows(out, "csv")
    assert set(ODD_NAMES) <= {r.source for r in rows}  # restored on reading back
    top = {r.source: r for r in rows}["two_column.pdf"]
    assert isinstance(top.scientist_probability, float)  # numbers come back as numbers
    assert len([c for c in top.contributions if c.weight < 0]) >= 3  # its top terms, read back


def test_cli_exit_codes_and_stdout_jsonl(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(folder), "--jobs", "1"]) == 3
    captured = capsys.readouterr()
    rows = [json.loads(x) for x in captured.out.splitlines()]
    assert len(rows) == len(GOOD + BROKEN + ODD_NAMES) + 2  # the skipped photo.png too
    assert "failed: 6" in captured.err and "files/s" in captured.err
    assert "\r" not in captured.err  # no progress bar when stderr is not a terminal
    good = folder.parent / "good"
    good.mkdir()
    shutil.copy(PDF / "one_column.pdf", good / "a.pdf")
    assert main(["batch", str(good), "-o", str(folder.parent / "g.csv")]) == 0
    assert main(["batch", str(folder / "nope")]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_parallel_rows_equal_sequential_rows(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    one = tmp_path / "one.jsonl"
    two = tmp_path / "two.jsonl"
    run_batch(folder, model, output=one, recursive=True, jobs=1)
    run_batch(folder, model, output=two, recursive=True, jobs=2)
    assert one.read_text() == two.read_text()


def test_dask_local_cluster_rows_equal_local_rows(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from distributed import LocalCluster

    local = tmp_path / "local.jsonl"
    dask = tmp_path / "dask.jsonl"
    run_batch(folder, model, output=local, recursive=True)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        run_batch(folder, model, output=dask, recursive=True, scheduler=cluster.scheduler_address)
    assert local.read_text() == dask.read_text()


def test_score_folder_api_streams_rows(folder: Path) -> None:
    from classifier import score_folder

    rows = list(score_folder(folder, recursive=True))
    assert len(rows) == len(GOOD + BROKEN + ODD_NAMES) + 3  # eng.pdf, the .doc, photo.png
    assert {r["status"] for r in rows} == {"ok", "error", "skipped"}


def test_batch_report_pages_and_index(folder: Path, tmp_path: Path, model: ScoringModel) -> None:
    from classifier.render.htmlkit import page_name

    report = tmp_path / "report"
    out = tmp_path / "rows.jsonl"
    run_batch(folder, model, output=out, recursive=True, report_dir=report)
    rows, _ = read_rows(out, "jsonl")
    assert "<html" not in out.read_text()  # pages go to files, never into rows
    index = (report / "index.html").read_text()
    for row in rows:
        page = report / page_name(row.source)
        assert page.exists() == (row.status == "ok"), row.source
        if row.status == "ok":
            assert page.name in index
    assert "<svg" in index


def test_dask_chunks_bound_files_and_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask tasks carry DASK_CHUNK_FILES files each, fewer when their bytes reach
    DASK_CHUNK_MB, every file once and in order, each with its bytes."""
    from classifier.batch import cluster
    from classifier.batch.plan import Task
    from classifier.config import DASK_CHUNK_FILES

    paths = []
    for i in range(2 * DASK_CHUNK_FILES + 3):
        path = tmp_path / f"f{i:02d}.txt"
        path.write_bytes(b"x" * (300_000 if i == 2 else 10))
        paths.append(path)
    tasks = [Task(p.name, str(p), "", ()) for p in paths]
    sizes = [len(c) for c in cluster._chunks(iter(tasks))]
    assert sizes == [DASK_CHUNK_FILES, DASK_CHUNK_FILES, 3]
    monkeypatch.setattr(cluster, "DASK_CHUNK_MB", 0.25)  # the third file fills a chunk
    chunks = list(cluster._chunks(iter(tasks)))
    assert len(chunks[0]) == 3
    flat = [t for c in chunks for t in c]
    assert [t.source for t in flat] == [p.name for p in paths]
    assert all(t.data == p.read_bytes() for t, p in zip(flat, paths, strict=True))
