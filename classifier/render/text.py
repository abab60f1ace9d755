"""Renderers: result types in, strings out. No I/O here."""

from __future__ import annotations

from classifier.config import ADVICE_SHOWN, DEFAULT_TOP_TERMS, SHOWN_WEIGHT_MIN, UNDETERMINED
from classifier.explain.advice import HONESTY_NOTE
from classifier.results import BatchSummary, Classification, Explanation


def render_advice(e: Explanation, per_section: int = ADVICE_SHOWN) -> str:
    """Terminal lines: strongest missing terms toward the other role, and the flip set."""
    if not e.advice:
        return ""
    toward = e.advice[0].toward
    lines = [
        f"  to read more {toward}-leaning, the strongest missing terms (logit gain if added once):"
    ]
    for a in e.advice:
        terms = ", ".join(f"{s.term} {s.logit_gain:+.2f}" for s in a.suggestions[:per_section])
        lines.append(f"    {a.section}: {terms}")
    lines.append(f"  {HONESTY_NOTE}")
    if e.flip is not None:
        shown = ", ".join(e.flip.terms[: per_section * 2])
        more = (
            f" and {len(e.flip.terms) - per_section * 2} more"
            if len(e.flip.terms) > per_section * 2
            else ""
        )
        lines.append(
            f"  removing these {len(e.flip.terms)} terms would flip it (logit "
            f"{e.flip.logit_after:+.2f}): {shown}{more}"
        )
    return "\n".join(lines)


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
    # Terms that would print as +0.000 push nowhere a reader can see: left out here (the
    # JSON keeps every term, unrounded).
    shown = [c for c in result.contributions if abs(c.weight) >= SHOWN_WEIGHT_MIN]
    toward_sci = [c for c in shown if c.weight > 0][:top]
    toward_eng = [c for c in shown if c.weight < 0][:top]
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
        f"labels: {labels}" + (f"; {summary.ocr} read with OCR" if summary.ocr else ""),
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
