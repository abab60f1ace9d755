"""The ``resume-role`` command: parse, call the library, render, map errors to exit codes.

Exit codes: 0 success (``undetermined`` is a success), 1 user error (one line
on stderr, no traceback), 2 usage error, 3 some files of a batch failed (all
others written), 130 interrupted.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence

from classifier.cli import commands
from classifier.cli.exitcodes import EXIT_INTERRUPTED, EXIT_OK, EXIT_USER_ERROR
from classifier.config import (
    BATCH_DEFAULT_ENGINE,
    DEFAULT_ENGINE,
    DEFAULT_MEMORY_CAP_MB,
    DEFAULT_SEED,
    DEFAULT_TIMEOUT_S,
    DEFAULT_TOP_TERMS,
    DEFAULT_USER_WEIGHT,
    ENGINES,
    FORMATS,
    LABELS,
    MAX_FILE_MB,
    MAX_PAGES,
    SERVE_DEFAULT_PORT,
    SERVE_TOKEN_ENV,
)
from classifier.errors import ClassifierError
from classifier.read.dispatch import SUPPORTED_SUFFIXES

#: The file types read, for help texts: the same list the reader checks.
_READ = ", ".join(SUPPORTED_SUFFIXES)
_MODEL_HELP = (
    "model folder or its scoring.json (default: $RESUME_ROLE_MODEL, else the bundled model)"
)


def _add_engine_option(p: argparse.ArgumentParser, default: str = DEFAULT_ENGINE) -> None:
    p.add_argument(
        "--ocr",
        action="store_true",
        help="read scans with Tesseract OCR: PDF pages without a text layer, and images "
        "(.png, .jpg, .tiff)",
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resume-role",
        description="Does a resume lean toward the ML Engineer or the ML Scientist role, and why?",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("classify", help=f"classify one resume ({_READ})")
    p.add_argument(
        "file",
        nargs="+",
        help="the resume file(s); several files give one result each (JSON Lines with --json)",
    )
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
    p.set_defaults(run=commands.classify)

    p = sub.add_parser(
        "batch",
        help="score every resume in a folder: parallel, resumable, one row per file",
        description=f"Score every resume ({_READ}) in FOLDER. Rows are appended as files "
        "finish; run the same command again to resume. Exit status: 0 every file scored, "
        "1 user error, 2 usage, 3 some files failed (all others written), 130 interrupted.",
    )
    p.add_argument("folder", help="the folder of resumes")
    p.add_argument(
        "--output",
        "-o",
        help="output file: .jsonl, .csv or .xlsx (the xlsx extra); default: JSONL on stdout",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="output format, whatever the file is called (default: from the --output extension)",
    )
    p.add_argument(
        "--excel",
        action="store_true",
        help="start a CSV with a UTF-8 byte-order mark, so that Excel shows accents right "
        "(other CSV readers may not want it)",
    )
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
    p.set_defaults(run=commands.batch, check=functools.partial(_check_batch, p))

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
        help="train on the given data alone (both labels needed) instead of adding it to the "
        "bundled corpus; the vocabulary still defines the features",
    )
    p.add_argument(
        "--weight",
        type=float,
        default=DEFAULT_USER_WEIGHT,
        metavar="W",
        help="sample weight of your examples against the base corpus, above 0 "
        f"(default {DEFAULT_USER_WEIGHT:g}: counted alike; 3: each counts three times)",
    )
    p.add_argument(
        "--heldout",
        action="append",
        default=[],
        metavar="FILE",
        help="labelled set (JSONL/CSV/folder) the current and new models are also compared "
        "on, never trained on; repeatable (e.g. the project's tests/data/heldout_*.jsonl)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing --output folder")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 0)")
    p.add_argument("--model", help="the current model to compare with; " + _MODEL_HELP)
    p.add_argument("--json", action="store_true", help="print the card and comparison as JSON")
    _add_engine_option(p)
    p.set_defaults(run=commands.train)

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
    p.set_defaults(run=commands.evaluate)

    p = sub.add_parser(
        "serve",
        help="a local web page and HTTP API: drop resumes, see the table, open reports",
        description="Serve the page and the API on this machine (127.0.0.1 by default). "
        "Another address needs a token; nothing is uploaded anywhere else. Ctrl-C stops it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=SERVE_DEFAULT_PORT, help=f"port (default {SERVE_DEFAULT_PORT})"
    )
    p.add_argument("--model", help=_MODEL_HELP)
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=None,
        help="reader processes (default: all cores)",
    )
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.add_argument(
        "--token",
        help=f"require 'Authorization: Bearer TOKEN' (default ${SERVE_TOKEN_ENV}); "
        "needed to bind anything but loopback",
    )
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="H",
        help="another Host name the server answers to (behind a proxy); repeatable",
    )
    _add_limit_options(p)
    p.set_defaults(run=commands.serve)

    p = sub.add_parser("info", help="show which model is in use and its card")
    p.add_argument("--model", help=_MODEL_HELP)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=commands.info)
    return parser


def _check_batch(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The output format from --format or the --output extension, and options that need it."""
    from pathlib import Path

    from classifier.batch.rows import format_for
    from classifier.errors import UsageError

    try:
        args.format = format_for(Path(args.output) if args.output else None, args.format)
    except UsageError as exc:
        p.error(f"argument --output/-o: {exc}")
    if args.format == "xlsx" and not args.output:
        p.error("argument --format: an xlsx workbook cannot go to stdout; give --output FILE.xlsx")
    if args.excel and args.format != "csv":
        p.error(f"argument --excel: only CSV output has a byte-order mark, not {args.format}")


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
    check: Callable[[argparse.Namespace], None] | None = getattr(args, "check", None)
    if check is not None:
        check(args)  # what argparse cannot see alone: exits 2 with a usage message
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
