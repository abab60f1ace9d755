"""Inputs the benchmarks generate for themselves: labelled documents and resume PDFs."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


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
