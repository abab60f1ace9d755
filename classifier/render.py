"""Renderers: result types in, strings out. No I/O here."""

from __future__ import annotations

import json
from typing import Any

from .config import DEFAULT_TOP_TERMS, UNDETERMINED
from .results import BatchSummary, Classification, Contribution


def to_dict(result: Classification) -> dict[str, Any]:
    """The JSON object of ``classify --json``: every non-zero term, unrounded."""
    return {
        "source": result.source,
        "label": result.label,
        "lean": result.lean,
        "scientist_probability": result.scientist_probability,
        "logit": result.logit,
        "bias": result.bias,
        "contributions": [_contribution(c) for c in result.contributions if c.weight != 0.0],
        "evidence_terms": result.evidence_terms,
        "ml_terms": result.ml_terms,
        "pages": result.pages,
        "engine": result.engine,
        "model": result.model,
        "warnings": list(result.warnings),
    }


def _contribution(c: Contribution) -> dict[str, Any]:
    return {
        "term": c.term,
        "weight": c.weight,
        "count": c.count,
        "role": c.role,
        "section": c.section,
    }


def render_json(result: Classification) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2)


def verdict_line(result: Classification) -> str:
    """``scientist-leaning, P(scientist) = 0.87`` or the undetermined wording."""
    p = f"P(scientist) = {result.scientist_probability:.2f}"
    if result.label == UNDETERMINED:
        return (
            f"undetermined: too little machine-learning vocabulary to judge "
            f"(leans {result.lean}, {p})"
        )
    strength = _strength(result.scientist_probability)
    return f"{strength}{result.label}-leaning, {p}"


def _strength(p: float) -> str:
    margin = abs(p - 0.5)
    if margin >= 0.4:
        return "strongly "
    if margin < 0.1:
        return "slightly "
    return ""


def render_text(result: Classification, top: int = DEFAULT_TOP_TERMS) -> str:
    """Human output: file, verdict, strongest terms each way, evidence found."""
    lines = [result.source, f"  {verdict_line(result)}"]
    toward_sci = [c for c in result.contributions if c.weight > 0][:top]
    toward_eng = [c for c in result.contributions if c.weight < 0][:top]
    for title, items in (("toward engineer", toward_eng), ("toward scientist", toward_sci)):
        lines.append(f"  {title}:")
        if not items:
            lines.append("    (none)")
        width = max((len(c.term) for c in items), default=0)
        for c in items:
            times = f" x{c.count}" if c.count > 1 else ""
            lines.append(f"    {c.term:<{width}}  {c.weight:+.3f}  {c.section}{times}")
    occurrences = sum(c.count for c in result.contributions)
    lines.append(
        f"  evidence: {result.evidence_terms} role terms ({occurrences} occurrences), "
        f"{result.ml_terms} machine-learning terms; bias {result.bias:+.3f}, "
        f"logit {result.logit:+.3f}"
    )
    lines.extend(f"  warning: {w}" for w in result.warnings)
    return "\n".join(lines)


def render_summary(summary: BatchSummary, max_failures: int = 20) -> str:
    """The closing lines of a batch: counts per label, failures with reasons, speed."""
    labels = ", ".join(f"{label} {n}" for label, n in summary.labels) or "none"
    lines = [
        f"{summary.files} files ({summary.ignored} of other types ignored): "
        f"{summary.scored} scored now, {summary.kept} kept from an earlier run, "
        f"{summary.duplicates} identical to another file",
        f"labels: {labels}",
        f"failed: {len(summary.failures)}",
    ]
    for source, reason in summary.failures[:max_failures]:
        lines.append(f"  {source}: {reason}")
    if len(summary.failures) > max_failures:
        lines.append(f"  ... and {len(summary.failures) - max_failures} more (see the output)")
    if summary.torn_line_dropped:
        lines.append("a torn last line from an interrupted run was dropped and rescored")
    if summary.stale_rows_dropped:
        lines.append(f"{summary.stale_rows_dropped} rows of another model or engine were rescored")
    lines.append(
        f"time {summary.seconds:.1f} s, {summary.files_per_second:.1f} files/s; "
        f"rows in {summary.output}"
    )
    return "\n".join(lines)
