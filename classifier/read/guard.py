"""Run one extraction in a child process that can be killed: bounded time and memory.

A thread or ``signal.alarm`` cannot interrupt native code or cap memory, and
``multiprocessing.Process`` fails inside loky and Dask workers (daemonic
processes cannot have children), so each file is read in an ``os.fork``-ed
child. The child inherits the parent's already-imported modules (cheap to
start), sets ``RLIMIT_AS`` to its current size plus the cap, does the work and
sends the pickled result back through a pipe. The parent waits up to the
timeout, then kills it. Where the platform has no ``fork`` or no ``resource``
module we fall back to the timeout alone or to running in-process, and say so
once.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from classifier.config import (
    DEFAULT_ENGINE,
    DEFAULT_MEMORY_CAP_MB,
    DEFAULT_TIMEOUT_S,
    MAX_FILE_MB,
    MAX_PAGES,
)
from classifier.errors import ClassifierError, ExtractionError, ResourceLimitError
from classifier.read.dispatch import (
    check_engine,
    check_size,
    check_suffix,
    extract_bytes,
    image_needs_ocr,
    read_file,
)
from classifier.read.process import die_with_parent
from classifier.results import Document

try:  # pragma: no cover - platform dependent
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]

T = TypeVar("T")
_warned: set[str] = set()
#: "on": this process is a long-lived reader (see :func:`read_in_this_process`); "spent": a
#: read in it ran out of memory.
_inline = {"on": False, "spent": False}


@dataclass(frozen=True)
class ReadOptions:
    """How to read one resume: limits (``None`` disables time or memory) and the PDF engine."""

    timeout_s: float | None = DEFAULT_TIMEOUT_S
    memory_mb: int | None = DEFAULT_MEMORY_CAP_MB
    max_pages: int = MAX_PAGES
    max_mb: float = MAX_FILE_MB
    engine: str = DEFAULT_ENGINE
    ocr: bool = False  # read pages without a text layer with Tesseract


def read_document(path: str | os.PathLike[str], options: ReadOptions | None = None) -> Document:
    """Extract a file under the limits: size checked first, parsing in a killable child."""
    options = options or ReadOptions()
    name = str(path)
    data = read_file(Path(path), max_mb=options.max_mb)
    return read_bytes(data, name, options)


def read_bytes(data: bytes, name: str, options: ReadOptions | None = None) -> Document:
    """Extract file content under the limits (for bytes sent to a remote worker)."""
    options = options or ReadOptions()
    check_size(name, len(data), options.max_mb)
    kind = check_suffix(Path(name))
    if kind == "image" and not options.ocr:
        raise image_needs_ocr(name)
    _preload(kind, options)
    options = replace(options, timeout_s=file_deadline_s(name, options))
    return run_guarded(
        extract_bytes,
        (data, name),
        options,
        name,
        max_pages=options.max_pages,
        engine=options.engine,
        ocr=options.ocr and kind in ("pdf", "image"),
    )


def check_options(options: ReadOptions) -> None:
    """Fail once, before any file is read, on options that cannot work here (OCR without
    Tesseract, an unknown engine)."""
    check_engine(options.engine)
    if options.ocr:
        from classifier.read.ocr import require_tesseract

        require_tesseract()


def _preload(kind: str, options: ReadOptions) -> None:
    """Import the reading library once here, so every forked reader inherits it."""
    if kind == "docx":
        import docx  # noqa: F401
    elif kind in ("pdf", "typst"):
        # The engine asked for; the other one is imported by the reader only when it steps
        # in (no text, or hidden text under pdfium): 45 ms of pdfplumber saved at start-up.
        if options.engine == "pdfium":
            import pypdfium2  # noqa: F401
        else:
            import pdfplumber  # noqa: F401

        if kind == "pdf":
            check_options(options)
        else:
            with contextlib.suppress(ImportError):  # the reader says how to install it
                import typst  # noqa: F401
    elif kind == "latex":
        from pylatexenc import latex2text, latexwalker  # noqa: F401
    elif kind == "image":
        from PIL import Image

        Image.init()  # every image plugin, once
        check_options(options)


def run_guarded(
    fn: Callable[..., T], args: tuple[Any, ...], options: ReadOptions, name: str, **kwargs: Any
) -> T:
    """``fn(*args, **kwargs)`` in a killable child; its ClassifierErrors are re-raised here."""
    if _inline["on"]:  # this process is a long-lived guarded reader (classifier.read.workers)
        kind, value = _attempt(fn, args, kwargs)
        if kind == "memory":
            _inline["spent"] = True
        return _result(kind, value, options, name)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        _warn_once("fork", "no os.fork here: files are read without time or memory limits")
        return fn(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        die_with_parent(parent)
        _child(fn, args, kwargs, options, write_fd)
    os.close(write_fd)
    try:
        payload, status = _collect(pid, read_fd, options.timeout_s)
    except BaseException:  # Ctrl-C or SIGTERM while waiting: the reader goes too
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    return _outcome(payload, status, options, name)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _child(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: ReadOptions,
    fd: int,
) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
        # A native reader aborting over the memory cap is an expected outcome here, reported
        # by the parent in one line: no faulthandler trace from the child.
        faulthandler.disable()
        limit_memory(options.memory_mb)
        result = _attempt(fn, args, kwargs)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _attempt(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, Any]:
    """``fn``'s outcome as ``(kind, value)``: ok, error (a ClassifierError), memory or crash."""
    try:
        return ("ok", fn(*args, **kwargs))
    except ClassifierError as exc:
        return ("error", exc)
    except MemoryError:
        return ("memory", None)
    except Exception as exc:
        memory = any(isinstance(e, MemoryError) for e in _chain(exc))
        return ("memory", None) if memory else ("crash", f"{type(exc).__name__}: {exc}")


def read_in_this_process() -> None:
    """Make this process a long-lived guarded reader: it has set its own memory cap, and its
    parent enforces the deadline, so :func:`run_guarded` reads here instead of forking."""
    _inline["on"] = True


def reader_is_spent() -> bool:
    """Did a read in this long-lived reader run out of memory? (It should then be replaced:
    a process that hit its cap may hold on to what it could not free.)"""
    return _inline["spent"]


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or during (libraries wrap MemoryError)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def limit_memory(memory_mb: int | None) -> None:
    """Cap this process's address space at its current size plus ``memory_mb``."""
    if memory_mb is None:
        return
    if resource is None:  # pragma: no cover
        _warn_once("resource", "no resource module: only the timeout is enforced, not memory")
        return
    current = address_space_bytes()
    limit = current + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def address_space_bytes() -> int:
    """The process's virtual size (what RLIMIT_AS limits)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        assert resource is not None
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _collect(pid: int, fd: int, timeout_s: float | None) -> tuple[bytes, int]:
    """Read the child's answer until EOF or the deadline; reap it; kill it if late."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    chunks: list[bytes] = []
    timed_out = False
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            timed_out = True
            break
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, _usage = os.wait4(pid, 0)
    return (b"" if timed_out else b"".join(chunks)), (-1 if timed_out else status)


def reader_died(status: int, options: ReadOptions, name: str) -> ClassifierError:
    """The error for a reader that ended without an answer: ``status`` is -1 when it was
    stopped at its deadline, else its wait status."""
    try:
        _outcome(b"", status, options, name)
    except ClassifierError as exc:
        return exc
    raise AssertionError("an empty answer is always an error")  # pragma: no cover


def file_deadline_s(name: str, options: ReadOptions) -> float | None:
    """The time one file may take: the timeout, plus OCR's allowance for a PDF or image."""
    if options.timeout_s is None or not options.ocr:
        return options.timeout_s
    if check_suffix(Path(name)) not in ("pdf", "image"):
        return options.timeout_s
    from classifier.read.ocr import ocr_allowance_s

    return options.timeout_s + ocr_allowance_s(options.max_pages)


def _outcome(payload: bytes, status: int, options: ReadOptions, name: str) -> Any:
    if status == -1:
        raise ResourceLimitError(
            f"{name}: reading took longer than {options.timeout_s:g} s and was stopped; "
            "the file may be malformed: re-export it, or raise the limit with --timeout"
        )
    if not payload:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            raise ResourceLimitError(
                f"{name}: the reader was killed by signal {sig} ({signal.Signals(sig).name}), "
                f"probably over the {options.memory_mb} MB memory cap; re-export the file, "
                "or raise the limit with --max-memory"
            )
        raise ExtractionError(f"{name}: the reader exited without an answer; re-export the file")
    kind, value = pickle.loads(payload)  # our own child's bytes, never the file's
    return _result(kind, value, options, name)


def _result(kind: str, value: Any, options: ReadOptions, name: str) -> Any:
    """The value of an attempt (see :func:`_attempt`), or its error for the user."""
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory":
        raise ResourceLimitError(
            f"{name}: reading needed more than the {options.memory_mb} MB memory cap; "
            "re-export the file, or raise the limit with --max-memory"
        )
    raise ExtractionError(f"{name}: cannot read the file ({value}); re-export it")


def _warn_once(key: str, message: str) -> None:
    """A platform limit, said once per process through :mod:`warnings` (never printed here)."""
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
