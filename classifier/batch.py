"""Score a folder of resumes: parallel, streaming, resumable; nothing lost.

:func:`plan` finds the files (stable order), hashes them, pairs them with rows
an earlier run already wrote, and groups identical files so each content is
scored once. :func:`score_folder` yields one row per file as files finish, on
local processes (joblib) or on a Dask cluster. The CLI appends each row to the
output as it arrives, so a kill loses at most the files in flight.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import DEFAULT_ENGINE, LEGACY_FORMATS, TASKS_PER_WORKER
from .errors import ClassifierError, InputNotFoundError
from .explain import explain
from .extract import SUPPORTED_SUFFIXES, engine_for
from .guard import ReadOptions, read_bytes, read_document
from .model import ScoringModel, load_model
from .results import ERROR, Classification, Row


@dataclass(frozen=True)
class Task:
    """One unique file content to score, and the other files holding the same bytes."""

    source: str  # path relative to the folder
    path: str
    sha256: str
    duplicates: tuple[str, ...] = ()
    data: bytes | None = None  # sent to remote workers, which do not see our disk


@dataclass
class Plan:
    """What a batch run will do."""

    root: Path
    tasks: list[Task] = field(default_factory=list)
    kept: list[Row] = field(default_factory=list)  # rows already done
    ignored: int = 0  # files of other types
    files: int = 0


def discover(root: Path, recursive: bool) -> tuple[list[Path], int]:
    """Supported files under ``root`` in a stable (sorted) order, and how many others."""
    if not root.is_dir():
        raise InputNotFoundError(f"{root}: not a folder; give the folder that holds the resumes")
    found: list[Path] = []
    ignored = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        if not recursive:
            dirs.clear()
        for name in names:
            if name.lower().endswith(SUPPORTED_SUFFIXES + LEGACY_FORMATS):  # legacy: error rows
                found.append(Path(folder) / name)
            else:
                ignored += 1
    return sorted(found, key=lambda p: p.relative_to(root).as_posix()), ignored


def file_sha256(path: Path) -> str:
    """sha256 of the content, or of nothing when the file cannot be read (the row says why)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def plan(
    root: Path,
    model: ScoringModel,
    *,
    recursive: bool = False,
    existing: Iterable[Row] = (),
    retry_errors: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> Plan:
    """Files to score, rows to keep from an earlier run, identical files grouped."""
    files, ignored = discover(root, recursive)
    result = Plan(root=root, ignored=ignored, files=len(files))
    done = {
        (r.source, r.sha256, r.engine, r.model): r
        for r in existing
        if r.ok or (r.status == ERROR and not retry_errors)
    }
    groups: dict[str, list[tuple[str, Path]]] = {}
    for path in files:
        source = path.relative_to(root).as_posix()
        sha = file_sha256(path)
        key = (source, sha, engine_for(source, engine), model.sha256)
        if key in done:
            result.kept.append(done[key])
            continue
        # An unreadable file is its own group: its error belongs to it alone.
        groups.setdefault(sha or f"unreadable:{source}", []).append((source, path))
    for sha, members in groups.items():
        (source, path), rest = members[0], members[1:]
        result.tasks.append(
            Task(source, str(path), sha if ":" not in sha else "", tuple(s for s, _ in rest))
        )
    return result


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
        engine = engine_for(task.path, options.engine)
        row = Row.failed(task.source, task.sha256, str(exc), engine, model.sha256)
    except Exception as exc:  # one bad file never stops the batch
        message = f"{task.path}: unexpected failure ({type(exc).__name__}: {exc}); please report it"
        engine = engine_for(task.path, options.engine)
        row = Row.failed(task.source, task.sha256, message, engine, model.sha256)
    copies = (replace(row, source=other, duplicate_of=task.source) for other in task.duplicates)
    return Scored((row, *copies), page)


def score_folder(
    folder: str | os.PathLike[str],
    model: ScoringModel | str | os.PathLike[str] | None = None,
    *,
    jobs: int = 1,
    recursive: bool = False,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one row per supported file under ``folder`` as files finish (no output file).

    Rows are JSON objects (the JSONL schema of ``batch``); every file is scored
    with ``model`` (a loaded model, a path, or None for the default) and nothing else.
    """
    from .render import row_dict

    scoring = model if isinstance(model, ScoringModel) else load_model(model)
    engine = (options or ReadOptions()).engine
    work = plan(Path(folder), scoring, recursive=recursive, engine=engine)
    for scored in score_tasks(work.tasks, scoring, jobs=jobs, options=options, scheduler=scheduler):
        for row in scored.rows:
            yield row_dict(row)


def _page(result: Classification, model: ScoringModel) -> str:
    from .html import render_html
    from .score import explain_fully

    return render_html(explain_fully(result, model))


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
        from .cluster import score_on_dask

        yield from score_on_dask(tasks, model, options, scheduler, jobs, report)
        return
    if jobs <= 1:
        for task in tasks:
            yield score_task(task, model, options, report)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(
        n_jobs=jobs,
        return_as="generator_unordered",
        pre_dispatch=f"{TASKS_PER_WORKER}*n_jobs",
        batch_size=1,
    )
    yield from parallel(delayed(score_task)(t, model, options, report) for t in tasks)


def with_bytes(task: Task) -> Task:
    """The task carrying its file's bytes, for workers that do not share our disk."""
    try:
        data = Path(task.path).read_bytes()
    except OSError:
        return task  # the worker reports the error when it tries the path
    return replace(task, data=data)
