"""The ``resume-role`` command: parse, call the library, render, map errors to exit codes.

Exit codes: 0 success (``undetermined`` is a success), 1 user error (one line
on stderr, no traceback), 2 usage error, 3 some files of a batch failed (all
others written), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .config import (
    BATCH_DEFAULT_ENGINE,
    DEFAULT_ENGINE,
    DEFAULT_MEMORY_CAP_MB,
    DEFAULT_SEED,
    DEFAULT_TIMEOUT_S,
    DEFAULT_TOP_TERMS,
    ENGINES,
    FORMATS,
    LABELS,
    MAX_FILE_MB,
    MAX_PAGES,
)
from .errors import ClassifierError

if TYPE_CHECKING:
    from .guard import ReadOptions

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_SOME_FAILED = 3
EXIT_INTERRUPTED = 130

_MODEL_HELP = (
    "model folder or its scoring.json (default: $RESUME_ROLE_MODEL, else the bundled model)"
)


def _cmd_classify(args: argparse.Namespace) -> int:
    from .model import load_model
    from .render import explained_dict, render_advice, render_text
    from .score import classify, explain_fully

    model = load_model(args.model)
    result = classify(args.file, model, _read_options(args))
    explained = explain_fully(result, model, args.toward)
    if args.html:
        from .html import render_html
        from .outputs import write_text_atomic

        page = render_html(result, explained.advice, explained.flip, explained.sections)
        write_text_atomic(args.html, page)
    if args.json:
        print(json.dumps(explained_dict(explained), ensure_ascii=False, indent=2))
    else:
        print(render_text(result, top=args.top))
        advice = render_advice(explained)
        if advice:
            print(advice)
        if args.html:
            print(f"  report: {args.html}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from .model import CARD_JSON, load_model, resolve_model_path

    path = resolve_model_path(args.model)
    model = load_model(args.model)
    card_path = path.parent / CARD_JSON
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
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


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, render_evaluation
    from .labelled import read_labelled
    from .model import load_model

    model = load_model(args.model)
    data = read_labelled(args.data, allow_none=True, options=_read_options(args))
    for warning in data.warnings:
        print(f"resume-role: warning: {warning}", file=sys.stderr)
    report = evaluate(data.examples, model)
    report["duplicates_dropped"] = data.duplicates
    print(json.dumps(report, indent=2) if args.json else render_evaluation(report))
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    import signal
    from pathlib import Path

    from .batchrun import run_batch
    from .model import load_model
    from .render import render_summary
    from .rows import format_for

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
            model_path=args.model,
            output=out,
            fmt=fmt,
            jobs=jobs,
            recursive=args.recursive,
            options=_read_options(args),
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

    def update(self, row: dict[str, object]) -> None:
        if self.bar is not None and row.get("duplicate_of") is None:
            self.bar.update(1)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _read_options(args: argparse.Namespace) -> ReadOptions:
    from .guard import ReadOptions

    if args.ocr:
        from .ocr import tesseract_available, tesseract_missing_error

        if not tesseract_available():
            raise tesseract_missing_error()
    if not hasattr(args, "timeout"):  # train and evaluate: default limits
        return ReadOptions(engine=args.engine, ocr=args.ocr)
    return ReadOptions(
        engine=args.engine,
        ocr=args.ocr,
        timeout_s=args.timeout if args.timeout > 0 else None,
        memory_mb=args.max_memory if args.max_memory > 0 else None,
        max_pages=args.max_pages,
        max_mb=args.max_size,
    )


def _add_engine_option(p: argparse.ArgumentParser, default: str = DEFAULT_ENGINE) -> None:
    p.add_argument(
        "--ocr",
        action="store_true",
        help="read PDF pages without a text layer (scans) with Tesseract OCR",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default=default,
        help=f"PDF text engine: pdfplumber (reference) or pdfium (fast); default {default}",
    )


def _add_limit_options(p: argparse.ArgumentParser, engine: str = DEFAULT_ENGINE) -> None:
    _add_engine_option(p, engine)
    g = p.add_argument_group("reading each file")
    g.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=f"seconds one file may take to read, 0 for none (default {DEFAULT_TIMEOUT_S:g})",
    )
    g.add_argument(
        "--max-memory",
        type=int,
        default=DEFAULT_MEMORY_CAP_MB,
        metavar="MB",
        help=f"memory one file's reader may use, 0 for none (default {DEFAULT_MEMORY_CAP_MB})",
    )
    g.add_argument(
        "--max-pages",
        type=_positive_int,
        default=MAX_PAGES,
        metavar="N",
        help=f"pages read from a PDF (default {MAX_PAGES})",
    )
    g.add_argument(
        "--max-size",
        type=float,
        default=MAX_FILE_MB,
        metavar="MB",
        help=f"largest file read (default {MAX_FILE_MB} MB)",
    )


def _cmd_train(args: argparse.Namespace) -> int:
    from .compare import render_comparison
    from .model import load_model
    from .training import train

    current = load_model(args.model)
    report = train(
        args.data,
        args.output,
        replace_base=args.replace_base,
        seed=args.seed,
        force=args.force,
        compare_with=current,
        options=_read_options(args),
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
        f"ROC AUC {_num(cv['roc_auc'])}, Brier {_num(cv['brier'])}"
    )
    if report.comparison:
        print(render_comparison(report.comparison))
    print(f"use it with: resume-role classify FILE --model {report.output}")
    return EXIT_OK


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resume-role",
        description="Does a resume lean toward the ML Engineer or the ML Scientist role, and why?",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("classify", help="classify one resume (PDF, .txt or .md)")
    p.add_argument("file", help="the resume file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--top",
        type=_positive_int,
        default=DEFAULT_TOP_TERMS,
        help=f"terms shown each way (display only; default {DEFAULT_TOP_TERMS})",
    )
    p.add_argument("--model", help=_MODEL_HELP)
    p.add_argument("--html", metavar="OUT.html", help="also write a self-contained HTML report")
    p.add_argument(
        "--toward",
        choices=LABELS,
        help="suggest what would move the resume toward this role (default: the other one)",
    )
    _add_limit_options(p)
    p.set_defaults(run=_cmd_classify)

    p = sub.add_parser(
        "batch",
        help="score every resume in a folder: parallel, resumable, one row per file",
        description="Score every .pdf, .txt and .md file in FOLDER. Rows are appended as files "
        "finish; run the same command again to resume. Exit status: 0 every file scored, "
        "1 user error, 2 usage, 3 some files failed (all others written), 130 interrupted.",
    )
    p.add_argument("folder", help="the folder of resumes")
    p.add_argument("--output", "-o", help="output file (.jsonl or .csv); default: JSONL on stdout")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from --output)")
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=None,
        help="worker processes (default: all cores)",
    )
    p.add_argument("--recursive", "-r", action="store_true", help="include subfolders")
    p.add_argument("--model", help=_MODEL_HELP)
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: tcp://HOST:PORT, or 'local' for a LocalCluster",
    )
    p.add_argument(
        "--report",
        metavar="DIR",
        help="also write one HTML page per resume and a sortable index.html into DIR",
    )
    p.add_argument(
        "--retry-errors",
        action="store_true",
        help="rescore files whose earlier rows are errors (e.g. after raising --timeout)",
    )
    _add_limit_options(p, engine=BATCH_DEFAULT_ENGINE)
    p.set_defaults(run=_cmd_batch)

    p = sub.add_parser(
        "train",
        help="train a model folder on labelled data added to the base corpus",
        description="Train a model on labelled data (CSV or JSONL with text and label columns, "
        "or folders holding engineer/ and scientist/ subfolders of resumes). Labels accept "
        "aliases such as 'ML engineer' or 'research scientist'.",
    )
    p.add_argument("data", nargs="+", help="labelled CSV/JSONL files or label folders")
    p.add_argument("--output", required=True, help="model folder to write (built atomically)")
    p.add_argument(
        "--replace-base",
        action="store_true",
        help="train on the given data alone instead of adding it to the bundled corpus",
    )
    p.add_argument("--force", action="store_true", help="replace an existing --output folder")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 0)")
    p.add_argument("--model", help="the current model to compare with; " + _MODEL_HELP)
    p.add_argument("--json", action="store_true", help="print the card and comparison as JSON")
    _add_engine_option(p)
    p.set_defaults(run=_cmd_train)

    p = sub.add_parser(
        "evaluate",
        help="measure a model on labelled data (JSONL/CSV with text and label, or label folders)",
    )
    p.add_argument(
        "data", nargs="+", help="labelled files or folders (labels: engineer, scientist, none)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--model", help=_MODEL_HELP)
    _add_engine_option(p)
    p.set_defaults(run=_cmd_evaluate)

    p = sub.add_parser("info", help="show which model is in use and its card")
    p.add_argument("--model", help=_MODEL_HELP)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_cmd_info)
    return parser


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {value!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m classifier``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except ClassifierError as exc:
        print(f"resume-role: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("resume-role: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
