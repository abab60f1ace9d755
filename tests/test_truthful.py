"""What people see is true: an honest "undetermined", advice that can matter, one result per
file, and a duplicate never wears another file's name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from classifier import classify_text
from classifier.batch.run import run_batch
from classifier.cli import main
from classifier.config import (
    ADVICE_SECTIONS,
    MIN_ML_TERMS,
    ROLE_TERMS_FOR_ONE_ML_TERM,
    THIN_EVIDENCE_MARGIN,
)
from classifier.explain import explain_fully
from classifier.explain.advice import what_would_move
from classifier.explain.contributions import enough_evidence, ml_terms_needed
from classifier.model.scoring import ScoringModel
from classifier.render.json import explanation_dict
from classifier.render.text import render_advice, render_text

from .conftest import EXAMPLES

RESEARCH = (
    "Director of Research. Led research on statistics, causal inference, publications and "
    "peer review. PhD in physics. Machine learning."
)


def test_the_rule_needs_less_ml_evidence_as_role_evidence_grows() -> None:
    assert ml_terms_needed(2) == MIN_ML_TERMS
    assert ml_terms_needed(ROLE_TERMS_FOR_ONE_ML_TERM) == 1 < MIN_ML_TERMS
    assert not enough_evidence(1, ROLE_TERMS_FOR_ONE_ML_TERM - 1)
    assert enough_evidence(1, ROLE_TERMS_FOR_ONE_ML_TERM)
    assert not enough_evidence(0, 500) and not enough_evidence(5, 1)


def test_undetermined_has_no_lean_in_its_headline(model: ScoringModel) -> None:
    result = classify_text(RESEARCH, model)
    assert result.label == "undetermined" and result.ml_terms == 1
    explained = explain_fully(result, model)
    text = render_text(explained)
    headline = text.splitlines()[1]
    assert headline.strip().startswith("undetermined")
    assert "scientist" not in headline and "P(scientist)" not in headline
    assert "if it were an ML resume" in text and "this is not a verdict" in text
    # what is missing is evidence of the field, not role terms to add
    assert explained.advice == () and explained.missing_ml
    assert "deep learning" in explained.missing_ml
    advice = render_advice(explained)
    assert "what is missing: machine-learning evidence" in advice and "flip" not in advice
    data = explanation_dict(explained)
    assert data["missing_ml_terms"] == list(explained.missing_ml) and data["advice"] == []


def test_one_added_term_is_not_a_cliff(model: ScoringModel) -> None:
    before = explain_fully(classify_text(RESEARCH, model), model)
    after = explain_fully(classify_text(RESEARCH + " Deep learning.", model), model)
    assert before.result.label == "undetermined"
    assert after.result.label == "scientist" and after.thin
    headline = render_text(after).splitlines()[1]
    assert "on thin machine-learning evidence" in headline and "strongly" not in headline
    more = " Deep learning, neural networks, computer vision, reinforcement learning."
    rich = explain_fully(classify_text(RESEARCH + more, model), model)
    assert rich.result.ml_terms >= MIN_ML_TERMS + THIN_EVIDENCE_MARGIN and not rich.thin


def test_advice_offers_only_what_a_candidate_can_act_on(model: ScoringModel) -> None:
    for name in ("engineer_resume.txt", "scientist_resume.txt"):
        result = classify_text((EXAMPLES / name).read_text(encoding="utf-8"), model)
        for toward in ("engineer", "scientist"):
            for group in what_would_move(result, model, toward):
                assert group.section in ADVICE_SECTIONS
                for s in group.suggestions:
                    info = model.info[s.term]
                    assert info.advice and s.term not in {"academic honours", "fellowship"}


def test_a_settled_lean_says_so_in_one_line(model: ScoringModel) -> None:
    result = classify_text((EXAMPLES / "engineer_resume.txt").read_text(), model)
    settled = render_advice(explain_fully(result, model))
    assert "the lean is settled" in settled and "(P " not in settled
    asked = render_advice(explain_fully(result, model, toward="scientist"))
    assert "the lean is settled" not in asked and "(P 0.00)" in asked


def test_classify_several_files_gives_one_result_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(EXAMPLES / "engineer_resume.pdf"), str(EXAMPLES / "scientist_resume.txt")]
    assert main(["classify", *files, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["source"] for x in lines] == files  # JSON Lines, in order
    missing = str(tmp_path / "nope.pdf")
    assert main(["classify", files[0], missing]) == 1
    captured = capsys.readouterr()
    assert "engineer-leaning" in captured.out and "nope.pdf: no such file" in captured.err
    assert main(["classify", *files, "--html", str(tmp_path / "r.html")]) == 1
    assert "one report" in capsys.readouterr().err


def test_a_duplicate_error_row_names_its_own_file(tmp_path: Path, model: ScoringModel) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_bytes(b"   \n")
    (root / "b.txt").write_bytes(b"   \n")
    shutil.copy(EXAMPLES / "engineer_resume.txt", root / "ok.txt")
    out = tmp_path / "rows.jsonl"
    run_batch(root, model, output=out)
    rows = {r["source"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["b.txt"]["duplicate_of"] == "a.txt"
    assert "b.txt" in rows["b.txt"]["error"] and "a.txt" not in rows["b.txt"]["error"]
    assert "a.txt" in rows["a.txt"]["error"]
