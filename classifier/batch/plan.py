"""Planning a batch: the files to score (stable order), rows to keep, identical files grouped.

:func:`plan` finds the files, hashes each once, pairs them with rows an earlier
run already wrote (same path, content, engine and model), and groups identical
files so each content is scored once. Nothing in the folder is silently lost:
a file of a type the run does not read gets a "skipped" row that says why;
only hidden files and folders (``.DS_Store``, ``.git``, macOS's ``._*``
AppleDouble files) are left out, and counted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import DEFAULT_ENGINE
from classifier.errors import InputNotFoundError
from classifier.model.scoring import ScoringModel
from classifier.read.dispatch import engine_for, skip_reason
from classifier.results import ERROR, SKIPPED, Row


@dataclass(frozen=True)
class Task:
    """One unique file content to score, and the other files holding the same bytes."""

    source: str  # path relative to the folder
    path: str
    sha256: str
    duplicates: tuple[str, ...] = ()
    data: bytes | None = None  # sent to remote workers, which do not see our disk


@dataclass
class Plan:
    """What a batch run will do."""

    root: Path
    tasks: list[Task] = field(default_factory=list)
    kept: list[Row] = field(default_factory=list)  # rows already done
    ignored: int = 0  # files of types not read (each has a skipped row)
    files: int = 0  # files with a row: read, or skipped
    skipped: list[Row] = field(default_factory=list)  # new skipped rows, to write
    hidden: int = 0  # hidden files and folders left out (no row)


@dataclass
class Survey:
    """The files of a folder, sorted by their path relative to it."""

    read: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, why not read)
    hidden: int = 0


def is_hidden(name: str) -> bool:
    """A hidden file or folder (``.DS_Store``, ``.git``), macOS AppleDouble (``._x.pdf``)
    included."""
    return name.startswith(".")


def survey(root: Path, recursive: bool, ocr: bool = False, exclude: Iterable[Path] = ()) -> Survey:
    """Every file under ``root``: to read, to skip (and why), or hidden. ``exclude``: paths
    left out silently (the run's own output file and report folder)."""
    if not root.is_dir():
        raise InputNotFoundError(f"{root}: not a folder; give the folder that holds the resumes")
    left_out = {os.path.abspath(p) for p in exclude}
    found = Survey()
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        if recursive:
            found.hidden += sum(is_hidden(d) for d in dirs)
            dirs[:] = [
                d for d in dirs
                if not is_hidden(d) and os.path.abspath(os.path.join(folder, d)) not in left_out
            ]  # fmt: skip
        else:
            dirs.clear()
        for name in names:
            path = Path(folder) / name
            if os.path.abspath(path) in left_out:
                continue
            if is_hidden(name):
                found.hidden += 1
                continue
            reason = skip_reason(str(path), ocr)
            if reason is None:
                found.read.append(path)
            else:
                found.skipped.append((path, reason))

    def key(p: Path) -> str:
        return p.relative_to(root).as_posix()

    found.read.sort(key=key)
    found.skipped.sort(key=lambda item: key(item[0]))
    return found


def discover(root: Path, recursive: bool, ocr: bool = False) -> tuple[list[Path], int]:
    """Files to read under ``root`` in a stable (sorted) order, and how many others (skipped
    or hidden)."""
    found = survey(root, recursive, ocr)
    return found.read, len(found.skipped) + found.hidden


def file_sha256(path: Path) -> str:
    """sha256 of the content, or of nothing when the file cannot be read (the row says why)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def plan(
    root: Path,
    model: ScoringModel,
    *,
    recursive: bool = False,
    existing: Iterable[Row] = (),
    retry_errors: bool = False,
    engine: str = DEFAULT_ENGINE,
    ocr: bool = False,
    exclude: Iterable[Path] = (),
) -> Plan:
    """Files to score, rows to keep from an earlier run, identical files grouped, and a
    skipped row for each file of a type not read (``ocr``: images are read)."""
    found = survey(root, recursive, ocr, exclude)
    result = Plan(
        root=root,
        ignored=len(found.skipped),
        files=len(found.read) + len(found.skipped),
        hidden=found.hidden,
    )
    rows = list(existing)
    done = {
        (r.source, r.sha256, r.engine, r.model): r
        for r in rows
        if r.ok or (r.status == ERROR and not retry_errors)
    }
    skipped_before = {(r.source, r.sha256, r.engine, r.model, r.error): r
                      for r in rows if r.status == SKIPPED}  # fmt: skip
    for path, reason in found.skipped:
        source = path.relative_to(root).as_posix()
        sha = file_sha256(path)
        row = Row.skipped(source, sha, reason, engine_for(source, engine), model.sha256)
        before = skipped_before.get((source, sha, row.engine, row.model, reason))
        if before is not None:
            result.kept.append(before)
        else:
            result.skipped.append(row)
    groups: dict[str, list[tuple[str, Path]]] = {}
    for path in found.read:
        source = path.relative_to(root).as_posix()
        sha = file_sha256(path)
        key = (source, sha, engine_for(source, engine), model.sha256)
        if key in done:
            result.kept.append(done[key])
            continue
        # An unreadable file is its own group: its error belongs to it alone.
        groups.setdefault(sha or f"unreadable:{source}", []).append((source, path))
    for sha, members in groups.items():
        (source, path), rest = members[0], members[1:]
        result.tasks.append(
            Task(source, str(path), sha if ":" not in sha else "", tuple(s for s, _ in rest))
        )
    return result
