"""Explanations: per-term contributions that add up, and what a person acts on.

:func:`explain` scores a document term by term; :func:`explain_fully` adds what
would move the verdict (advice), a minimal flip set and each resume section's
share, into one :class:`~classifier.results.Explanation`.
"""

from __future__ import annotations

from classifier.config import UNDETERMINED
from classifier.explain.advice import missing_ml_terms, what_would_move
from classifier.explain.contributions import explain, sigmoid, thin_evidence
from classifier.explain.flip import minimal_flip
from classifier.explain.sections import section_breakdown
from classifier.model.scoring import ScoringModel
from classifier.results import Classification, Explanation

__all__ = ["explain", "explain_fully", "sigmoid"]


def explain_fully(
    result: Classification, model: ScoringModel, toward: str | None = None
) -> Explanation:
    """Add what would move the verdict (toward ``toward``), a minimal flip set and sections.

    An undetermined text gets the machine-learning terms it lacks instead of role advice
    (unless ``toward`` asks for it): what is missing is evidence of the field.
    """
    undetermined = result.label == UNDETERMINED
    return Explanation(
        result,
        () if undetermined and toward is None else what_would_move(result, model, toward),
        minimal_flip(result, model),
        section_breakdown(result),
        detailed=True,
        toward=toward,
        missing_ml=missing_ml_terms(result, model) if undetermined else (),
        thin=thin_evidence(result),
    )
