"""Measuring a model on labelled data: how often right, how well calibrated, what it refuses.

Metrics on ML items use the logit's lean (so undetermined items still count);
the undetermined rate is reported beside them, per true label, and items
labelled ``none`` (not ML resumes) measure how often the model says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifier.config import LABELS, RELIABILITY_BINS, UNDETERMINED, WORST_ITEMS
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.results import Classification, Document
from classifier.training.corpus import Example
from classifier.training.labelled import NONE_LABEL


@dataclass(frozen=True)
class Scored:
    example: Example
    result: Classification


def score_examples(examples: list[Example], model: ScoringModel) -> list[Scored]:
    return [Scored(e, explain(Document(e.source, e.text), model)) for e in examples]


def evaluate(examples: list[Example], model: ScoringModel) -> dict[str, Any]:
    """Accuracy, ROC AUC, F1, Brier, confusion matrix, undetermined rates, worst items."""
    from classifier.training.metrics import binary_metrics

    scored = score_examples(examples, model)
    ml = [s for s in scored if s.example.label in LABELS]
    ood = [s for s in scored if s.example.label == NONE_LABEL]
    report: dict[str, Any] = {"items": len(scored), "model": model.sha256}
    if ml:
        y = [LABELS.index(s.example.label) for s in ml]
        report.update(binary_metrics(y, [s.result.logit for s in ml]))
        report["undetermined_rate"] = _rate(ml)
        report["undetermined_by_label"] = {
            label: _rate([s for s in ml if s.example.label == label]) for label in LABELS
        }
        report["worst"] = [_worst(s) for s in _most_confidently_wrong(ml)]
        report["reliability"] = reliability(
            y, [s.result.scientist_probability for s in ml], RELIABILITY_BINS
        )
        kinds = sorted({s.result.kind for s in ml})
        if len(kinds) > 1:  # resumes and postings apart: they fail differently
            report["by_kind"] = {
                kind: binary_metrics(
                    [LABELS.index(s.example.label) for s in ml if s.result.kind == kind],
                    [s.result.logit for s in ml if s.result.kind == kind],
                )
                for kind in kinds
            }
    if ood:
        report["out_of_domain"] = {"n": len(ood), "undetermined_rate": _rate(ood)}
        if len({s.result.kind for s in ood}) > 1:
            report["out_of_domain"]["by_kind"] = {
                kind: {"n": len(items), "undetermined_rate": _rate(items)}
                for kind in sorted({s.result.kind for s in ood})
                for items in [[s for s in ood if s.result.kind == kind]]
            }
    return report


def reliability(y: list[int], probabilities: list[float], bins: int) -> list[dict[str, Any]]:
    """The reliability table: per bin of predicted P(scientist), how many items, their mean
    prediction and the share that really are scientists (calibrated: the two agree)."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [
            (p, t) for p, t in zip(probabilities, y, strict=True)
            if lo <= p < hi or (b == bins - 1 and p == 1.0)
        ]  # fmt: skip
        n = len(members)
        out.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": n,
                "mean_predicted": sum(p for p, _ in members) / n if n else None,
                "observed": sum(t for _, t in members) / n if n else None,
            }
        )
    return out


def _rate(items: list[Scored]) -> float | None:
    if not items:
        return None
    return sum(s.result.label == UNDETERMINED for s in items) / len(items)


def _most_confidently_wrong(items: list[Scored]) -> list[Scored]:
    wrong = [s for s in items if s.result.lean != s.example.label]
    return sorted(wrong, key=lambda s: -abs(s.result.logit))[:WORST_ITEMS]


def _worst(s: Scored) -> dict[str, Any]:
    r = s.result
    return {
        "source": s.example.source,
        "kind": r.kind,
        "label": s.example.label,
        "predicted": r.label,
        "scientist_probability": r.scientist_probability,
        "top_terms": [
            {"term": c.term, "weight": c.weight, "count": c.count} for c in r.contributions[:5]
        ],
    }
