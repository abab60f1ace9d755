"""Batch throughput: --jobs 2 vs --jobs 1 vs a naive single-process loop; memory over many files.

The naive loop is what one would write by hand: pdfplumber's extract_text on
every page, then the scikit-learn pipeline's predict_proba, one file at a time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from common import OUT, ROOT, peak_tree_rss, resume_pdfs

FILES = 200
MEMORY_FILES = 2_000

NAIVE = """
import warnings, pdfplumber
from pathlib import Path
from classifier.model import load_pipeline
warnings.simplefilter("ignore")
pipe = load_pipeline({model!r})
for path in sorted(Path({folder!r}).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        text = "\\n".join(page.extract_text() or "" for page in pdf.pages)
    pipe.predict_proba([text])
"""


def _batch(folder: str, jobs: int, extra: list[str] | None = None) -> float:
    out = OUT / f"batch-{jobs}.jsonl"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "classifier", "batch", folder, "-o", str(out), "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd + (extra or []), check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def throughput(n: int = FILES) -> dict[str, float]:
    folder = OUT / f"pdfs-{n}"
    resume_pdfs(folder, n)
    model = str(ROOT / "models" / "default")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", NAIVE.format(model=model, folder=str(folder))], check=True
    )
    naive = time.perf_counter() - start
    one = _batch(str(folder), 1)
    two = _batch(str(folder), 2)
    return {"files": n, "naive_s": naive, "jobs1_s": one, "jobs2_s": two}


def memory(n: int = MEMORY_FILES) -> dict[str, float]:
    """Peak resident memory of the whole process tree (parent and workers), sampled."""
    folder = OUT / f"pdfs-{n}"
    resume_pdfs(folder, n)
    out = OUT / "batch-memory.jsonl"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out), "--jobs", "2"]
    seconds, peak = peak_tree_rss(cmd)
    return {"files": n, "seconds": seconds, "peak_tree_mib": peak}


def main() -> None:
    r = throughput()
    print(
        f"{r['files']} files: naive loop {r['naive_s']:.1f} s, "
        f"batch --jobs 1 {r['jobs1_s']:.1f} s, "
        f"--jobs 2 {r['jobs2_s']:.1f} s; --jobs 2 vs naive {r['naive_s'] / r['jobs2_s']:.2f}x, "
        f"--jobs 2 vs --jobs 1 {r['jobs1_s'] / r['jobs2_s']:.2f}x"
    )
    m = memory()
    print(
        f"{m['files']} files with --jobs 2: {m['seconds']:.1f} s, peak RSS of the process tree "
        f"{m['peak_tree_mib']:.0f} MiB"
    )
    shutil.rmtree(OUT / f"pdfs-{MEMORY_FILES}", ignore_errors=True)


if __name__ == "__main__":
    main()
