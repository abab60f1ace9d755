"""Compose the one-way flow for one input: extract -> model -> explain."""

from __future__ import annotations

import os

from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.model.store import load_model
from classifier.read.guard import ReadOptions, read_document
from classifier.read.normalize import normalize
from classifier.results import Classification, Document, Explanation


def classify(
    path: str | os.PathLike[str],
    model: ScoringModel | str | os.PathLike[str] | None = None,
    options: ReadOptions | None = None,
) -> Classification:
    """Classify one resume file (PDF, Word .docx, .txt or .md) with an explanation that adds up.

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
