"""Long-lived guarded readers: the guard's limits without a fork per file.

:func:`classifier.read.guard.run_guarded` forks a child for every file, which costs a
fork, a cold start in the child and a pickled document per file. Here ``jobs`` reader
processes are forked once (they inherit the loaded model and libraries), cap their own
memory once (``RLIMIT_AS``, as the per-file child does), and each reads one item at a time
for as long as it lives. The caller's process is the watchdog:

* a reader that overruns an item's deadline is killed; that item gets the guard's
  timeout error and a fresh reader takes its place;
* a reader that dies (the kernel's answer to a native allocation over the cap, a crash)
  gives its item the guard's error for that end, and is replaced the same way;
* a reader whose read ran out of memory answers, then leaves (what it could not free stays
  with it), and so does one that has read READER_MAX_ITEMS items or grown by more than half
  its cap since it started: nothing carries over from file to file for long;
* items not yet handed out stay queued here, so nothing is lost when a reader goes.

Readers are plain ``os.fork`` children, like the guard's, so this works where
``multiprocessing`` cannot start children (inside loky and Dask workers); the caller must
be single-threaded when it starts them (the batch command is; the web server, which is
not, starts them from its spawned, single-threaded workers: :class:`GuardedReader`). Linux
and macOS; elsewhere the caller reads in-process.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import struct
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from classifier.config import READER_MAX_ITEMS
from classifier.errors import ClassifierError
from classifier.read import guard
from classifier.read.process import die_with_parent

__all__ = ["Failed", "GuardedReader", "guarded_map"]

I = TypeVar("I")  # noqa: E741 - an item
R = TypeVar("R")  # its result

_HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Failed(Generic[I]):
    """An item whose reader was stopped or died: the one-line error the guard gives."""

    item: I
    error: ClassifierError


@dataclass
class _Reader:
    pid: int
    to_child: int  # the parent's ends of the two pipes
    from_child: int
    item: Any = None
    seconds: float | None = None  # the item's time limit
    deadline: float | None = None
    busy: bool = False


def guarded_map(
    fn: Callable[[I], R],
    items: Iterable[I],
    *,
    jobs: int,
    memory_mb: int | None,
    describe: Callable[[I], tuple[str, guard.ReadOptions]],
) -> Iterator[R | Failed[I]]:
    """``fn(item)`` for every item, in ``jobs`` long-lived readers; results as they finish.

    ``describe(item)`` gives the item's file name and read options: its deadline is the
    guard's (:func:`~classifier.read.guard.file_deadline_s`), and so are the messages of an
    item whose reader was stopped or died, which comes back as :class:`Failed`. ``fn`` runs
    in a reader, must not raise for a bad file (the batch worker returns an error row), and
    returns something picklable.
    """
    queue = deque(items)
    readers: list[_Reader] = []
    try:
        for _ in range(max(1, min(jobs, len(queue)))):
            readers.append(_start(fn, memory_mb, readers))
        while queue or any(r.busy for r in readers):
            for reader in readers:
                if not reader.busy and queue:
                    _hand(reader, queue.popleft(), describe)
            busy = [r for r in readers if r.busy]
            deadlines = [r.deadline for r in busy if r.deadline is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready, _, _ = select.select([r.from_child for r in busy], [], [], wait)
            now = time.monotonic()
            for i, reader in enumerate(readers):
                if not reader.busy:
                    continue
                settled = _settle(reader, reader.from_child in ready, now, describe)
                if settled is None:
                    continue
                ended, result = settled
                if ended:
                    readers[i] = _start(fn, memory_mb, readers)
                yield result
    finally:
        for reader in readers:
            _stop(reader, kill=True)


class GuardedReader(Generic[I, R]):
    """One long-lived guarded reader for items that come one at a time, as a web server's
    worker process gets them: ``reader(item)`` is ``fn(item)`` read in the reader, or
    :class:`Failed` when it was stopped or died (and a fresh reader serves the next item).
    The guarantees of :func:`guarded_map`, for a caller that cannot hand over an iterable.
    """

    def __init__(
        self,
        fn: Callable[[I], R],
        *,
        memory_mb: int | None,
        describe: Callable[[I], tuple[str, guard.ReadOptions]],
    ) -> None:
        self._fn, self._memory_mb, self._describe = fn, memory_mb, describe
        self._reader: _Reader | None = None

    def __call__(self, item: I) -> R | Failed[I]:
        if self._reader is None:
            self._reader = _start(self._fn, self._memory_mb, [])
        reader = self._reader
        _hand(reader, item, self._describe)
        while True:
            wait = None if reader.deadline is None else max(0.0, reader.deadline - time.monotonic())
            ready, _, _ = select.select([reader.from_child], [], [], wait)
            settled = _settle(reader, bool(ready), time.monotonic(), self._describe)
            if settled is not None:
                ended, result = settled
                if ended:
                    self._reader = None
                return result

    def close(self) -> None:
        """Stop the reader (a new one starts if the object is called again)."""
        if self._reader is not None:
            _stop(self._reader, kill=True)
            self._reader = None


def _settle(
    reader: _Reader, answered: bool, now: float, describe: Callable[[Any], Any]
) -> tuple[bool, Any] | None:
    """What a busy reader's item came to: None while it is still within its deadline, else
    (whether the reader has ended and must be replaced, the result or :class:`Failed`)."""
    if answered:
        answer = _receive(reader.from_child)
        if answer is not None:
            reader.busy = False
            leaving, result = answer
            if leaving:
                _stop(reader, kill=False)
            return leaving, result
        status = _stop(reader, kill=False)  # it died without an answer
    elif reader.deadline is not None and now >= reader.deadline:
        _stop(reader, kill=True)
        status = -1
    else:
        return None
    reader.busy = False
    name, options = describe(reader.item)
    options = replace(options, timeout_s=reader.seconds)
    return True, Failed(reader.item, guard.reader_died(status, options, name))


def _hand(reader: _Reader, item: Any, describe: Callable[[Any], Any]) -> None:
    name, options = describe(item)
    reader.item, reader.busy = item, True
    reader.seconds = guard.file_deadline_s(name, options)
    reader.deadline = None if reader.seconds is None else time.monotonic() + reader.seconds
    # A reader killed from outside while idle: its end of file gives the item its error.
    with contextlib.suppress(BrokenPipeError):
        _send(reader.to_child, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))


def _start(fn: Callable[[Any], Any], memory_mb: int | None, others: list[_Reader]) -> _Reader:
    """Fork a reader; ``others`` are the readers alive now, whose pipes it must not hold."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the reader
        code = 0
        try:
            for fd in (to_child_w, from_child_r, *_fds(others)):
                with contextlib.suppress(OSError):
                    os.close(fd)
            die_with_parent(parent)
            _serve(fn, memory_mb, to_child_r, from_child_w)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(to_child_r)
    os.close(from_child_w)
    return _Reader(pid, to_child_w, from_child_r)


def _fds(readers: list[_Reader]) -> Iterator[int]:
    for r in readers:
        yield r.to_child
        yield r.from_child


def _serve(fn: Callable[[Any], Any], memory_mb: int | None, inbox: int, outbox: int) -> None:
    """The reader's life: cap memory once, then read items until told to stop or spent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
    faulthandler.disable()  # a native abort over the cap is reported by the parent
    guard.read_in_this_process()
    start_size = guard.address_space_bytes()
    guard.limit_memory(memory_mb)
    grown_limit = None if memory_mb is None else memory_mb * 1024 * 1024 // 2
    for count in range(1, READER_MAX_ITEMS + 1):
        message = _receive(inbox)
        if message is None:
            return
        result = fn(message)
        leaving = (
            count == READER_MAX_ITEMS
            or guard.reader_is_spent()
            or (grown_limit is not None and guard.address_space_bytes() - start_size > grown_limit)
        )
        _send(outbox, pickle.dumps((leaving, result), protocol=pickle.HIGHEST_PROTOCOL))
        if leaving:
            return


def _send(fd: int, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


def _receive(fd: int) -> Any:
    """The next message on ``fd``, or None at end of file (the other side is gone)."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)  # our own process's bytes


def _read_exactly(fd: int, n: int) -> bytes | None:
    chunks: list[bytes] = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _stop(reader: _Reader, *, kill: bool) -> int:
    """End a reader (closing its inbox tells an idle one to leave); its wait status."""
    for fd in (reader.to_child, reader.from_child):
        with contextlib.suppress(OSError):
            os.close(fd)
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(reader.pid, signal.SIGKILL)
    try:
        return os.waitpid(reader.pid, 0)[1]
    except ChildProcessError:
        return 0
