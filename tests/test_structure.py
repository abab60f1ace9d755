"""Held titles with recency, document kind and requirement phrasing: features of the same
linear model, so every explanation still adds up."""

from __future__ import annotations

import math

import pytest

from classifier import classify_text
from classifier.model.scoring import ScoringModel
from classifier.text.structure import (
    CURRENT,
    PAST,
    POSTING,
    RESUME,
    document_kind,
    held_titles,
)

BULLETS = (
    "- Statistical analysis, Bayesian methods, causal inference and hypothesis testing\n"
    "- Built feature pipelines in Python; experiments with gradient boosting\n"
)


@pytest.mark.parametrize(
    "dates",
    ["Jan 2022 - Present", "2022-now", "Since 2021", "03/2021 – present", "March 2021 to date"],
)
def test_the_current_title_is_the_open_ended_one(dates: str) -> None:
    text = (
        "Alex Kim\nExperience\n"
        f"Machine Learning Engineer, Acme Corp, {dates}\n{BULLETS}"
        "Research Scientist, Beta Labs, 2015 - 2019\n- Published papers\n"
    )
    found = {(t.role, t.when) for t in held_titles(text, RESUME)}
    assert found == {("engineer", CURRENT), ("scientist", PAST)}


def test_without_an_open_end_the_latest_year_is_current() -> None:
    text = (
        "Research Scientist\nGamma AI, 2019 - 2023\n- Led research\n"
        "ML Engineer\nDelta, 2014 - 2018\n- Deployed models\n"
    )
    found = {(t.role, t.when) for t in held_titles(text, RESUME)}
    assert found == {("scientist", CURRENT), ("engineer", PAST)}


def test_other_peoples_titles_and_plurals_are_not_held() -> None:
    text = (
        "Data Analyst, Acme, 2020 - present\n"
        "- Reporting to the Head of Research and a Research Scientist\n"
        "- Worked with ML engineers and research scientists\n"
        "References\nDr. Jane Roe, Principal ML Engineer, Foo Inc.\n"
    )
    assert held_titles(text, RESUME) == []


def test_a_posting_is_recognised_and_holds_its_own_title() -> None:
    text = (
        "Machine Learning Engineer\nAbout the role\nYou will deploy and monitor models.\n"
        "Requirements: MS or PhD in a quantitative field preferred.\nBenefits: health.\n"
        "Apply now."
    )
    assert document_kind(text) == POSTING
    assert [(t.role, t.when) for t in held_titles(text, POSTING)] == [("engineer", CURRENT)]
    assert document_kind("Jane Doe\nExperience\nML Engineer, 2020 - present\n") == RESUME


def _logit(model: ScoringModel, text: str) -> float:
    result = classify_text(text, model)
    total = result.bias + math.fsum(c.weight for c in result.contributions)
    assert total == pytest.approx(result.logit, abs=1e-9)  # explanations still add up
    return result.logit


MIXED = (
    "- Statistical analysis and A/B experiments for pricing\n"
    "- Built feature pipelines in Python and trained gradient boosting models\n"
    "- Deployed models with Docker and Kubernetes\n"
)


def test_the_current_title_decides_a_mixed_resume(model: ScoringModel) -> None:
    """The same bullets: the role held now decides, the one held in 2015 weighs little."""
    engineer_now = (
        "Machine Learning Engineer, Acme Corp, Jan 2022 - Present\n" + MIXED
        + "Data Analyst, Beta, 2018 - 2021\n- Dashboards\n"
    )  # fmt: skip
    scientist_now = (
        "PhD candidate in Statistics, Gamma University, 2021 - present\n" + MIXED
        + "Machine Learning Engineer, Acme Corp, 2015 - 2018\n- Dashboards\n"
    )  # fmt: skip
    assert classify_text(engineer_now, model).lean == "engineer"
    assert classify_text(scientist_now, model).lean == "scientist"
    result = classify_text(engineer_now, model)
    titles = [c for c in result.contributions if c.term.startswith("title:")]
    assert titles and titles[0].term == "title:engineer@current"
    assert titles[0].matched == ("Machine Learning Engineer",)


def test_a_phd_asked_for_weighs_less_than_a_phd_held(model: ScoringModel) -> None:
    asked = model.coefficient("req:phd")
    held = model.coefficient("phd")
    assert asked < held and held > 0
    posting = (
        "About the role\nYou will deploy models to production with Kubernetes and MLflow.\n"
        "Requirements: PhD preferred.\nBenefits: health.\nApply now."
    )
    found = {c.term for c in classify_text(posting, model).contributions}
    assert "req:phd" in found and "phd" not in found
    resume = "Education\nPhD, Computer Science, 2019\nExperience\nKubernetes and MLflow\n"
    assert "phd" in {c.term for c in classify_text(resume, model).contributions}
    _logit(model, posting)
    _logit(model, resume)
