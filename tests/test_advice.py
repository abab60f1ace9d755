"""Advice and flip sets are exact: checked by editing the resume text and classifying again."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from classifier import classify_text
from classifier.explain.advice import HONESTY_NOTE, term_counts, what_would_move
from classifier.explain.flip import minimal_flip
from classifier.model.scoring import ScoringModel
from classifier.results import Classification

from .conftest import EXAMPLES

SAMPLES = ["scientist_resume.txt", "engineer_resume.txt"]


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request: pytest.FixtureRequest, model: ScoringModel) -> Classification:
    path = EXAMPLES / request.param
    return classify_text(path.read_text(encoding="utf-8"), model, source=str(path))


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans cut out; a "," keeps the neighbours from joining into a phrase
    (and, unlike a sentence break, keeps the clause a context word must share)."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        out.append(" , ")
        last = end
    out.append(text[last:])
    return "".join(out)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _gated(model: ScoringModel) -> set[str]:
    """Terms with a context-gated form (ACL, Spark ...): cutting a context word out of the
    text can take them too, which the count-based flip set does not model."""
    gated = {e.info.term for e in model.vocabulary.entries if e.contexts}
    # held titles depend on their dates and neighbours, requirement terms on their clause
    return gated | {t for t in model.terms if t.startswith(("title:", "req:"))}


def _removed(
    result: Classification, terms: set[str], model: ScoringModel
) -> tuple[Classification, bool]:
    """The text without every occurrence of ``terms``, classified again, and whether the
    edit left every other count as it was (False when it also took a gated term's context)."""
    # Every occurrence in the text, also any beyond the per-term cap that spans omit.
    spans = [(m.start, m.end) for m in model.analyzer.find(result.text) if m.term in terms]
    edited = classify_text(_without(result.text, spans), model)
    expected = Counter({t: n for t, n in term_counts(result).items() if t not in terms})
    gated = _gated(model)
    after = term_counts(edited)
    # a term sharing text with a removed one (a title phrase under its held title) goes too
    cut = {m.term for m in model.analyzer.find(result.text) if _overlaps((m.start, m.end), spans)}
    plain = {t for t in set(expected) | set(after) if t not in gated and t not in cut}
    assert {t: after[t] for t in plain} == {t: expected[t] for t in plain}, (
        "the edit changed more than the removed terms"
    )
    return edited, after == expected


def test_gains_are_exact_when_the_term_is_added_to_the_text(
    sample: Classification, model: ScoringModel
) -> None:
    checked = 0
    for group in what_would_move(sample, model):
        for s in group.suggestions[:2]:
            edited = classify_text(f"{sample.text}\n\n{s.term}\n", model)
            added = term_counts(edited) - term_counts(sample)
            if added != Counter({s.term: 1}) or term_counts(edited)[s.term] != 1:
                continue  # a guarded form (R, Go) counts only inside a list
            assert edited.logit == pytest.approx(sample.logit + s.logit_gain, abs=1e-9)
            assert edited.logit == pytest.approx(s.logit_after, abs=1e-9)
            assert edited.scientist_probability == pytest.approx(s.probability_after, abs=1e-12)
            checked += 1
    assert checked >= 6  # two per advisable section: skills, tools, duties, degrees


def test_advice_points_to_the_other_role_with_absent_terms(
    sample: Classification, model: ScoringModel
) -> None:
    advice = what_would_move(sample, model, per_section=3)
    target = "engineer" if sample.lean == "scientist" else "scientist"
    sign = 1 if target == "scientist" else -1
    present = set(term_counts(sample))
    info = model.vocabulary.info()
    assert advice and len({a.section for a in advice}) == len(advice)
    best = [a.suggestions[0].logit_gain * sign for a in advice]
    assert best == sorted(best, reverse=True)
    for group in advice:
        assert group.toward == target and 1 <= len(group.suggestions) <= 3
        gains = [s.logit_gain * sign for s in group.suggestions]
        assert gains == sorted(gains, reverse=True) and gains[-1] > 0
        for s in group.suggestions:
            assert s.term not in present
            assert s.role == target == info[s.term].role and s.section == group.section
            assert s.coefficient * sign > 0 and s.coefficient == model.coefficient(s.term)


def test_toward_the_lean_and_bad_roles(sample: Classification, model: ScoringModel) -> None:
    sign = 1 if sample.lean == "scientist" else -1
    same = what_would_move(sample, model, toward=sample.lean)
    assert all(s.logit_gain * sign > 0 for a in same for s in a.suggestions)
    with pytest.raises(ValueError, match="toward"):
        what_would_move(sample, model, toward="manager")


def test_flip_set_flips_the_text_and_is_minimal(
    sample: Classification, model: ScoringModel
) -> None:
    flip = minimal_flip(sample, model)
    assert flip is not None and flip.terms
    terms = set(flip.terms)
    assert len(terms) == len(flip.terms)
    edited, exact = _removed(sample, terms, model)
    if exact:  # the same counts as the flip set assumed: it flips, to the same logit
        assert (edited.logit >= 0) != (sample.logit >= 0)
        assert flip.lean_after == edited.lean != sample.lean
        assert edited.logit == pytest.approx(flip.logit_after, abs=1e-9)
        assert edited.scientist_probability == pytest.approx(flip.probability_after, abs=1e-12)
    else:  # the edit took context too (dates, a title's phrase): check in count space
        remaining = Counter({t: n for t, n in term_counts(sample).items() if t not in terms})
        assert (model.decision(remaining) >= 0) != (sample.logit >= 0)
    counts = term_counts(sample)
    for kept in flip.terms:
        fewer, same = _removed(sample, terms - {kept}, model)
        if same:  # the text without all but one: the lean stays
            assert (fewer.logit >= 0) == (sample.logit >= 0), f"{kept!r} could be kept"
        else:  # (keeping a term whose context goes with the others): in count space
            rest = Counter({t: n for t, n in counts.items() if t not in terms - {kept}})
            assert (model.decision(rest) >= 0) == (sample.logit >= 0), f"{kept!r} could be kept"


def test_flip_is_none_when_nothing_can_flip(model: ScoringModel) -> None:
    # Only terms of the side the bias is on: removing any of them leaves terms
    # of that side or the bias alone, so nothing flips.
    if model.intercept < 0:
        text = "Kubernetes, Docker, MLflow, model serving, CI/CD, Terraform."
    else:
        text = "NeurIPS, ICML, Bayesian inference, causal inference, theorem, PhD."
    r = classify_text(text, model)
    assert (r.logit < 0) == (r.bias < 0)
    assert minimal_flip(r, model) is None


def test_flip_of_a_small_text_is_exact(model: ScoringModel) -> None:
    r = classify_text(
        "Kubernetes and Docker; Bayesian statistics, causal inference, NeurIPS.", model
    )
    flip = minimal_flip(r, model)
    assert flip is not None
    edited, exact = _removed(r, set(flip.terms), model)
    assert exact
    assert edited.logit == pytest.approx(flip.logit_after, abs=1e-9)
    assert edited.lean != r.lean


def test_honesty_note_is_a_plain_sentence() -> None:
    assert HONESTY_NOTE.endswith(".") and "true" in HONESTY_NOTE and "<" not in HONESTY_NOTE


def test_advice_and_sections_do_not_import_numeric_libraries() -> None:
    code = (
        "import sys, classifier.explain, classifier.render.html\n"
        "bad = [m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
