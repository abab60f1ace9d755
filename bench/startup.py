"""Start-up cost: ``resume-role classify --json`` vs bare pdfplumber, each in a fresh process.

Prints the median wall time of each over several alternating runs and their ratio
(target: classify at most 1.5x the bare extraction of the same file).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "scientist_resume.pdf"
RUNS = 15

BARE = (
    "import pdfplumber\n"
    "with pdfplumber.open({path!r}) as pdf:\n"
    "    text = '\\n'.join(p.extract_text() or '' for p in pdf.pages)\n"
    "print(len(text))\n"
)


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(pdf: Path = SAMPLE, runs: int = RUNS, engine: str | None = None) -> dict[str, float]:
    """Median seconds of the bare extraction and of classify, run alternately."""
    bare = [sys.executable, "-c", BARE.format(path=str(pdf))]
    classify = [sys.executable, "-m", "classifier", "classify", str(pdf), "--json"]
    if engine:
        classify += ["--engine", engine]
    # As `pip install` leaves it: the package's bytecode compiled (an editable install under
    # PYTHONDONTWRITEBYTECODE, as on these machines, would compile ~35 modules a run).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "classifier")], check=True)
    _time(bare), _time(classify)  # warm the file cache
    bare_t, cls_t = [], []
    for _ in range(runs):
        bare_t.append(_time(bare))
        cls_t.append(_time(classify))
    b, c = statistics.median(bare_t), statistics.median(cls_t)
    # The minimum is the least disturbed run of each: on a shared machine it is
    # the steadiest estimate of the cost itself; the median is reported too.
    return {"bare_s": b, "classify_s": c, "ratio": c / b, "best_ratio": min(cls_t) / min(bare_t)}


def main() -> None:
    r = measure()
    print(
        f"bare pdfplumber {r['bare_s'] * 1000:.0f} ms, "
        f"classify --json {r['classify_s'] * 1000:.0f} ms "
        f"(median of {RUNS}, fresh processes): ratio {r['ratio']:.2f}x, best-of-{RUNS} ratio "
        f"{r['best_ratio']:.2f}x (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
