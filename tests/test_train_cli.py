"""Retraining from the command line: validation, atomic output, comparison, aliases, folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.cli.parser import main
from classifier.model import store as model_module
from classifier.model.store import SCORING_FILE, load_model

from .conftest import PDF

DATA = Path(__file__).resolve().parent / "data"


def _heldout_as(tmp_path: Path, name: str, aliases: dict[str, str] | None = None) -> Path:
    rows = [json.loads(x) for x in (DATA / "heldout_ml.jsonl").read_text().splitlines()]
    aliases = aliases or {}
    out = tmp_path / name
    out.write_text(
        "\n".join(
            json.dumps({"text": r["text"], "label": aliases.get(r["label"], r["label"])})
            for r in rows
        )
        + "\n"
    )
    return out


def test_train_adds_to_base_and_compares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _heldout_as(
        tmp_path, "team.jsonl", {"engineer": "MLE", "scientist": "Research Scientist"}
    )
    out = tmp_path / "team-model"
    assert main(["train", str(data), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "40 new" in printed and "current" in printed and "terms whose weights" in printed
    card = json.loads((out / "card.json").read_text())
    assert card["new_examples"] == 40 and card["base_corpus"] is True
    assert card["examples"] > 500
    assert load_model(out).data_hash == card["data_hash"]
    # The new model is used with --model, and by classify.
    assert main(["classify", str(PDF / "latex_resume.pdf"), "--model", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == load_model(out).sha256


def test_train_json_comparison_on_same_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _heldout_as(tmp_path, "team.jsonl")
    assert main(["train", str(data), "--output", str(tmp_path / "m"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    comparison = report["comparison"]
    cv, split = comparison["cross_validation"], comparison["split"]
    assert cv["n"] == 40 and cv["folds"] == 5
    assert cv["current"]["n"] == cv["new"]["n"] == 40
    # One grouped, stratified fold of five held out: 4 of each label.
    assert split["n"] == split["current"]["n"] == split["new"]["n"] == 8
    assert split["train_n"] == 32 and split["share"] == 0.2
    assert "heldout" not in comparison  # only with --heldout
    assert len(comparison["changed_terms"]) == 10


def test_validation_errors_name_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "Deployed models", "label": "MLE"}\n{"text": "x", "label": "chef"}\n{oops\n'
    )
    assert main(["train", str(bad), "--output", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: unknown label 'chef'" in err and f"{bad}:3: malformed JSON" in err
    assert not (tmp_path / "m").exists()


def test_replace_base_needs_enough_of_each_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    few = tmp_path / "few.jsonl"
    rows = [
        {"text": f"Deployed model number {i} on Kubernetes with MLflow", "label": "engineer"}
        for i in range(12)
    ]
    rows += [{"text": "Published a theorem at NeurIPS", "label": "scientist"}]
    few.write_text("\n".join(json.dumps(r) for r in rows))
    assert main(["train", str(few), "--output", str(tmp_path / "m"), "--replace-base"]) == 1
    assert "1 scientist" in capsys.readouterr().err
    # Added to the base corpus, a thin class is only a warning.
    assert main(["train", str(few), "--output", str(tmp_path / "m")]) == 0
    assert "warning" in capsys.readouterr().err


def test_replace_base_trains_on_the_data_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _heldout_as(tmp_path, "team.jsonl")
    assert main(["train", str(data), "--output", str(tmp_path / "m"), "--replace-base"]) == 0
    card = json.loads((tmp_path / "m" / "card.json").read_text())
    assert card["examples"] == 40 and card["base_corpus"] is False


def test_existing_output_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _heldout_as(tmp_path, "team.jsonl")
    out = tmp_path / "m"
    assert main(["train", str(data), "--output", str(out), "--replace-base"]) == 0
    before = (out / SCORING_FILE).read_bytes()
    assert main(["train", str(data), "--output", str(out), "--replace-base", "--seed", "1"]) == 1
    assert "--force" in capsys.readouterr().err
    assert (out / SCORING_FILE).read_bytes() == before
    assert (
        main(["train", str(data), "--output", str(out), "--replace-base", "--seed", "1", "--force"])
        == 0
    )


def test_failure_mid_write_keeps_the_old_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _heldout_as(tmp_path, "team.jsonl")
    out = tmp_path / "m"
    assert main(["train", str(data), "--output", str(out), "--replace-base"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("joblib.dump", broken_dump)
    with pytest.raises(OSError):
        main(["train", str(data), "--output", str(out), "--replace-base", "--seed", "2", "--force"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m", "team.jsonl"]


def test_never_writes_over_the_bundled_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _heldout_as(tmp_path, "team.jsonl")
    default = model_module.default_model_dir()
    assert main(["train", str(data), "--output", str(default), "--force"]) == 1
    assert "bundled default" in capsys.readouterr().err


def test_pdf_label_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "resumes"
    (root / "engineer").mkdir(parents=True)
    (root / "scientist").mkdir(parents=True)
    for name in ("one_column", "two_column", "faux_bold"):
        (root / "engineer" / f"{name}.pdf").write_bytes((PDF / f"{name}.pdf").read_bytes())
    for name in ("latex_resume", "multipage", "ligature"):
        (root / "scientist" / f"{name}.pdf").write_bytes((PDF / f"{name}.pdf").read_bytes())
    assert main(["train", str(root), "--output", str(tmp_path / "m")]) == 0
    captured = capsys.readouterr()
    assert "6 new" in captured.out
    assert "fewer than 10" in captured.err  # three of each: a warning when added to the base
