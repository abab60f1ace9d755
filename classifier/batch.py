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

from .config import DEFAULT_ENGINE, LEGACY_FORMATS, PDF_SUFFIXES, TASKS_PER_WORKER
from .errors import ClassifierError, InputNotFoundError
from .explain import explain
from .extract import SUPPORTED_SUFFIXES
from .guard import ReadOptions, read_bytes, read_document
from .model import ScoringModel, load_model
from .results import Classification
from .rows import error_row, ok_row


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
    kept: list[dict[str, Any]] = field(default_factory=list)  # rows already done
    ignored: int = 0  # files of other types
    files: int = 0


def engine_for(path: str, engine: str = DEFAULT_ENGINE) -> str:
    """The engine recorded in a file's row: the PDF engine for PDFs, "text" otherwise."""
    return engine if Path(path).suffix.lower() in PDF_SUFFIXES else "text"


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
    existing: Iterable[dict[str, Any]] = (),
    retry_errors: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> Plan:
    """Files to score, rows to keep from an earlier run, identical files grouped."""
    files, ignored = discover(root, recursive)
    result = Plan(root=root, ignored=ignored, files=len(files))
    done = {
        (r.get("source"), r.get("sha256"), r.get("engine"), r.get("model")): r
        for r in existing
        if r.get("status") == "ok" or (r.get("status") == "error" and not retry_errors)
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


_MODELS: dict[str, ScoringModel] = {}


def _scoring(model: ScoringModel | str) -> ScoringModel:
    """Load a model once per worker process (tasks carry its path, not the model)."""
    if isinstance(model, ScoringModel):
        return model
    if model not in _MODELS:
        _MODELS[model] = load_model(model)
    return _MODELS[model]


def score_task(
    task: Task, model: ScoringModel | str, options: ReadOptions, report: bool = False
) -> list[dict[str, Any]]:
    """Rows for one task: the file itself and each identical duplicate. Never raises.

    With ``report``, an ok row carries its HTML page under ``REPORT_KEY`` (rendered
    here, where the resume text is; the caller writes it and drops the key).
    """
    scoring = _scoring(model)
    try:
        if task.data is not None:
            doc = read_bytes(task.data, task.path, options)
        else:
            doc = read_document(task.path, options)
        result = explain(doc, scoring)
        row = ok_row(result, task.source, task.sha256)
        if report:
            row[REPORT_KEY] = _page(result, scoring)
    except ClassifierError as exc:
        engine = engine_for(task.path, options.engine)
        row = error_row(task.source, task.sha256, str(exc), engine, scoring.sha256)
    except Exception as exc:  # one bad file never stops the batch
        message = f"{task.path}: unexpected failure ({type(exc).__name__}: {exc}); please report it"
        engine = engine_for(task.path, options.engine)
        row = error_row(task.source, task.sha256, message, engine, scoring.sha256)
    rows = [row]
    for other in task.duplicates:
        rows.append({**row, "source": other, "duplicate_of": task.source})
    return rows


def score_folder(
    folder: str | os.PathLike[str],
    model: ScoringModel | str | os.PathLike[str] | None = None,
    *,
    jobs: int = 1,
    recursive: bool = False,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one row per supported file under ``folder`` as files finish (no output file)."""
    from .model import resolve_model_path

    path = None if isinstance(model, ScoringModel) else model
    scoring = model if isinstance(model, ScoringModel) else load_model(path)
    engine = (options or ReadOptions()).engine
    work = plan(Path(folder), scoring, recursive=recursive, engine=engine)
    yield from score_tasks(
        work.tasks,
        scoring,
        str(resolve_model_path(path)),
        jobs=jobs,
        options=options,
        scheduler=scheduler,
    )


REPORT_KEY = "_report_html"


def _page(result: Classification, model: ScoringModel) -> str:
    from .html import render_html
    from .score import explain_fully

    e = explain_fully(result, model)
    return render_html(result, e.advice, e.flip, e.sections)


def score_tasks(
    tasks: list[Task],
    model: ScoringModel,
    model_path: str,
    *,
    jobs: int = 1,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
    report: bool = False,
) -> Iterator[dict[str, Any]]:
    """Yield rows as files finish: in this process, on ``jobs`` processes, or on Dask."""
    options = options or ReadOptions()
    if scheduler:
        from .cluster import score_on_dask

        yield from score_on_dask(tasks, model, options, scheduler, jobs, report)
        return
    if jobs <= 1:
        for task in tasks:
            yield from score_task(task, model, options, report)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(
        n_jobs=jobs,
        return_as="generator_unordered",
        pre_dispatch=f"{TASKS_PER_WORKER}*n_jobs",
        batch_size=1,
    )
    for rows in parallel(delayed(score_task)(t, model_path, options, report) for t in tasks):
        yield from rows


def with_bytes(task: Task) -> Task:
    """The task carrying its file's bytes, for workers that do not share our disk."""
    try:
        data = Path(task.path).read_bytes()
    except OSError:
        return task  # the worker reports the error when it tries the path
    return replace(task, data=data)
