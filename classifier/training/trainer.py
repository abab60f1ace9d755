"""Fit the scikit-learn pipeline and export it as a model folder.

A ``Pipeline`` of ``TfidfVectorizer(analyzer=Analyzer)`` and
``LogisticRegression`` is fitted on the vocabulary and the labelled corpus,
cross-validated with folds grouped by template/source so that near-duplicates
never straddle folds, and exported through public scikit-learn attributes
(``get_feature_names_out``, ``idf_``, ``coef_``, ``intercept_``) to the plain
``scoring.json`` that classification uses.

A team's data is added to the base corpus and vocabulary documents, its examples
weighted ``user_weight`` each; with ``replace_base`` the model is trained on that
data alone (the vocabulary still defines the features, but its documents are not
training examples), which must then hold both labels.

``python -m classifier.training`` rebuilds the bundled default model.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.config import (
    CV_FOLDS,
    DEFAULT_SEED,
    DEFAULT_USER_WEIGHT,
    LABELS,
    MIN_EXAMPLES_PER_CLASS,
)
from classifier.errors import DataError, UsageError
from classifier.model.scoring import ScoringModel
from classifier.model.store import check_output, write_model_dir
from classifier.read.guard import ReadOptions
from classifier.render.reports import render_card
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary, load_vocabulary
from classifier.training.calibration import fold_calibration, platt_scale
from classifier.training.card import KNOWN_LIMITS
from classifier.training.card import evaluations as card_evaluations
from classifier.training.corpus import Example, data_hash, load_base_corpus
from classifier.training.labelled import merge_examples, read_labelled
from classifier.training.metrics import binary_metrics
from classifier.training.pipeline import export, fit, out_of_fold_logits, training_examples

#: Held-out sets for the comparison: labelled files, or examples by name.
Heldout = Sequence[str | os.PathLike[str]] | dict[str, list[Example]]


@dataclass(frozen=True)
class TrainReport:
    """What a training run produced: the model, its pipeline and the numbers behind it."""

    model: ScoringModel
    pipeline: Pipeline
    card: dict[str, Any]
    output: Path | None
    comparison: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def train(
    data: Sequence[str | os.PathLike[str]] | list[Example] | None = None,
    output: str | Path | None = None,
    *,
    replace_base: bool = False,
    vocabulary: Vocabulary | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    allow_default: bool = False,
    compare_with: ScoringModel | None = None,
    options: ReadOptions | None = None,
    evaluations: dict[str, list[Example]] | None = None,
    heldout: Heldout | None = None,
    user_weight: float = DEFAULT_USER_WEIGHT,
) -> TrainReport:
    """Train a model; write it as a model folder if ``output`` is given.

    ``data`` is labelled files/folders (CSV, JSONL, label folders) or examples;
    it is added to the bundled base corpus and the vocabulary documents, each of
    its examples weighted ``user_weight`` (> 0) in the fit, unless
    ``replace_base``: then the model is trained on ``data`` alone, which must
    hold both labels. With ``compare_with``, the report compares that model and
    the new one (see :func:`~.compare.compare_models`) on a held-out split and
    the folds of the new data, and on ``heldout`` (labelled files, or example
    lists by name); a set where the new model is worse becomes a warning.
    """
    if output is not None:
        check_output(Path(output), force=force, allow_default=allow_default)
    _check_weight(user_weight)
    if heldout and compare_with is None:
        raise UsageError("held-out sets are for comparing models; give compare_with too")
    vocabulary = vocabulary or load_vocabulary()
    new, warnings, duplicates = _new_examples(data, options)
    heldout_sets = _heldout_sets(heldout, options)
    if user_weight != 1.0:
        new = [replace(e, weight=user_weight) for e in new]
        if replace_base:
            warnings.append(
                f"--weight {user_weight:g} with --replace-base weighs every example alike "
                "(there is no base corpus to weigh against); it only weakens regularisation"
            )
    _check_classes(new, replace_base, warnings)
    if replace_base:
        examples = new
    else:
        merged = merge_examples(load_base_corpus(), new)
        examples, duplicates = merged.examples, duplicates + merged.duplicates
    vocabulary_docs = not replace_base
    _check_both_labels(training_examples(examples, vocabulary, vocabulary_docs))
    y = np.array([LABELS.index(e.label) for e in examples])
    analyzer = Analyzer(vocabulary)
    analyzer.remember()
    oof = out_of_fold_logits(examples, vocabulary, seed, analyzer, vocabulary_docs=vocabulary_docs)
    a, b = platt_scale(examples, oof)
    cv = binary_metrics(y, a * oof + b)
    pipe = fit(examples, vocabulary, seed, analyzer, vocabulary_docs=vocabulary_docs)
    fold_calibration(pipe, a, b)
    counts = {label: sum(e.label == label for e in examples) for label in LABELS}
    model = export(
        pipe,
        vocabulary,
        data_hash=data_hash(examples, vocabulary),
        metrics={
            "cross_validation": cv,
            "class_counts": counts,
            "seed": seed,
            "calibration": {"a": a, "b": b},
        },
    )
    card = {
        "class_counts": counts,
        "examples": len(examples),
        "new_examples": len(new),
        "duplicates_dropped": duplicates,
        "base_corpus": not replace_base,
        "vocabulary_documents": len(training_examples([], vocabulary, vocabulary_docs)),
        "user_weight": user_weight,
        "groups": len({e.group for e in examples}),
        "vocabulary_terms": len(vocabulary.features),
        "cross_validation": {"folds": CV_FOLDS, "grouped_by": "template/source", **cv},
        "calibration": {"method": "Platt, folded into coefficients", "a": a, "b": b},
        "data_hash": model.data_hash,
        "data_files": _data_files(data),
        "seed": seed,
    }
    comparison = None
    if compare_with is not None and (new or heldout_sets):
        from classifier.training.compare import compare_models

        new_set = set(new)
        base = [e for e in examples if e not in new_set]
        comparison = compare_models(
            compare_with,
            model,
            [e for e in examples if e in new_set],
            base,
            vocabulary,
            seed,
            (a, b),
            analyzer,
            vocabulary_docs=vocabulary_docs,
            heldout=heldout_sets,
            trained_on=examples,
        )
        warnings.extend(comparison["skipped"])
        warnings.extend(comparison["losses"])
    if evaluations:
        card["evaluations"] = card_evaluations(model, evaluations)
        card["limits"] = list(KNOWN_LIMITS)
    analyzer.forget()
    out = None
    if output is not None:
        out = write_model_dir(
            Path(output), model, pipe, card, render_card, force=force, allow_default=allow_default
        )
    return TrainReport(model, pipe, card, out, comparison, warnings)


def _check_weight(weight: float) -> None:
    if not isinstance(weight, int | float) or not math.isfinite(weight) or weight <= 0:
        raise UsageError(
            f"--weight must be a number above 0 (1 counts your examples like the base "
            f"corpus, 3 three times as much), not {weight!r}"
        )


def _heldout_sets(heldout: Heldout | None, options: ReadOptions | None) -> dict[str, list[Example]]:
    """Held-out sets by name; a file is read (and checked) before any training."""
    if not heldout:
        return {}
    if isinstance(heldout, dict):
        return dict(heldout)
    sets = {}
    for path in heldout:
        examples = read_labelled([path], allow_none=True, options=options).examples
        if not any(e.label in LABELS for e in examples):
            raise DataError(
                f"{path}: no engineer or scientist examples to compare the models on "
                "(items labelled none are not compared); give a set with both labels"
            )
        sets[str(path)] = examples
    return sets


def _new_examples(
    data: Sequence[str | os.PathLike[str]] | list[Example] | None, options: ReadOptions | None
) -> tuple[list[Example], list[str], int]:
    if data is None:
        return [], [], 0
    items = list(data)
    if all(isinstance(x, Example) for x in items):
        return list(items), [], 0  # type: ignore[arg-type]
    report = read_labelled(items, options=options)  # type: ignore[arg-type]
    return report.examples, list(report.warnings), report.duplicates


def _check_classes(new: list[Example], replace_base: bool, warnings: list[str]) -> None:
    """One label or too few of a label: an error on its own data, a warning added to the base."""
    if not new and replace_base:
        raise DataError("--replace-base needs labelled data to train on; give CSV/JSONL or folders")
    if not new:
        return
    counts = {label: sum(e.label == label for e in new) for label in LABELS}
    present = [label for label, n in counts.items() if n]
    if len(present) < 2:
        missing = ", ".join(label for label in LABELS if label not in present)
        holds = f"the data holds {counts[present[0]]} {present[0]} example(s) and no {missing}"
        if replace_base:
            raise DataError(
                f"{holds} example(s): a model trained on it alone (--replace-base) needs both "
                f"labels; add {missing} examples, or drop --replace-base to add yours to the "
                "base corpus"
            )
        warnings.append(f"{holds} example(s); they are added to the base corpus, which holds both")
        return
    thin = [f"{n} {label}" for label, n in counts.items() if n < MIN_EXAMPLES_PER_CLASS]
    if not thin:
        return
    message = (
        f"the new data holds only {' and '.join(thin)} example(s), "
        f"fewer than {MIN_EXAMPLES_PER_CLASS} of a label"
    )
    if replace_base:
        raise DataError(
            f"{message}: too few to train on alone; add examples, or drop --replace-base to "
            "add yours to the base corpus"
        )
    warnings.append(f"{message}; they are added to the base corpus, which holds both")


def _check_both_labels(data: list[Example]) -> None:
    """The examples a model is fitted on must hold both labels."""
    present = {e.label for e in data}
    if len(present) < 2:
        missing = ", ".join(label for label in LABELS if label not in present)
        raise DataError(
            f"the training data holds no {missing} example(s); a model needs both labels"
        )


def _data_files(data: Sequence[str | os.PathLike[str]] | list[Example] | None) -> list[str]:
    if not data:
        return []
    return [str(x) for x in data if not isinstance(x, Example)]
