"""Child processes that never outlive the process that started them (Linux).

A reader child whose parent is interrupted, or a batch worker killed, must not
go on parsing (or running Tesseract) as an orphan: on Linux the kernel sends it
SIGKILL when its parent dies (``PR_SET_PDEATHSIG``). Elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no libc to load
        return None


def die_with_parent(parent: int) -> None:
    """In a freshly forked child: be killed when ``parent`` dies (exit now if it already has)."""
    libc = _libc()
    if libc is None:
        return
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def die_with_parent_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` doing :func:`die_with_parent` for a subprocess, or None.

    ``preexec_fn`` is unsafe when other threads exist, so the hook is given only
    to a caller that is alone, which is the case in the guard's forked reader.
    """
    if _libc() is None or threading.active_count() != 1:
        return None
    parent = os.getpid()
    return lambda: die_with_parent(parent)
