"""Is the retrained model better? Both models measured on the same folds of the new data.

Folds run over the new data only (grouped, stratified). In each fold the new
model is refitted on the base corpus (if kept) plus the other folds of the new
data, and the current model scores the held-out fold as it is. Both are
measured on exactly the same held-out texts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from classifier.config import CHANGED_TERMS, CV_FOLDS, LABELS
from classifier.model.scoring import ScoringModel
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary
from classifier.training.corpus import Example
from classifier.training.metrics import binary_metrics, grouped_folds


def compare_models(
    current: ScoringModel,
    new_model: ScoringModel,
    new: list[Example],
    base: list[Example],
    vocabulary: Vocabulary,
    seed: int,
    calibration: tuple[float, float],
    analyzer: Analyzer | None = None,
) -> dict[str, Any]:
    """Cross-validated metrics of both models on the new data, and the biggest weight changes."""
    from classifier.training.pipeline import fit

    result: dict[str, Any] = {"changed_terms": changed_terms(current, new_model)}
    per_class = min(sum(e.label == label for e in new) for label in LABELS)
    groups = len({e.group for e in new})
    folds = min(CV_FOLDS, per_class, groups)
    if folds < 2:
        result["skipped"] = (
            "comparison skipped: the new data needs at least 2 examples of each label "
            "to hold some out"
        )
        return result
    a, b = calibration
    y = np.array([LABELS.index(e.label) for e in new])
    new_scores = np.zeros(len(new))
    current_scores = np.array([current.decision_text(e.text) for e in new])
    for train_idx, test_idx in grouped_folds(new, folds, seed):
        pipe = fit(base + [new[i] for i in train_idx], vocabulary, seed, analyzer)
        new_scores[test_idx] = a * pipe.decision_function([new[i].text for i in test_idx]) + b
    result.update(
        folds=folds,
        n=len(new),
        current=binary_metrics(y, current_scores),
        new=binary_metrics(y, new_scores),
    )
    return result


def changed_terms(old: ScoringModel, new: ScoringModel) -> list[dict[str, Any]]:
    """Terms whose coefficients moved most between two models (absent counts as 0)."""
    before = dict(zip(old.terms, old.coef, strict=True))
    after = dict(zip(new.terms, new.coef, strict=True))
    deltas = [(after.get(t, 0.0) - before.get(t, 0.0), t) for t in sorted(set(before) | set(after))]
    deltas.sort(key=lambda d: (-abs(d[0]), d[1]))
    return [
        {"term": t, "before": before.get(t, 0.0), "after": after.get(t, 0.0), "change": d}
        for d, t in deltas[:CHANGED_TERMS]
    ]
