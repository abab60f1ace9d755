"""The public API: a handful of names, cheap to import, never shadowed by submodules."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import classifier


def test_public_names_resolve_to_functions_and_types() -> None:
    for name in classifier.__all__:
        assert hasattr(classifier, name), name
    for sub in ("training", "read", "text", "model", "explain", "render", "batch", "cli"):
        importlib.import_module(f"classifier.{sub}")
    assert inspect.isfunction(classifier.train) and inspect.isfunction(classifier.extract)
    assert inspect.isfunction(classifier.classify) and inspect.isfunction(classifier.score_folder)
    assert inspect.isfunction(classifier.run_batch)
    assert issubclass(classifier.ClassifierError, Exception)
    assert classifier.Explanation.__name__ == "Explanation"
    assert classifier.ReadOptions().engine == "pdfplumber"


def test_the_public_api_is_small() -> None:
    assert len(classifier.__all__) <= 13


def test_documented_old_paths_still_work_with_a_warning() -> None:
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    from classifier.batchrun import run_batch\n"
        "from classifier.model import load_pipeline\n"
        "import classifier\n"
        "assert run_batch is classifier.run_batch\n"
        "assert any(issubclass(w.category, DeprecationWarning) for w in caught)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
