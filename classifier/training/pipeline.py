"""The one pipeline shape, fitted and exported: our analyzer, binary tf-idf, logistic regression.

A ``Pipeline`` of ``TfidfVectorizer(analyzer=Analyzer)`` and ``LogisticRegression``
is fitted on the vocabulary documents plus labelled text and exported through
public scikit-learn attributes (``get_feature_names_out``, ``idf_``, ``coef_``,
``intercept_``) to the plain-data model that classification reads.

The vocabulary always defines the features (the vectorizer's vocabulary); its
documents are training examples only when ``vocabulary_docs`` (a model trained
on a team's data alone leaves them out). Example weights other than 1 go to the
logistic regression as ``sample_weight``; with none, none is passed.
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
    *,
    vocabulary_docs: bool = True,
) -> Pipeline:
    """Fit on the vocabulary documents (if ``vocabulary_docs``) plus ``examples``.

    Each example's ``weight`` is its ``sample_weight``; when every weight is 1 no
    ``sample_weight`` is passed at all, so unweighted models stay byte-identical.
    """
    data = training_examples(examples, vocabulary, vocabulary_docs)
    pipe = build_pipeline(vocabulary, seed, analyzer)
    texts = [e.text for e in data]
    y = np.array([LABELS.index(e.label) for e in data])
    if any(e.weight != 1.0 for e in data):
        pipe.fit(texts, y, logreg__sample_weight=np.array([e.weight for e in data]))
    else:
        pipe.fit(texts, y)
    return pipe


def training_examples(
    examples: list[Example], vocabulary: Vocabulary, vocabulary_docs: bool = True
) -> list[Example]:
    """What :func:`fit` trains on: the vocabulary documents (unless left out), then ``examples``."""
    return (vocabulary_examples(vocabulary) if vocabulary_docs else []) + list(examples)


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
    *,
    vocabulary_docs: bool = True,
) -> np.ndarray:
    """Each example scored by a model that never saw its group (grouped, stratified folds).

    Vocabulary documents (when ``vocabulary_docs``) are in every fold's training;
    they are never scored.
    """
    scores = np.zeros(len(examples))
    for train_idx, test_idx in grouped_folds(examples, CV_FOLDS, seed):
        pipe = fit(
            [examples[i] for i in train_idx],
            vocabulary,
            seed,
            analyzer,
            vocabulary_docs=vocabulary_docs,
        )
        scores[test_idx] = pipe.decision_function([examples[i].text for i in test_idx])
    return scores
