"""One batch run end to end: resume from the output, stream rows into it, sort it at the end."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .batch import REPORT_KEY, Plan, plan, score_tasks
from .guard import ReadOptions
from .htmlkit import page_name
from .model import ScoringModel, resolve_model_path
from .outputs import write_text_atomic
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
    report_dir: str | os.PathLike[str] | None = None,
) -> BatchSummary:
    """Score every supported file under ``root``; rows go to ``output`` (or stdout).

    With ``report_dir``, one HTML page per resume and an ``index.html`` are written there.
    """
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
    ocr_files = sum(bool(r.get("ocr")) for r in work.kept)
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
            report=report_dir is not None,
        )
        pages = Path(report_dir) if report_dir is not None else None
        if pages is not None:
            pages.mkdir(parents=True, exist_ok=True)
        for row in rows:
            page = row.pop(REPORT_KEY, None)
            if pages is not None and page is not None:
                write_text_atomic(pages / page_name(row["source"]), page)
            writer.write(row)
            scored += 1
            duplicates += row.get("duplicate_of") is not None
            ocr_files += bool(row.get("ocr"))
            _count(row, labels, failures)
            if on_row is not None:
                on_row(row)
    finally:
        if out is not None:
            stream.close()
    if out is not None:
        rewrite_sorted(out, fmt)
    if report_dir is not None:
        _write_index(Path(report_dir), out, fmt, work.kept)
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
        ocr=ocr_files,
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


def _write_index(pages: Path, out: Path | None, fmt: str, kept: list[dict[str, Any]]) -> None:
    """The report's index.html over every row of the output (or this run's rows)."""
    from .htmlindex import render_batch_index

    rows = read_rows(out, fmt)[0] if out is not None else kept
    for row in rows:
        row["page"] = page_name(str(row["source"]))
        if not (pages / row["page"]).exists():
            row["page"] = None
    write_text_atomic(pages / "index.html", render_batch_index(rows))
