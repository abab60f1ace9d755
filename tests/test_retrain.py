"""Retraining without surprises (issue 16).

--replace-base trains on the data alone, one label is an error, plural label
folders, every problem reported past invalid UTF-8, clear messages, a comparison
that can show a loss (held-out split of the data, --heldout sets) and --weight.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from classifier.cli.parser import main
from classifier.errors import DataError, UsageError
from classifier.model.scoring import ScoringModel
from classifier.model.store import SCORING_FILE
from classifier.render.reports import render_comparison
from classifier.text.vocabulary import load_vocabulary
from classifier.training import compare as compare_module
from classifier.training.corpus import Example, vocabulary_examples
from classifier.training.labelled import folder_label, read_labelled
from classifier.training.metrics import binary_metrics
from classifier.training.pipeline import fit
from classifier.training.trainer import _check_classes, train

DATA = Path(__file__).resolve().parent / "data"
HELDOUT_ML = DATA / "heldout_ml.jsonl"
HELDOUT_HARD = DATA / "heldout_hard.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _shuffled(path: Path, out: Path, seed: int = 0) -> Path:
    """The same texts with their labels shuffled: training data that is pure noise."""
    rows = _rows(path)
    labels = [r["label"] for r in rows]
    random.Random(seed).shuffle(labels)
    return _write_jsonl(
        out, [{"text": r["text"], "label": x} for r, x in zip(rows, labels, strict=True)]
    )


class _FitSpy:
    """Records the texts and fit parameters of every Pipeline.fit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        original = Pipeline.fit

        def spy(pipe: Pipeline, X: Any, y: Any = None, **params: Any) -> Pipeline:
            self.calls.append((list(X), params))
            return original(pipe, X, y, **params)

        monkeypatch.setattr(Pipeline, "fit", spy)


# --- 1. --replace-base: the data alone -------------------------------------------------


def test_replace_base_leaves_out_the_vocabulary_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vocabulary = load_vocabulary()
    vocab_texts = {e.text for e in vocabulary_examples(vocabulary)}
    spy = _FitSpy(monkeypatch)
    report = train([HELDOUT_ML], replace_base=True)
    assert spy.calls, "no fit seen"
    for texts, _ in spy.calls:
        assert not vocab_texts & set(texts)
    assert len(spy.calls[-1][0]) == 40  # the final fit: the 40 examples and nothing else
    assert report.card["examples"] == 40 and report.card["vocabulary_documents"] == 0
    # The vocabulary still defines the features.
    assert set(report.model.terms) == set(vocabulary.features)


def test_default_mode_still_fits_the_vocabulary_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vocabulary = load_vocabulary()
    docs = vocabulary_examples(vocabulary)
    examples = [Example(r["text"], r["label"], str(i)) for i, r in enumerate(_rows(HELDOUT_ML))]
    spy = _FitSpy(monkeypatch)
    fit(examples, vocabulary)
    fit(examples, vocabulary, vocabulary_docs=False)
    (with_docs, params), (alone, _) = spy.calls
    assert with_docs == [e.text for e in docs] + [e.text for e in examples]
    assert alone == [e.text for e in examples]
    assert params == {}  # unweighted: no sample_weight at all


def test_default_weight_rebuilds_the_bundled_model_byte_for_byte(
    bundled_model_copy: Path,
) -> None:
    report = train(seed=0)
    assert report.card["user_weight"] == 1.0
    assert report.model.to_bytes() == (bundled_model_copy / SCORING_FILE).read_bytes()


# --- 2. one label is an error; plural label folders --------------------------------------


def test_one_label_file_is_an_error_on_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [r for r in _rows(HELDOUT_HARD) if r["label"] == "engineer"]
    data = _write_jsonl(tmp_path / "engineers.jsonl", rows)
    with pytest.raises(DataError, match=r"30 engineer example\(s\) and no scientist"):
        train([data], replace_base=True)
    assert main(["train", str(data), "--output", str(tmp_path / "m"), "--replace-base"]) == 1
    err = capsys.readouterr().err
    assert "needs both labels" in err and "drop --replace-base" in err
    assert not (tmp_path / "m").exists()
    # Added to the base corpus (which holds both labels) it is a warning, not an error.
    warnings: list[str] = []
    _check_classes(read_labelled([data]).examples, False, warnings)
    assert warnings == [
        "the data holds 30 engineer example(s) and no scientist example(s); "
        "they are added to the base corpus, which holds both"
    ]


def _label_folders(root: Path, names: dict[str, str], per_label: int = 12) -> Path:
    """``root/<folder>/<i>.txt`` for each folder name -> label, from the held-out texts."""
    rows = _rows(HELDOUT_HARD)
    for folder, label in names.items():
        (root / folder).mkdir(parents=True)
        texts = [r["text"] for r in rows if r["label"] == label][:per_label]
        for i, text in enumerate(texts):
            (root / folder / f"{i}.txt").write_text(text)
    return root


def test_one_label_folder_is_an_error_on_its_own(tmp_path: Path) -> None:
    root = _label_folders(tmp_path / "team", {"engineer": "engineer", "sci": "scientist"})
    with pytest.raises(DataError, match="no scientist"):
        train([root], replace_base=True)
    report = read_labelled([root])  # the unknown folder is a warning
    assert any("'sci' is not a label" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("scientists", "scientist"),
        ("Engineers", "engineer"),
        ("ml-engineers", "engineer"),
        ("Research_Scientists", "scientist"),
        ("ML engineers", "engineer"),
        ("MLEs", "engineer"),
        ("engineer", "engineer"),
        ("misc", None),
        ("engineering", None),
        ("class", None),
        ("others", None),
    ],
)
def test_folder_label_accepts_plurals_and_dashes(name: str, label: str | None) -> None:
    assert folder_label(name) == label


def test_plural_label_folders_train(tmp_path: Path) -> None:
    root = _label_folders(
        tmp_path / "team",
        {"Engineers": "engineer", "scientists": "scientist", "misc": "engineer"},
    )
    report = read_labelled([root])
    counts = {x: sum(e.label == x for e in report.examples) for x in ("engineer", "scientist")}
    assert counts == {"engineer": 12, "scientist": 12}  # misc/ is skipped ...
    assert [w for w in report.warnings if "misc" in w] == [
        f"{root / 'misc'}: 'misc' is not a label (engineer, scientist); skipped"
    ]
    trained = train([root], replace_base=True)
    assert trained.card["class_counts"] == counts


def test_no_label_folder_at_all_is_an_error(tmp_path: Path) -> None:
    root = _label_folders(tmp_path / "team", {"misc": "engineer", "sci": "scientist"}, 1)
    with pytest.raises(DataError) as info:
        read_labelled([root])
    message = str(info.value)
    assert "its subfolders (misc/, sci/) are not labels" in message
    assert "scientists/" in message  # says what a label folder may be called


# --- 3. every problem, even past invalid UTF-8 --------------------------------------------


def test_invalid_utf8_line_and_every_other_problem_jsonl(tmp_path: Path) -> None:
    lines = [
        b'{"text": "Deployed models on Kubernetes", "label": "engineer"}',
        b'{"text": "Proved bounds \xff\xfe on estimators", "label": "scientist"}',
        b'{"text": "Wrote a theorem", "label": "wizard"}',
        b'{"text": "Served models", "label": "MLE"',
        b'{"text": "   ", "label": "scientist"}',
        b'{"text": "caf\xe9 owner", "label": "none"}',
    ]
    raw = b"\n".join(lines) + b"\n"
    f = tmp_path / "team.jsonl"
    f.write_bytes(raw)
    with pytest.raises(DataError) as info:
        read_labelled([f])
    message = str(info.value)
    first, second = raw.index(b"\xff"), raw.index(b"\xe9")
    assert message.startswith("6 problem(s)")
    assert f"{f}:2: invalid UTF-8 at byte offset {first}" in message
    assert f"{f}:3: unknown label 'wizard'" in message
    assert f"{f}:4: malformed JSON" in message
    assert f"{f}:5: empty text" in message
    assert f"{f}:6: invalid UTF-8 at byte offset {second}" in message
    assert f"{f}:6: unknown label 'none'" in message


def test_invalid_utf8_row_and_every_other_problem_csv(tmp_path: Path) -> None:
    raw = (
        b"text,label\n"
        b'"Built \xff pipelines",engineer\n'
        b'"Wrote proofs",chef\n'
        b",scientist\n"
        b'"Ran A/B tests",\n'
    )
    f = tmp_path / "team.csv"
    f.write_bytes(raw)
    with pytest.raises(DataError) as info:
        read_labelled([f])
    message = str(info.value)
    offset = raw.index(b"\xff")
    assert message.startswith("4 problem(s)")
    assert f"{f}:2: invalid UTF-8 at byte offset {offset}" in message
    assert f"{f}:row 3: unknown label 'chef'" in message
    assert f"{f}:row 4: empty text" in message
    assert f"{f}:row 5: no label" in message


def test_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    f = tmp_path / "team.jsonl"
    f.write_bytes(
        b'\xef\xbb\xbf{"text": "Deployed models", "label": "engineer"}\r\n'
        b'{"text": "Proved a bound", "label": "scientist"}\r\n'
    )
    assert [e.label for e in read_labelled([f]).examples] == ["engineer", "scientist"]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'\xef\xbb\xbf{"text": "x\xff", "label": "engineer"}\n')
    with pytest.raises(DataError, match="byte offset 14"):  # counted from the file's start
        read_labelled([bad])


# --- 4. messages ---------------------------------------------------------------------------


def test_unterminated_string_message_reads_once(tmp_path: Path) -> None:
    f = tmp_path / "team.jsonl"
    f.write_text('{"text": "Deployed models, "label": "engineer"}\n{"text": "x\n')
    with pytest.raises(DataError) as info:
        read_labelled([f])
    message = str(info.value)
    assert "at at" not in message
    assert f"{f}:2: malformed JSON (Unterminated string starting at column 10)" in message
    assert f"{f}:1: malformed JSON (Expecting ',' delimiter at column 29)" in message


def test_conflicting_labels_say_here_and_where(tmp_path: Path) -> None:
    a = _write_jsonl(tmp_path / "a.jsonl", [{"text": "Published at NeurIPS", "label": "MLE"}])
    b = _write_jsonl(
        tmp_path / "b.jsonl", [{"text": "published at neurips!", "label": "scientist"}]
    )
    with pytest.raises(DataError) as info:
        read_labelled([a, b])
    assert f"{b}:1: labelled 'scientist' here but 'engineer' in {a}:1" in str(info.value)
    assert "there" not in str(info.value)


def test_unknown_label_suggests_the_label_it_resembles(tmp_path: Path) -> None:
    f = _write_jsonl(tmp_path / "team.jsonl", [{"text": "Deployed models", "label": "Engineers"}])
    with pytest.raises(DataError, match=r"unknown label 'Engineers' \(did you mean 'engineer'\?\)"):
        read_labelled([f])


# --- 5. the comparison: a held-out split of the data, and --heldout sets -----------------


def test_comparison_holds_out_a_grouped_stratified_split(
    tmp_path: Path, model: ScoringModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows in pairs of one group each (same person, say): a group never straddles the split.
    rows = [{**r, "group": f"person {i // 2}"} for i, r in enumerate(_rows(HELDOUT_HARD))]
    data = _write_jsonl(tmp_path / "team.jsonl", rows)
    refits: list[tuple[list[Example], list[Example]]] = []
    original = compare_module._Refit.scores

    def spy(self: Any, train_part: list[Example], test: list[Example]) -> np.ndarray:
        refits.append((train_part, test))
        return original(self, train_part, test)

    monkeypatch.setattr(compare_module._Refit, "scores", spy)
    report = train([data], replace_base=True, compare_with=model)
    comparison = report.comparison
    assert comparison is not None
    split = comparison["split"]
    train_part, test = refits[0]  # the split comes first, then the cross-validation folds
    # The new model is refit without the split; the split is what both are scored on.
    assert split["n"] == len(test) == split["current"]["n"] == split["new"]["n"]
    assert split["train_n"] == len(train_part) and len(train_part) + len(test) == 60
    assert not {e.text for e in train_part} & {e.text for e in test}
    assert {e.group for e in train_part}.isdisjoint({e.group for e in test})
    assert sorted({e.label for e in test}) == ["engineer", "scientist"]  # stratified
    # The current model scores the split as it is.
    y = [0 if e.label == "engineer" else 1 for e in test]
    expected = binary_metrics(y, [model.decision_text(e.text) for e in test])
    assert split["current"] == expected
    assert comparison["cross_validation"]["n"] == 60
    assert len(refits) == 1 + comparison["cross_validation"]["folds"]


def test_noise_shows_a_loss_on_the_heldout_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    noise = _shuffled(HELDOUT_HARD, tmp_path / "noise.jsonl")
    out = tmp_path / "m"
    argv = ["train", str(noise), "--output", str(out), "--replace-base", "--json"]
    assert main([*argv, "--heldout", str(HELDOUT_ML), "--heldout", str(noise)]) == 0
    captured = capsys.readouterr()
    comparison = json.loads(captured.out)["comparison"]
    block = comparison["heldout"][str(HELDOUT_ML)]
    assert block["n"] == 40 and block["overlap_dropped"] == 0
    assert block["current"]["accuracy"] >= 0.9
    assert block["new"]["accuracy"] <= block["current"]["accuracy"] - 0.2
    assert "accuracy" in block["worse"] and block["sign_tests"]["accuracy"]["p"] < 0.05
    assert any(str(HELDOUT_ML) in loss for loss in comparison["losses"])
    assert f"worse than the current one on {HELDOUT_ML} (n=40): accuracy" in captured.err
    # Its own split carries the same noise, so it cannot tell; it is still measured.
    assert comparison["split"]["n"] == 12 and comparison["cross_validation"]["n"] == 60
    # The training data given as a held-out set is never measured on.
    assert str(noise) not in comparison["heldout"]
    assert f"comparison on {noise} skipped" in captured.err
    # The table: one row per set, with n, and the loss marked.
    table = render_comparison(comparison)
    row = next(line for line in table.splitlines() if str(HELDOUT_ML) in line)
    assert " 40 " in row and row.endswith("worse")
    assert "your data, held-out 20%" in table and "your data, 5-fold CV" in table


def test_heldout_sets_are_checked_before_training(tmp_path: Path, model: ScoringModel) -> None:
    with pytest.raises(DataError, match="no engineer or scientist examples"):
        train(
            [HELDOUT_ML],
            replace_base=True,
            compare_with=model,
            heldout=[DATA / "out_of_domain.jsonl"],
        )
    with pytest.raises(UsageError, match="compare_with"):
        train([HELDOUT_ML], replace_base=True, heldout=[HELDOUT_HARD])


def test_clean_data_added_to_the_base_shows_no_loss(model: ScoringModel) -> None:
    report = train([HELDOUT_HARD], compare_with=model, heldout=[HELDOUT_ML])
    assert report.comparison is not None
    assert report.comparison["heldout"][str(HELDOUT_ML)]["n"] == 40
    assert report.comparison["losses"] == [] and not any("worse" in w for w in report.warnings)


def test_a_few_items_either_way_are_not_a_loss() -> None:
    y = np.array([0, 1] * 10)
    current = np.where(y == 1, 3.0, -3.0)
    new = current.copy()
    new[:2] = -new[:2]  # two more errors in twenty: accuracy 1.00 -> 0.90
    tests = compare_module._sign_tests(y, current, new)
    assert tests["accuracy"] == {"new_worse": 2, "new_better": 0, "p": 0.25}
    new[:6] = -current[:6]  # six more: p = 1/64
    assert compare_module._sign_tests(y, current, new)["accuracy"]["p"] == 1 / 64


# --- 6. --weight --------------------------------------------------------------------------


def test_weight_is_recorded_and_changes_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spy = _FitSpy(monkeypatch)
    plain = train([HELDOUT_HARD])
    assert all(params == {} for _, params in spy.calls)  # W == 1: no sample_weight at all
    spy.calls.clear()
    weighted = train([HELDOUT_HARD], user_weight=5.0)
    assert weighted.card["user_weight"] == 5.0 and plain.card["user_weight"] == 1.0
    texts, params = spy.calls[-1]
    weights = params["logreg__sample_weight"]
    assert len(weights) == len(texts) and set(weights.tolist()) == {1.0, 5.0}
    assert sum(w == 5.0 for w in weights) == 60  # the team's examples; base and vocabulary: 1
    assert weighted.model.coef != plain.model.coef
    assert weighted.model.data_hash != plain.model.data_hash
    # Weighted up, the team's examples are fitted more closely.
    rows = _rows(HELDOUT_HARD)
    y = np.array([1 if r["label"] == "scientist" else -1 for r in rows])

    def margin(m: ScoringModel) -> float:
        return float(np.mean(y * np.array([m.decision_text(r["text"]) for r in rows])))

    assert margin(weighted.model) > margin(plain.model)


@pytest.mark.parametrize("weight", ["0", "-1", "nan", "inf"])
def test_weight_must_be_above_zero(
    weight: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["train", str(HELDOUT_ML), "--output", str(tmp_path / "m"), "--weight", weight]
    assert main(argv) == 1
    assert "--weight must be a number above 0" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_weight_in_the_card_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m"
    argv = ["train", str(HELDOUT_ML), "--output", str(out), "--replace-base", "--weight", "2"]
    assert main(argv) == 0
    card = json.loads((out / "card.json").read_text())
    assert card["user_weight"] == 2.0 and card["vocabulary_documents"] == 0
    assert "only weakens regularisation" in capsys.readouterr().err
