"""Per-term explanations that add up exactly to the score.

For every feature term present: ``weight = coefficient * tfidf``; the bias is
the intercept; ``bias + sum(weights) == logit``; probability is the sigmoid of
the logit. The verdict is "undetermined" when the text holds too little
machine-learning and role vocabulary to judge.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from classifier.config import (
    MAX_TERM_OCCURRENCES,
    MIN_ML_TERMS,
    MIN_ROLE_TERMS,
    ROLE_TERMS_FOR_ONE_ML_TERM,
    THIN_EVIDENCE_MARGIN,
    UNDETERMINED,
)
from classifier.model.scoring import ScoringModel
from classifier.results import Classification, Contribution, Document, TermMatch, lean_of
from classifier.text.analyzer import capped
from classifier.text.language import non_english_warning
from classifier.text.structure import document_kind


def sigmoid(z: float) -> float:
    """Numerically safe logistic function."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def ml_terms_needed(role_terms: int) -> int:
    """Distinct machine-learning terms a text with ``role_terms`` role terms needs to be
    judged: fewer as the role evidence grows (the graded rule; see config)."""
    return 1 if role_terms >= ROLE_TERMS_FOR_ONE_ML_TERM else MIN_ML_TERMS


def enough_evidence(ml_terms: int, role_terms: int) -> bool:
    """Is there enough machine-learning and role vocabulary to judge the lean?"""
    return role_terms >= MIN_ROLE_TERMS and ml_terms >= ml_terms_needed(role_terms)


def thin_evidence(result: Classification) -> bool:
    """A verdict just past the bar: fewer ML terms than needed plus THIN_EVIDENCE_MARGIN."""
    needed = ml_terms_needed(result.evidence_terms)
    return result.label != UNDETERMINED and result.ml_terms < needed + THIN_EVIDENCE_MARGIN


def explain(document: Document, model: ScoringModel) -> Classification:
    """Score a document and explain the score term by term."""
    matches = model.analyzer.find(document.text)
    return explain_matches(document, model, matches)


def surface_forms(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The words behind a term as the text wrote them, each once (line breaks and runs of
    spaces folded to one space), in order of first appearance."""
    return tuple(dict.fromkeys(" ".join(text[s:e].split()) for s, e in spans))


def explain_matches(
    document: Document, model: ScoringModel, matches: list[TermMatch]
) -> Classification:
    info = model.info
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in capped(matches):
        spans[m.term].append((m.start, m.end))
    stuffed = sorted(
        t for t, n in Counter(m.term for m in matches).items() if n > MAX_TERM_OCCURRENCES
    )
    counts = Counter({t: len(s) for t, s in spans.items() if t in model.index})
    vec = model.tfidf(counts)
    contributions = sorted(
        (
            Contribution(
                term=t,
                weight=model.coefficient(t) * v,
                count=counts[t],
                tfidf=v,
                coefficient=model.coefficient(t),
                role=info[t].role,
                section=info[t].section,
                spans=tuple(spans[t]),
                matched=surface_forms(document.text, spans[t]),
            )
            for t, v in vec.items()
        ),
        key=lambda c: (-abs(c.weight), c.term),
    )
    logit = model.intercept + math.fsum(c.weight for c in sorted(contributions, key=_by_term))
    probability = sigmoid(logit)
    ml_terms = sum(1 for t in spans if info[t].ml)
    role_terms = len(counts)
    warnings = document.warnings
    if stuffed:
        warnings = (
            *warnings,
            f"repeated far beyond normal use, counted {MAX_TERM_OCCURRENCES} times only: "
            + ", ".join(stuffed),
        )
    language = non_english_warning(document.text)
    if language is not None:
        warnings = (*warnings, language)
    if language is not None or not enough_evidence(ml_terms, role_terms):
        label = UNDETERMINED
    else:
        label = lean_of(logit)
    return Classification(
        source=document.source,
        label=label,
        scientist_probability=probability,
        logit=logit,
        bias=model.intercept,
        contributions=tuple(contributions),
        evidence_terms=role_terms,
        ml_terms=ml_terms,
        warnings=warnings,
        pages=document.pages,
        engine=document.engine,
        ocr=document.ocr,
        kind=document_kind(document.text),
        model=model.sha256,
        text=document.text,
    )


def _by_term(c: Contribution) -> str:
    return c.term
