"""One batch run end to end: resume from the output, stream rows into it, sort it at the end."""

from __future__ import annotations

import os
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from classifier.batch.execute import score_tasks
from classifier.batch.plan import Plan, plan
from classifier.batch.report import record_page, write_index
from classifier.batch.rows import (
    check_output,
    open_writer,
    read_rows,
    rewrite_rows,
    rewrite_sorted,
)
from classifier.model.scoring import ScoringModel
from classifier.outputs import write_text_atomic
from classifier.read.guard import ReadOptions
from classifier.render.htmlkit import page_name
from classifier.results import SKIPPED, BatchSummary, Row

Progress = Callable[[Row], None]


def run_batch(
    root: str | os.PathLike[str],
    model: ScoringModel,
    *,
    model_path: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    fmt: str = "jsonl",
    bom: bool = False,
    jobs: int = 1,
    recursive: bool = False,
    options: ReadOptions | None = None,
    scheduler: str | None = None,
    retry_errors: bool = False,
    on_plan: Callable[[Plan], None] | None = None,
    on_row: Progress | None = None,
    report_dir: str | os.PathLike[str] | None = None,
) -> BatchSummary:
    """Score every supported file under ``root`` with ``model``; rows go to ``output`` (or stdout).

    ``fmt`` is ``jsonl``, ``csv`` or ``xlsx`` (which needs ``output``); ``bom`` starts a CSV
    with a UTF-8 byte-order mark (for Excel).
    With ``report_dir``, one HTML page per resume and an ``index.html`` are written there.
    ``model_path`` is ignored (the workers score with ``model`` itself) and will go.
    """
    if model_path is not None:
        warnings.warn(
            "run_batch(model_path=...) is ignored: every file is scored with `model`",
            DeprecationWarning,
            stacklevel=2,
        )
    start = time.perf_counter()
    root = Path(root)
    out = Path(output) if output is not None else None
    check_output(out, fmt)
    existing: list[Row] = []
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
        ocr=(options or ReadOptions()).ocr,  # images are read with OCR, skipped without
        exclude=[Path(p) for p in (out, report_dir) if p is not None],  # our output: no rows
    )
    if on_plan is not None:
        on_plan(work)
    stale = len(existing) - len(work.kept)
    if out is not None and (torn or stale):
        # drop a torn line and rows of another model or engine
        rewrite_rows(out, fmt, work.kept, bom=bom)
    labels: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    for row in work.kept:
        _count(row, labels, failures)
    scored = duplicates = 0
    ocr_files = sum(bool(r.ocr) for r in work.kept)
    # Without an output file, the report's index is built from the rows held here
    # (their terms dropped: the index shows none).
    held: list[Row] | None = [] if out is None and report_dir is not None else None
    pages = Path(report_dir) if report_dir is not None else None
    if pages is not None:
        pages.mkdir(parents=True, exist_ok=True)
    writer = open_writer(out, fmt, bom=bom)  # an xlsx: rows go to a sidecar until the end
    try:
        for row in work.skipped:  # files of a type not read: a row that says so, not scored
            writer.write(row)
            if held is not None:
                held.append(row)
        for result in score_tasks(
            work.tasks,
            model,
            jobs=jobs,
            options=options,
            scheduler=scheduler,
            report=pages is not None,
        ):
            for row in result.rows:
                if pages is not None and result.page is not None:  # duplicates get a page too
                    write_text_atomic(pages / page_name(row.source), result.page)
                    record_page(pages, row)  # so the index links it, on a resumed run too
                writer.write(row)
                scored += 1
                duplicates += row.duplicate_of is not None
                ocr_files += bool(row.ocr)
                _count(row, labels, failures)
                if held is not None:
                    held.append(replace(row, contributions=()))
                if on_row is not None:
                    on_row(row)
    finally:
        writer.close()
    if out is not None:
        rewrite_sorted(out, fmt, bom=bom)
    if pages is not None:
        rows = read_rows(out, fmt)[0] if out is not None else [*work.kept, *(held or [])]
        _write_index(pages, rows)
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
        skipped=len(_skipped(work)),
        skipped_files=_skipped(work),
        hidden=work.hidden,
    )


def _count(row: Row, labels: Counter[str], failures: list[tuple[str, str]]) -> None:
    """A scored row counts toward its label, a failed one is a failure; a skipped one is
    neither (it is listed from the plan: :func:`_skipped`)."""
    if row.ok:
        labels[str(row.label)] += 1
    elif row.status != SKIPPED:
        failures.append((row.source, str(row.error)))


def _skipped(work: Plan) -> tuple[str, ...]:
    """The files of a type not read, whose rows say so: written now or kept."""
    rows = (*work.kept, *work.skipped)
    return tuple(sorted(r.source for r in rows if r.status == SKIPPED))


def _write_index(pages: Path, rows: list[Row]) -> None:
    """The report's index.html over ``rows``, linking a row only to a page written for it
    (now or by an earlier run into the same folder); the index counts the rows without."""
    write_index(pages, rows)
