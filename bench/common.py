"""Inputs the benchmarks generate for themselves: labelled documents and resume PDFs."""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.md"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from classifier.outputs import write_text_atomic  # noqa: E402
from tests.fixtures.hostile import text_pdf  # noqa: E402 - one PDF writer for tests and benchmarks


def machine() -> str:
    """Cores, CPU, Python, system and load average: the line every benchmark section opens
    with (these machines are shared; the load says how noisy a run was)."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()}, load average {load}"
    )


def record(section: str, *, head: bool = False) -> None:
    """Write ``section`` into bench/results.md atomically.

    Sections are appended, so a "before" and an "after" run stay side by side; with
    ``head``, ``section`` replaces the file's opening part (bench/run.py's summary, up to the
    first ``## `` heading) and every later section is kept.
    """
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if head:
        cut = old.find("\n## ")
        text = section.rstrip("\n") + "\n" + (old[cut:] if cut >= 0 else "")
    else:
        text = old.rstrip("\n") + "\n\n" + section.strip("\n") + "\n"
    write_text_atomic(RESULTS, text)


def generated_documents(n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` labelled resume-like documents, each 8-25 corpus lines of one label."""
    lines: dict[str, list[str]] = {"engineer": [], "scientist": []}
    for row in (ROOT / "training_data" / "corpus" / "lines.jsonl").read_text().splitlines():
        obj = json.loads(row)
        lines[obj["label"]].append(obj["text"])
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        label = "engineer" if i % 2 == 0 else "scientist"
        body = rng.sample(lines[label], rng.randint(8, 25))
        docs.append({"text": f"Candidate {i}\n" + "\n".join(body), "label": label})
    return docs


def resume_pdfs(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` two-page resume PDFs (about 60 lines each) in ``folder``, made once."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, doc in enumerate(generated_documents(n, seed)):
        path = folder / f"resume-{i:05d}.pdf"
        if not path.exists():
            lines = [w for line in doc["text"].split("\n") for w in _wrap(line, 95)]
            text_pdf(path, (lines * 3)[:62])
        paths.append(path)
    return paths


def _wrap(line: str, width: int) -> list[str]:
    words, out, cur = line.split(), [], ""
    for word in words:
        if cur and len(cur) + len(word) + 1 > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return [*out, cur] if cur else out


def write_jsonl(rows: list[dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def run_measured(code: str) -> tuple[float, float, str]:
    """Run Python ``code`` in a fresh process: (wall seconds, peak RSS MiB, stdout)."""
    wrapper = (
        "import resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "print('ELAPSED', time.perf_counter() - t0)\n"
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, check=True
    )
    fields = dict(
        line.split(" ", 1)
        for line in proc.stdout.splitlines()
        if line.startswith(("ELAPSED", "MAXRSS"))
    )
    return float(fields["ELAPSED"]), int(fields["MAXRSS"]) / 1024, proc.stdout


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(fields[21]) * 4096
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total / 1024 / 1024


def peak_tree_rss(cmd: list[str], interval: float = 0.2) -> tuple[float, float]:
    """Run ``cmd``; return (seconds, peak RSS MiB of its whole process tree), sampled."""
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_rss_mib(proc.pid))
        time.sleep(interval)
    return time.perf_counter() - start, peak
