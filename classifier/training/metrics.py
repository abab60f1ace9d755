"""Classification metrics and grouped folds (scikit-learn; training/evaluation path only)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedGroupKFold

from classifier.config import LABELS
from classifier.explain.contributions import sigmoid
from classifier.training.corpus import Example


def grouped_folds(
    examples: Sequence[Example], k: int, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds that never split a group (template or source document)."""
    y = [LABELS.index(e.label) for e in examples]
    groups = [e.group for e in examples]
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    yield from splitter.split(np.zeros(len(y)), y, groups)


def binary_metrics(
    y: Sequence[int] | np.ndarray, logits: Sequence[float] | np.ndarray
) -> dict[str, Any]:
    """Accuracy, ROC AUC, Brier score, F1 per class and the confusion matrix of logits."""
    y = np.asarray(y)
    logits = np.asarray(logits, dtype=float)
    prob = np.array([sigmoid(z) for z in logits])
    pred = (prob >= 0.5).astype(int)
    both = len(set(y.tolist())) == 2
    cm = confusion_matrix(y, pred, labels=[0, 1])
    return {
        "n": len(y),
        "accuracy": float(accuracy_score(y, pred)),
        "roc_auc": float(roc_auc_score(y, logits)) if both else None,
        "brier": float(brier_score_loss(y, prob, pos_label=1)) if both else None,
        "f1": {
            label: float(f1_score(y, pred, pos_label=i, zero_division=0.0))
            for i, label in enumerate(LABELS)
        },
        "confusion_matrix": {
            "labels": list(LABELS),
            "rows_true_cols_predicted": cm.tolist(),
        },
    }
