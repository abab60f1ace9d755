"""What a model card says beyond cross-validation: metrics on sets never trained on, and limits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .corpus import Example
from .labelled import read_labelled
from .model import ScoringModel

KNOWN_LIMITS = (
    "Scores the vocabulary of a resume, not the person: not a measure of quality or fit, "
    "and not for automatic rejection.",
    "Trained on the article's role vocabularies and text written for the project; real "
    "resumes are measured only through the dev postings and project-written held-out sets.",
    "Job postings describe both roles' requirements at once, and mixed roles read toward "
    "the other side: engineer postings at research organisations that ask for a PhD, "
    "probability or Bayesian methods, and scientist postings that ask for inference "
    "optimisation, C++ and software engineering. Dev accuracy is lower than on resumes.",
    "Degrees count as held: 'BS, MS or PhD' in a posting's requirements reads as a PhD.",
    "English only: a mostly non-English resume is undetermined.",
    "Scans are read only with --ocr, and OCR can misread terms (I/l confusions).",
)


def evaluations(model: ScoringModel, sets: dict[str, list[Example]]) -> dict[str, Any]:
    """Card metrics on labelled sets that were never trained on."""
    from .evaluate import evaluate

    out = {}
    for name, examples in sets.items():
        report = evaluate(examples, model)
        keep = ("n", "accuracy", "roc_auc", "brier", "undetermined_rate")
        block = {k: report[k] for k in keep if k in report}
        if "out_of_domain" in report:
            block["out_of_domain_n"] = report["out_of_domain"]["n"]
            block["out_of_domain_flagged"] = report["out_of_domain"]["undetermined_rate"]
        out[name] = block
    return out


def evaluation_sets() -> dict[str, list[Example]]:
    """The project's held-out sets and, when present, the shared dev postings (as is and
    with the title words blanked). None of them is ever trained on."""
    root = Path(__file__).resolve().parent.parent
    data = root / "tests" / "data"
    files = {
        "held-out ML resumes (project-written)": data / "heldout_ml.jsonl",
        "held-out hard ML resumes (project-written, mixed profiles)": data / "heldout_hard.jsonl",
        "out-of-domain resumes (project-written)": data / "out_of_domain.jsonl",
        "mostly non-English ML resumes": data / "non_english.jsonl",
        "dev job postings (shared/eval)": root.parent / "shared" / "eval" / "job_posts_dev.jsonl",
    }
    sets = {
        name: read_labelled([path], allow_none=True).examples
        for name, path in files.items()
        if path.is_file()
    }
    dev = sets.get("dev job postings (shared/eval)")
    if dev:
        titles = re.compile(r"\b(engineer|scientist)s?\b", re.IGNORECASE)
        sets["dev job postings, engineer/scientist blanked"] = [
            Example(titles.sub(" ", e.text), e.label, e.group, e.source) for e in dev
        ]
    return sets
