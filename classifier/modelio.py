"""Writing a model folder atomically: all files or none, never over the bundled model."""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from . import model as _model
from .errors import ModelError
from .model import CARD_JSON, CARD_MD, PIPELINE_FILE, SCORING_FILE, ScoringModel
from .outputs import swap_dir_into_place

_VERSIONED = ("resume-role-classifier", "scikit-learn", "numpy", "scipy", "joblib", "pdfplumber")


def package_versions() -> dict[str, str]:
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
    if not allow_default and target == _model.default_model_dir().resolve():
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
    *,
    force: bool = False,
    allow_default: bool = False,
) -> Path:
    """Build the folder beside ``target`` and rename it into place.

    An existing ``target`` is kept unless ``force``; the bundled default model
    is never written unless ``allow_default`` (the rebuild script).
    """
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
        (tmp / CARD_MD).write_text(render_card(full_card))
        for f in tmp.iterdir():
            with f.open("rb") as fh:
                os.fsync(fh.fileno())
        swap_dir_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def render_card(card: dict[str, Any]) -> str:
    """A short Markdown rendering of ``card.json``."""
    cv = card.get("cross_validation", {})
    lines = [
        "# Model card",
        "",
        f"- created: {card.get('created', '?')}",
        f"- training examples: {card.get('examples', '?')} "
        f"({', '.join(f'{k}: {v}' for k, v in card.get('class_counts', {}).items())}), "
        f"{card.get('groups', '?')} groups",
        f"- vocabulary terms (features): {card.get('vocabulary_terms', '?')}",
        f"- data sha256: `{card.get('data_hash', '?')}`",
        "",
        f"## Cross-validation ({cv.get('folds', '?')} folds, "
        f"grouped by {cv.get('grouped_by', '?')})",
        "",
    ]
    lines += _metric_lines(cv)
    for name, block in card.get("evaluations", {}).items():
        lines += ["", f"## Evaluation: {name}", "", *_metric_lines(block)]
    if card.get("limits"):
        lines += ["", "## Known limits", ""] + [f"- {x}" for x in card["limits"]]
    versions = card.get("versions", {})
    lines += ["", "## Versions", "", ", ".join(f"{k} {v}" for k, v in versions.items()), ""]
    return "\n".join(lines)


def _metric_lines(block: dict[str, Any]) -> list[str]:
    out = []
    for key in (
        "n", "accuracy", "roc_auc", "brier", "undetermined_rate", "out_of_domain_n",
        "out_of_domain_flagged",
    ):  # fmt: skip
        value = block.get(key)
        if value is not None:
            out.append(f"- {key}: {value:.4g}" if isinstance(value, float) else f"- {key}: {value}")
    return out
