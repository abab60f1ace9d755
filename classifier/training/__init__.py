"""Training and measuring (scikit-learn lives here, never on the classify path).

:mod:`~.corpus` and :mod:`~.labelled` read labelled text; :mod:`~.pipeline` builds
the pipeline, fits and exports it, :mod:`~.trainer` trains, calibrates
(:mod:`~.calibration`) and writes a model folder;
:mod:`~.metrics`, :mod:`~.evaluate` and :mod:`~.compare` measure models;
:mod:`~.card` writes what a model card says. ``python -m classifier.training``
rebuilds the bundled model.
"""

from classifier.training.trainer import TrainReport, train

__all__ = ["TrainReport", "train"]
