"""The plain-data model: TF-IDF and a linear score without scikit-learn or pickle.

A model is a folder holding ``scoring.json`` (this module reads it),
``pipeline.joblib`` (the fitted scikit-learn pipeline, loaded only on explicit
request) and ``card.json``/``card.md``. ``scoring.json`` carries the
vocabulary, idf, coefficients and intercept, and a sha256 over its other
fields, so that an edited file is refused and loading it can never run code.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from classifier.config import ANALYZER_VERSION, LABELS, SCORING_FORMAT
from classifier.errors import ModelError
from classifier.results import TermInfo
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, exact float repr: the same data gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class ScoringModel:
    """Everything needed to score a text, as plain data."""

    terms: tuple[str, ...]
    idf: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    vocabulary: Vocabulary
    labels: tuple[str, str] = LABELS
    sublinear_tf: bool = True
    #: Presence, not count: each term present weighs tf = 1 (TfidfVectorizer(binary=True)).
    binary_tf: bool = False
    analyzer_version: int = ANALYZER_VERSION
    data_hash: str = ""
    metrics: dict[str, Any] | None = None
    sha256: str = ""
    #: The scoring file it was loaded from ("" for a model built in memory).
    path: str = field(default="", compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the plain data only; a worker process rebuilds a model it has seen once.

        The model travels to batch workers as this value (never as a path that a
        worker would resolve on its own); its sha256 names the exact scoring file,
        so a worker keeps the first copy it unpickles, with its analyzer, for the
        tasks that follow.
        """
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        return (_restore_model, (state,))

    @cached_property
    def analyzer(self) -> Analyzer:
        return Analyzer(self.vocabulary)

    @cached_property
    def info(self) -> dict[str, TermInfo]:
        """Role, section, origin and ML flag of every vocabulary term (built once)."""
        return self.vocabulary.info()

    @cached_property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}

    def tfidf(self, counts: Counter[str]) -> dict[str, float]:
        """The L2-normalised tf-idf vector of term counts, as TfidfVectorizer computes it."""
        raw: dict[str, float] = {}
        for term, n in counts.items():
            i = self.index.get(term)
            if i is None or n <= 0:
                continue
            raw[term] = self.term_frequency(n) * self.idf[i]
        norm = math.sqrt(sum(v * v for v in raw.values()))
        return {t: v / norm for t, v in raw.items()} if norm > 0 else {}

    def term_frequency(self, n: int) -> float:
        """The tf of a term seen ``n`` (> 0) times, as the fitted vectorizer computes it."""
        if self.binary_tf:
            return 1.0
        return 1.0 + math.log(n) if self.sublinear_tf else float(n)

    def coefficient(self, term: str) -> float:
        return self.coef[self.index[term]]

    def decision(self, counts: Counter[str]) -> float:
        """The logit: intercept plus coefficient times tf-idf, summed in sorted order."""
        vec = self.tfidf(counts)
        return self.intercept + math.fsum(self.coefficient(t) * v for t, v in sorted(vec.items()))

    def decision_text(self, text: str) -> float:
        return self.decision(Counter(self.analyzer(text)))

    # -- persistence --------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        data = {
            "format": SCORING_FORMAT,
            "analyzer_version": self.analyzer_version,
            "labels": list(self.labels),
            "sublinear_tf": self.sublinear_tf,
            "binary_tf": self.binary_tf,
            "terms": list(self.terms),
            "idf": list(self.idf),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "vocabulary": self.vocabulary.to_data(),
            "data_hash": self.data_hash,
            "metrics": self.metrics or {},
        }
        data["sha256"] = hashlib.sha256(canonical_json(data)).hexdigest()
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_data(), sort_keys=True, indent=1, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes, where: str) -> ScoringModel:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"{where}: not a valid scoring file ({exc}); retrain the model"
            ) from exc
        if not isinstance(data, dict):
            raise ModelError(f"{where}: not a valid scoring file; retrain the model")
        recorded = data.pop("sha256", None)
        if recorded != hashlib.sha256(canonical_json(data)).hexdigest():
            raise ModelError(
                f"{where}: checksum mismatch, the file was edited or damaged; "
                "retrain it with 'resume-role train' or reinstall the package"
            )
        if data.get("format") != SCORING_FORMAT or data.get("analyzer_version") != ANALYZER_VERSION:
            raise ModelError(
                f"{where}: made for scoring format {data.get('format')} / analyzer "
                f"{data.get('analyzer_version')}, this version reads {SCORING_FORMAT} / "
                f"{ANALYZER_VERSION}; retrain the model with this version"
            )
        try:
            return cls(
                terms=tuple(data["terms"]),
                idf=tuple(float(x) for x in data["idf"]),
                coef=tuple(float(x) for x in data["coef"]),
                intercept=float(data["intercept"]),
                vocabulary=Vocabulary.from_data(data["vocabulary"]),
                labels=(str(data["labels"][0]), str(data["labels"][1])),
                sublinear_tf=bool(data["sublinear_tf"]),
                binary_tf=bool(data.get("binary_tf", False)),
                analyzer_version=data["analyzer_version"],
                data_hash=data["data_hash"],
                metrics=data["metrics"],
                sha256=hashlib.sha256(raw).hexdigest(),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: scoring file is missing {exc}; retrain the model") from exc


_UNPICKLED: dict[str, ScoringModel] = {}
#: Distinct models a worker keeps after unpickling (a batch uses one).
_UNPICKLED_MAX = 4


def _restore_model(state: dict[str, Any]) -> ScoringModel:
    sha = state.get("sha256") or ""
    known = _UNPICKLED.get(sha) if sha else None
    if known is not None:
        return known
    model = ScoringModel(**state)
    if sha:
        if len(_UNPICKLED) >= _UNPICKLED_MAX:
            _UNPICKLED.clear()
        _UNPICKLED[sha] = model
    return model
