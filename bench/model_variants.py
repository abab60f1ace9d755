"""Design alternatives for the model, measured on the same data: what was tried and why the
shipped pipeline is what it is.

Each variant is fitted on the vocabulary documents plus the bundled corpus and measured by
grouped 5-fold cross-validation on the corpus, on the project's held-out sets
(tests/data) and on the shared dev postings as is and with engineer/scientist blanked.
The dev set is a yardstick only: it is never trained on, and no variant was chosen on it.
Scores are raw decision values (no calibration), so only accuracy and ROC AUC compare.

Usage: python bench/model_variants.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from common import ROOT
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.config import LABELS
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary, load_vocabulary
from classifier.training.corpus import Example, load_base_corpus, vocabulary_examples
from classifier.training.labelled import read_labelled
from classifier.training.metrics import binary_metrics, grouped_folds
from classifier.training.pipeline import build_pipeline

DEV = ROOT.parent / "shared" / "eval" / "job_posts_dev.jsonl"
TITLE_WORDS = re.compile(r"\b(engineer|scientist)s?\b", re.IGNORECASE)

#: Frameworks both roles use daily, whatever the article files them under.
FRAMEWORKS = frozenset({"tensorflow", "pytorch", "keras", "scikit-learn", "jax"})

Maker = Callable[[Vocabulary, Analyzer], Pipeline]


def _logreg(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000)


def _vocab_tfidf(
    voc: Vocabulary, an: Analyzer, terms: list[str] | None = None, **kw: bool
) -> TfidfVectorizer:
    """The shipped vectorizer (presence, idf, L2) unless ``kw`` says otherwise."""
    options = {"binary": True, "sublinear_tf": False, **kw}
    return TfidfVectorizer(
        analyzer=an, vocabulary=terms or list(voc.features), lowercase=False, **options
    )


def _words_tfidf(min_df: int = 3, ngrams: tuple[int, int] = (1, 1)) -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=min_df, ngram_range=ngrams
    )


def _terms(voc: Vocabulary, keep: Callable[[Any], bool]) -> list[str]:
    return [e.info.term for e in voc.entries if e.info.role != "shared" and keep(e.info)]


def _vocab(c: float = 4.0, keep: Callable[[Any], bool] | None = None, **kw: bool) -> Maker:
    """A vocabulary-term variant: C, a subset of the terms, vectorizer options."""

    def make(v: Vocabulary, a: Analyzer) -> Pipeline:
        terms = _terms(v, keep) if keep else None
        return Pipeline([("tfidf", _vocab_tfidf(v, a, terms, **kw)), ("logreg", _logreg(c))])

    return make


def _words(vocab_too: bool = False, **kw: Any) -> Maker:
    def make(v: Vocabulary, a: Analyzer) -> Pipeline:
        words = _words_tfidf(**kw)
        features = FeatureUnion([("vocab", _vocab_tfidf(v, a)), ("words", words)])
        return Pipeline([("features", features if vocab_too else words), ("logreg", _logreg(4.0))])

    return make


VARIANTS: dict[str, Maker] = {
    "shipped: vocabulary terms, presence tf-idf, C=4": lambda v, a: build_pipeline(v, analyzer=a),
    "sublinear tf counts (shipped before)": _vocab(binary=False, sublinear_tf=True),
    "C=1": _vocab(1.0),
    "C=16": _vocab(16.0),
    "C=0.3 (strong prior)": _vocab(0.3),
    "no idf": _vocab(use_idf=False),
    "article terms only": _vocab(keep=lambda i: i.origin == "article"),
    "without industry terms": _vocab(keep=lambda i: i.section != "industries"),
    "without ML framework terms": _vocab(keep=lambda i: i.term not in FRAMEWORKS),
    "open words (no vocabulary)": _words(),
    "open words + bigrams": _words(ngrams=(1, 2)),
    "vocabulary terms + open words": _words(vocab_too=True),
}


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([LABELS.index(e.label) for e in examples])


def _fit(make: Maker, voc: Vocabulary, an: Analyzer, examples: list[Example]) -> Pipeline:
    data = vocabulary_examples(voc) + examples
    pipe = make(voc, an)
    pipe.fit([e.text for e in data], _labels(data))
    return pipe


def _cv(make: Maker, voc: Vocabulary, an: Analyzer, corpus: list[Example]) -> dict[str, float]:
    oof = np.zeros(len(corpus))
    for train, test in grouped_folds(corpus, 5, 0):
        pipe = _fit(make, voc, an, [corpus[i] for i in train])
        oof[test] = pipe.decision_function([corpus[i].text for i in test])
    return binary_metrics(_labels(corpus), oof)


def _sets() -> dict[str, list[Example]]:
    data = ROOT / "tests" / "data"
    sets = {
        "held-out": read_labelled([data / "heldout_ml.jsonl"]).examples,
        "held-out hard": read_labelled([data / "heldout_hard.jsonl"]).examples,
    }
    # Postings labelled by their titles whose duties mostly read like the other role
    # (bench/data/README.md): how far a reading of the content can follow a title.
    mixed = ROOT / "bench" / "data" / "mixed_role_postings.jsonl"
    sets["mixed-role postings"] = read_labelled([mixed]).examples
    if DEV.is_file():
        dev = read_labelled([DEV]).examples
        sets["dev"] = dev
        sets["dev blanked"] = [
            Example(TITLE_WORDS.sub(" ", e.text), e.label, e.group, e.source) for e in dev
        ]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="variant names (substrings) to run")
    args = parser.parse_args()
    voc = load_vocabulary()
    an = Analyzer(voc)
    an.remember()
    corpus = load_base_corpus()
    sets = _sets()
    header = ["variant", "CV acc", "CV AUC", *(f"{n} acc / AUC" for n in sets), "s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, make in VARIANTS.items():
        if args.only and not any(o in name for o in args.only):
            continue
        start = time.perf_counter()
        cv = _cv(make, voc, an, corpus)
        pipe = _fit(make, voc, an, corpus)
        cells = [name, f"{cv['accuracy']:.3f}", f"{cv['roc_auc']:.3f}"]
        for examples in sets.values():
            m = binary_metrics(
                _labels(examples), pipe.decision_function([e.text for e in examples])
            )
            cells.append(f"{m['accuracy']:.3f} / {m['roc_auc']:.3f}")
        cells.append(f"{time.perf_counter() - start:.1f}")
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
