"""Reading labelled data (CSV, JSONL, or a folder per label), checked before any use.

Every problem is collected with its file and line or row, and reported at once
in one :class:`~classifier.errors.DataError`. Labels are case-insensitive and
accept common aliases ("MLE", "research scientist"). Exact and near-exact
duplicates are dropped and counted; the same text under two labels is an error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import LABELS
from classifier.errors import ClassifierError, DataError
from classifier.read.dispatch import SUPPORTED_SUFFIXES
from classifier.read.guard import ReadOptions, read_document
from classifier.read.normalize import normalize
from classifier.training.corpus import Example

#: Label used in evaluation data for resumes that are not ML resumes at all.
NONE_LABEL = "none"
LABEL_ALIASES: dict[str, str] = {
    **{
        a: "engineer"
        for a in (
            "engineer", "ml engineer", "mle", "machine learning engineer", "mlops engineer",
            "mlops", "ml platform engineer", "ai engineer",
        )
    },
    **{
        a: "scientist"
        for a in (
            "scientist", "research scientist", "ml scientist", "machine learning scientist",
            "applied scientist", "ai scientist", "research", "ml researcher",
        )
    },
    **{a: NONE_LABEL for a in ("none", "other", "out-of-domain", "not ml")},
}  # fmt: skip
_NEAR_DUP = re.compile(r"[\W_]+")


def canonical_label(raw: object, allow_none: bool = False) -> str | None:
    """The label an alias stands for, or None if it is not one we know."""
    if not isinstance(raw, str):
        return None
    label = LABEL_ALIASES.get(" ".join(raw.strip().lower().replace("_", " ").split()))
    if label == NONE_LABEL and not allow_none:
        return None
    return label


@dataclass
class LoadReport:
    """What reading labelled data found: examples kept, duplicates dropped, problems."""

    examples: list[Example] = field(default_factory=list)
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_labelled(
    paths: Iterable[str | os.PathLike[str]],
    allow_none: bool = False,
    options: ReadOptions | None = None,
) -> LoadReport:
    """Read every path (CSV, JSONL, or folder of label subfolders); raise on any problem."""
    report = LoadReport()
    known = ", ".join(sorted({*LABELS, *([NONE_LABEL] if allow_none else [])}))
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            _read_folder(path, report, allow_none, known, options or ReadOptions())
        elif not path.exists():
            report.problems.append(f"{path}: no such file or folder")
        elif path.suffix.lower() == ".csv":
            _read_csv(path, report, allow_none, known)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            _read_jsonl(path, report, allow_none, known)
        else:
            report.problems.append(
                f"{path}: not a .csv, .jsonl or folder; give labelled data in one of those forms"
            )
    _drop_duplicates(report)
    if report.problems:
        raise DataError(
            f"{len(report.problems)} problem(s) in the labelled data:\n  "
            + "\n  ".join(report.problems)
        )
    if not report.examples:
        raise DataError("no labelled examples found; check the paths given")
    return report


def _add(
    report: LoadReport, where: str, text: object, label: object, allow_none: bool, known: str
) -> None:
    ok = True
    canonical = canonical_label(label, allow_none)
    if canonical is None:
        report.problems.append(f"{where}: unknown label {label!r}; use one of {known}")
        ok = False
    if not isinstance(text, str) or not text.strip():
        report.problems.append(f"{where}: empty text")
        ok = False
    if ok:
        assert isinstance(text, str) and canonical is not None
        report.examples.append(Example(normalize(text), canonical, where, where))


def _decode(path: Path, report: LoadReport) -> str | None:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(
            f"{path}: invalid UTF-8 at byte offset {exc.start}; save the file as UTF-8"
        )
        return None


def _read_jsonl(path: Path, report: LoadReport, allow_none: bool, known: str) -> None:
    content = _decode(path, report)
    if content is None:
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            report.problems.append(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict) or "text" not in obj or "label" not in obj:
            report.problems.append(f'{where}: expected an object with "text" and "label"')
            continue
        _add(report, where, obj["text"], obj["label"], allow_none, known)


def _read_csv(path: Path, report: LoadReport, allow_none: bool, known: str) -> None:
    content = _decode(path, report)
    if content is None:
        return
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        report.problems.append(
            f"{path}: missing column(s) {', '.join(missing)}; the header needs text and label"
        )
        return
    reader.fieldnames = columns
    for row in reader:
        # The header is line 1; a quoted cell may span lines, so count from the reader.
        where = f"{path}:row {reader.line_num}"
        _add(report, where, row.get("text"), row.get("label"), allow_none, known)


def _read_folder(
    folder: Path, report: LoadReport, allow_none: bool, known: str, options: ReadOptions
) -> None:
    subfolders = [d for d in sorted(folder.iterdir()) if d.is_dir()]
    labelled = [(d, canonical_label(d.name, allow_none)) for d in subfolders]
    if not any(label for _, label in labelled):
        report.problems.append(
            f"{folder}: no engineer/ or scientist/ subfolder; put each resume under its label"
        )
        return
    for sub, label in labelled:
        if label is None:
            report.warnings.append(f"{sub}: not a label folder ({known}); skipped")
            continue
        for file in sorted(p for p in sub.rglob("*") if p.is_file()):
            if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                report.warnings.append(f"{file}: not a resume file type; skipped")
                continue
            try:
                doc = read_document(file, options)
            except ClassifierError as exc:
                report.problems.append(str(exc))
                continue
            report.examples.append(Example(doc.text, label, str(file), str(file)))


def near_duplicate_key(text: str) -> str:
    """Lower-case letters and digits only: texts equal up to case, spacing and punctuation."""
    return _NEAR_DUP.sub(" ", normalize(text).lower()).strip()


def merge_examples(base: list[Example], new: list[Example]) -> LoadReport:
    """``base`` plus ``new``, near-duplicates dropped; a conflicting label is an error."""
    report = LoadReport(examples=[*base, *new])
    _drop_duplicates(report)
    if report.problems:
        raise DataError(
            f"{len(report.problems)} problem(s) between the new data and the base corpus:\n  "
            + "\n  ".join(report.problems)
        )
    return report


def _drop_duplicates(report: LoadReport) -> None:
    seen: dict[str, Example] = {}
    kept: list[Example] = []
    for example in report.examples:
        key = near_duplicate_key(example.text)
        first = seen.get(key)
        if first is None:
            seen[key] = example
            kept.append(example)
        elif first.label != example.label:
            report.problems.append(
                f"{example.source}: same text as {first.source} but labelled {example.label!r} "
                f"there {first.label!r}; fix one of the labels"
            )
        else:
            report.duplicates += 1
    report.examples = kept
