"""Batch scoring on a Dask cluster (``dask.distributed``), for folders one machine is too slow for.

Workers on other machines do not see this disk: each Dask task carries a chunk of
files and their bytes (DASK_CHUNK_FILES, so the scheduler's per-task cost is paid once a
chunk), and the model is scattered to every worker once. A bounded window of chunks is in
flight, so memory stays flat however many files there are, and rows stream back as chunks
finish.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from classifier.config import DASK_CHUNK_FILES, DASK_CHUNK_MB, TASKS_PER_WORKER
from classifier.errors import ClassifierError, DaskMissingError

if TYPE_CHECKING:
    from classifier.batch.plan import Task
    from classifier.batch.worker import Scored
    from classifier.model.scoring import ScoringModel
    from classifier.read.guard import ReadOptions

LOCAL = "local"


def _client(scheduler: str, jobs: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskMissingError(
            "--scheduler needs Dask: pip install 'resume-role-classifier[dask]'"
        ) from exc
    if scheduler == LOCAL:
        cluster = LocalCluster(
            n_workers=max(jobs, 1),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        return Client(cluster)
    try:
        return Client(scheduler, timeout="10s")
    except OSError as exc:
        raise ClassifierError(
            f"cannot reach the Dask scheduler at {scheduler} ({exc}); check the address, "
            "or use --scheduler local"
        ) from exc


def score_on_dask(
    tasks: list[Task],
    model: ScoringModel,
    options: ReadOptions,
    scheduler: str,
    jobs: int,
    report: bool = False,
) -> Iterator[Scored]:
    """Yield each task's rows as tasks finish on the cluster."""
    from distributed import as_completed

    from classifier.batch.worker import score_chunk

    client = _client(scheduler, jobs)
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window = workers * TASKS_PER_WORKER
        shared_model = client.scatter(model, broadcast=True)
        chunks = _chunks(iter(tasks))
        running = as_completed()

        def submit(chunk: list[Task]) -> None:
            running.add(
                client.submit(score_chunk, chunk, shared_model, options, report, pure=False)
            )

        for chunk in itertools.islice(chunks, window):
            submit(chunk)
        for future in running:
            done = future.result()
            future.release()
            for chunk in itertools.islice(chunks, 1):
                submit(chunk)
            yield from done
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if scheduler == LOCAL and cluster is not None:
            cluster.close()


def _chunks(tasks: Iterator[Task]) -> Iterator[list[Task]]:
    """Tasks with their files' bytes, in chunks of DASK_CHUNK_FILES files or DASK_CHUNK_MB."""
    from classifier.batch.worker import with_bytes

    chunk: list[Task] = []
    size = 0
    for task in tasks:
        loaded = with_bytes(task)
        chunk.append(loaded)
        size += len(loaded.data or b"")
        if len(chunk) >= DASK_CHUNK_FILES or size >= DASK_CHUNK_MB * 1024 * 1024:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
