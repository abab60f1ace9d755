"""One batch run end to end: resume from the output, stream rows into it, sort it at the end."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .batch import Plan, plan, score_tasks
from .guard import ReadOptions
from .model import ScoringModel, resolve_model_path
from .results import BatchSummary
from .rows import RowWriter, read_rows, rewrite_sorted

Progress = Callable[[dict[str, Any]], None]


def run_batch(
    root: str | os.PathLike[str],
    model: ScoringModel,
    *,
    model_path: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    fmt: str = "jsonl",
    jobs: int = 1,
    recursive: bool = False,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
    retry_errors: bool = False,
    on_plan: Callable[[Plan], None] | None = None,
    on_row: Progress | None = None,
) -> BatchSummary:
    """Score every supported file under ``root``; rows go to ``output`` (or stdout)."""
    start = time.perf_counter()
    root = Path(root)
    out = Path(output) if output is not None else None
    existing: list[dict[str, Any]] = []
    torn = False
    if out is not None:
        existing, torn = read_rows(out, fmt)
    engine = (options or ReadOptions()).engine
    work = plan(
        root,
        model,
        recursive=recursive,
        existing=existing,
        retry_errors=retry_errors,
        engine=engine,
    )
    if on_plan is not None:
        on_plan(work)
    stale = len(existing) - len(work.kept)
    if out is not None and (torn or stale):
        _rewrite(out, fmt, work.kept)  # drop a torn line and rows of another model or engine
    labels: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    for row in work.kept:
        _count(row, labels, failures)
    scored = duplicates = 0
    stream = out.open("a", encoding="utf-8", newline="") if out is not None else sys.stdout
    try:
        writer = RowWriter(stream, fmt, write_header=out is None or out.stat().st_size == 0)
        rows = score_tasks(
            work.tasks,
            model,
            str(resolve_model_path(model_path)),
            jobs=jobs,
            options=options,
            scheduler=scheduler,
        )
        for row in rows:
            writer.write(row)
            scored += 1
            duplicates += row.get("duplicate_of") is not None
            _count(row, labels, failures)
            if on_row is not None:
                on_row(row)
    finally:
        if out is not None:
            stream.close()
    if out is not None:
        rewrite_sorted(out, fmt)
    return BatchSummary(
        output=str(out) if out is not None else "-",
        files=work.files,
        scored=scored,
        kept=len(work.kept),
        ignored=work.ignored,
        duplicates=duplicates,
        labels=tuple(sorted(labels.items())),
        failures=tuple(failures),
        seconds=time.perf_counter() - start,
        torn_line_dropped=torn,
        stale_rows_dropped=stale,
    )


def _count(row: dict[str, Any], labels: Counter[str], failures: list[tuple[str, str]]) -> None:
    if row.get("status") == "ok":
        labels[str(row.get("label"))] += 1
    else:
        failures.append((str(row.get("source")), str(row.get("error"))))


def _rewrite(out: Path, fmt: str, rows: list[dict[str, Any]]) -> None:
    """Replace ``out`` with exactly ``rows``, atomically."""
    tmp = out.with_name(f".{out.name}.resume-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = RowWriter(fh, fmt, write_header=True)
            for row in rows:
                writer.write(row)
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
