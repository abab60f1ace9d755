"""Planning a batch: the files to score (stable order), rows to keep, identical files grouped.

:func:`plan` finds the files, hashes each once, pairs them with rows an earlier
run already wrote (same path, content, engine and model), and groups identical
files so each content is scored once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import DEFAULT_ENGINE, LEGACY_FORMATS
from classifier.errors import InputNotFoundError
from classifier.model.scoring import ScoringModel
from classifier.read.dispatch import SUPPORTED_SUFFIXES, engine_for
from classifier.results import ERROR, Row


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
    ignored: int = 0  # files of other types
    files: int = 0


def discover(root: Path, recursive: bool) -> tuple[list[Path], int]:
    """Supported files under ``root`` in a stable (sorted) order, and how many others."""
    if not root.is_dir():
        raise InputNotFoundError(f"{root}: not a folder; give the folder that holds the resumes")
    found: list[Path] = []
    ignored = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        if not recursive:
            dirs.clear()
        for name in names:
            if name.lower().endswith(SUPPORTED_SUFFIXES + LEGACY_FORMATS):  # legacy: error rows
                found.append(Path(folder) / name)
            else:
                ignored += 1
    return sorted(found, key=lambda p: p.relative_to(root).as_posix()), ignored


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
) -> Plan:
    """Files to score, rows to keep from an earlier run, identical files grouped."""
    files, ignored = discover(root, recursive)
    result = Plan(root=root, ignored=ignored, files=len(files))
    done = {
        (r.source, r.sha256, r.engine, r.model): r
        for r in existing
        if r.ok or (r.status == ERROR and not retry_errors)
    }
    groups: dict[str, list[tuple[str, Path]]] = {}
    for path in files:
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
