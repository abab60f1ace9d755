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
        *(
            [f"- weight of the new examples: {card['user_weight']:g}"]
            if "user_weight" in card
            else []
        ),
        *(
            [f"- vocabulary documents trained on: {card['vocabulary_documents']}"]
            if "vocabulary_documents" in card
            else []
        ),
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
    for kind, block in report.get("by_kind", {}).items():
        lines.append(
            f"  {kind}s: n={block['n']}, accuracy {block['accuracy']:.3f}, "
            f"ROC AUC {num(block['roc_auc'])}, Brier {num(block['brier'])}"
        )
    if "out_of_domain" in report:
        o = report["out_of_domain"]
        lines.append(
            f"out-of-domain items: {o['n']}, flagged undetermined {o['undetermined_rate']:.1%}"
        )
        for kind, block in o.get("by_kind", {}).items():
            lines.append(
                f"  {kind}s: n={block['n']}, undetermined {pct(block['undetermined_rate'])}"
            )
    if report.get("reliability"):
        lines.append("reliability (P(scientist) bin: n, mean predicted -> share scientist):")
        lines.append(
            "  "
            + "; ".join(
                f"{b['bin']}: {b['n']}, {num(b['mean_predicted'], 2)} -> {num(b['observed'], 2)}"
                for b in report["reliability"]
                if b["n"]
            )
        )
    if report.get("worst"):
        lines.append("most confidently wrong:")
        for w in report["worst"]:
            terms = ", ".join(f"{t['term']} {t['weight']:+.2f}" for t in w["top_terms"][:3])
            kind = f" {w['kind']}" if w.get("kind") else ""
            lines.append(
                f"  {w['source']}{kind}: {w['label']} read as {w['predicted']} "
                f"(P(scientist) {w['scientist_probability']:.2f}): {terms}"
            )
    return "\n".join(lines)


def render_comparison(comparison: dict[str, Any]) -> str:
    """The comparison as a table (one row per set, with its n) plus the terms that moved most.

    Rows, as :func:`classifier.training.compare.compare_models` builds them: a
    held-out split of your data (the new model refit without it), every fold of
    your data in turn, and each ``--heldout`` set (the new model as written).
    The current model scores every row's texts as it is. ``worse`` marks a row
    where the new model is worse in accuracy or Brier score by a margin a paired
    sign test bears out (the block's ``worse`` list).
    """
    lines = []
    blocks = [comparison[k] for k in ("split", "cross_validation") if k in comparison]
    blocks += list(comparison.get("heldout", {}).values())
    if blocks:
        width = max(28, *(len(b["name"]) for b in blocks))
        lines.append(
            "current model -> new model, each set scored by both; the new model never saw it "
            "(accuracy, ROC AUC: higher is better; Brier: lower is better):"
        )
        lines.append(f"  {'set':<{width}} {'n':>5}  {'accuracy':<14}  {'ROC AUC':<14}  Brier")
        for b in blocks:
            cur, new = b["current"], b["new"]
            cells = [
                f"{num(cur.get(k))} -> {num(new.get(k))}" for k in ("accuracy", "roc_auc", "brier")
            ]
            mark = "  worse" if b.get("worse") else ""
            lines.append(
                f"  {b['name']:<{width}} {b['n']:>5}  "
                + "  ".join(f"{c:<14}" for c in cells).rstrip()
                + mark
            )
    for reason in comparison.get("skipped", []):
        lines.append(reason)
    if comparison.get("changed_terms"):
        lines.append("terms whose weights changed most (positive = toward scientist):")
        for c in comparison["changed_terms"]:
            lines.append(
                f"  {c['term']:<28} {c['before']:+.3f} -> {c['after']:+.3f} ({c['change']:+.3f})"
            )
    return "\n".join(lines)
