"""Model folders on disk: find, load and verify them; write them atomically.

A model is a folder holding ``scoring.json`` (the plain-data model that
classification reads), ``pipeline.joblib`` (the fitted scikit-learn pipeline,
loaded only on explicit request) and ``card.json``/``card.md``. Loading never
unpickles anything; writing builds the folder beside its target and renames it
into place (all files or none), never over the bundled model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from classifier.errors import ModelError
from classifier.model.scoring import ScoringModel
from classifier.outputs import swap_dir_into_place
from classifier.paths import data_dir

SCORING_FILE = "scoring.json"


PIPELINE_FILE = "pipeline.joblib"


CARD_JSON = "card.json"


CARD_MD = "card.md"


MODEL_ENV = "RESUME_ROLE_MODEL"


DEFAULT_MODEL_NAME = "default"


def default_model_dir() -> Path:
    return data_dir("models") / DEFAULT_MODEL_NAME


def resolve_model_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The scoring file to use: ``path`` (folder or file), else $RESUME_ROLE_MODEL, else bundled."""
    chosen = path if path is not None else os.environ.get(MODEL_ENV) or default_model_dir()
    p = Path(chosen)
    return p / SCORING_FILE if p.is_dir() else p


def load_model(path: str | os.PathLike[str] | None = None) -> ScoringModel:
    """Load and verify a plain-data model. Never unpickles anything."""
    file = resolve_model_path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise ModelError(
            f"{file}: no model there; pass a model folder or its {SCORING_FILE} with --model, "
            "or train one with 'resume-role train'"
        ) from exc
    except OSError as exc:
        raise ModelError(f"{file}: cannot read the model ({exc.strerror})") from exc
    return replace(ScoringModel.from_bytes(raw, str(file)), path=str(file))


def load_pipeline(model_dir: str | os.PathLike[str]) -> Any:
    """Unpickle a model folder's scikit-learn pipeline. Runs code: trusted files only."""
    import warnings

    import joblib

    path = Path(model_dir)
    path = path / PIPELINE_FILE if path.is_dir() else path.parent / PIPELINE_FILE
    if not path.is_file():
        raise ModelError(f"{path}: no pipeline file there; retrain the model to get one")
    warnings.warn(
        f"unpickling {path}: this runs code from the file; load only models you trust",
        stacklevel=2,
    )
    return joblib.load(path)


def load_card(scoring_file: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``card.json`` beside a scoring file ({} when there is none); a damaged card is a
    one-line :class:`ModelError`."""
    path = Path(scoring_file).parent / CARD_JSON
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"{path}: the model card cannot be read ({exc}); retrain the model, "
            "or reinstall the package for the bundled one"
        ) from exc
    if not isinstance(card, dict):
        raise ModelError(f"{path}: the model card is not a JSON object; retrain the model")
    return card


_VERSIONED = ("resume-role-classifier", "scikit-learn", "numpy", "scipy", "joblib", "pdfplumber")


def package_versions() -> dict[str, str]:
    import platform
    from importlib import metadata  # only when a model is saved: ~13 ms of start-up

    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def check_output(target: Path, *, force: bool = False, allow_default: bool = False) -> Path:
    """The resolved ``target`` if a model may be written there; checked before training."""
    target = Path(target).resolve()
    if not allow_default and target == default_model_dir().resolve():
        raise ModelError(
            f"{target}: that is the bundled default model; choose another --output folder"
        )
    if target.exists() and not force:
        raise ModelError(f"{target}: already exists; choose another --output or pass --force")
    return target


def write_model_dir(
    target: Path,
    model: ScoringModel,
    pipeline: Any,
    card: dict[str, Any],
    card_markdown: Callable[[dict[str, Any]], str],
    *,
    force: bool = False,
    allow_default: bool = False,
) -> Path:
    """Build the folder beside ``target`` and rename it into place.

    ``card`` gains the creation time, package versions and the scoring file's
    sha256; ``card_markdown`` renders it as ``card.md``. An existing ``target``
    is kept unless ``force``; the bundled default model is never written unless
    ``allow_default`` (the rebuild script).
    """
    # Saving only: classify never pays for these imports (~4 ms of start-up).
    import shutil
    import tempfile
    from datetime import UTC, datetime

    import joblib

    target = check_output(target, force=force, allow_default=allow_default)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        (tmp / SCORING_FILE).write_bytes(model.to_bytes())
        joblib.dump(pipeline, tmp / PIPELINE_FILE)
        full_card = {
            **card,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": package_versions(),
            "scoring_sha256": ScoringModel.from_bytes(
                (tmp / SCORING_FILE).read_bytes(), str(tmp)
            ).sha256,
        }
        (tmp / CARD_JSON).write_text(json.dumps(full_card, indent=2, sort_keys=True) + "\n")
        (tmp / CARD_MD).write_text(card_markdown(full_card))
        for f in tmp.iterdir():
            with f.open("rb") as fh:
                os.fsync(fh.fileno())
        swap_dir_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
