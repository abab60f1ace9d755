"""Resume sections are found from headings, and their contributions add up to the logit."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from pathlib import Path

import pytest

from classifier import classify, classify_text
from classifier.explain.sections import section_breakdown
from classifier.model.scoring import ScoringModel
from classifier.results import Classification
from classifier.text.headings import find_sections, heading_name

from .conftest import EXAMPLES, PDF

FIXTURE_PDFS = [
    "one_column",
    "two_column",
    "latex_resume",
    "multipage",
    "ligature",
    "faux_bold",
    "owner_only",
]


def _adds_up(r: Classification) -> None:
    shares = section_breakdown(r)
    total = r.bias + math.fsum(s.contribution for s in shares)
    assert abs(total - r.logit) <= 1e-9
    by_term: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for s in shares:
        assert s.contribution == pytest.approx(math.fsum(t.weight for t in s.terms), abs=1e-12)
        for t in s.terms:
            by_term[t.term].append(t.weight)
            counts[t.term] += t.count
    for c in r.contributions:
        assert math.fsum(by_term[c.term]) == pytest.approx(c.weight, abs=1e-12)
        assert counts[c.term] == c.count


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("EXPERIENCE", "Experience"),
        ("Work Experience", "Experience"),
        ("research experience:", "Experience"),
        ("Employment History", "Experience"),
        ("Experience (continued)", "Experience"),
        ("## Education", "Education"),
        ("**Skills**", "Skills"),
        ("Technical Skills:", "Skills"),
        ("SELECTED PUBLICATIONS", "Publications"),
        ("Papers", "Publications"),
        ("Summary", "Summary"),
        ("About Me", "Summary"),
        ("Me", None),
        ("About", "Summary"),
        ("Profile", "Summary"),
        ("Honors & Awards", "Awards"),
        ("Certifications", "Certifications"),
        ("Invited Talks", "Talks"),
        ("Professional Service", "Service"),
        ("Teaching and Mentoring", "Teaching"),
        ("Projects", "Projects"),
        ("Research", "Research"),
        ("Programming: Python, R", None),
        ("Languages: English (native)", None),
        ("and teaching", None),
        ("Senior Machine Learning Engineer", None),
        ("Experience with Kubernetes at scale", None),
        ("Skills 2024", None),
        ("", None),
    ],
)
def test_heading_lines(line: str, name: str | None) -> None:
    assert heading_name(line) == name


def test_sections_tile_the_text_with_the_header_first() -> None:
    text = "Jane Doe\njane@example.com\nSkills\nPyTorch\nEDUCATION:\nPh.D. Statistics\n"
    sections = find_sections(text)
    assert [s.name for s in sections] == ["Header", "Skills", "Education"]
    assert sections[0].start == 0 and sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(sections))
    assert text[sections[1].start :].startswith("Skills\n")
    assert sections[2].heading == "EDUCATION:"
    assert [s.name for s in find_sections("Experience\nx")] == ["Experience"]
    assert [s.name for s in find_sections("no headings at all")] == ["Header"]


@pytest.mark.parametrize("name", ["scientist_resume", "engineer_resume"])
@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_samples_add_up_and_have_the_usual_sections(
    name: str, suffix: str, model: ScoringModel
) -> None:
    path: Path = EXAMPLES / f"{name}{suffix}"
    r = classify(path, model)
    _adds_up(r)
    names = {s.name for s in section_breakdown(r)}
    assert {"Header", "Experience", "Education", "Skills"} <= names


@pytest.mark.parametrize("name", FIXTURE_PDFS)
def test_fixture_pdfs_add_up(name: str, model: ScoringModel) -> None:
    r = classify(PDF / f"{name}.pdf", model)
    _adds_up(r)
    assert "Experience" in {s.name for s in section_breakdown(r)}


def test_repeated_headings_are_merged_in_text_order(model: ScoringModel) -> None:
    r = classify(PDF / "multipage.pdf", model)
    shares = section_breakdown(r)
    names = [s.name for s in shares]
    assert len(names) == len(set(names))
    experience = next(s for s in shares if s.name == "Experience")
    assert experience.headings == ("Experience", "Experience (continued)")


def test_a_term_is_split_across_sections_by_occurrence(model: ScoringModel) -> None:
    text = "Summary\nBayesian methods.\nSkills\nBayesian statistics; Kubernetes; Bayesian models"
    r = classify_text(text, model)
    bayes = next(c for c in r.contributions if c.term == "bayesian")
    assert bayes.count == 3
    shares = {s.name: {t.term: t for t in s.terms} for s in section_breakdown(r)}
    assert shares["Summary"]["bayesian"].weight == pytest.approx(bayes.weight / 3, abs=1e-15)
    assert shares["Skills"]["bayesian"].count == 2
    _adds_up(r)


def test_terms_without_positions_still_add_up(model: ScoringModel) -> None:
    r = classify_text((EXAMPLES / "engineer_resume.txt").read_text(encoding="utf-8"), model)
    bare = dataclasses.replace(
        r, contributions=tuple(dataclasses.replace(c, spans=()) for c in r.contributions)
    )
    shares = section_breakdown(bare)
    assert shares[-1].name == "Unplaced"
    assert shares[-1].contribution == pytest.approx(r.logit - r.bias, abs=1e-9)
    _adds_up(bare)
