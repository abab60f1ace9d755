"""The web server under load: ``POST /api/v1/classify`` at 1, 4 and 16 concurrent clients
versus ``resume-role batch`` on the same files, in the same run.

python bench/serve_bench.py [--files 120] [--engines pdfium,pdfplumber]
  -> prints a markdown table and appends it to bench/results.md

For each PDF engine (both sides use the same one: ``--engine``), on ``--files`` distinct
two-page generated resumes:

* ``batch --jobs N -o rows.jsonl`` (N = cores): files/s over the whole command, start-up
  included: the baseline every other throughput is a ratio to;
* a live ``resume-role serve --jobs N`` (started once per engine, its readers warmed up
  first): C client threads (C = 1, 4, 16) each with one keep-alive connection post the
  files as multipart uploads; files/s is files over wall time, latency is per file from
  the first attempt to its answer (a 503 is retried after its Retry-After, as a client
  should, and that wait is part of the latency);
* in-process, one file at a time: ``classify`` (read in the guarded child, score,
  explain) plus the ``--json`` explanation, the same work a request does without HTTP
  and the reader pool: the per-request overhead is the server's p50 at 1 client minus
  this p50.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import httpx
from common import OUT, ROOT, machine, record, resume_pdfs

from tests.serve_support import live_server

HEADING = "## Web server (bench/serve_bench.py)"
CONCURRENCY = (1, 4, 16)
MAX_ATTEMPTS = 100  # per file: 503s retried, bounded
TIME_LIMIT_S = 900  # per measurement


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def batch_seconds(folder: Path, engine: str, jobs: int) -> float:
    """Wall seconds of ``resume-role batch`` over the folder (a fresh output each time)."""
    out = OUT / f"serve-bench-batch-{engine}.jsonl"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out),
           "--jobs", str(jobs), "--engine", engine]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL, cwd=ROOT)
    seconds = time.perf_counter() - start
    rows = out.read_text().splitlines()
    assert len(rows) == len(list(folder.glob("*.pdf"))), "batch did not score every file"
    return seconds


def in_process(paths: list[Path], engine: str) -> list[float]:
    """Seconds per file of the work one request does, without HTTP: read (guarded child),
    score, explain, and the ``classify --json`` dictionary."""
    from classifier.explain import explain_fully
    from classifier.flow import classify
    from classifier.model.store import load_model
    from classifier.read.guard import ReadOptions
    from classifier.render.json import explanation_dict

    model = load_model(None)
    options = ReadOptions(engine=engine)
    explanation_dict(explain_fully(classify(paths[0], model, options), model))  # warm up
    times = []
    for path in paths:
        start = time.perf_counter()
        explanation_dict(explain_fully(classify(path, model, options), model))
        times.append(time.perf_counter() - start)
    return times


def load(url: str, paths: list[Path], clients: int) -> dict[str, float]:
    """Every file once, from ``clients`` threads: files/s, latencies, 503s retried."""
    todo: queue.Queue[Path] = queue.Queue()
    for path in paths:
        todo.put(path)
    data = {path: path.read_bytes() for path in paths}
    latencies: list[float] = []
    busy = [0]
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S

    def client(http: httpx.Client) -> None:
        with http:
            while time.monotonic() < deadline:
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                for _ in range(MAX_ATTEMPTS):
                    response = http.post("/api/v1/classify",
                                         files={"file": (path.name, data[path], "application/pdf")})  # fmt: skip
                    if response.status_code != 503:
                        break
                    with lock:
                        busy[0] += 1
                    time.sleep(float(response.headers.get("retry-after", "1")))
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors.append(f"{path.name}: {response.status_code} {response.text[:200]}")

    # The clients are made before the clock starts: making one (its SSL context, even for
    # plain HTTP) costs ~10-20 ms, which at 16 clients was a third of a 120-file run.
    https = [httpx.Client(base_url=url, timeout=120) for _ in range(clients)]
    threads = [threading.Thread(target=client, args=(http,)) for http in https]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    wall = time.perf_counter() - start
    if errors or len(latencies) != len(paths):
        raise RuntimeError(f"{len(latencies)}/{len(paths)} answered; {errors[:3]}")
    return {
        "files_per_s": len(paths) / wall,
        "p50_s": statistics.median(latencies),
        "p95_s": _percentile(latencies, 0.95),
        "busy": busy[0],
    }


def _drain(stream: IO[str] | None) -> None:
    """Read the server's output as it comes, so that a full pipe never blocks it."""
    if stream is not None:
        threading.Thread(target=stream.read, daemon=True).start()


def measure(paths: list[Path], folder: Path, engine: str, jobs: int) -> dict[str, object]:
    result: dict[str, object] = {"engine": engine}
    batch_bench_s = batch_seconds(folder, engine, jobs)
    result["batch_files_per_s"] = len(paths) / batch_bench_s
    with live_server("--engine", engine, jobs=jobs) as server:
        _drain(server.process.stderr)
        # every reader process has read a PDF (its libraries imported) before timing
        warm = load(server.url, paths[: 2 * jobs], 2 * jobs)
        assert warm["files_per_s"] > 0
        result["server"] = {c: load(server.url, paths, c) for c in CONCURRENCY}
    times = in_process(paths, engine)
    result["in_process_files_per_s"] = len(times) / sum(times)
    result["in_process_p50_s"] = statistics.median(times)
    result["in_process_p95_s"] = _percentile(times, 0.95)
    return result


def table(results: list[dict[str, object]], jobs: int, files: int) -> str:
    lines = [
        "| what | engine | files/s | p50 latency | p95 latency | vs batch |",
        "|---|---|---|---|---|---|",
    ]
    notes = []
    for r in results:
        engine = r["engine"]
        base = float(r["batch_files_per_s"])  # type: ignore[arg-type]
        lines.append(f"| `batch --jobs {jobs}` (baseline, start-up included) | {engine} | "
                     f"{base:.1f} |  |  | 1.00x |")  # fmt: skip
        server: dict[int, dict[str, float]] = r["server"]  # type: ignore[assignment]
        for c, s in server.items():
            busy = f"; {s['busy']:.0f} answers 503, retried" if s["busy"] else ""
            lines.append(
                f"| server, {c} client{'s' if c > 1 else ''}{busy} | {engine} | "
                f"{s['files_per_s']:.1f} | {s['p50_s'] * 1000:.0f} ms | "
                f"{s['p95_s'] * 1000:.0f} ms | {s['files_per_s'] / base:.2f}x |"
            )
        ip = float(r["in_process_files_per_s"])  # type: ignore[arg-type]
        p50 = float(r["in_process_p50_s"])  # type: ignore[arg-type]
        p95 = float(r["in_process_p95_s"])  # type: ignore[arg-type]
        lines.append(f"| in-process classify + JSON, one file at a time | {engine} | {ip:.1f} | "
                     f"{p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms | {ip / base:.2f}x |")  # fmt: skip
        one = server[1]["p50_s"]
        notes.append(f"{engine}: {(one - p50) * 1000:+.0f} ms per request "
                     f"({one * 1000:.0f} ms vs {p50 * 1000:.0f} ms, {one / p50:.2f}x)")  # fmt: skip
    return (
        "\n".join(lines)
        + f"\n\n{files} distinct two-page generated resumes; server and batch with --jobs {jobs}"
        " (the cores). Per-request overhead of the server over in-process classify at 1 client"
        " (p50 minus p50): " + "; ".join(notes) + "."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--engines", default="pdfium,pdfplumber")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    jobs = os.cpu_count() or 1
    folder = OUT / f"serve-pdfs-{args.files}"
    paths = resume_pdfs(folder, args.files, seed=13)
    results = [measure(paths, folder, e, jobs) for e in args.engines.split(",")]
    elapsed = time.perf_counter() - start
    text = (
        f"{HEADING}\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"`python bench/serve_bench.py` took {elapsed:.0f} s (1-minute load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after: other work on the machine "
        "skews the numbers).\n\n"
        f"{table(results, jobs, args.files)}\n"
    )
    print(text)
    if not args.no_write:
        record(text)


if __name__ == "__main__":
    main()
