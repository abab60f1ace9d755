"""A bounded pool of reader processes for the web server.

Reading forks guarded readers (:mod:`classifier.read.workers`, as ``batch`` does), and
``fork()`` is unsafe in a multi-threaded process such as an ASGI server: so the server
never reads. It hands bytes to ``jobs`` worker processes started with the ``spawn`` method
(fresh, single-threaded interpreters that load the model once), each of which reads in its
own long-lived guarded reader, under the same limits as the command line, and sends back
plain data. At most ``jobs * SERVE_QUEUE_PER_WORKER`` files are queued or in flight; past
that :meth:`ReaderPool.try_reserve` says no and the server answers 503 with Retry-After,
never building an unbounded backlog. A worker that dies is replaced by a new pool.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, cast

from classifier.config import SERVE_QUEUE_PER_WORKER
from classifier.errors import ClassifierError
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions

#: The model of this worker process, set once by :func:`_start_worker`.
_WORKER_MODEL: ScoringModel | None = None
#: This worker's long-lived guarded reader for each memory cap (None: read per upload).
_WORKER_READERS: dict[int | None, Any] | None = None


@dataclass(frozen=True)
class Job:
    """One upload to read and score: the bytes, the name they came with, and what to return."""

    data: bytes
    name: str
    options: ReadOptions
    toward: str | None = None
    #: For a batch: also the batch row and the HTML report toward each role.
    batch: bool = False
    sha256: str = ""


def _start_worker(model: ScoringModel) -> None:
    global _WORKER_MODEL, _WORKER_READERS
    _WORKER_MODEL = model
    # Each worker is a single-threaded spawned process, so it may fork: uploads are read in
    # a long-lived guarded reader (classifier.read.workers), as batch reads files, instead
    # of a guard child forked per upload.
    _WORKER_READERS = {} if hasattr(os, "fork") else None


def run_job(job: Job) -> dict[str, Any]:
    """In a worker: read, score and explain one upload; never raises for a bad file.

    ``{"ok": explanation JSON}`` or ``{"error": one line}``; with ``job.batch`` also
    ``"row"`` (the batch row JSON) and ``"reports"`` (HTML toward each role).
    """
    if _WORKER_READERS is None:
        return _score_job(job)
    from classifier.read.workers import Failed, GuardedReader

    reader = _WORKER_READERS.get(job.options.memory_mb)
    if reader is None:
        reader = GuardedReader(_score_job, memory_mb=job.options.memory_mb, describe=_describe)
        _WORKER_READERS[job.options.memory_mb] = reader
    out = reader(job)
    if isinstance(out, Failed):  # stopped past its deadline, or died (the memory cap)
        return _error_out(job, str(out.error))
    return cast(dict[str, Any], out)


def _describe(job: Job) -> tuple[str, ReadOptions]:
    return job.name, job.options


def _score_job(job: Job) -> dict[str, Any]:
    """:func:`run_job`'s work, where the upload is read (in the reader, or under the guard)."""
    from classifier.explain import explain_fully
    from classifier.explain.contributions import explain
    from classifier.read.guard import read_bytes
    from classifier.render.json import explanation_dict, row_dict
    from classifier.results import Row

    model = _WORKER_MODEL
    if model is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("reader worker started without a model")
    try:
        result = explain(read_bytes(job.data, job.name, job.options), model)
    except ClassifierError as exc:
        return _error_out(job, str(exc))
    except Exception as exc:  # one bad upload never takes the worker down
        return {"error": f"{job.name}: unexpected failure ({type(exc).__name__}); please report it"}
    explained = explain_fully(result, model, job.toward)
    out = {"ok": explanation_dict(explained)}
    if job.batch:
        from classifier.render.html import render_html

        out["row"] = row_dict(Row.scored(result, job.name, job.sha256))
        out["reports"] = {
            toward: render_html(explain_fully(result, model, toward))
            for toward in ("engineer", "scientist")
        }
        out["reports"]["default"] = render_html(explained)
    return out


def _error_out(job: Job, message: str) -> dict[str, Any]:
    """The answer for an upload that could not be read: the one-line error, and for a
    batch its error row."""
    out: dict[str, Any] = {"error": message}
    if job.batch:
        from classifier.read.dispatch import engine_for
        from classifier.render.json import row_dict
        from classifier.results import Row

        assert _WORKER_MODEL is not None
        engine = engine_for(job.name, job.options.engine)
        out["row"] = row_dict(
            Row.failed(job.name, job.sha256, message, engine, _WORKER_MODEL.sha256)
        )
    return out


class ReaderPool:
    """``jobs`` spawned reader processes behind a bounded queue (see the module docstring)."""

    def __init__(self, model: ScoringModel, jobs: int) -> None:
        self.model = model
        self.jobs = max(1, jobs)
        self.capacity = self.jobs * SERVE_QUEUE_PER_WORKER
        self._pending = 0
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.model,),
        )

    @property
    def pending(self) -> int:
        """Files queued or being read now."""
        return self._pending

    def try_reserve(self) -> bool:
        """Take a queue slot if one is free (False: the caller answers 503)."""
        with self._lock:
            if self._pending >= self.capacity:
                return False
            self._pending += 1
            return True

    async def reserve(self) -> None:
        """Wait for a free queue slot (a batch feeds its files as slots free up)."""
        while not self.try_reserve():
            await asyncio.sleep(0.05)

    def release(self) -> None:
        with self._lock:
            self._pending = max(0, self._pending - 1)

    async def run(self, job: Job) -> dict[str, Any]:
        """Run a job whose slot was reserved; the slot is released when it ends."""
        try:
            try:
                future: Future[dict[str, Any]] = self._executor.submit(run_job, job)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                # A worker died outside the guard (killed from outside): start afresh, once.
                self._restart()
                future = self._executor.submit(run_job, job)
                return await asyncio.wrap_future(future)
        finally:
            self.release()

    def _restart(self) -> None:
        with self._lock:
            old, self._executor = self._executor, self._new_executor()
        old.shutdown(wait=False, cancel_futures=True)

    def warm_up(self) -> None:
        """Start every worker now (spawning takes ~1 s), not on the first upload."""
        futures = [self._executor.submit(_ping) for _ in range(self.jobs)]
        for f in futures:
            f.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _ping() -> bool:
    return _WORKER_MODEL is not None
