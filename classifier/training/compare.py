"""Is the retrained model better? Both models measured on the same texts, none trained on.

Three kinds of set, each scored by the current model as it is and by the new model:

- ``split``: a held-out split of the new data (one grouped, stratified fold, about
  ``COMPARISON_HOLDOUT_SHARE`` of it). The new model is refit on everything it was
  trained on except that split (base corpus and vocabulary documents included when
  they were), so neither model has seen the split's texts.
- ``cross_validation``: every fold of the new data in turn (up to ``CV_FOLDS``),
  the new model refit without each fold; it uses all the new data, so it is less
  noisy than the split on small data, but it too measures only the team's data.
- ``heldout``: labelled sets given with ``--heldout`` (the project's held-out
  sets, say), scored by the new model as written. Items whose text (up to case,
  spacing and punctuation) is in the training data are dropped and counted, so a
  set is never measured on what the new model was trained on. These show what the
  new data costs elsewhere: a model trained on wrong labels scores its own data as
  well as any (its held-out labels are as wrong), but loses here.

Refit models get the calibration ``(a, b)`` of the written model, so Brier scores
are comparable. Each set's block holds ``n`` (texts scored by both models), the
``current`` and ``new`` metrics of :func:`~.metrics.binary_metrics` (accuracy at
P = 0.5, ROC AUC, Brier score), ``sign_tests`` (paired: on how many items the new
model is worse and better, and the one-sided p-value) and ``worse``: the metrics
(accuracy, Brier) on which the new model is worse by ``COMPARISON_LOSS_MARGIN`` or
more with p < ``COMPARISON_LOSS_P``. Each such set is one sentence in ``losses``;
on a small split a difference of an item or two is noise and is not called a loss.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from classifier.config import (
    CHANGED_TERMS,
    COMPARISON_HOLDOUT_SHARE,
    COMPARISON_LOSS_MARGIN,
    COMPARISON_LOSS_P,
    CV_FOLDS,
    LABELS,
)
from classifier.model.scoring import ScoringModel
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary
from classifier.training.corpus import Example
from classifier.training.labelled import near_duplicate_key
from classifier.training.metrics import binary_metrics, grouped_folds

_NAMES = {"accuracy": "accuracy", "brier": "Brier"}


def compare_models(
    current: ScoringModel,
    new_model: ScoringModel,
    new: list[Example],
    base: list[Example],
    vocabulary: Vocabulary,
    seed: int,
    calibration: tuple[float, float],
    analyzer: Analyzer | None = None,
    *,
    vocabulary_docs: bool = True,
    heldout: dict[str, list[Example]] | None = None,
    trained_on: list[Example] | None = None,
) -> dict[str, Any]:
    """Both models on a held-out split of ``new``, on its folds, and on ``heldout`` sets.

    ``base`` is what the new model was trained on besides ``new`` (empty with
    --replace-base); ``trained_on`` is everything it was trained on (default
    ``base + new``), whose texts are dropped from the ``heldout`` sets. Returns
    ``changed_terms``; the blocks ``split`` (plus ``share`` and ``train_n``),
    ``cross_validation`` (plus ``folds``) and ``heldout`` (by name, plus
    ``overlap_dropped``), each described in the module docstring and with its
    display ``name``, absent when it could not be measured (the reason is in
    ``skipped``); and ``losses``.
    """
    result: dict[str, Any] = {"changed_terms": changed_terms(current, new_model)}
    skipped: list[str] = []
    refit = _Refit(base, vocabulary, seed, calibration, analyzer, vocabulary_docs)
    if new:
        folds = min(CV_FOLDS, _most_folds(new))
        split_folds = min(round(1 / COMPARISON_HOLDOUT_SHARE), _most_folds(new))
        if folds < 2:
            skipped.append(
                "comparison on your data skipped: it needs at least 2 examples (in 2 groups) "
                "of each label to hold some out"
            )
        else:
            split = _split(current, new, refit, split_folds, seed, skipped)
            if split is not None:
                result["split"] = split
            result["cross_validation"] = _cross_validation(current, new, refit, folds, seed)
    if heldout:
        seen = {near_duplicate_key(e.text) for e in (trained_on or [*base, *new])}
        result["heldout"] = {}
        for name, examples in heldout.items():
            block = _heldout(current, new_model, examples, seen)
            if block is None:
                skipped.append(
                    f"comparison on {name} skipped: every engineer/scientist item in it is "
                    "also in the training data"
                )
            else:
                result["heldout"][name] = block
    _name(result)
    result["losses"] = losses(result)
    result["skipped"] = skipped
    return result


class _Refit:
    """The new model refit without some of the new data, calibrated as the written one."""

    def __init__(
        self,
        base: list[Example],
        vocabulary: Vocabulary,
        seed: int,
        calibration: tuple[float, float],
        analyzer: Analyzer | None,
        vocabulary_docs: bool,
    ) -> None:
        self.base, self.vocabulary, self.seed = base, vocabulary, seed
        self.calibration, self.analyzer = calibration, analyzer
        self.vocabulary_docs = vocabulary_docs

    def needs_both_labels(self) -> bool:
        """Without base corpus and vocabulary documents, the new data alone gives the labels."""
        return not self.base and not self.vocabulary_docs

    def scores(self, train: list[Example], test: list[Example]) -> np.ndarray:
        from classifier.training.pipeline import fit

        pipe = fit(
            self.base + train,
            self.vocabulary,
            self.seed,
            self.analyzer,
            vocabulary_docs=self.vocabulary_docs,
        )
        a, b = self.calibration
        return np.asarray(a * pipe.decision_function([e.text for e in test]) + b)


def _most_folds(examples: list[Example]) -> int:
    """How many grouped, stratified folds the data allows: each needs each label."""
    per_class = min(sum(e.label == label for e in examples) for label in LABELS)
    groups = min(len({e.group for e in examples if e.label == label}) for label in LABELS)
    return min(per_class, groups)


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([LABELS.index(e.label) for e in examples])


def _block(current: ScoringModel, test: list[Example], new_scores: np.ndarray) -> dict[str, Any]:
    y = _labels(test)
    current_scores = np.array([current.decision_text(e.text) for e in test])
    block: dict[str, Any] = {
        "n": len(test),
        "current": binary_metrics(y, current_scores),
        "new": binary_metrics(y, new_scores),
    }
    block["sign_tests"] = _sign_tests(y, current_scores, np.asarray(new_scores))
    block["worse"] = [
        key
        for key, test_result in block["sign_tests"].items()
        if test_result["p"] < COMPARISON_LOSS_P
        and _drop(key, block["current"][key], block["new"][key]) >= COMPARISON_LOSS_MARGIN
    ]
    return block


def _drop(key: str, before: float, after: float) -> float:
    """How much worse ``after`` is than ``before`` (accuracy: lower; Brier: higher)."""
    return before - after if key == "accuracy" else after - before


def _sign_tests(y: np.ndarray, current: np.ndarray, new: np.ndarray) -> dict[str, Any]:
    """Paired, one-sided sign tests: is the new model worse on more items than it is better?

    Accuracy: items only the current model gets right against items only the new
    one does (an exact McNemar test). Brier: items whose squared error grew
    against items whose error shrank. ``p`` is the chance of a split at least this
    lopsided if neither model were better.
    """
    out = {}
    right_current, right_new = (current >= 0) == (y == 1), (new >= 0) == (y == 1)
    err_current = (_sigmoid(current) - y) ** 2
    err_new = (_sigmoid(new) - y) ** 2
    for key, worse, better in (
        ("accuracy", right_current & ~right_new, right_new & ~right_current),
        ("brier", err_new > err_current, err_new < err_current),
    ):
        w, b = int(worse.sum()), int(better.sum())
        out[key] = {"new_worse": w, "new_better": b, "p": _one_sided_p(w, w + b)}
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def _one_sided_p(k: int, n: int) -> float:
    """P(X >= k) for X ~ Binomial(n, 1/2); 1 when there is nothing to test."""
    if n == 0 or k == 0:
        return 1.0
    return min(1.0, sum(math.comb(n, i) for i in range(k, n + 1)) / 2**n)


def _split(
    current: ScoringModel,
    new: list[Example],
    refit: _Refit,
    folds: int,
    seed: int,
    skipped: list[str],
) -> dict[str, Any] | None:
    train_idx, test_idx = next(grouped_folds(new, folds, seed))
    train = [new[i] for i in train_idx]
    test = [new[i] for i in test_idx]
    if refit.needs_both_labels() and len({e.label for e in train}) < 2:
        skipped.append(
            "comparison on a held-out split of your data skipped: without the split, "
            "the rest holds one label only"
        )
        return None
    block = _block(current, test, refit.scores(train, test))
    return {"share": len(test) / len(new), "train_n": len(train), **block}


def _cross_validation(
    current: ScoringModel, new: list[Example], refit: _Refit, folds: int, seed: int
) -> dict[str, Any]:
    scores = np.zeros(len(new))
    for train_idx, test_idx in grouped_folds(new, folds, seed):
        scores[test_idx] = refit.scores([new[i] for i in train_idx], [new[i] for i in test_idx])
    return {"folds": folds, **_block(current, new, scores)}


def _heldout(
    current: ScoringModel, new_model: ScoringModel, examples: list[Example], seen: set[str]
) -> dict[str, Any] | None:
    ml = [e for e in examples if e.label in LABELS]
    test = [e for e in ml if near_duplicate_key(e.text) not in seen]
    if not test:
        return None
    scores = np.array([new_model.decision_text(e.text) for e in test])
    return {"overlap_dropped": len(ml) - len(test), **_block(current, test, scores)}


def _name(comparison: dict[str, Any]) -> None:
    """Give every block its display ``name``."""
    if "split" in comparison:
        comparison["split"]["name"] = f"your data, held-out {comparison['split']['share']:.0%}"
    if "cross_validation" in comparison:
        folds = comparison["cross_validation"]["folds"]
        comparison["cross_validation"]["name"] = f"your data, {folds}-fold CV"
    for name, block in comparison.get("heldout", {}).items():
        block["name"] = name


def comparison_blocks(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """Every set compared, in the order shown: the split, the folds, the ``heldout`` sets."""
    blocks = [comparison[k] for k in ("split", "cross_validation") if k in comparison]
    return blocks + list(comparison.get("heldout", {}).values())


def losses(comparison: dict[str, Any]) -> list[str]:
    """One sentence per set on which the new model is worse than the current one."""
    out = []
    for block in comparison_blocks(comparison):
        if block.get("worse"):
            worse = ", ".join(
                f"{_NAMES[k]} {block['current'][k]:.3f} -> {block['new'][k]:.3f}"
                for k in block["worse"]
            )
            out.append(
                f"the new model is worse than the current one on {block['name']} "
                f"(n={block['n']}): {worse}"
            )
    return out


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
