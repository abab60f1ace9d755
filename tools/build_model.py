"""Rebuild the bundled model (models/default) with the project's evaluation sets in its card.

    python tools/build_model.py

The held-out and out-of-domain sets in tests/data and, when present, the shared
dev postings (as is and with the job-title words blanked) are measured in the
card; none of them is ever trained on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classifier.training.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = [
    ("held-out ML resumes (project-written)", DATA / "heldout_ml.jsonl"),
    ("held-out hard ML resumes (project-written, mixed profiles)", DATA / "heldout_hard.jsonl"),
    ("out-of-domain resumes (project-written)", DATA / "out_of_domain.jsonl"),
    ("mostly non-English ML resumes", DATA / "non_english.jsonl"),
    ("held-out v2: independent writer, hard cases", DATA / "heldout_v2" / "heldout_v2.jsonl"),
]
DEV = ("dev job postings (shared/eval)", ROOT.parent / "shared" / "eval" / "job_posts_dev.jsonl")


def arguments() -> list[str]:
    args = [f"--evaluate={name}={path}" for name, path in SETS if path.is_file()]
    if DEV[1].is_file():
        args.append(f"--blank-evaluate={DEV[0]}={DEV[1]}")
    return args + sys.argv[1:]


if __name__ == "__main__":
    raise SystemExit(main(arguments()))
