"""Explanations add up exactly, and the verdict follows the evidence."""

from __future__ import annotations

import math

import pytest

from classifier import classify, classify_text
from classifier.explain.contributions import sigmoid
from classifier.model.scoring import ScoringModel
from classifier.results import Classification
from classifier.training.corpus import load_base_corpus

from .conftest import EXAMPLES, PDF


def _adds_up(r: Classification) -> None:
    total = r.bias + math.fsum(c.weight for c in r.contributions)
    assert abs(total - r.logit) <= 1e-9
    assert r.scientist_probability == pytest.approx(sigmoid(r.logit), abs=1e-15)


def test_contributions_plus_bias_equal_the_logit_on_the_corpus(model: ScoringModel) -> None:
    for example in load_base_corpus()[::7]:
        r = classify_text(example.text, model)
        _adds_up(r)
        assert r.logit == pytest.approx(model.decision_text(r.text), abs=1e-12)


@pytest.mark.parametrize("name", ["one_column", "two_column", "latex_resume", "multipage"])
def test_contributions_add_up_on_fixture_pdfs(name: str, model: ScoringModel) -> None:
    r = classify(PDF / f"{name}.pdf", model)
    _adds_up(r)
    for c in r.contributions:
        assert c.weight == pytest.approx(c.coefficient * c.tfidf, abs=1e-15)
        assert c.count == len(c.spans) >= 1
        assert c.role in {"engineer", "scientist"}
        for start, end in c.spans:
            assert r.text[start:end].strip()


def test_samples_read_the_right_way(model: ScoringModel) -> None:
    eng = classify(EXAMPLES / "engineer_resume.pdf", model)
    sci = classify(EXAMPLES / "scientist_resume.pdf", model)
    assert eng.label == "engineer" and eng.scientist_probability < 0.2
    assert sci.label == "scientist" and sci.scientist_probability > 0.8
    assert eng.contributions[0].weight < 0 < sci.contributions[0].weight


def test_too_little_vocabulary_is_undetermined(model: ScoringModel) -> None:
    chef = (
        "Head chef with ten years in fine dining. Menu design, kitchen management, food cost "
        "control, staff training and supplier relations. Culinary Institute diploma."
    )
    r = classify_text(chef, model)
    assert r.label == "undetermined"
    assert 0.0 < r.scientist_probability < 1.0
    _adds_up(r)


def test_empty_text_has_no_contributions(model: ScoringModel) -> None:
    r = classify_text("", model)
    assert r.contributions == () and r.logit == model.intercept
    assert r.label == "undetermined"
