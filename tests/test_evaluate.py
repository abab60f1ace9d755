"""``resume-role evaluate``: the metrics a user needs to trust a model, from labelled data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.cli.parser import main

DATA = Path(__file__).resolve().parent / "data"


def test_evaluate_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [json.loads(x) for x in (DATA / "heldout_ml.jsonl").read_text().splitlines()][:12]
    rows += [json.loads(x) for x in (DATA / "out_of_domain.jsonl").read_text().splitlines()][:4]
    # One deliberately mislabelled item must show up among the worst.
    rows[0] = {**rows[0], "label": "scientist" if rows[0]["label"] == "engineer" else "engineer"}
    data = tmp_path / "eval.jsonl"
    data.write_text("\n".join(json.dumps({"text": r["text"], "label": r["label"]}) for r in rows))
    assert main(["evaluate", str(data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["items"] == 16 and report["n"] == 12
    for key in ("accuracy", "roc_auc", "brier", "f1", "confusion_matrix", "undetermined_rate"):
        assert key in report
    assert report["out_of_domain"]["n"] == 4
    assert report["worst"][0]["source"] == f"{data}:1"
    assert report["worst"][0]["top_terms"]
    cm = report["confusion_matrix"]["rows_true_cols_predicted"]
    assert sum(map(sum, cm)) == 12


def test_evaluate_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(DATA / "heldout_ml.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "accuracy" in out and "ROC AUC" in out and "undetermined" in out


def test_evaluate_bad_data_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "chef"}\n')
    assert main(["evaluate", str(bad)]) == 1
    assert "unknown label 'chef'" in capsys.readouterr().err
