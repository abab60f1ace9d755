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

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .config import (
    CALIBRATION_MAX_SLOPE,
    CV_FOLDS,
    DEFAULT_SEED,
    LABELS,
    LOGREG_C,
    LOGREG_MAX_ITER,
    MIN_EXAMPLES_PER_CLASS,
    TFIDF_NORM,
)
from .corpus import Example, data_hash, load_base_corpus, vocabulary_examples
from .errors import DataError
from .guard import ReadOptions
from .labelled import merge_examples, read_labelled
from .metrics import binary_metrics, grouped_folds
from .model import ScoringModel, default_model_dir
from .modelio import check_output, write_model_dir
from .text import Analyzer
from .vocab import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class TrainReport:
    """What a training run produced: the model, its pipeline and the numbers behind it."""

    model: ScoringModel
    pipeline: Pipeline
    card: dict[str, Any]
    output: Path | None
    comparison: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def build_pipeline(
    vocabulary: Vocabulary, seed: int = DEFAULT_SEED, analyzer: Analyzer | None = None
) -> Pipeline:
    """The one pipeline shape: our analyzer, sublinear tf-idf, L2 logistic regression."""
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=analyzer or Analyzer(vocabulary),
                    vocabulary=list(vocabulary.features),
                    sublinear_tf=True,
                    norm=TFIDF_NORM,
                    lowercase=False,
                ),
            ),
            (
                "logreg",
                LogisticRegression(C=LOGREG_C, max_iter=LOGREG_MAX_ITER, random_state=seed),
            ),
        ]
    )


def fit(
    examples: list[Example],
    vocabulary: Vocabulary,
    seed: int = DEFAULT_SEED,
    analyzer: Analyzer | None = None,
) -> Pipeline:
    """Fit on the vocabulary documents plus ``examples``."""
    data = vocabulary_examples(vocabulary) + list(examples)
    pipe = build_pipeline(vocabulary, seed, analyzer)
    pipe.fit([e.text for e in data], np.array([LABELS.index(e.label) for e in data]))
    return pipe


def export(pipe: Pipeline, vocabulary: Vocabulary, **extra: Any) -> ScoringModel:
    """Plain data from public attributes of a fitted pipeline."""
    tfidf: TfidfVectorizer = pipe.named_steps["tfidf"]
    logreg: LogisticRegression = pipe.named_steps["logreg"]
    if list(logreg.classes_) != [0, 1]:
        raise ValueError("training data must hold both labels")
    return ScoringModel(
        terms=tuple(str(t) for t in tfidf.get_feature_names_out()),
        idf=tuple(float(x) for x in tfidf.idf_),
        coef=tuple(float(x) for x in logreg.coef_[0]),
        intercept=float(logreg.intercept_[0]),
        vocabulary=vocabulary,
        sublinear_tf=bool(tfidf.sublinear_tf),
        **extra,
    )


def out_of_fold_logits(
    examples: list[Example],
    vocabulary: Vocabulary,
    seed: int = DEFAULT_SEED,
    analyzer: Analyzer | None = None,
) -> np.ndarray:
    """Each example scored by a model that never saw its group (grouped, stratified folds).

    Vocabulary documents are always in training; they are never scored.
    """
    scores = np.zeros(len(examples))
    for train_idx, test_idx in grouped_folds(examples, CV_FOLDS, seed):
        pipe = fit([examples[i] for i in train_idx], vocabulary, seed, analyzer)
        scores[test_idx] = pipe.decision_function([examples[i].text for i in test_idx])
    return scores


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
        from .compare import compare_models

        new_set = set(new)
        base = [] if replace_base else [e for e in examples if e not in new_set]
        comparison = compare_models(
            compare_with, model, new, base, vocabulary, seed, (a, b), analyzer
        )
        if comparison.get("skipped"):
            warnings.append(comparison["skipped"])
    if evaluations:
        card["evaluations"] = _evaluations(model, evaluations)
        card["limits"] = list(KNOWN_LIMITS)
    analyzer.forget()
    out = None
    if output is not None:
        out = write_model_dir(
            Path(output), model, pipe, card, force=force, allow_default=allow_default
        )
    return TrainReport(model, pipe, card, out, comparison, warnings)


KNOWN_LIMITS = (
    "Scores the vocabulary of a resume, not the person: not a measure of quality or fit, "
    "and not for automatic rejection.",
    "Trained on the article's role vocabularies and text written for the project; real "
    "resumes are measured only through the dev postings and project-written held-out sets.",
    "Job postings describe both roles' requirements at once; the dev accuracy is lower than "
    "on resumes.",
    "English only: a mostly non-English resume is undetermined.",
    "Scans are read only with --ocr, and OCR can misread terms (I/l confusions).",
)


def _evaluations(model: ScoringModel, sets: dict[str, list[Example]]) -> dict[str, Any]:
    """Card metrics on labelled sets that were never trained on."""
    from .evaluate import evaluate

    out = {}
    for name, examples in sets.items():
        report = evaluate(examples, model)
        keep = ("n", "accuracy", "roc_auc", "brier", "undetermined_rate")
        block = {k: report[k] for k in keep if k in report}
        if "out_of_domain" in report:
            block["out_of_domain_n"] = report["out_of_domain"]["n"]
            block["out_of_domain_flagged"] = report["out_of_domain"]["undetermined_rate"]
        out[name] = block
    return out


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


def main(argv: list[str] | None = None) -> int:
    """Rebuild the bundled default model from ``training_data/``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--output", type=Path, default=default_model_dir())
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    report = train(
        output=args.output,
        seed=args.seed,
        force=True,
        allow_default=True,
        evaluations=_evaluation_sets(),
    )
    cv = report.card["cross_validation"]
    print(
        f"wrote {report.output}: {report.card['examples']} examples, "
        f"CV accuracy {cv['accuracy']:.3f}, ROC AUC {cv['roc_auc']:.3f}, Brier {cv['brier']:.3f}"
    )
    return 0


def _evaluation_sets() -> dict[str, list[Example]]:
    """The project's held-out sets and, when present, the shared dev postings (as is and
    with the title words blanked). None of them is ever trained on."""
    import re

    root = Path(__file__).resolve().parent.parent
    files = {
        "held-out ML resumes (project-written)": root / "tests" / "data" / "heldout_ml.jsonl",
        "out-of-domain resumes (project-written)": root / "tests" / "data" / "out_of_domain.jsonl",
        "mostly non-English ML resumes": root / "tests" / "data" / "non_english.jsonl",
        "dev job postings (shared/eval)": root.parent / "shared" / "eval" / "job_posts_dev.jsonl",
    }
    sets = {
        name: read_labelled([path], allow_none=True).examples
        for name, path in files.items()
        if path.is_file()
    }
    dev = sets.get("dev job postings (shared/eval)")
    if dev:
        titles = re.compile(r"\b(engineer|scientist)s?\b", re.IGNORECASE)
        sets["dev job postings, engineer/scientist blanked"] = [
            Example(titles.sub(" ", e.text), e.label, e.group, e.source) for e in dev
        ]
    return sets


if __name__ == "__main__":
    raise SystemExit(main())
