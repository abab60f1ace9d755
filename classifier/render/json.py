"""The one JSON schema: ``classify --json``, batch rows (JSONL) and the HTTP API.

:func:`row_dict` defines the fields of a row; :func:`to_dict` is the same
object for one classification without the row's bookkeeping, and
:func:`explanation_dict` adds the advice, flip set and sections when computed.
"""

from __future__ import annotations

from typing import Any

from classifier.results import Classification, Explanation, Row, TermWeight

#: The fields of a classification in ``classify --json``, in order; a batch row adds ROW_KEYS.
CLASSIFICATION_KEYS = (
    "source", "label", "lean", "scientist_probability", "logit", "bias", "contributions",
    "evidence_terms", "ml_terms", "pages", "engine", "ocr", "kind", "model", "warnings",
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
        "kind": row.kind,
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
            TermWeight(
                c["term"],
                c["weight"],
                c["count"],
                c["role"],
                c["section"],
                tuple(c.get("matched") or ()),
            )
            for c in data.get("contributions") or ()
        ),
        evidence_terms=data.get("evidence_terms"),
        ml_terms=data.get("ml_terms"),
        pages=data.get("pages"),
        ocr=data.get("ocr"),
        kind=data.get("kind"),
        warnings=tuple(data.get("warnings") or ()),
        error=data.get("error"),
        duplicate_of=data.get("duplicate_of"),
    )


def _term(c: TermWeight) -> dict[str, Any]:
    return {"term": c.term, "weight": c.weight, "count": c.count, "role": c.role,
            "section": c.section, "matched": list(c.matched)}  # fmt: skip


def explanation_dict(e: Explanation) -> dict[str, Any]:
    """``classify --json``: :func:`to_dict`, plus ``advice``, ``flip`` and ``sections`` when
    they were computed (``e.detailed``)."""
    out = to_dict(e.result)
    if not e.detailed:
        return out
    out["thin_evidence"] = e.thin
    out["missing_ml_terms"] = list(e.missing_ml)
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
