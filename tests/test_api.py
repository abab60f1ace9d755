"""The public API: a handful of names, cheap to import, never shadowed by submodules."""

from __future__ import annotations

import importlib
import inspect

import classifier


def test_public_names_resolve_to_functions_and_types() -> None:
    for name in classifier.__all__:
        assert hasattr(classifier, name), name
    importlib.import_module("classifier.training")
    importlib.import_module("classifier.extract")
    assert inspect.isfunction(classifier.train) and inspect.isfunction(classifier.extract)
    assert inspect.isfunction(classifier.classify) and inspect.isfunction(classifier.score_folder)
    assert issubclass(classifier.ClassifierError, Exception)
