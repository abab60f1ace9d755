"""Batch scoring on a Dask cluster (``dask.distributed``), for folders one machine is too slow for.

Workers on other machines do not see this disk: each task carries its file's
bytes, and the model is scattered to every worker once. A bounded window of
tasks is in flight, so memory stays flat however many files there are, and
rows stream back as they finish.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from classifier.config import TASKS_PER_WORKER
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

    from classifier.batch.worker import score_task, with_bytes

    client = _client(scheduler, jobs)
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window = workers * TASKS_PER_WORKER
        shared_model = client.scatter(model, broadcast=True)
        pending = iter(tasks)
        running = as_completed()
        for task in _take(pending, window):
            running.add(
                client.submit(
                    score_task, with_bytes(task), shared_model, options, report, pure=False
                )
            )
        for future in running:
            scored = future.result()
            future.release()
            for task in _take(pending, 1):
                running.add(
                    client.submit(
                        score_task, with_bytes(task), shared_model, options, report, pure=False
                    )
                )
            yield scored
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if scheduler == LOCAL and cluster is not None:
            cluster.close()


def _take(it: Iterator[Task], n: int) -> list[Task]:
    out = []
    for _ in range(n):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out
