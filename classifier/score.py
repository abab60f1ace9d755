"""Compose the one-way flow for one input: extract -> model -> explain."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .explain import explain
from .guard import ReadOptions, read_document
from .model import ScoringModel, load_model
from .results import Advice, Classification, Document, FlipSet, SectionShare
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


@dataclass(frozen=True)
class Explained:
    """A classification with what a person acts on: advice, a flip set, sections."""

    result: Classification
    advice: tuple[Advice, ...]
    flip: FlipSet | None
    sections: tuple[SectionShare, ...]


def explain_fully(
    result: Classification, model: ScoringModel, toward: str | None = None
) -> Explained:
    """Add what would move the verdict (toward ``toward``), a minimal flip set and sections."""
    from .advice import minimal_flip, what_would_move
    from .sections import section_breakdown

    return Explained(
        result,
        what_would_move(result, model, toward),
        minimal_flip(result, model),
        section_breakdown(result),
    )
