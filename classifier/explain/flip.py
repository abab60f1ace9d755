"""A minimal set of present terms whose removal flips the verdict, recomputed exactly.

Every step recomputes the logit from term counts with the model's own tf-idf
and linear score; nothing is estimated from contributions, because the
normalisation changes every weight whenever a term is removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from classifier.explain.advice import direction, term_counts
from classifier.explain.contributions import sigmoid
from classifier.model.scoring import ScoringModel
from classifier.results import Classification, FlipSet


def logit_without(counts: Counter[str], model: ScoringModel, removed: Iterable[str]) -> float:
    """The exact logit with every occurrence of ``removed`` taken out of ``counts``."""
    gone = set(removed)
    return model.decision(Counter({t: n for t, n in counts.items() if t not in gone}))


def minimal_flip(result: Classification, model: ScoringModel) -> FlipSet | None:
    """An irreducible set of present terms whose removal flips the lean, or None.

    Candidates are the terms pushing toward the lean. They are removed greedily,
    strongest contribution first, until the exact logit changes sign; then
    members are dropped again, weakest first, whenever the rest still flips,
    repeating until no member can be dropped (the score is not monotone in
    the set because of the normalisation, so one pass is not enough). Every
    step recomputes the logit from counts. None when removing every candidate
    does not flip the lean.
    """
    counts = term_counts(result)
    lean = direction(result.lean)

    def flips(terms: Iterable[str]) -> bool:
        return (logit_without(counts, model, terms) >= 0) != (lean > 0)

    candidates = sorted(
        (c for c in result.contributions if c.weight * lean > 0 and c.count > 0),
        key=lambda c: (-abs(c.weight), c.term),
    )
    chosen: list[str] = []
    for c in candidates:
        chosen.append(c.term)
        if flips(chosen):
            break
    else:
        return None
    changed = True
    while changed:
        changed = False
        for term in reversed(list(chosen)):
            rest = [t for t in chosen if t != term]
            if rest and flips(rest):
                chosen = rest
                changed = True
    after = logit_without(counts, model, chosen)
    return FlipSet(terms=tuple(chosen), logit_after=after, probability_after=sigmoid(after))
