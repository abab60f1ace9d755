"""Batches uploaded to the server: kept in memory, bounded in count and age, deletable.

A batch holds its rows as they arrive (the same JSON rows as ``batch`` writes) and the
HTML reports of its scored files; the uploaded bytes are dropped as soon as each file
is read. Nothing is written to disk.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from classifier.config import SERVE_BATCH_MAX_AGE_S, SERVE_MAX_BATCHES, UNDETERMINED

RUNNING, DONE = "running", "done"


@dataclass
class Batch:
    """One uploaded batch: its files' rows in arrival order, and their reports."""

    id: str
    files: int
    created: float = field(default_factory=time.monotonic)
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: index of a row -> {"default" | "engineer" | "scientist": report HTML}
    reports: dict[int, dict[str, str]] = field(default_factory=dict)
    status: str = RUNNING

    def counts(self) -> dict[str, int]:
        """Rows per outcome: the two leans, undetermined, failed, skipped."""
        out = {"engineer": 0, "scientist": 0, UNDETERMINED: 0, "failed": 0, "skipped": 0}
        for row in self.rows:
            if row["status"] == "ok":
                out[str(row["label"])] += 1
            elif row["status"] == "skipped":
                out["skipped"] += 1
            else:
                out["failed"] += 1
        return out

    def summary(self, since: int = 0) -> dict[str, Any]:
        """The API's view: status, counts, and the rows from index ``since`` on."""
        rows = [
            {
                **row,
                "index": i,
                "report": f"/api/v1/batches/{self.id}/reports/{i}" if i in self.reports else None,
            }
            for i, row in enumerate(self.rows)
            if i >= since
        ]
        return {
            "id": self.id,
            "status": self.status,
            "files": self.files,
            "done": len(self.rows),
            "counts": self.counts(),
            "rows": rows,
        }


class BatchStore:
    """At most SERVE_MAX_BATCHES batches, none older than SERVE_BATCH_MAX_AGE_S."""

    def __init__(self, limit: int = SERVE_MAX_BATCHES, max_age: float = SERVE_BATCH_MAX_AGE_S):
        self.limit = limit
        self.max_age = max_age
        self._batches: dict[str, Batch] = {}

    def new(self, files: int) -> Batch:
        self.expire()
        while len(self._batches) >= self.limit:
            oldest = min(self._batches.values(), key=lambda b: (b.status == RUNNING, b.created))
            del self._batches[oldest.id]
        batch = Batch(secrets.token_urlsafe(12), files)
        self._batches[batch.id] = batch
        return batch

    def get(self, batch_id: str) -> Batch | None:
        self.expire()
        return self._batches.get(batch_id)

    def delete(self, batch_id: str) -> bool:
        return self._batches.pop(batch_id, None) is not None

    def expire(self) -> None:
        now = time.monotonic()
        for batch in list(self._batches.values()):
            if now - batch.created > self.max_age:
                del self._batches[batch.id]

    def __len__(self) -> int:
        return len(self._batches)
