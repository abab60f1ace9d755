"""Compose the one-way flow for one input: extract -> model -> explain."""

from __future__ import annotations

import os

from .explain import explain
from .guard import ReadOptions, read_document
from .model import ScoringModel, load_model
from .results import Classification, Document, Explanation
from .text import normalize


def classify(
    path: str | os.PathLike[str],
    model: ScoringModel | str | os.PathLike[str] | None = None,
    options: ReadOptions | None = None,
) -> Classification:
    """Classify one resume file (PDF, .txt or .md) with an explanation that adds up.

    The file is read under ``options`` (size, pages, time, memory) in a child
    process, the same guard ``batch`` uses.
    """
    scoring = model if isinstance(model, ScoringModel) else load_model(model)
    return explain(read_document(path, options), scoring)


def classify_text(
    text: str,
    model: ScoringModel | str | os.PathLike[str] | None = None,
    source: str = "<text>",
) -> Classification:
    """Classify resume text already in memory (normalised the same way as files)."""
    scoring = model if isinstance(model, ScoringModel) else load_model(model)
    return explain(Document(source, normalize(text)), scoring)


#: The old name of :class:`~classifier.results.Explanation` (kept for one release).
Explained = Explanation


def explain_fully(
    result: Classification, model: ScoringModel, toward: str | None = None
) -> Explanation:
    """Add what would move the verdict (toward ``toward``), a minimal flip set and sections."""
    from .advice import minimal_flip, what_would_move
    from .sections import section_breakdown

    return Explanation(
        result,
        what_would_move(result, model, toward),
        minimal_flip(result, model),
        section_breakdown(result),
        detailed=True,
    )
