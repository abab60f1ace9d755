"""What a model card says beyond cross-validation: metrics on sets never trained on, and limits."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from classifier.model.scoring import ScoringModel
from classifier.training.corpus import Example
from classifier.training.labelled import read_labelled

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


def read_evaluation_sets(
    files: Sequence[tuple[str, str | os.PathLike[str]]], blank_titles: bool = False
) -> dict[str, list[Example]]:
    """Labelled sets for a model card, by name (label ``none`` allowed); never trained on.

    With ``blank_titles``, each set also appears with the words engineer(s) and
    scientist(s) blanked, to show how much the verdict leans on job titles.
    """
    sets = {name: read_labelled([path], allow_none=True).examples for name, path in files}
    if blank_titles:
        titles = re.compile(r"\b(engineer|scientist)s?\b", re.IGNORECASE)
        for name, examples in list(sets.items()):
            sets[f"{name}, engineer/scientist blanked"] = [
                Example(titles.sub(" ", e.text), e.label, e.group, e.source) for e in examples
            ]
    return sets


def evaluations(model: ScoringModel, sets: dict[str, list[Example]]) -> dict[str, Any]:
    """Card metrics on labelled sets that were never trained on."""
    from classifier.training.evaluate import evaluate

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
