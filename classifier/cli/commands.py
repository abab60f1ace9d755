"""The command handlers behind ``resume-role``: each parses nothing, calls the library, renders.

:mod:`classifier.cli` builds the parser and maps errors to exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING

from classifier.cli.exitcodes import EXIT_OK, EXIT_SOME_FAILED, EXIT_USER_ERROR

if TYPE_CHECKING:
    from classifier.read.guard import ReadOptions
    from classifier.results import Row


def classify(args: argparse.Namespace) -> int:
    """One result per file; with several files a file that cannot be read gets its one-line
    error on stderr and the others are still classified (exit 1 if any failed)."""
    from classifier.errors import ClassifierError, UsageError
    from classifier.model.store import load_model

    files: list[str] = args.file
    if args.html and len(files) > 1:
        raise UsageError("--html writes one report: give one file, or use 'batch --report DIR'")
    model = load_model(args.model)
    options = read_options(args)
    if len(files) == 1:
        _classify_one(args, files[0], model, options, json_lines=False)
        return EXIT_OK
    failed = 0
    for file in files:
        try:
            _classify_one(args, file, model, options, json_lines=args.json)
        except ClassifierError as exc:
            failed += 1
            print(f"resume-role: error: {exc}", file=sys.stderr)
        sys.stdout.flush()
    return EXIT_USER_ERROR if failed else EXIT_OK


def _classify_one(
    args: argparse.Namespace, file: str, model: object, options: ReadOptions, json_lines: bool
) -> None:
    from classifier.explain import explain_fully
    from classifier.flow import classify
    from classifier.model.scoring import ScoringModel
    from classifier.render.json import explanation_dict
    from classifier.render.text import render_advice, render_text

    assert isinstance(model, ScoringModel)
    result = classify(file, model, options)
    explained = explain_fully(result, model, args.toward)
    if args.html:
        from classifier.outputs import write_text_atomic
        from classifier.render.html import render_html

        write_text_atomic(args.html, render_html(explained))
    if args.json:
        data = explanation_dict(explained)
        print(json.dumps(data, ensure_ascii=False, indent=None if json_lines else 2))
    else:
        print(render_text(explained, top=args.top))
        advice = render_advice(explained)
        if advice:
            print(advice)
        if args.html:
            print(f"  report: {args.html}")


def serve(args: argparse.Namespace) -> int:
    """Run the local page and API until Ctrl-C."""
    from classifier.model.store import load_card, load_model, resolve_model_path
    from classifier.serve.app import Settings
    from classifier.serve.server import resolve_token, serve, url_of

    token = resolve_token(args.host, args.token)
    model = load_model(args.model)
    settings = Settings(
        model=model,
        options=read_options(args),
        jobs=args.jobs or os.cpu_count() or 1,
        host=args.host,
        port=args.port,
        token=token,
        allowed_hosts=tuple(args.allowed_host),
        card=load_card(resolve_model_path(args.model)),
    )
    print(
        f"resume-role: serving {url_of(settings)} with {settings.jobs} reader processes "
        f"(model {model.sha256[:12]}); Ctrl-C stops it",
        file=sys.stderr,
    )
    # uvicorn shuts down cleanly on Ctrl-C, then raises it again: that is the normal stop.
    with contextlib.suppress(KeyboardInterrupt):
        serve(settings, open_browser=args.open)
    print("resume-role: server stopped; uploaded files and batches were kept in memory only",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK


def info(args: argparse.Namespace) -> int:
    from classifier.model.store import load_card, load_model, resolve_model_path

    path = resolve_model_path(args.model)
    model = load_model(args.model)
    card = load_card(path)
    info = {
        "scoring_file": str(path),
        "sha256": model.sha256,
        "features": len(model.terms),
        "data_hash": model.data_hash,
        "card": card,
    }
    if args.json:
        print(json.dumps(info, indent=2))
        return EXIT_OK
    print(f"model: {path}\nsha256: {model.sha256}\nfeatures: {len(model.terms)}")
    cv = card.get("cross_validation", {})
    if cv:
        print(
            f"cross-validation: accuracy {cv.get('accuracy', 0):.3f}, "
            f"ROC AUC {cv.get('roc_auc') or 0:.3f}, Brier {cv.get('brier') or 0:.3f} "
            f"(n={cv.get('n')})"
        )
    if card.get("created"):
        print(f"created: {card['created']}")
    return EXIT_OK


def evaluate(args: argparse.Namespace) -> int:
    from classifier.model.store import load_model
    from classifier.render.reports import render_evaluation
    from classifier.training.evaluate import evaluate
    from classifier.training.labelled import read_labelled

    model = load_model(args.model)
    data = read_labelled(args.data, allow_none=True, options=read_options(args))
    for warning in data.warnings:
        print(f"resume-role: warning: {warning}", file=sys.stderr)
    report = evaluate(data.examples, model)
    report["duplicates_dropped"] = data.duplicates
    print(json.dumps(report, indent=2) if args.json else render_evaluation(report))
    return EXIT_OK


def batch(args: argparse.Namespace) -> int:
    import signal
    from pathlib import Path

    from classifier.batch.rows import format_for
    from classifier.batch.run import run_batch
    from classifier.model.store import load_model
    from classifier.render.text import render_summary

    model = load_model(args.model)
    out = Path(args.output) if args.output else None
    fmt = format_for(out, args.format)
    jobs = args.jobs or os.cpu_count() or 1
    progress = _Progress(enabled=sys.stderr.isatty())
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        summary = run_batch(
            args.folder,
            model,
            output=out,
            fmt=fmt,
            bom=getattr(args, "excel", False),
            jobs=jobs,
            recursive=args.recursive,
            options=read_options(args),
            scheduler=args.scheduler,
            retry_errors=args.retry_errors,
            on_plan=progress.start,
            on_row=progress.update,
            report_dir=args.report,
        )
    finally:
        progress.close()
    print(render_summary(summary), file=sys.stderr)
    return EXIT_SOME_FAILED if summary.failures else EXIT_OK


class _Progress:
    """A tqdm bar on a terminal (files done, rate, time left); nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: object | None = None

    def start(self, plan: object) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=len(plan.tasks), unit="file", file=sys.stderr)  # type: ignore[attr-defined]

    def update(self, row: Row) -> None:
        if self.bar is not None and row.duplicate_of is None:
            self.bar.update(1)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def read_options(args: argparse.Namespace) -> ReadOptions:
    from classifier.read.guard import ReadOptions, check_options

    if not hasattr(args, "timeout"):  # train and evaluate: default limits
        options = ReadOptions(engine=args.engine, ocr=args.ocr)
    else:
        options = ReadOptions(
            engine=args.engine,
            ocr=args.ocr,
            timeout_s=args.timeout if args.timeout > 0 else None,
            memory_mb=args.max_memory if args.max_memory > 0 else None,
            max_pages=args.max_pages,
            max_mb=args.max_size,
        )
    check_options(options)
    return options


def train(args: argparse.Namespace) -> int:
    from classifier.model.store import load_model
    from classifier.render.numbers import num
    from classifier.render.reports import render_comparison
    from classifier.training.trainer import train

    current = load_model(args.model)
    report = train(
        args.data,
        args.output,
        replace_base=args.replace_base,
        seed=args.seed,
        force=args.force,
        compare_with=current,
        options=read_options(args),
        heldout=args.heldout,
        user_weight=args.weight,
    )
    for warning in report.warnings:
        print(f"resume-role: warning: {warning}", file=sys.stderr)
    cv = report.card["cross_validation"]
    if args.json:
        out = {"output": str(report.output), "card": report.card, "comparison": report.comparison}
        print(json.dumps(out, indent=2))
        return EXIT_OK
    print(
        f"wrote {report.output}: {report.card['examples']} examples "
        f"({report.card['new_examples']} new, {report.card['duplicates_dropped']} duplicates "
        f"dropped); cross-validated accuracy {cv['accuracy']:.3f}, "
        f"ROC AUC {num(cv['roc_auc'])}, Brier {num(cv['brier'])}"
    )
    if report.comparison:
        print(render_comparison(report.comparison))
    print(f"use it with: resume-role classify FILE --model {report.output}")
    return EXIT_OK
