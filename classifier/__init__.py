"""resume-role: does a resume lean toward the ML Engineer or the ML Scientist role, and why.

The public API is small; everything here imports without scikit-learn::

    from classifier import classify
    result = classify("resume.pdf")
    result.label, result.scientist_probability, result.contributions
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Bound eagerly: a submodule of the same name would otherwise shadow the function.
from .extract import extract

if TYPE_CHECKING:  # for type checkers; at run time names load on first use (PEP 562)
    from .batch import score_folder
    from .errors import ClassifierError
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

# Where each public name lives: importing the package stays cheap, so that
# `resume-role --help` and `classify` start fast.
_HOMES = {
    "Classification": "results",
    "Contribution": "results",
    "Document": "results",
    "ClassifierError": "errors",
    "classify": "score",
    "classify_text": "score",
    "load_model": "model",
    "score_folder": "batch",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def train(*args: Any, **kwargs: Any) -> Any:
    """Train a model (see :func:`classifier.training.train`); imports scikit-learn on first use."""
    from .training import train as _train

    return _train(*args, **kwargs)
