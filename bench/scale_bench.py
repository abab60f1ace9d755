"""Scale-out, measured and extrapolated (issue 17, item 8), and memory over 10,000 files.

Over the 2,000 distinct generated resumes of bench/profile_batch.py (1-4 pages, one and two
columns, a text object per glyph, hidden text): a bare pypdfium2 loop, `batch -j 1`,
`batch -j 2` and `batch --scheduler local -j 2` (a Dask LocalCluster of two single-threaded
worker processes), each in a fresh process; the same commands over 40 of the files give
each run's fixed cost (start-up, cluster start), so the per-file cost is the slope between
the two. The parent's own CPU time per file (planning, hashing, handing out work, writing
rows) is what no number of workers can spread: it bounds a single machine's scaling.

Then peak resident memory of the whole process tree for `batch -j 2` over 1,000 and 10,000
distinct files (bench/common.py's two-page resumes): flat means the same peak.

    python bench/scale_bench.py [--files 2000] [--memory 1000,10000] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from common import OUT, machine, peak_tree_rss, record, resume_pdfs
from profile_batch import BARE_FOLDER, make_corpus

from classifier.config import DASK_CHUNK_FILES

#: Tasks a second one Dask scheduler handles, from "up to 1 ms per task" (Dask best practices).
SCHEDULER_TASKS_S = 1000

#: The parent's CPU seconds (this process only: readers are its children) around a batch.
PARENT_CPU = """
import os, resource, sys
from classifier.cli.parser import main
code = main(sys.argv[1:])
self = resource.getrusage(resource.RUSAGE_SELF)
print("PARENT_CPU", self.ru_utime + self.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, parent CPU seconds or nan) of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 3):  # 3: some file was an error row
        raise SystemExit(f"{cmd} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = float("nan")
    for line in proc.stderr.splitlines():
        if line.startswith("PARENT_CPU"):
            cpu = float(line.split()[1])
    return wall, cpu


def _batch(folder: Path, out: Path, *extra: str) -> list[str]:
    out.unlink(missing_ok=True)
    return [sys.executable, "-c", PARENT_CPU, "batch", str(folder), "-o", str(out),
            "--engine", "pdfium", *extra]  # fmt: skip


def runs(folder: Path, small: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Wall and parent-CPU seconds of each configuration over ``folder`` and ``small``."""
    configs = {
        "bare": lambda f: [sys.executable, "-c", BARE_FOLDER, str(f)],
        "j1": lambda f: _batch(f, OUT / "scale-j1.jsonl", "-j", "1"),
        "j2": lambda f: _batch(f, OUT / "scale-j2.jsonl", "-j", "2"),
        "dask": lambda f: _batch(f, OUT / "scale-dask.jsonl", "--scheduler", "local", "-j", "2"),
    }
    out: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": [], "small": []}
                                              for k in configs}  # fmt: skip
    for _ in range(rounds):
        for key, cmd in configs.items():
            wall, cpu = _run(cmd(folder))
            out[key]["wall"].append(wall)
            out[key]["cpu"].append(cpu)
            out[key]["small"].append(_run(cmd(small))[0])
    return out


def _small_copy(paths: list[Path], n: int) -> Path:
    """A folder with ``n`` of the files, spread over the corpus (the fixed-cost runs)."""
    small = OUT / f"scale-small-{len(paths)}-{n}"
    small.mkdir(parents=True, exist_ok=True)
    step = max(1, len(paths) // n)
    for path in paths[::step][:n]:
        target = small / path.name
        if not target.exists():
            target.write_bytes(path.read_bytes())
    return small


def memory(counts: list[int]) -> list[tuple[int, float, float]]:
    """(files, seconds, peak tree RSS MiB) of `batch -j 2` over distinct two-page resumes."""
    result = []
    for n in counts:
        folder = OUT / f"pdfs-{n}"
        resume_pdfs(folder, n)
        out = OUT / "scale-memory.jsonl"
        out.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out),
               "-j", "2", "--engine", "pdfium"]  # fmt: skip
        seconds, peak = peak_tree_rss(cmd, interval=0.1)
        rows = sum(1 for _ in out.open(encoding="utf-8"))
        assert rows == n, f"{rows} rows for {n} files"
        result.append((n, seconds, peak))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--small", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--memory", default="1000,10000")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()

    folder, paths, _ = make_corpus(args.files)
    small = _small_copy(paths, args.small)
    n, k = args.files, len(list(small.glob("*.pdf")))
    mean_kib = statistics.mean(p.stat().st_size for p in paths) / 1024
    r = runs(folder, small, args.rounds)

    def med(key: str, what: str = "wall") -> float:
        return statistics.median(r[key][what])

    def per_file_ms(key: str) -> float:
        """The slope: (wall over n files - wall over k files) / (n - k)."""
        return (med(key) - med(key, "small")) / (n - k) * 1000

    bare = med("bare")
    lines = [
        "",
        "## Scale-out (bench/scale_bench.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"`python bench/scale_bench.py --files {n} --rounds {args.rounds}`. "
        f"{n} distinct generated resumes (bench/profile_batch.py's, mean {mean_kib:.0f} KiB); "
        f"fixed costs from the same commands over {k} of them; medians of {args.rounds} "
        "rounds, alternating.",
        "",
        "| run | wall s | files/s | vs bare loop | fixed s | per file ms (slope) "
        "| parent CPU ms / file |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {
        "bare": "bare pypdfium2 loop (one process)",
        "j1": "batch -j 1",
        "j2": "batch -j 2",
        "dask": "batch --scheduler local -j 2 (Dask LocalCluster, 2 workers)",
    }
    for key, label in names.items():
        cpu = med(key, "cpu") / n * 1000 if key != "bare" else float("nan")
        lines.append(
            f"| {label} | {med(key):.2f} | {n / med(key):.0f} | {bare / med(key):.2f} | "
            f"{med(key, 'small'):.2f} | {per_file_ms(key):.2f} | "
            + ("" if key == "bare" else f"{cpu:.2f}")
            + " |"
        )
    c1 = per_file_ms("j1")  # one worker's cost per file, the parent included
    parent = med("j2", "cpu") / n * 1000
    dask_extra = (per_file_ms("dask") - per_file_ms("j2")) * 2  # worker-ms per file
    scheduler_cap = SCHEDULER_TASKS_S * DASK_CHUNK_FILES
    ceiling = min(1000 / parent, scheduler_cap)
    lines += [
        "",
        f"-j 2 vs -j 1: {med('j1') / med('j2'):.2f}x; the Dask LocalCluster adds "
        f"{med('dask', 'small') - med('j2', 'small'):.1f} s of start-up and "
        f"{dask_extra:.2f} ms of worker time per file over -j 2 (a Dask task carries "
        f"{DASK_CHUNK_FILES} files and their bytes, read in one guarded reader forked from "
        "the worker; the client, which here also runs the scheduler, spends "
        f"{med('dask', 'cpu') / n * 1000:.2f} ms of CPU a file against "
        f"{med('j2', 'cpu') / n * 1000:.2f} ms for -j 2).",
        "",
        "On paper, from these figures (per-file worker cost c = the -j 1 slope, "
        f"{c1:.2f} ms; the parent's serial cost p = {parent:.2f} ms a file):",
        "",
        f"- a 16-core machine, -j 16: up to 16 / c = {16 / c1 * 1000:.0f} files/s if the "
        f"cores scale as 2 did; the parent caps it at 1 / p = {1000 / parent:.0f} files/s, "
        "and shared memory bandwidth and the disk cache usually take some of the rest.",
        f"- a 10-node cluster of 16 cores: 160 / (c + {dask_extra:.2f} ms Dask) = "
        f"{160 / (c1 + dask_extra) * 1000:.0f} files/s of workers; but every file's bytes "
        f"and row pass through the one client (at least p a file: {1000 / parent:.0f} files/s) "
        f"and Dask's one scheduler spends up to ~1 ms a task (its best-practices page: "
        f"~{SCHEDULER_TASKS_S} tasks/s of {DASK_CHUNK_FILES} files), so it stops at "
        f"~{ceiling:.0f} files/s "
        f"({'the client' if 1000 / parent < scheduler_cap else 'the scheduler'} first), "
        f"about {ceiling * c1 / 1000:.0f} cores' worth; beyond that, shard the folder over "
        "several clients and schedulers.",
    ]

    counts = [int(x) for x in args.memory.split(",") if x]
    if counts:
        mem = memory(counts)
        lines += [
            "",
            "Peak resident memory of the whole process tree (parent and readers), "
            "`batch -j 2 --engine pdfium` over distinct two-page resumes (sampled every 0.1 s):",
            "",
            "| files | wall s | peak tree RSS MiB |",
            "|---|---|---|",
            *(f"| {f:,} | {s:.1f} | {m:.0f} |" for f, s, m in mem),
        ]
    lines += ["", f"(The run took {time.perf_counter() - started:.0f} s.)"]
    text = "\n".join(lines)
    print(text)
    print(json.dumps({k: v for k, v in r.items()}), file=sys.stderr)
    if not args.no_write:
        record(text)


if __name__ == "__main__":
    main()
