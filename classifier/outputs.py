"""Writing output files atomically: a temporary sibling, fsync, then rename."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ClassifierError


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise ClassifierError(
            f"{target}: cannot write the file ({exc.strerror}); check the folder"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target
