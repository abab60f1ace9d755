"""Renderers: result types in, strings out. No I/O here."""

from __future__ import annotations

from typing import Any

from .advice import HONESTY_NOTE
from .config import ADVICE_SHOWN, DEFAULT_TOP_TERMS, SHOWN_WEIGHT_MIN, UNDETERMINED
from .results import BatchSummary, Classification, Explanation, Row, TermWeight

#: The fields of a classification in ``classify --json``, in order; a batch row adds ROW_KEYS.
CLASSIFICATION_KEYS = (
    "source", "label", "lean", "scientist_probability", "logit", "bias", "contributions",
    "evidence_terms", "ml_terms", "pages", "engine", "ocr", "model", "warnings",
)  # fmt: skip
ROW_KEYS = ("sha256", "status", "error", "duplicate_of")


def row_dict(row: Row) -> dict[str, Any]:
    """The one JSON schema: a batch row (JSONL), whose first fields are ``classify --json``'s.

    Scored and failed rows have the same keys; what a failure cannot have is null.
    """
    return {
        "source": row.source,
        "label": row.label,
        "lean": row.lean,
        "scientist_probability": row.scientist_probability,
        "logit": row.logit,
        "bias": row.bias,
        "contributions": [_term(c) for c in row.contributions],
        "evidence_terms": row.evidence_terms,
        "ml_terms": row.ml_terms,
        "pages": row.pages,
        "engine": row.engine,
        "ocr": row.ocr,
        "model": row.model,
        "warnings": list(row.warnings),
        "sha256": row.sha256,
        "status": row.status,
        "error": row.error,
        "duplicate_of": row.duplicate_of,
    }


def to_dict(result: Classification) -> dict[str, Any]:
    """The JSON object of ``classify --json`` without the advice: every non-zero term, unrounded."""
    row = row_dict(Row.scored(result, result.source, ""))
    return {key: row[key] for key in CLASSIFICATION_KEYS}


def row_from_dict(data: dict[str, Any]) -> Row:
    """A row read back from JSONL (the inverse of :func:`row_dict`)."""
    return Row(
        source=str(data["source"]),
        status=str(data["status"]),
        sha256=str(data.get("sha256") or ""),
        engine=str(data.get("engine") or ""),
        model=str(data.get("model") or ""),
        label=data.get("label"),
        lean=data.get("lean"),
        scientist_probability=data.get("scientist_probability"),
        logit=data.get("logit"),
        bias=data.get("bias"),
        contributions=tuple(
            TermWeight(c["term"], c["weight"], c["count"], c["role"], c["section"])
            for c in data.get("contributions") or ()
        ),
        evidence_terms=data.get("evidence_terms"),
        ml_terms=data.get("ml_terms"),
        pages=data.get("pages"),
        ocr=data.get("ocr"),
        warnings=tuple(data.get("warnings") or ()),
        error=data.get("error"),
        duplicate_of=data.get("duplicate_of"),
    )


def _term(c: TermWeight) -> dict[str, Any]:
    return {"term": c.term, "weight": c.weight, "count": c.count, "role": c.role,
            "section": c.section}  # fmt: skip


def explanation_dict(e: Explanation) -> dict[str, Any]:
    """``classify --json``: :func:`to_dict`, plus ``advice``, ``flip`` and ``sections`` when
    they were computed (``e.detailed``)."""
    out = to_dict(e.result)
    if not e.detailed:
        return out
    out["advice"] = [
        {
            "term": s.term,
            "section": s.section,
            "logit_gain": s.logit_gain,
            "probability_after": s.probability_after,
            "toward": a.toward,
        }
        for a in e.advice
        for s in a.suggestions
    ]
    out["flip"] = (
        None if e.flip is None else {"terms": list(e.flip.terms), "logit_after": e.flip.logit_after}
    )
    out["sections"] = [
        {
            "name": s.name,
            "contribution": s.contribution,
            "terms": [{"term": t.term, "weight": t.weight, "count": t.count} for t in s.terms],
        }
        for s in e.sections
    ]
    return out


#: The old name of :func:`explanation_dict` (kept for one release).
explained_dict = explanation_dict


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
