"""Training and measuring (scikit-learn lives here, never on the classify path).

:mod:`~.corpus` and :mod:`~.labelled` read labelled text; :mod:`~.fit` builds
the pipeline, fits, calibrates (:mod:`~.calibration`) and exports it;
:mod:`~.metrics`, :mod:`~.evaluate` and :mod:`~.compare` measure models;
:mod:`~.card` writes what a model card says. ``python -m classifier.training``
rebuilds the bundled model.
"""

from classifier.training.trainer import TrainReport, train

__all__ = ["TrainReport", "train"]
