"""Calibration: Platt scaling fitted on out-of-fold scores, folded into the linear model.

Folding ``P = sigmoid(a * z + b)`` into ``coef_`` and ``intercept_`` keeps every
explanation exact: contributions plus bias still equal the (calibrated) logit.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from classifier.config import CALIBRATION_MAX_SLOPE, LABELS, LOGREG_MAX_ITER
from classifier.training.corpus import Example


def platt_scale(examples: list[Example], logits: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` with P = sigmoid(a * logit + b), fitted on out-of-fold scores.

    The slope may only temper: our labelled text is cleaner than resumes
    written by others, so out-of-fold scores on it always ask for more
    confidence (a = 2 on all examples, 9 on whole documents), which real
    resumes do not bear out. A slope above CALIBRATION_MAX_SLOPE is refitted
    with the slope held there, leaving only the offset to fit.
    """
    y = np.array([LABELS.index(e.label) for e in examples])
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    platt = LogisticRegression(C=1e6, max_iter=LOGREG_MAX_ITER)
    platt.fit(logits.reshape(-1, 1), y)
    a = float(platt.coef_[0, 0])
    if a <= CALIBRATION_MAX_SLOPE:
        return a, float(platt.intercept_[0])
    return CALIBRATION_MAX_SLOPE, _best_offset(CALIBRATION_MAX_SLOPE * logits, y)


def _best_offset(z: np.ndarray, y: np.ndarray) -> float:
    """The offset b minimising log loss of sigmoid(z + b): Newton steps on one variable."""
    b = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z + b)))
        grad = float(np.sum(p - y))
        hess = float(np.sum(p * (1.0 - p))) or 1e-12
        step = grad / hess
        b -= step
        if abs(step) < 1e-12:
            break
    return b


def fold_calibration(pipe: Pipeline, a: float, b: float) -> None:
    """Fold P = sigmoid(a * z + b) into the linear model, so explanations still add up."""
    logreg: LogisticRegression = pipe.named_steps["logreg"]
    logreg.coef_ = logreg.coef_ * a
    logreg.intercept_ = logreg.intercept_ * a + b
