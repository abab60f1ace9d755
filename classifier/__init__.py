"""resume-role: does a resume lean toward the ML Engineer or the ML Scientist role, and why.

The public API is small; everything here imports without scikit-learn::

    from classifier import classify
    result = classify("resume.pdf")
    result.label, result.scientist_probability, result.contributions
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers; at run time names load on first use (PEP 562)
    from classifier.batch.execute import score_folder
    from classifier.batch.run import run_batch
    from classifier.errors import ClassifierError
    from classifier.flow import classify, classify_text
    from classifier.model.store import load_model
    from classifier.read.dispatch import extract
    from classifier.read.guard import ReadOptions
    from classifier.results import Classification, Contribution, Document, Explanation

__all__ = [
    "Classification",
    "ClassifierError",
    "Contribution",
    "Document",
    "Explanation",
    "ReadOptions",
    "classify",
    "classify_text",
    "extract",
    "load_model",
    "run_batch",
    "score_folder",
    "train",
]

# Where each public name lives: importing the package stays cheap, so that
# `resume-role --help` and `classify` start fast.
_HOMES = {
    "Classification": "results",
    "Contribution": "results",
    "Document": "results",
    "Explanation": "results",
    "ClassifierError": "errors",
    "ReadOptions": "read.guard",
    "classify": "flow",
    "classify_text": "flow",
    "extract": "read.dispatch",
    "load_model": "model.store",
    "run_batch": "batch.run",
    "score_folder": "batch.execute",
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
    from classifier.training import train as _train

    return _train(*args, **kwargs)
