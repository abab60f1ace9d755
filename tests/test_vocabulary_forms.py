"""Explanations in the resume's own words: every matched span is a listed form of its term,
families of products carry a group name, and ambiguous short forms need their context."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import classify, classify_text
from classifier.model.scoring import ScoringModel
from classifier.text.analyzer import Analyzer, tokens
from classifier.text.vocabulary import load_vocabulary

from .conftest import EXAMPLES, FIXTURES, PDF

SAMPLES = [
    *sorted(EXAMPLES.glob("*.pdf")),
    *sorted(EXAMPLES.glob("*.txt")),
    *sorted((FIXTURES / "text").iterdir()),
    *[PDF / f"{n}.pdf" for n in ("one_column", "two_column", "latex_resume", "multipage")],
]


def _listed(model: ScoringModel) -> dict[str, set[tuple[str, ...]]]:
    out = {}
    for entry in model.vocabulary.entries:
        forms = {tokens(v) for v in entry.variants}
        out[entry.info.term] = forms | {(*f[:-1], f[-1] + "s") for f in forms if f}
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_span_is_a_listed_form_and_shown_as_written(path: Path, model: ScoringModel) -> None:
    result = classify(path, model)
    listed = _listed(model)
    assert result.contributions
    for c in result.contributions:
        written = [result.text[s:e] for s, e in c.spans]
        base = c.term.removeprefix("req:")  # a posting's requirement: the term's own forms
        for surface in written:
            if not c.term.startswith("title:"):  # held titles are read by text/structure.py
                assert tokens(surface) in listed[base], (c.term, surface)
        assert c.matched == tuple(dict.fromkeys(" ".join(w.split()) for w in written))


def test_product_families_have_group_names(model: ScoringModel) -> None:
    text = "Backend on Django with Elasticsearch and DynamoDB, served by Triton and Seldon."
    found = {c.term: c.matched for c in classify_text(text, model).contributions}
    assert found["web frameworks"] == ("Django",)
    assert found["data stores"] == ("Elasticsearch", "DynamoDB")
    assert found["inference servers"] == ("Triton", "Seldon")
    assert not {"redis", "fastapi", "tensorrt"} & set(found)


@pytest.mark.parametrize(
    ("text", "term", "counts"),
    [
        ("Deployed services on AWS ECS with Fargate.", "aws services", True),
        ("Courses: ECS 150 Operating Systems, ECS 165 Databases.", "aws services", False),
        ("Research assistant at the Stanford AI Lab.", "research labs", True),
        ("Teaching assistant: ran the weekly lab sections for Physics 7B.", "research labs", False),
        ("Built ADs ranking and click prediction models.", "advertising", True),
        ("Met with the ADs and department chairs every term.", "advertising", False),
        ("Paper accepted at ACL 2023 (oral).", "nlp conferences", True),
        ("Configured an ACL on the office firewall.", "nlp conferences", False),
        ("Built Spark ETL jobs over the data lake.", "apache spark", True),
        ("Helped spark interest in mentoring; organised a reading group.", "apache spark", False),
        ("Launched the ranking model to production for 10M users.", "launching", True),
        ("Launched a book club.", "launching", False),
        ("REST API in Python with Flask.", "web frameworks", True),
        ("Titrated samples from the flask.", "web frameworks", False),
    ],
)
def test_ambiguous_forms_count_only_in_context(text: str, term: str, counts: bool) -> None:
    analyzer = Analyzer(load_vocabulary())
    assert (term in {m.term for m in analyzer.find(text)}) is counts


def test_context_does_not_reach_across_a_sentence() -> None:
    analyzer = Analyzer(load_vocabulary())
    found = [m.term for m in analyzer.find("Courses included ECS 150. AWS and Docker later.")]
    assert "aws services" not in found
