"""Deprecated home of :func:`run_batch`: use ``classifier.run_batch`` (kept for one release)."""

import warnings

from classifier.batch.run import run_batch

warnings.warn(
    "classifier.batchrun is deprecated: import run_batch from classifier",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["run_batch"]
