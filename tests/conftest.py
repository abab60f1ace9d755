"""Shared fixtures. Model paths point at a temporary copy, so no test touches models/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from classifier.model import store as model_module
from classifier.model.scoring import ScoringModel
from classifier.model.store import MODEL_ENV, load_model

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PDF = FIXTURES / "pdf"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def bundled_model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled default model folder, made once per session."""
    source = model_module.default_model_dir()
    target = tmp_path_factory.mktemp("models") / "default"
    shutil.copytree(source, target)
    return target


@pytest.fixture(autouse=True)
def isolated_model_paths(bundled_model_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test sees the default model at a temporary copy and no $RESUME_ROLE_MODEL."""
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.setattr(model_module, "default_model_dir", lambda: bundled_model_copy)
    return bundled_model_copy


@pytest.fixture(scope="session")
def model(bundled_model_copy: Path) -> ScoringModel:
    return load_model(bundled_model_copy)
