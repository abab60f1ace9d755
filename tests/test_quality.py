"""Model quality on project-written held-out data: out-of-domain answers, calibration, language.

The held-out and out-of-domain sets in tests/data were written independently of
the training corpus and are never trained on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier import classify_text
from classifier.model.scoring import ScoringModel

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def test_out_of_domain_resumes_are_undetermined(model: ScoringModel) -> None:
    rows = _rows("out_of_domain.jsonl")
    assert len(rows) >= 30
    tech = [r for r in rows if r["id"].startswith("ood-tech")]
    assert len(tech) >= len(rows) // 3  # software, DevOps and hardware engineers
    flagged = [classify_text(r["text"], model).label == "undetermined" for r in rows]
    assert sum(flagged) / len(rows) >= 0.9


@pytest.mark.parametrize("name", ["heldout_ml.jsonl", "heldout_hard.jsonl"])
def test_ml_resumes_are_rarely_undetermined_and_read_right(model: ScoringModel, name: str) -> None:
    rows = _rows(name)
    results = [classify_text(r["text"], model) for r in rows]
    undetermined = sum(r.label == "undetermined" for r in results)
    assert undetermined / len(rows) <= 0.05
    right = sum(res.lean == row["label"] for res, row in zip(results, rows, strict=True))
    assert right / len(rows) >= 0.9


def test_mostly_non_english_resumes_are_undetermined_with_a_warning(model: ScoringModel) -> None:
    for row in _rows("non_english.jsonl"):
        r = classify_text(row["text"], model)
        assert r.label == "undetermined", row["id"]
        assert any("not English" in w for w in r.warnings), row["id"]


def test_english_resumes_get_no_language_warning(model: ScoringModel) -> None:
    rows = _rows("heldout_ml.jsonl") + _rows("heldout_hard.jsonl") + _rows("out_of_domain.jsonl")
    for row in rows:
        assert not classify_text(row["text"], model).warnings, row["id"]


def _body(text: str) -> str:
    """A resume without its name and contact lines: more entries of the same kind."""
    return "\n".join(text.split("\n")[2:])


@pytest.mark.parametrize("label", ["engineer", "scientist"])
def test_three_pages_are_not_more_certain_than_one(model: ScoringModel, label: str) -> None:
    rows = [r for r in _rows("heldout_ml.jsonl") if r["label"] == label]
    for i, row in enumerate(rows):
        others = [rows[(i + 1) % len(rows)], rows[(i + 2) % len(rows)]]
        longer = "\n".join([row["text"], *(_body(o["text"]) for o in others)])
        one = classify_text(row["text"], model).scientist_probability
        three = classify_text(longer, model).scientist_probability
        assert abs(one - three) <= 0.1, (row["id"], one, three)


def test_the_independent_held_out_set_v2() -> None:
    """123 documents by a writer who saw neither the corpus nor the vocabulary
    (tests/data/heldout_v2/BRIEF.md): mixed profiles labelled by the current role,
    requirement-heavy postings, other people's titles and hard negatives."""
    from classifier.model.store import load_model
    from classifier.training.evaluate import evaluate
    from classifier.training.labelled import read_labelled

    from .conftest import ROOT

    data = read_labelled([ROOT / "tests" / "data" / "heldout_v2" / "heldout_v2.jsonl"], True)
    report = evaluate(data.examples, load_model())
    # measured 2026-12-04: accuracy 0.923, ROC AUC 0.985, Brier 0.052, 1.1% of ML items
    # undetermined, 84% of the hard negatives flagged (the aim: 95%)
    assert report["accuracy"] >= 0.9 and report["roc_auc"] >= 0.97
    assert report["undetermined_rate"] <= 0.03
    assert report["out_of_domain"]["undetermined_rate"] >= 0.8
