"""Reading labelled data (CSV, JSONL, or a folder per label), checked before any use.

Every problem is collected with its file and line or row, and reported at once
in one :class:`~classifier.errors.DataError`: a line that is not valid UTF-8 is
reported with its byte offset and the rest of the file is still checked. Labels
are case-insensitive and accept common aliases ("MLE", "research scientist"); a
label folder may also be named in the plural or with dashes ("scientists",
"Engineers", "ml-engineers"). An optional ``group`` column (or JSON field) keeps
rows of one person or template on the same side of every split. Exact and
near-exact duplicates are dropped and counted; the same text under two labels is
an error.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
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
_FOLDER_SEPARATORS = re.compile(r"[\s_.-]+")
_JSON_KINDS = {dict: "object", list: "array", str: "string", int: "number", float: "number"}


def canonical_label(raw: object, allow_none: bool = False) -> str | None:
    """The label an alias stands for, or None if it is not one we know."""
    if not isinstance(raw, str):
        return None
    label = LABEL_ALIASES.get(" ".join(raw.strip().lower().replace("_", " ").split()))
    if label == NONE_LABEL and not allow_none:
        return None
    return label


def folder_label(name: str, allow_none: bool = False) -> str | None:
    """The label a folder name stands for: a label or alias, or its plural or dashed form.

    "scientists", "Engineers", "ml-engineers" and "Research_Scientists" name a label
    folder as well as "scientist" does; anything else is not a label folder (None).
    """
    label = canonical_label(name, allow_none)
    if label is not None:
        return label
    words = _FOLDER_SEPARATORS.sub(" ", name).strip().lower().split()
    if not words:
        return None
    label = canonical_label(" ".join(words), allow_none)
    last = words[-1]
    if label is None and len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        label = canonical_label(" ".join([*words[:-1], last[:-1]]), allow_none)
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
    given = [Path(p) for p in paths]
    for path in given:
        if path.is_dir():
            _read_folder(path, report, allow_none, known, options or ReadOptions())
        elif not path.exists():
            report.problems.append(f"{path}: no such file or folder; check the path")
        elif path.suffix.lower() == ".csv":
            _read_csv(path, report, allow_none, known)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            _read_jsonl(path, report, allow_none, known)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            report.problems.append(
                f"{path}: a single resume has no label; put resumes in label folders "
                "(engineer/ and scientist/) and give the folder above them"
            )
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
        names = ", ".join(str(p) for p in given) or "(no paths)"
        raise DataError(f"no labelled examples found in {names}; check the paths given")
    return report


def _add(
    report: LoadReport,
    where: str,
    text: object,
    label: object,
    allow_none: bool,
    known: str,
    group: str,
) -> None:
    ok = True
    canonical = canonical_label(label, allow_none)
    if label is None or (isinstance(label, str) and not label.strip()):
        report.problems.append(f"{where}: no label; give one of {known}")
        ok = False
    elif canonical is None:
        hint = folder_label(label, allow_none) if isinstance(label, str) else None
        also = f" (did you mean {hint!r}?)" if hint else ""
        report.problems.append(f"{where}: unknown label {label!r}{also}; use one of {known}")
        ok = False
    if not isinstance(text, str) or not text.strip():
        report.problems.append(f"{where}: empty text; give the resume's text or remove the entry")
        ok = False
    if ok:
        assert isinstance(text, str) and canonical is not None
        report.examples.append(Example(normalize(text), canonical, group, where))


def _group(path: Path, raw: object, where: str) -> str:
    """A row's group: its ``group`` value within its file, else the row itself."""
    if raw is None or isinstance(raw, dict | list) or not str(raw).strip():
        return where
    return f"{path}:group {str(raw).strip()}"


def _read_bytes(path: Path, report: LoadReport) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        report.problems.append(f"{path}: cannot be read ({reason}); check its permissions")
        return None


def _decoded_lines(path: Path, raw: bytes, report: LoadReport) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line; invalid UTF-8 is a problem, replaced, not fatal."""
    offset = 0
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        start, line = offset, chunk.removesuffix(b"\r")
        offset += len(chunk) + 1
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            start, line = start + len(codecs.BOM_UTF8), line[len(codecs.BOM_UTF8) :]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            report.problems.append(
                f"{path}:{number}: invalid UTF-8 at byte offset {start + exc.start}; "
                "save the file as UTF-8"
            )
            text = line.decode("utf-8", errors="replace")
        yield number, text


def _read_jsonl(path: Path, report: LoadReport, allow_none: bool, known: str) -> None:
    raw = _read_bytes(path, report)
    if raw is None:
        return
    for number, line in _decoded_lines(path, raw, report):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            # json's messages may end in "at" ("Unterminated string starting at").
            said = exc.msg if exc.msg.endswith(" at") else f"{exc.msg} at"
            report.problems.append(
                f"{where}: malformed JSON ({said} column {exc.colno}); "
                "each line must be one JSON object"
            )
            continue
        if not isinstance(obj, dict) or "text" not in obj or "label" not in obj:
            if not isinstance(obj, dict):
                has = f"this line is a JSON {_JSON_KINDS.get(type(obj), 'value')}"
            elif obj:
                has = f"this one has only {', '.join(json.dumps(k) for k in obj)}"
            else:
                has = "this one is empty"
            report.problems.append(f'{where}: expected an object with "text" and "label"; {has}')
            continue
        group = _group(path, obj.get("group"), where)
        _add(report, where, obj["text"], obj["label"], allow_none, known, group)


def _read_csv(path: Path, report: LoadReport, allow_none: bool, known: str) -> None:
    raw = _read_bytes(path, report)
    if raw is None:
        return
    # Record every invalid line (with its byte offset), then read the text with
    # replacement characters so that the other rows are still checked.
    for _ in _decoded_lines(path, raw, report):
        pass
    content = raw.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        report.problems.append(f"{path}:1: unreadable CSV header ({exc}); fix the header line")
        return
    columns = [c.strip().lower() for c in fieldnames or []]
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        found = ", ".join(repr(c) for c in columns if c) or "none"
        report.problems.append(
            f"{path}: missing column(s) {', '.join(missing)} (found {found}); "
            "the first line must be a header naming the text and label columns"
        )
        return
    reader.fieldnames = columns
    try:
        for row in reader:
            # The header is line 1; a quoted cell may span lines, so count from the reader.
            where = f"{path}:row {reader.line_num}"
            group = _group(path, row.get("group"), where)
            _add(report, where, row.get("text"), row.get("label"), allow_none, known, group)
    except csv.Error as exc:
        report.problems.append(
            f"{path}:row {reader.line_num}: unreadable CSV ({exc}); rows after it were not checked"
        )


def _read_folder(
    folder: Path, report: LoadReport, allow_none: bool, known: str, options: ReadOptions
) -> None:
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    subfolders = [d for d in entries if d.is_dir()]
    labelled = [(d, folder_label(d.name, allow_none)) for d in subfolders]
    if not any(label for _, label in labelled):
        found = ", ".join(f"{d.name}/" for d in subfolders)
        inside = f"its subfolders ({found}) are not labels" if found else "it has no subfolders"
        hint = (
            f"; {folder.name}/ is itself a label folder, so give the folder above it"
            if folder_label(folder.name, allow_none)
            else ""
        )
        report.problems.append(
            f"{folder}: {inside}; put each resume in a subfolder named after its label "
            f"({known}, or a plural such as scientists/){hint}"
        )
        return
    for file in (p for p in entries if p.is_file()):
        if file.suffix.lower() in SUPPORTED_SUFFIXES:
            report.warnings.append(f"{file}: not in a label subfolder; skipped")
    for sub, label in labelled:
        if label is None:
            report.warnings.append(f"{sub}: {sub.name!r} is not a label ({known}); skipped")
            continue
        files = sorted(p for p in sub.rglob("*") if p.is_file())
        if not files:
            report.warnings.append(f"{sub}: empty label folder")
        for file in files:
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
                f"{example.source}: labelled {example.label!r} here but {first.label!r} in "
                f"{first.source}, which has the same text (up to case, spacing and "
                "punctuation); fix one of the labels"
            )
        else:
            report.duplicates += 1
    report.examples = kept
