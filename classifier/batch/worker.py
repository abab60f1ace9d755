"""One batch task in a worker: read the file under the limits, score it, make its rows.

Runs in the long-lived guarded readers (:func:`score_in_readers`, which Dask workers use
too, a chunk at a time: :func:`score_chunk`) and in joblib workers alike. Never raises: a
file that cannot be read becomes an error row.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from classifier.batch.plan import Task
from classifier.errors import ClassifierError
from classifier.explain import explain_fully
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.read.dispatch import engine_for
from classifier.read.guard import ReadOptions, read_bytes, read_document
from classifier.render.html import render_html
from classifier.results import Classification, Row


@dataclass(frozen=True)
class Scored:
    """What a worker sends back for one task: a row per file, and the report page if asked."""

    rows: tuple[Row, ...]
    page: str | None = None  # the HTML report of the first row (scored files only)


def score_task(
    task: Task, model: ScoringModel, options: ReadOptions, report: bool = False
) -> Scored:
    """Rows for one task: the file itself and each identical duplicate. Never raises.

    With ``report``, a scored file's HTML page is rendered here, where the resume
    text is; the caller writes it.
    """
    page = None
    try:
        if task.data is not None:
            doc = read_bytes(task.data, task.path, options)
        else:
            doc = read_document(task.path, options)
        result = explain(doc, model)
        row = Row.scored(result, task.source, task.sha256)
        if report:
            page = _page(result, model)
    except ClassifierError as exc:
        return failed(task, model, options, str(exc))
    except Exception as exc:  # one bad file never stops the batch
        message = f"{task.path}: unexpected failure ({type(exc).__name__}: {exc}); please report it"
        return failed(task, model, options, message)
    return with_copies(row, task, page)


def failed(task: Task, model: ScoringModel, options: ReadOptions, message: str) -> Scored:
    """The error rows of a task that could not be read (the file and each duplicate)."""
    engine = engine_for(task.path, options.engine)
    return with_copies(Row.failed(task.source, task.sha256, message, engine, model.sha256), task)


def with_copies(row: Row, task: Task, page: str | None = None) -> Scored:
    """``row`` and a row for each file with the same bytes (``task.duplicates``)."""
    return Scored((row, *(_copy(row, task, other) for other in task.duplicates)), page)


def _page(result: Classification, model: ScoringModel) -> str:

    return render_html(explain_fully(result, model))


def _copy(row: Row, task: Task, other: str) -> Row:
    """The row of a file with the same bytes as ``task``'s: its own name, never the
    original's, in the source and in an error message."""
    error = row.error
    if error is not None:
        own = task.path[: len(task.path) - len(task.source)] + other
        error = error.replace(task.path, own) if task.path.endswith(task.source) else error
    return replace(row, source=other, duplicate_of=task.source, error=error)


def with_bytes(task: Task) -> Task:
    """The task carrying its file's bytes, for workers that do not share our disk."""
    try:
        data = Path(task.path).read_bytes()
    except OSError:
        return task  # the worker reports the error when it tries the path
    return replace(task, data=data)


def score_in_readers(
    tasks: list[Task], model: ScoringModel, options: ReadOptions, jobs: int, report: bool = False
) -> Iterator[Scored]:
    """:func:`score_task` for each task in ``jobs`` long-lived guarded readers
    (:func:`classifier.read.workers.guarded_map`), as tasks finish; a task whose reader was
    stopped or died gets its error rows. Linux and macOS (``os.fork``)."""
    from classifier.read.workers import Failed, guarded_map

    def one(task: Task) -> Scored:
        return score_task(task, model, options, report)

    def describe(task: Task) -> tuple[str, ReadOptions]:
        return task.path, options

    for result in guarded_map(
        one, tasks, jobs=jobs, memory_mb=options.memory_mb, describe=describe
    ):
        if isinstance(result, Failed):
            yield failed(result.item, model, options, str(result.error))
        else:
            yield result


def score_chunk(
    tasks: list[Task], model: ScoringModel, options: ReadOptions, report: bool = False
) -> list[Scored]:
    """:func:`score_task` for each of ``tasks``: one Dask task for several files, so the
    scheduler's per-task cost is paid once a chunk, and one guarded reader forked for the
    chunk instead of a guard child per file. Never raises."""
    if len(tasks) > 1 and hasattr(os, "fork"):
        return list(score_in_readers(tasks, model, options, 1, report))
    return [score_task(task, model, options, report) for task in tasks]
