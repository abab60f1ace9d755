"""Batch throughput: --jobs 2 vs --jobs 1 vs a naive single-process loop; memory over many files.

The naive loop is what one would write by hand: pdfplumber's extract_text on
every page, then the scikit-learn pipeline's predict_proba, one file at a time.
"""

from __future__ import annotations

import subprocess
import sys
import time

from common import OUT, ROOT, peak_tree_rss, resume_pdfs

FILES = 200
MEMORY_FILES = 2_000

NAIVE = """
import warnings, pdfplumber
from pathlib import Path
from classifier.model.store import load_pipeline
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


def throughput(n: int = FILES, engines: tuple[str, ...] = ("pdfium", "pdfplumber")) -> dict:
    """Seconds for the naive loop and for batch --jobs 1/2 with each engine, same files."""
    folder = OUT / f"pdfs-{n}"
    resume_pdfs(folder, n)
    model = str(ROOT / "models" / "default")
    start = time.perf_counter()
    naive_code = NAIVE.format(model=model, folder=str(folder))
    subprocess.run([sys.executable, "-c", naive_code], check=True)
    result: dict = {"files": n, "naive_s": time.perf_counter() - start}
    for engine in engines:
        for jobs in (1, 2):
            result[f"{engine}_jobs{jobs}_s"] = _batch(str(folder), jobs, ["--engine", engine])
    return result


def memory(n: int = MEMORY_FILES, engine: str = "pdfium") -> dict[str, float]:
    """Peak resident memory of the whole process tree (parent and workers), sampled."""
    folder = OUT / f"pdfs-{n}"
    resume_pdfs(folder, n)
    out = OUT / "batch-memory.jsonl"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out), "--jobs", "2",
           "--engine", engine]  # fmt: skip
    seconds, peak = peak_tree_rss(cmd)
    return {"files": n, "seconds": seconds, "peak_tree_mib": peak}


def main() -> None:
    r = throughput()
    print(f"{r['files']} files: naive loop {r['naive_s']:.1f} s")
    for engine in ("pdfium", "pdfplumber"):
        one, two = r[f"{engine}_jobs1_s"], r[f"{engine}_jobs2_s"]
        print(
            f"  batch --engine {engine}: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s; "
            f"--jobs 2 vs naive {r['naive_s'] / two:.2f}x, --jobs 2 vs --jobs 1 {one / two:.2f}x"
        )
    m = memory()
    print(f"{m['files']} files, --jobs 2: {m['seconds']:.1f} s, peak RSS of the tree "
          f"{m['peak_tree_mib']:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
