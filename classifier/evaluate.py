"""Measuring a model on labelled data: how often right, how well calibrated, what it refuses.

Metrics on ML items use the logit's lean (so undetermined items still count);
the undetermined rate is reported beside them, per true label, and items
labelled ``none`` (not ML resumes) measure how often the model says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import LABELS, UNDETERMINED, WORST_ITEMS
from .corpus import Example
from .explain import explain
from .labelled import NONE_LABEL
from .model import ScoringModel
from .results import Classification, Document


@dataclass(frozen=True)
class Scored:
    example: Example
    result: Classification


def score_examples(examples: list[Example], model: ScoringModel) -> list[Scored]:
    return [Scored(e, explain(Document(e.source, e.text), model)) for e in examples]


def evaluate(examples: list[Example], model: ScoringModel) -> dict[str, Any]:
    """Accuracy, ROC AUC, F1, Brier, confusion matrix, undetermined rates, worst items."""
    from .metrics import binary_metrics

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
    if ood:
        report["out_of_domain"] = {"n": len(ood), "undetermined_rate": _rate(ood)}
    return report


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
        "label": s.example.label,
        "predicted": r.label,
        "scientist_probability": r.scientist_probability,
        "top_terms": [
            {"term": c.term, "weight": c.weight, "count": c.count} for c in r.contributions[:5]
        ],
    }


def render_evaluation(report: dict[str, Any]) -> str:
    """Human-readable summary of :func:`evaluate`'s report."""
    lines = [f"items: {report['items']}"]
    if "accuracy" in report:
        f1 = ", ".join(f"{k} {v:.3f}" for k, v in report["f1"].items())
        cm = report["confusion_matrix"]["rows_true_cols_predicted"]
        und = report["undetermined_by_label"]
        lines += [
            f"accuracy {report['accuracy']:.3f}   ROC AUC {_fmt(report['roc_auc'])}   "
            f"Brier {_fmt(report['brier'])}",
            f"F1: {f1}",
            f"confusion (rows true, cols predicted; {', '.join(LABELS)}): {cm}",
            f"undetermined: {report['undetermined_rate']:.1%} "
            f"({', '.join(f'{k} {_pct(v)}' for k, v in und.items())})",
        ]
    if "out_of_domain" in report:
        o = report["out_of_domain"]
        lines.append(
            f"out-of-domain items: {o['n']}, flagged undetermined {o['undetermined_rate']:.1%}"
        )
    if report.get("worst"):
        lines.append("most confidently wrong:")
        for w in report["worst"]:
            terms = ", ".join(f"{t['term']} {t['weight']:+.2f}" for t in w["top_terms"][:3])
            lines.append(
                f"  {w['source']}: {w['label']} read as {w['predicted']} "
                f"(P(scientist) {w['scientist_probability']:.2f}): {terms}"
            )
    return "\n".join(lines)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"
