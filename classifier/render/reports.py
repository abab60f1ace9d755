"""Reports in words: the model card (Markdown), an evaluation and a retraining comparison.

Renderers: plain dicts in (as the training and evaluation code builds them), strings out.
"""

from __future__ import annotations

from typing import Any

from classifier.config import LABELS
from classifier.render.numbers import num, pct


def render_card(card: dict[str, Any]) -> str:
    """A short Markdown rendering of ``card.json``."""
    cv = card.get("cross_validation", {})
    lines = [
        "# Model card",
        "",
        f"- created: {card.get('created', '?')}",
        f"- training examples: {card.get('examples', '?')} "
        f"({', '.join(f'{k}: {v}' for k, v in card.get('class_counts', {}).items())}), "
        f"{card.get('groups', '?')} groups",
        f"- vocabulary terms (features): {card.get('vocabulary_terms', '?')}",
        f"- data sha256: `{card.get('data_hash', '?')}`",
        "",
        f"## Cross-validation ({cv.get('folds', '?')} folds, "
        f"grouped by {cv.get('grouped_by', '?')})",
        "",
    ]
    lines += _metric_lines(cv)
    for name, block in card.get("evaluations", {}).items():
        lines += ["", f"## Evaluation: {name}", "", *_metric_lines(block)]
    if card.get("limits"):
        lines += ["", "## Known limits", ""] + [f"- {x}" for x in card["limits"]]
    versions = card.get("versions", {})
    lines += ["", "## Versions", "", ", ".join(f"{k} {v}" for k, v in versions.items()), ""]
    return "\n".join(lines)


def _metric_lines(block: dict[str, Any]) -> list[str]:
    out = []
    for key in (
        "n", "accuracy", "roc_auc", "brier", "undetermined_rate", "out_of_domain_n",
        "out_of_domain_flagged",
    ):  # fmt: skip
        value = block.get(key)
        if value is not None:
            out.append(f"- {key}: {value:.4g}" if isinstance(value, float) else f"- {key}: {value}")
    return out


def render_evaluation(report: dict[str, Any]) -> str:
    """Human-readable summary of :func:`evaluate`'s report."""
    lines = [f"items: {report['items']}"]
    if "accuracy" in report:
        f1 = ", ".join(f"{k} {v:.3f}" for k, v in report["f1"].items())
        cm = report["confusion_matrix"]["rows_true_cols_predicted"]
        und = report["undetermined_by_label"]
        lines += [
            f"accuracy {report['accuracy']:.3f}   ROC AUC {num(report['roc_auc'])}   "
            f"Brier {num(report['brier'])}",
            f"F1: {f1}",
            f"confusion (rows true, cols predicted; {', '.join(LABELS)}): {cm}",
            f"undetermined: {report['undetermined_rate']:.1%} "
            f"({', '.join(f'{k} {pct(v)}' for k, v in und.items())})",
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


def render_comparison(comparison: dict[str, Any]) -> str:
    """The comparison as a small table plus the terms that moved most."""
    lines = []
    if "new" in comparison:
        cur, new = comparison["current"], comparison["new"]
        lines.append(
            f"on {comparison['n']} new examples, {comparison['folds']}-fold cross-validation:"
        )
        lines.append(f"  {'metric':<10} {'current':>9} {'new':>9}")
        for key in ("accuracy", "roc_auc", "brier"):
            lines.append(f"  {key:<10} {num(cur.get(key)):>9} {num(new.get(key)):>9}")
    elif comparison.get("skipped"):
        lines.append(comparison["skipped"])
    if comparison.get("changed_terms"):
        lines.append("terms whose weights changed most (positive = toward scientist):")
        for c in comparison["changed_terms"]:
            lines.append(
                f"  {c['term']:<28} {c['before']:+.3f} -> {c['after']:+.3f} ({c['change']:+.3f})"
            )
    return "\n".join(lines)
