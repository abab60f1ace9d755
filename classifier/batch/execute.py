"""Score a folder of resumes: parallel, streaming, resumable; nothing lost.

:func:`plan` finds the files (stable order), hashes them, pairs them with rows
an earlier run already wrote, and groups identical files so each content is
scored once. :func:`score_folder` yields one row per file as files finish, in
long-lived guarded reader processes (:mod:`classifier.read.workers`; joblib where
``os.fork`` is missing) or on a Dask cluster. The CLI appends each row to the output
as it arrives, so a kill loses at most the files in flight.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from classifier.batch.plan import Task, plan
from classifier.batch.worker import Scored, score_in_readers, score_task
from classifier.config import TASKS_PER_WORKER
from classifier.model.scoring import ScoringModel
from classifier.model.store import load_model
from classifier.read.guard import ReadOptions


def score_folder(
    folder: str | os.PathLike[str],
    model: ScoringModel | str | os.PathLike[str] | None = None,
    *,
    jobs: int = 1,
    recursive: bool = False,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one row per file under ``folder`` (no output file): first a ``skipped`` row for
    each file of a type not read, then each scored file as it finishes.

    Rows are JSON objects (the JSONL schema of ``batch``); every file is scored
    with ``model`` (a loaded model, a path, or None for the default) and nothing else.
    """
    from classifier.render.json import row_dict

    scoring = model if isinstance(model, ScoringModel) else load_model(model)
    options = options or ReadOptions()
    work = plan(Path(folder), scoring, recursive=recursive, engine=options.engine, ocr=options.ocr)
    for row in work.skipped:
        yield row_dict(row)
    for scored in score_tasks(work.tasks, scoring, jobs=jobs, options=options, scheduler=scheduler):
        for row in scored.rows:
            yield row_dict(row)


def score_tasks(
    tasks: list[Task],
    model: ScoringModel,
    *,
    jobs: int = 1,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
    report: bool = False,
) -> Iterator[Scored]:
    """Yield each task's rows as files finish: in this process, on ``jobs`` processes, or on
    Dask. Every worker scores with ``model`` itself (see ``ScoringModel.__reduce__``)."""
    options = options or ReadOptions()
    if scheduler:
        from classifier.batch.cluster import score_on_dask

        yield from score_on_dask(tasks, model, options, scheduler, jobs, report)
        return
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: joblib, and the guard's fallback
        yield from _on_joblib(tasks, model, options, jobs, report)
        return
    yield from score_in_readers(tasks, model, options, max(1, jobs), report)


def _on_joblib(
    tasks: list[Task], model: ScoringModel, options: ReadOptions, jobs: int, report: bool
) -> Iterator[Scored]:  # pragma: no cover - platforms without fork
    from joblib import Parallel, delayed

    if jobs <= 1:
        for task in tasks:
            yield score_task(task, model, options, report)
        return
    parallel = Parallel(
        n_jobs=jobs,
        return_as="generator_unordered",
        pre_dispatch=f"{TASKS_PER_WORKER}*n_jobs",
        batch_size=1,
    )
    yield from parallel(delayed(score_task)(t, model, options, report) for t in tasks)
