"""Batch outputs that open where people open them (issue 16): the format a file name
promises or a usage error, xlsx, CSV with and without a BOM, columns for people first,
rounded P, resume from each format, and the report index (undetermined apart, filters,
warnings, links only to pages of the very row)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from classifier.batch.report import JOURNAL
from classifier.batch.rows import (
    CSV_FIELDS,
    csv_record,
    open_writer,
    probability_digits,
    read_rows,
    restore,
    rewrite_rows,
)
from classifier.batch.run import run_batch
from classifier.batch.xlsx import sidecar
from classifier.cli.parser import main
from classifier.model.scoring import ScoringModel
from classifier.render.htmlkit import page_name
from classifier.render.index import render_batch_index
from classifier.results import Row

from .conftest import EXAMPLES, PDF
from .fixtures.hostile import invisible_text_pdf

BOM = b"\xef\xbb\xbf"
HUMAN = ("source", "label", "scientist_probability", "evidence_terms", "ml_terms",
         "top_engineer_terms", "top_scientist_terms", "warnings", "error")  # fmt: skip
MACHINE = ("logit", "pages", "engine", "ocr", "model", "sha256", "duplicate_of", "status")
FORMULA_NAME = "=cmd() résumé.txt"
UNDETERMINED_NAME = "grocery list.txt"
STUFFING = "hidden text: possible keyword stuffing "


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Both leans, an undetermined text, a failure, a warning, a formula-like name."""
    root = tmp_path / "resumes"
    root.mkdir()
    shutil.copy(EXAMPLES / "engineer_resume.pdf", root / "engineer.pdf")
    shutil.copy(EXAMPLES / "scientist_resume.txt", root / "scientist.txt")
    shutil.copy(EXAMPLES / "engineer_resume.txt", root / FORMULA_NAME)
    shutil.copy(PDF / "truncated.pdf", root / "truncated.pdf")
    (root / UNDETERMINED_NAME).write_text(
        "Milk, eggs, bread and coffee. Call the plumber on Tuesday about the kitchen sink.\n",
        encoding="utf-8",
    )
    invisible_text_pdf(root / "hidden.pdf")
    return root


def _openpyxl():  # type: ignore[no-untyped-def]
    return pytest.importorskip(
        "openpyxl", reason="openpyxl is not installed: pip install 'resume-role-classifier[xlsx]'"
    )


def _csv_records(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


# -- the format a file name promises --------------------------------------------


@pytest.mark.parametrize("name", ["scores.txt", "scores", "scores.json.bak"])
def test_an_unknown_extension_is_a_usage_error(
    folder: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(folder), "-o", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: resume-role batch")
    assert "error: argument --output/-o:" in err
    for word in (".jsonl", ".csv", ".xlsx", "--format"):
        assert word in err, word
    assert not out.exists()  # nothing written in a format the name did not promise


def test_format_overrides_the_extension(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.txt"
    assert main(["batch", str(folder), "-o", str(out), "--format", "csv", "-j", "1"]) == 3
    assert out.read_text(encoding="utf-8").startswith(",".join(CSV_FIELDS) + "\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "cannot go to stdout"),
        (["--excel"], "only CSV output"),
        (["-o", "x.xlsx", "--excel"], "only CSV output"),
    ],
)
def test_option_clashes_are_usage_errors(
    folder: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(folder), *args])
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_xlsx_without_openpyxl_is_one_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    out = tmp_path / "scores.xlsx"
    assert main(["batch", str(folder), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "pip install 'resume-role-classifier[xlsx]'" in err
    assert not out.exists() and not sidecar(out).exists()  # refused before scoring anything


# -- CSV: columns, rounding, BOM ------------------------------------------------------


def test_csv_columns_people_first_and_p_rounded(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    assert CSV_FIELDS == HUMAN + MACHINE
    out, exact = tmp_path / "s.csv", tmp_path / "s.jsonl"
    run_batch(folder, model, output=out, fmt="csv")
    run_batch(folder, model, output=exact)
    raw = out.read_bytes()
    assert not raw.startswith(BOM)  # plain UTF-8 by default: ATS parsers choke on a BOM
    assert raw.decode("utf-8").splitlines()[0] == ",".join(HUMAN + MACHINE)
    records = {restore(r["source"]): r for r in _csv_records(out)}
    rows = {json.loads(x)["source"]: json.loads(x) for x in exact.read_text().splitlines()}
    assert set(records) == set(rows)
    for source, row in rows.items():
        cell = records[source]["scientist_probability"]
        if row["status"] != "ok" or row["label"] == "undetermined":
            assert cell == "", source  # no lean, no number (JSONL keeps it)
            continue
        p = row["scientist_probability"]
        digits = probability_digits(p)
        assert cell == f"{p:.{digits}f}", source
        assert digits == 3 or cell not in ("0.000", "1.000")  # never a false certainty
        assert float(records[source]["logit"]) == row["logit"]  # the logit stays exact
    assert rows[UNDETERMINED_NAME]["label"] == "undetermined"
    assert isinstance(rows[UNDETERMINED_NAME]["scientist_probability"], float)
    assert "cannot see" in records["hidden.pdf"]["warnings"]
    # reading back restores P exactly from the exact logit, and the lean
    for back in read_rows(out, "csv")[0]:
        assert back.scientist_probability == rows[back.source]["scientist_probability"]
        assert back.lean == rows[back.source]["lean"]


def test_rounding_of_p() -> None:
    def cell(p: float, label: str = "scientist") -> str:
        row = Row("a.pdf", "ok", "", "text", "", label=label, scientist_probability=p, logit=0.0)
        return csv_record(row)["scientist_probability"]

    assert cell(0.123456) == "0.123" and cell(0.5) == "0.500" and cell(0.9994) == "0.999"
    assert cell(0.99962) == "0.99962" and cell(0.0000045) == "0.0000045"
    assert cell(1.0) == "1.000" and cell(0.0) == "0.000"  # exactly certain is shown as such
    assert cell(0.61, "undetermined") == ""


def test_excel_csv_has_one_bom_and_resumes(
    folder: Path, tmp_path: Path, model: ScoringModel, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.csv"
    run = ["batch", str(folder), "-o", str(out), "--excel", "-j", "1"]
    assert main(run) == 3
    raw = out.read_bytes()
    assert raw.startswith(BOM + b"source,label,") and raw.count(BOM) == 1
    rows, torn = read_rows(out, "csv")
    assert not torn and len(rows) == 6 and rows[0].source == FORMULA_NAME  # BOM stripped
    # a kill mid-run: the last record torn; the same command resumes
    lines = raw.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:4]) + lines[4][:20])
    capsys.readouterr()
    assert main(run) == 3
    assert "3 kept from an earlier run" in capsys.readouterr().err
    again = out.read_bytes()
    assert again.startswith(BOM) and again.count(BOM) == 1 and again.count(b"source,label,") == 1
    assert sorted(r.source for r in read_rows(out, "csv")[0]) == sorted(r.source for r in rows)
    assert main(run[:-3]) == 3  # without --excel the rewrite drops the BOM
    assert not out.read_bytes().startswith(BOM)


def test_a_csv_of_the_old_column_order_is_upgraded_before_appending(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out = tmp_path / "s.csv"
    run_batch(folder, model, output=out, fmt="csv")
    records = _csv_records(out)
    old_order = sorted(CSV_FIELDS)  # any other order, as an earlier version wrote
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=old_order)
        writer.writeheader()
        writer.writerows(records[:3])
    summary = run_batch(folder, model, output=out, fmt="csv")
    assert summary.kept == 3 and summary.scored == 3
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_FIELDS)
    assert _csv_records(out) == records


# -- xlsx -------------------------------------------------------------------------------


def _sheet_records(path: Path) -> tuple[object, list[tuple[object, ...]]]:
    openpyxl = _openpyxl()
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return sheet, [tuple(c.value for c in row) for row in sheet.iter_rows()]


def test_xlsx_is_a_real_spreadsheet_with_the_csv_content(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    _openpyxl()
    book, table = tmp_path / "s.xlsx", tmp_path / "s.csv"
    assert main(["batch", str(folder), "-o", str(book), "-j", "1", "--engine", "pdfplumber"]) == 3
    run_batch(folder, model, output=table, fmt="csv")  # the library's engine: pdfplumber
    assert not sidecar(book).exists()  # folded into the workbook at the end
    sheet, values = _sheet_records(book)
    assert values[0] == CSV_FIELDS  # the same columns as the CSV, same order
    assert sheet.freeze_panes == "B2"  # header row and file column stay in view
    header = sheet[1]
    assert all(c.font.bold for c in header)
    records = _csv_records(table)
    assert len(values) == len(records) + 1
    by_name = dict(zip(CSV_FIELDS, zip(*values[1:], strict=True), strict=True))
    for i, record in enumerate(records):
        for key, text in record.items():
            value = by_name[key][i]
            if key in ("scientist_probability", "logit"):
                # xlsx numbers hold 16 significant digits (the CSV's logit has all 17)
                assert value == (pytest.approx(float(text), rel=1e-15) if text else None), key
                assert value is None or isinstance(value, float)
            elif key in ("evidence_terms", "ml_terms", "pages"):
                assert value == (int(text) if text else None), (key, text)
                assert value is None or isinstance(value, int)  # numbers as numbers
            elif key == "ocr":
                assert value == {"True": True, "False": False, "": None}[text]
            else:
                assert (value or "") == restore(text), (key, text)  # text, never neutralised
    # the formula-like name is an explicit string, flagged as text for Excel, never a formula
    cell = next(c for c in sheet["A"] if c.value == FORMULA_NAME)
    assert cell.data_type == "s" and cell.quotePrefix
    p_cells = [c for c in sheet["C"][1:] if c.value is not None]
    assert p_cells and all(c.number_format.startswith("0.000") for c in p_cells)


def test_xlsx_resumes_from_the_workbook_and_its_sidecar(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    _openpyxl()
    exact = tmp_path / "s.jsonl"
    run_batch(folder, model, output=exact)
    rows = read_rows(exact, "jsonl")[0]
    book = tmp_path / "s.xlsx"
    # A killed run: two rows already in the workbook, two streamed to the sidecar, the next
    # one torn in half.
    rewrite_rows(book, "xlsx", rows[:2])
    lines = exact.read_bytes().splitlines(keepends=True)
    sidecar(book).write_bytes(b"".join(lines[2:4]) + lines[4][:40])
    summary = run_batch(folder, model, output=book, fmt="xlsx")
    assert summary.kept == 4 and summary.scored == 2 and summary.torn_line_dropped
    assert not sidecar(book).exists()
    back = read_rows(book, "xlsx")[0]
    assert [r.source for r in back] == sorted(r.source for r in rows)
    by = {r.source: r for r in rows}
    for r in back:
        assert (r.status, r.label, r.sha256) == (
            by[r.source].status, by[r.source].label, by[r.source].sha256,
        )  # fmt: skip
        # 16 significant digits in a workbook cell; P comes back from the logit, not the cell
        if r.ok:
            assert r.logit == pytest.approx(by[r.source].logit, rel=1e-15)
            assert r.scientist_probability == pytest.approx(
                by[r.source].scientist_probability, rel=1e-14
            )
        else:
            assert r.logit is None and r.error == by[r.source].error
    again = run_batch(folder, model, output=book, fmt="xlsx")
    assert again.scored == 0 and again.kept == len(rows)


def test_a_workbook_of_someone_else_is_not_overwritten(
    folder: Path, tmp_path: Path, model: ScoringModel, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = _openpyxl()
    book = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["item", "cost"])
    wb.save(book)
    before = book.read_bytes()
    assert main(["batch", str(folder), "-o", str(book)]) == 1
    assert "not a resume-role workbook" in capsys.readouterr().err
    assert book.read_bytes() == before


# -- the report index -------------------------------------------------------------------


def _rows() -> list[Row]:
    def ok(source: str, label: str, p: float, logit: float, **kw: object) -> Row:
        return Row(source, "ok", "", "pdfium", "", label=label, scientist_probability=p,
                   logit=logit, **kw)  # type: ignore[arg-type]  # fmt: skip

    return [
        ok("eng.pdf", "engineer", 0.1, -2.2),
        ok("sci.pdf", "scientist", 0.9, 2.2),
        ok("thin.pdf", "undetermined", 0.55, 0.2),
        ok("stuffed.pdf", "engineer", 0.2, -1.4, warnings=(STUFFING + "x" * 300,)),
        Row.failed("bad.pdf", "", "not a PDF", "pdfium", ""),
    ]


def test_index_counts_undetermined_apart_and_shows_filters_and_warnings() -> None:
    page = render_batch_index(_rows())
    assert "4 scored: 2 lean engineer, 1 lean scientist, 1 undetermined" in page
    assert "1 failed" in page
    # the histogram: three resumes with a lean in the bins, the undetermined one in its own bar
    assert "histogram of P(scientist) over 3 resumes, and 1 undetermined" in page
    assert "<title>undetermined (no lean): 1</title>" in page
    assert ">undetermined</text>" in page
    assert "<title>0.5-0.6: 0</title>" in page  # not counted in the bins around 0.5
    # the table: no P for the undetermined row, so it sorts as having none
    row = re.search(r'<tr><td data-v="thin.pdf".*?</tr>', page)
    assert row is not None and '<td data-v="" class=num><span class="muted">no lean' in row[0]
    assert 'data-verdict="undetermined"' in row[0]
    assert 'data-verdict="failed"' in page
    # the filters: labelled controls, a text box and the four verdicts
    assert '<label for="filter-text">' in page and '<input type="search" id="filter-text"' in page
    assert '<label for="filter-verdict">' in page
    for verdict in ("engineer", "scientist", "undetermined", "failed"):
        assert f'<option value="{verdict}">' in page
    # warnings in the Note column, kept inside the card
    assert "warning: hidden text: possible keyword stuffing" in page
    assert "table.sortable td.note" in page and "overflow-wrap:anywhere" in page
    assert '<div class="scroll"' in page  # at worst the table scrolls inside its card


def test_index_sorting_puts_rows_without_p_last_both_ways() -> None:
    page = render_batch_index(_rows())
    script = page[page.index("<script>") : page.index("</script>")]
    assert 'if (x === "" || y === "") { return (x === "") - (y === ""); }' in script
    assert script.index('(x === "") - (y === "")') < script.index("return asc ? c : -c")


def test_a_rerun_links_only_pages_written_for_its_rows(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out, report = tmp_path / "s.jsonl", tmp_path / "report"
    # scored without --report: a later --report run has no text to make pages from
    run_batch(folder, model, output=out)
    run_batch(folder, model, output=out, report_dir=report)
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "<a href" not in index
    assert "5 scored resumes have no page here" in index
    assert "new output file with --report" in index
    # a fresh run writes every page it links; a rerun into the same folder keeps the links
    fresh, pages = tmp_path / "fresh.jsonl", tmp_path / "pages"
    run_batch(folder, model, output=fresh, report_dir=pages)
    run_batch(folder, model, output=fresh, report_dir=pages)
    index = (pages / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]+)"', index)
    assert len(hrefs) == 5 and all((pages / h).is_file() for h in hrefs)
    assert "no page here" not in index
    # a file changed and rescored by a run without --report: its old page is not its page
    (folder / "scientist.txt").write_text(
        (EXAMPLES / "engineer_resume.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    run_batch(folder, model, output=fresh)
    run_batch(folder, model, output=fresh, report_dir=pages)
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert (pages / page_name("scientist.txt")).is_file()
    assert page_name("scientist.txt") not in index
    assert "1 scored resume has no page here" in index
    assert (pages / JOURNAL).is_file()


def test_pages_of_an_interrupted_run_are_linked_when_it_resumes(
    folder: Path, tmp_path: Path, model: ScoringModel
) -> None:
    out, pages = tmp_path / "s.jsonl", tmp_path / "pages"
    run_batch(folder, model, output=out, report_dir=pages)
    (pages / "index.html").unlink()  # killed before the index was written
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:3]))  # ... and before every row was
    summary = run_batch(folder, model, output=out, report_dir=pages)
    assert summary.kept == 3
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<a href="', index)) == 5 and "no page here" not in index


def test_rows_reach_the_file_at_once_and_the_disk_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row is in the file as soon as it is written (a killed run loses none); fsync,
    which costs ~100x a write, runs once per ROW_FSYNC_ROWS rows and when the file closes."""
    from classifier.batch import rows as rows_module
    from classifier.config import ROW_FSYNC_ROWS

    synced: list[int] = []
    monkeypatch.setattr(rows_module.os, "fsync", lambda fd: synced.append(fd))
    monkeypatch.setattr(rows_module, "ROW_FSYNC_SECONDS", 3600.0)
    out = tmp_path / "rows.jsonl"
    writer = open_writer(out, "jsonl")
    n = 2 * ROW_FSYNC_ROWS + 3
    for i in range(n):
        writer.write(Row.failed(f"f{i}.pdf", "", "not a PDF", "pdfium", ""))
        assert len(out.read_text(encoding="utf-8").splitlines()) == i + 1
    assert len(synced) == 2
    writer.close()
    assert len(synced) == 3 and len(read_rows(out, "jsonl")[0]) == n
