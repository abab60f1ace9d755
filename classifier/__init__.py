"""resume-role: does a resume lean toward the ML Engineer or the ML Scientist role, and why.

The public API is small; everything here imports without scikit-learn::

    from classifier import classify
    result = classify("resume.pdf")
    result.label, result.scientist_probability, result.contributions
"""

from __future__ import annotations

from typing import Any

from .batch import score_folder
from .errors import ClassifierError
from .extract import extract
from .model import load_model
from .results import Classification, Contribution, Document
from .score import classify, classify_text

__all__ = [
    "Classification",
    "ClassifierError",
    "Contribution",
    "Document",
    "classify",
    "classify_text",
    "extract",
    "load_model",
    "score_folder",
    "train",
]


def train(*args: Any, **kwargs: Any) -> Any:
    """Train a model (see :func:`classifier.train.train`); imports scikit-learn on first use."""
    from .train import train as _train

    return _train(*args, **kwargs)
