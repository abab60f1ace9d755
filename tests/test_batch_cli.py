"""``resume-role batch`` as a user runs it: interrupted and resumed, piped, retried, on Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classifier.cli import main

from .conftest import EXAMPLES
from .fixtures.hostile import many_glyphs_pdf, text_pdf

ROOT = Path(__file__).resolve().parent.parent


def _folder(root: Path, n: int = 6) -> Path:
    root.mkdir()
    for i in range(n):
        text_pdf(
            root / f"r{i:02d}.pdf",
            [f"Resume {i}", "Machine learning engineer", "Kubernetes, Docker, MLflow, serving"],
        )
    return root


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "classifier", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.mark.parametrize("jobs", [pytest.param("1", marks=pytest.mark.heavy), "2"])
def test_ctrl_c_exits_130_and_the_same_command_resumes(tmp_path: Path, jobs: str) -> None:
    folder = _folder(tmp_path / "in")
    many_glyphs_pdf(folder / "r03_slow.pdf", 400_000)  # holds a worker while we interrupt
    out = tmp_path / "rows.jsonl"
    proc = _cli("batch", str(folder), "-o", str(out), "-j", jobs, "--timeout", "30")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not out.exists() or not out.read_text().strip()):
        time.sleep(0.05)
    assert out.exists() and out.read_text().strip(), "no row was written before the deadline"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted; run the same command again to resume" in err
    assert "Traceback" not in err
    written = _lines(out)
    assert 0 < len(written) < 7
    again = _cli("batch", str(folder), "-o", str(out), "-j", jobs, "--timeout", "2")
    _, err = again.communicate(timeout=60)
    assert again.returncode == 3, err  # the slow file ends as an error row, every other is ok
    rows = _lines(out)
    assert sorted(r["source"] for r in rows) == sorted(p.name for p in folder.iterdir())
    assert {r["source"] for r in rows if r["status"] == "error"} == {"r03_slow.pdf"}
    assert f"{len(written)} kept from an earlier run" in err or "kept" in err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "in", 8)
    proc = _cli("batch", str(folder), "-j", "1")
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    proc.wait(timeout=60)
    err = proc.stderr.read() if proc.stderr else ""
    assert json.loads(first)["status"] == "ok"
    assert proc.returncode == 0 and "Traceback" not in err and "BrokenPipe" not in err


def test_retry_errors_rescores_earlier_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path / "in", 2)
    out = tmp_path / "rows.jsonl"
    run = ["batch", str(folder), "-o", str(out), "-j", "1", "--engine", "pdfplumber"]
    # A timeout no reader can meet: both files fail, as after a too-strict first run.
    assert main([*run, "--timeout", "0.002"]) == 3
    assert {r["status"] for r in _lines(out)} == {"error"}
    assert "--timeout" in str(_lines(out)[0]["error"])
    # without --retry-errors the failures are kept as they are
    assert main(run) == 3
    assert "0 scored now, 2 kept" in capsys.readouterr().err
    assert main([*run, "--retry-errors"]) == 0
    assert "2 scored now, 0 kept" in capsys.readouterr().err
    assert {r["status"] for r in _lines(out)} == {"ok"} and len(_lines(out)) == 2


def test_scheduler_local_from_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("engineer_resume.pdf", "scientist_resume.pdf", "scientist_resume.txt"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert main(["batch", str(folder), "-o", str(local), "-j", "1"]) == 0
    assert main(["batch", str(folder), "-o", str(dask), "-j", "2", "--scheduler", "local"]) == 0
    assert local.read_text() == dask.read_text()
