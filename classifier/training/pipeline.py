"""The one pipeline shape, fitted and exported: our analyzer, binary tf-idf, logistic regression.

A ``Pipeline`` of ``TfidfVectorizer(analyzer=Analyzer)`` and ``LogisticRegression``
is fitted on the vocabulary documents plus labelled text and exported through
public scikit-learn attributes (``get_feature_names_out``, ``idf_``, ``coef_``,
``intercept_``) to the plain-data model that classification reads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from classifier.config import (
    CV_FOLDS,
    DEFAULT_SEED,
    LABELS,
    LOGREG_C,
    LOGREG_MAX_ITER,
    TFIDF_BINARY,
    TFIDF_NORM,
)
from classifier.errors import DataError
from classifier.model.scoring import ScoringModel
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary
from classifier.training.corpus import Example, vocabulary_examples
from classifier.training.metrics import grouped_folds


def build_pipeline(
    vocabulary: Vocabulary, seed: int = DEFAULT_SEED, analyzer: Analyzer | None = None
) -> Pipeline:
    """The one pipeline shape: our analyzer, binary tf-idf, L2 logistic regression."""
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=analyzer or Analyzer(vocabulary),
                    vocabulary=list(vocabulary.features),
                    binary=TFIDF_BINARY,
                    sublinear_tf=not TFIDF_BINARY,
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
        raise DataError("training data must hold both labels; add examples of the missing one")
    return ScoringModel(
        terms=tuple(str(t) for t in tfidf.get_feature_names_out()),
        idf=tuple(float(x) for x in tfidf.idf_),
        coef=tuple(float(x) for x in logreg.coef_[0]),
        intercept=float(logreg.intercept_[0]),
        vocabulary=vocabulary,
        sublinear_tf=bool(tfidf.sublinear_tf),
        binary_tf=bool(tfidf.binary),
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
