"""The command line, in-process: output, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.cli.parser import main

from .conftest import EXAMPLES, FIXTURES, PDF

SCI = str(EXAMPLES / "scientist_resume.pdf")


def test_classify_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", SCI, "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "scientist-leaning, P(scientist) = " in out
    assert "toward scientist:" in out and "evidence:" in out
    block = out.split("toward scientist:")[1].split("evidence:")[0]
    assert len([ln for ln in block.splitlines() if ln.strip()]) == 3


def test_terms_that_round_to_zero_are_not_listed() -> None:
    from dataclasses import replace

    from classifier import classify
    from classifier.render.text import render_text

    result = classify(SCI)
    tiny = replace(result.contributions[0], term="negligible term", weight=1e-5)
    text = render_text(replace(result, contributions=(*result.contributions, tiny)), top=500)
    assert "negligible term" not in text and "+0.000" not in text and "-0.000" not in text


def test_classify_json_is_complete_and_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", SCI, "--json", "--top", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "source",
        "label",
        "scientist_probability",
        "logit",
        "bias",
        "contributions",
        "evidence_terms",
        "warnings",
    ):
        assert key in data
    assert data["label"] == "scientist"
    assert len(data["contributions"]) > 1  # --top never limits the JSON
    assert set(data["contributions"][0]) == {
        "term",
        "weight",
        "count",
        "role",
        "section",
        "matched",
    }
    total = data["bias"] + math.fsum(c["weight"] for c in data["contributions"])
    assert abs(total - data["logit"]) <= 1e-9
    weights = [abs(c["weight"]) for c in data["contributions"]]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize("name", ["empty.pdf", "encrypted.pdf", "scanned.pdf", "missing.pdf"])
def test_user_errors_are_one_line_exit_1(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(PDF / name)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in captured.err


def test_bad_model_is_a_user_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", SCI, "--model", str(tmp_path / "none")]) == 1
    assert "no model there" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["classify", SCI, "--top", "0"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["features"] > 100 and len(data["sha256"]) == 64
    assert "cross_validation" in data["card"]


def test_console_script_is_installed() -> None:
    # pip puts console scripts beside the interpreter that installed the package.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    exe = shutil.which("resume-role", path=search)
    assert exe, "the resume-role console script is not on PATH: install the package"
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True)
    assert "classify" in proc.stdout


def test_python_dash_m_works_and_imports_nothing_heavy() -> None:
    code = (
        f"import sys, runpy; sys.argv=['classifier','classify',{SCI!r},'--json'];\n"
        "try:\n    runpy.run_module('classifier', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "heavy = sorted(m for m in ('sklearn','numpy','scipy','joblib') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout)["label"] == "scientist"
    assert "HEAVY []" in proc.stderr


def test_classify_json_has_advice_flip_and_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", SCI, "--json", "--toward", "engineer"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["advice"] and {a["toward"] for a in data["advice"]} == {"engineer"}
    assert set(data["advice"][0]) >= {"term", "section", "logit_gain", "probability_after"}
    assert all(a["logit_gain"] < 0 for a in data["advice"])  # toward engineer lowers the logit
    assert data["flip"]["logit_after"] < 0 < data["logit"]
    total = data["bias"] + math.fsum(s["contribution"] for s in data["sections"])
    assert abs(total - data["logit"]) <= 1e-9


def test_classify_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["classify", SCI, "--html", str(out), "--toward", "engineer"]) == 0
    printed = capsys.readouterr().out
    assert "true of the candidate" in printed and str(out) in printed
    assert main(["classify", SCI]) == 0  # a settled lean: one line, no list of noise
    assert "the lean is settled" in capsys.readouterr().out
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "scientist_resume.pdf" in page
    assert "http://" not in page and "https://" not in page


def test_word_scans_and_legacy_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docx = FIXTURES / "docx" / "scientist_table.docx"
    assert main(["classify", str(docx), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] == "scientist"
    legacy = tmp_path / "cv.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["classify", str(legacy)]) == 1
    assert "convert" in capsys.readouterr().err
    scan = FIXTURES / "scanned" / "engineer_resume.pdf"
    assert main(["classify", str(scan)]) == 1
    assert "--ocr" in capsys.readouterr().err
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed (apt-get install tesseract-ocr)")
    assert main(["classify", str(scan), "--ocr", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ocr"] is True and data["label"] == "engineer"
    assert any("Tesseract" in w for w in data["warnings"])


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from classifier.cli import main\n"
        "try:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'joblib', 'pdfplumber', 'docx',"
        " 'fastapi', 'starlette', 'uvicorn', 'multipart', 'pylatexenc', 'openpyxl')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "classify" in proc.stdout and "batch" in proc.stdout and "serve" in proc.stdout
    assert "HEAVY []" in proc.stderr


def test_classify_imports_no_web_stack() -> None:
    """The web stack is for `serve` only: classify's start-up does not pay for it."""
    code = (
        "import sys, contextlib, io\n"
        "from classifier.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['classify', {SCI!r}])\n"
        "web = [m for m in ('fastapi', 'starlette', 'uvicorn', 'multipart', 'sklearn', 'numpy')"
        " if m in sys.modules]\n"
        "print('WEB', web, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "WEB []" in proc.stderr
