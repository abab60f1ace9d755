"""Fit the scikit-learn pipeline and export it as a model folder.

A ``Pipeline`` of ``TfidfVectorizer(analyzer=Analyzer)`` and
``LogisticRegression`` is fitted on the vocabulary and the labelled corpus,
cross-validated with folds grouped by template/source so that near-duplicates
never straddle folds, and exported through public scikit-learn attributes
(``get_feature_names_out``, ``idf_``, ``coef_``, ``intercept_``) to the plain
``scoring.json`` that classification uses.

``python -m classifier.training`` rebuilds the bundled default model.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.config import (
    CV_FOLDS,
    DEFAULT_SEED,
    LABELS,
    MIN_EXAMPLES_PER_CLASS,
)
from classifier.errors import DataError
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
from classifier.training.pipeline import export, fit, out_of_fold_logits


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
) -> TrainReport:
    """Train a model; write it as a model folder if ``output`` is given.

    ``data`` is labelled files/folders (CSV, JSONL, label folders) or examples;
    it is added to the bundled base corpus unless ``replace_base``. With
    ``compare_with``, the report compares that model and the new one on folds
    of the new data.
    """
    if output is not None:
        check_output(Path(output), force=force, allow_default=allow_default)
    vocabulary = vocabulary or load_vocabulary()
    new, warnings, duplicates = _new_examples(data, options)
    _check_classes(new, replace_base, warnings)
    if replace_base:
        examples = new
    else:
        merged = merge_examples(load_base_corpus(), new)
        examples, duplicates = merged.examples, duplicates + merged.duplicates
    y = np.array([LABELS.index(e.label) for e in examples])
    analyzer = Analyzer(vocabulary)
    analyzer.remember()
    oof = out_of_fold_logits(examples, vocabulary, seed, analyzer)
    a, b = platt_scale(examples, oof)
    cv = binary_metrics(y, a * oof + b)
    pipe = fit(examples, vocabulary, seed, analyzer)
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
        "groups": len({e.group for e in examples}),
        "vocabulary_terms": len(vocabulary.features),
        "cross_validation": {"folds": CV_FOLDS, "grouped_by": "template/source", **cv},
        "calibration": {"method": "Platt, folded into coefficients", "a": a, "b": b},
        "data_hash": model.data_hash,
        "data_files": _data_files(data),
        "seed": seed,
    }
    comparison = None
    if compare_with is not None and new:
        from classifier.training.compare import compare_models

        new_set = set(new)
        base = [] if replace_base else [e for e in examples if e not in new_set]
        comparison = compare_models(
            compare_with, model, new, base, vocabulary, seed, (a, b), analyzer
        )
        if comparison.get("skipped"):
            warnings.append(comparison["skipped"])
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
    """Too few of a class is an error on its own data, a warning when added to the base."""
    if not new and replace_base:
        raise DataError("--replace-base needs labelled data to train on")
    if not new:
        return
    counts = {label: sum(e.label == label for e in new) for label in LABELS}
    thin = [f"{n} {label}" for label, n in counts.items() if n < MIN_EXAMPLES_PER_CLASS]
    if not thin:
        return
    message = (
        f"the new data holds {', '.join(thin)} example(s); "
        f"fewer than {MIN_EXAMPLES_PER_CLASS} of a class"
    )
    if replace_base:
        raise DataError(f"{message}: too few to train on alone; drop --replace-base or add data")
    warnings.append(f"{message}: they are added to the base corpus")


def _data_files(data: Sequence[str | os.PathLike[str]] | list[Example] | None) -> list[str]:
    if not data:
        return []
    return [str(x) for x in data if not isinstance(x, Example)]
