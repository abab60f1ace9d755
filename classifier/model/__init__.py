"""The model: plain-data scoring (:mod:`~.scoring`) and model folders on disk (:mod:`~.store`).

Classification reads only ``scoring.json``: no scikit-learn, numpy or pickle.
"""

from classifier.model.scoring import ScoringModel, canonical_json
from classifier.model.store import (
    MODEL_ENV,
    SCORING_FILE,
    default_model_dir,
    load_card,
    load_model,
    load_pipeline,
    resolve_model_path,
)

__all__ = [
    "MODEL_ENV",
    "SCORING_FILE",
    "ScoringModel",
    "canonical_json",
    "default_model_dir",
    "load_card",
    "load_model",
    "load_pipeline",
    "resolve_model_path",
]
