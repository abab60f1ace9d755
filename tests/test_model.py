"""The plain-data model: equal to the pipeline, deterministic, verified, round-trips."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from classifier import extract
from classifier.errors import ModelError
from classifier.model.scoring import ScoringModel
from classifier.model.store import SCORING_FILE, load_model, load_pipeline
from classifier.training.corpus import Example, load_base_corpus
from classifier.training.trainer import train

from .conftest import EXAMPLES, PDF


def _fixture_texts() -> list[str]:
    names = ["one_column", "two_column", "latex_resume", "faux_bold", "ligature", "multipage"]
    texts = [extract(PDF / f"{n}.pdf").text for n in names]
    return texts + [extract(p).text for p in sorted(EXAMPLES.glob("*.pdf"))]


def test_plain_scorer_equals_pipeline_decision_function(
    model: ScoringModel, bundled_model_copy: Path
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe = load_pipeline(bundled_model_copy)
    texts = [e.text for e in load_base_corpus()] + _fixture_texts()
    expected = pipe.decision_function(texts)
    for text, want in zip(texts, expected, strict=True):
        assert model.decision_text(text) == pytest.approx(float(want), abs=1e-9)


def test_load_pipeline_warns_that_it_runs_code(bundled_model_copy: Path) -> None:
    with pytest.warns(UserWarning, match="runs code"):
        load_pipeline(bundled_model_copy)


def _small_corpus() -> list[Example]:
    return [e for i, e in enumerate(load_base_corpus()) if i % 3 == 0]


def test_model_folder_round_trip_and_determinism(tmp_path: Path) -> None:
    data = _small_corpus()
    first = train(data, tmp_path / "a", seed=3, replace_base=True)
    second = train(data, tmp_path / "b", seed=3, replace_base=True)
    a = (tmp_path / "a" / SCORING_FILE).read_bytes()
    assert a == (tmp_path / "b" / SCORING_FILE).read_bytes()
    loaded = load_model(tmp_path / "a")
    assert loaded.terms == first.model.terms and loaded.coef == first.model.coef
    assert loaded.vocabulary == first.model.vocabulary
    assert load_model(tmp_path / "a" / SCORING_FILE).sha256 == loaded.sha256
    card = json.loads((tmp_path / "a" / "card.json").read_text())
    assert card["scoring_sha256"] == loaded.sha256
    assert "created" in card and "scikit-learn" in card["versions"]
    assert (tmp_path / "a" / "card.md").read_text().startswith("# Model card")
    assert second.card["class_counts"] == first.card["class_counts"]


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    data = _small_corpus()
    train(data, tmp_path / "m", replace_base=True)
    before = (tmp_path / "m" / SCORING_FILE).read_bytes()
    with pytest.raises(ModelError, match="--force"):
        train(data, tmp_path / "m", seed=1, replace_base=True)
    assert (tmp_path / "m" / SCORING_FILE).read_bytes() == before
    train(data, tmp_path / "m", seed=1, force=True, replace_base=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # no temp folders left


def test_bundled_default_model_is_never_overwritten(bundled_model_copy: Path) -> None:
    with pytest.raises(ModelError, match="bundled default"):
        train(_small_corpus(), bundled_model_copy, force=True, replace_base=True)


def test_edited_scoring_file_is_refused(tmp_path: Path, bundled_model_copy: Path) -> None:
    data = json.loads((bundled_model_copy / SCORING_FILE).read_text())
    data["intercept"] += 1.0
    edited = tmp_path / SCORING_FILE
    edited.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="checksum"):
        load_model(edited)


def test_missing_and_garbage_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model there"):
        load_model(tmp_path / "nothing")
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    with pytest.raises(ModelError, match="not a valid scoring file"):
        load_model(junk)


def test_environment_variable_selects_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    train(_small_corpus(), tmp_path / "env-model", replace_base=True)
    monkeypatch.setenv("RESUME_ROLE_MODEL", str(tmp_path / "env-model"))
    assert load_model().sha256 == load_model(tmp_path / "env-model").sha256


@pytest.mark.parametrize("binary", [True, False])
def test_plain_scorer_matches_either_tf_mode(binary: bool) -> None:
    # Presence (the default) and sublinear counts: the plain scorer follows the
    # vectorizer it was exported from, so older scoring files still score exactly.
    import numpy as np

    from classifier.config import LABELS
    from classifier.text.vocabulary import load_vocabulary
    from classifier.training.pipeline import build_pipeline, export

    vocabulary = load_vocabulary()
    data = _small_corpus()
    pipe = build_pipeline(vocabulary)
    pipe.set_params(tfidf__binary=binary, tfidf__sublinear_tf=not binary)
    pipe.fit([e.text for e in data], np.array([LABELS.index(e.label) for e in data]))
    model = export(pipe, vocabulary)
    assert model.binary_tf is binary
    reloaded = ScoringModel.from_bytes(model.to_bytes(), "<memory>")
    texts = [e.text for e in data[:60]] + ["Kubernetes " * 7 + "NeurIPS NeurIPS PhD"]
    for text, want in zip(texts, pipe.decision_function(texts), strict=True):
        assert reloaded.decision_text(text) == pytest.approx(float(want), abs=1e-9)
