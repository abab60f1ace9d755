"""Writing output files atomically: a temporary sibling, fsync, then rename.

The one helper for every file the project writes (rows, reports, model
folders): readers see the old content or the new, never half, and a failure
leaves no temporary file behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from classifier.errors import ClassifierError


@contextmanager
def atomic_stream(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """A stream to write ``path`` through: renamed into place only when the block succeeds.

    Text streams are UTF-8 with ``newline=""`` (the csv module writes its own line ends).
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        try:
            fh = tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise _write_error(target, exc) from exc
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    with atomic_stream(path) as fh:
        fh.write(text)
    return Path(path)


def swap_dir_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished folder ``tmp`` to ``target``; an old ``target`` is moved aside
    first and removed last, so a failure leaves the old folder as it was."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        import shutil  # only when a folder is replaced: not on classify's start-up path

        shutil.rmtree(old, ignore_errors=True)


def _write_error(target: Path, exc: OSError) -> ClassifierError:
    reason = exc.strerror or exc
    return ClassifierError(f"{target}: cannot write the file ({reason}); check the folder")
