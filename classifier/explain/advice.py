"""What would move the score: missing terms toward a role, and a minimal set that flips it.

Every number here is recomputed exactly from term counts with the model's own
tf-idf (term frequency, idf, L2 normalisation) and linear score; nothing is
estimated by adding or subtracting contributions, because the normalisation
changes every weight whenever one term is added or removed. Pure Python on
the plain-data :class:`~classifier.model.ScoringModel`: no scikit-learn, no numpy.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from classifier.config import ADVICE_PER_SECTION, ADVICE_SECTIONS, LABELS, MISSING_ML_SHOWN
from classifier.errors import UsageError
from classifier.explain.contributions import sigmoid
from classifier.model.scoring import ScoringModel
from classifier.results import Advice, Classification, Suggestion, TermInfo, other_role

#: Shown with every suggestion list: the advice explains the score, it is not a script.
HONESTY_NOTE = (
    "Put a term on a resume only if it is true of the candidate: these suggestions show how "
    "the score works, not what anyone should claim."
)


def term_counts(result: Classification) -> Counter[str]:
    """The model's input for ``result``: each feature term present and its count."""
    return Counter({c.term: c.count for c in result.contributions if c.count > 0})


def direction(role: str) -> int:
    if role not in LABELS:
        raise UsageError(f"toward must be one of {', '.join(LABELS)}, not {role!r}")
    return 1 if role == LABELS[1] else -1


def advisable(meta: TermInfo) -> bool:
    """May this term be suggested? Only what a candidate could truthfully have and act on:
    skills, tools, duties and degrees; never industries, adjectives or honours."""
    return meta.advice and meta.section in ADVICE_SECTIONS


def missing_ml_terms(
    result: Classification, model: ScoringModel, limit: int = MISSING_ML_SHOWN
) -> tuple[str, ...]:
    """Machine-learning terms an undetermined text lacks, the field's own words first:
    the shared ML terms (evidence of the field, not of a role), then role ML terms."""
    present = set(model.analyzer.features(result.text)) | {
        m.term for m in model.analyzer.find(result.text)
    }
    # the article's own words first, then expansions, each in vocabulary order
    entries = sorted(model.vocabulary.entries, key=lambda e: e.info.origin != "article")
    shared = [e.info.term for e in entries if e.info.ml and e.info.role == "shared"]
    roles = [e.info.term for e in entries if e.info.ml and e.info.role != "shared"]
    return tuple(t for t in (*shared, *roles) if t not in present)[:limit]


def what_would_move(
    result: Classification,
    model: ScoringModel,
    toward: str | None = None,
    per_section: int = ADVICE_PER_SECTION,
) -> tuple[Advice, ...]:
    """The strongest absent role terms toward ``toward``, grouped by article section.

    ``toward`` defaults to the role opposite the result's lean. A candidate is
    a feature term of that role whose coefficient points toward it and that
    the resume does not contain; its gain is the exact new logit with the
    term's count 1 added, minus the old logit. Terms whose gain does not move
    the score toward the role (possible when adding a weak term dilutes strong
    ones) are left out. Sections come strongest first, as do their terms.
    """
    target = toward if toward is not None else other_role(result.lean)
    sign = direction(target)
    counts = term_counts(result)
    base = model.decision(counts)
    info = model.info
    # The new vector is the old raw tf-idf plus idf_t for the added term, re-normalised:
    # logit = b + (S + c_t * idf_t) / sqrt(Q + idf_t^2), exact without re-summing per term.
    raw = _raw_tfidf(counts, model)
    dot = math.fsum(model.coefficient(t) * v for t, v in sorted(raw.items()))
    square = math.fsum(v * v for v in raw.values())
    groups: dict[str, list[Suggestion]] = defaultdict(list)
    for term in model.terms:
        meta = info[term]
        if meta.role != target or counts[term] > 0 or model.coefficient(term) * sign <= 0:
            continue
        if not advisable(meta):
            continue
        added = model.idf[model.index[term]]  # tf of one occurrence is 1 (binary, raw or 1 + ln 1)
        after = model.intercept + (dot + model.coefficient(term) * added) / math.sqrt(
            square + added * added
        )
        gain = after - base
        if gain * sign <= 0:
            continue
        groups[meta.section].append(
            Suggestion(
                term=term,
                role=meta.role,
                section=meta.section,
                coefficient=model.coefficient(term),
                logit_gain=gain,
                logit_after=after,
                probability_after=sigmoid(after),
            )
        )
    advice = [
        Advice(
            section=section,
            toward=target,
            suggestions=tuple(
                sorted(items, key=lambda s: (-s.logit_gain * sign, s.term))[:per_section]
            ),
        )
        for section, items in groups.items()
    ]
    advice.sort(key=lambda a: (-a.suggestions[0].logit_gain * sign, a.section))
    return tuple(advice)


def _raw_tfidf(counts: Counter[str], model: ScoringModel) -> dict[str, float]:
    """Un-normalised tf-idf of the present terms, as ScoringModel.tfidf computes it."""
    raw = {}
    for term, n in counts.items():
        i = model.index.get(term)
        if i is not None and n > 0:
            raw[term] = model.term_frequency(n) * model.idf[i]
    return raw
