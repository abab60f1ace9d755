"""Normalisation and the analyzer: what becomes a feature, and what never does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.read.normalize import normalize
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import load_vocabulary

ANALYZER = Analyzer(load_vocabulary())


def terms(text: str) -> list[str]:
    return [m.term for m in ANALYZER.find(normalize(text))]


def test_normalize_rules() -> None:
    raw = "(cid:136) \ufb01ne-tuning   of\tmodels\r\ndevelop-\nment\n\n\n\nNext"
    assert normalize(raw) == "fine-tuning of models\ndevelopment\n\nNext"


def test_normalize_keeps_compound_hyphen_before_capital() -> None:
    assert normalize("Python-\nBased") == "Python-\nBased"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent_and_analyzer_never_raises(s: str) -> None:
    once = normalize(s)
    assert normalize(once) == once
    for m in ANALYZER.find(once):
        assert 0 <= m.start < m.end <= len(once)


def test_variants_map_to_canonical_terms() -> None:
    found = terms("Ph.D. in Statistics; k8s, GCP, sklearn, Doctorate, PhD")
    assert found.count("phd") == 3
    assert {"kubernetes", "google cloud", "scikit-learn", "statistics"} <= set(found)


def test_multi_word_terms_are_single_features() -> None:
    found = terms("Linear algebra, feature engineering, data pipelines and a literature review.")
    assert found == ["linear algebra", "feature engineering", "data pipelines", "literature review"]


def test_phrases_do_not_cross_commas() -> None:
    assert "data pipelines" not in terms("big data, pipelines")


def test_languages_the_default_token_pattern_destroys() -> None:
    found = terms("Languages: C++, C#, .NET, Java")
    assert found == ["c++", "c#", "c#", "java"]


def test_r_only_as_a_language() -> None:
    assert terms("Skills: Python, R, SQL").count("r") == 1
    assert terms("Proficient in R.").count("r") == 1
    assert terms("R/RStudio") == ["r", "rstudio"]
    assert "r" not in terms("John R. Smith led R&D at the lab")
    assert "r" not in terms("r, python")  # lower-case r is not the language


def test_contact_details_never_count() -> None:
    text = "jane.research@kubernetes.io | https://github.com/jane | www.pytorch.org | +1 555 0100"
    assert terms(text) == []


def test_spans_point_at_the_text() -> None:
    text = normalize("Deployed models on k8s; published at NeurIPS.")
    for m in ANALYZER.find(text):
        assert text[m.start : m.end].lower() in {"deployed models", "k8s", "published", "neurips"}


def test_shared_terms_are_evidence_not_features() -> None:
    text = "Python, Jupyter notebooks, machine learning, computer science"
    assert ANALYZER(text) == []
    assert {m.term for m in ANALYZER.find(text)} == {
        "python",
        "jupyter",
        "machine learning",
        "computer science",
    }
