"""Long-lived guarded readers (classifier.read.workers): the per-file guard's rows, without
a fork per file.

A batch of good resumes with hostile files spread through it (a decompression bomb, a
million glyphs, a file that hangs) gives exactly the rows that reading each file on its
own under the guard gives, with either engine and with one or two readers: every good file
scored, each hostile file an error row within its limits. Readers are reused across files,
replaced when one is stopped, dies or runs out of memory, and never outlive the batch.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from classifier.batch.rows import read_rows
from classifier.batch.run import run_batch
from classifier.batch.worker import failed
from classifier.config import READER_MAX_ITEMS
from classifier.errors import ClassifierError
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.read import guard
from classifier.read.guard import ReadOptions, read_document
from classifier.read.workers import Failed, GuardedReader, guarded_map
from classifier.results import Row

from .fixtures.hostile import decompression_bomb_pdf, many_glyphs_pdf, text_pdf

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="readers are forked")

LIMITS = ReadOptions(timeout_s=2.0, memory_mb=512)


def _describe(item: object) -> tuple[str, ReadOptions]:
    return f"item-{item}", LIMITS


def _pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def test_readers_are_reused_and_results_all_come_back() -> None:
    results = list(guarded_map(_pid, range(40), jobs=2, memory_mb=512, describe=_describe))
    assert sorted(item for item, _ in results) == list(range(40))  # type: ignore[misc]
    pids = {pid for _, pid in results}  # type: ignore[misc]
    assert len(pids) <= 2 and os.getpid() not in pids


def _misbehave(item: int) -> tuple[int, int]:
    if item == 3:
        time.sleep(60)  # past the deadline: stopped
    if item == 5:
        os._exit(7)  # dies without an answer
    if item == 7:
        os.kill(os.getpid(), 9)  # killed, as the kernel kills a reader over its cap
    if item == 9:  # a read that runs out of memory: an error, then the reader leaves
        guard.run_guarded(bytearray, (1 << 40,), LIMITS, "item-9")
    return item, os.getpid()


def _error_or_pid(item: int) -> tuple[int, object]:
    try:
        return _misbehave(item)
    except ClassifierError as exc:
        return item, str(exc)


def test_a_reader_stopped_killed_or_spent_is_replaced_and_the_rest_go_on() -> None:
    start = time.monotonic()
    results = list(guarded_map(_error_or_pid, range(12), jobs=2, memory_mb=512, describe=_describe))
    assert time.monotonic() - start < 20
    failures = {r.item: str(r.error) for r in results if isinstance(r, Failed)}
    answers = dict(r for r in results if not isinstance(r, Failed))  # type: ignore[misc]
    assert set(failures) == {3, 5, 7}
    assert "took longer than 2 s and was stopped" in failures[3] and "item-3" in failures[3]
    assert "exited without an answer" in failures[5]
    assert "killed by signal 9" in failures[7] and "--max-memory" in failures[7]
    assert "needed more than the 512 MB memory cap" in str(answers[9])
    assert set(answers) == set(range(12)) - {3, 5, 7}
    # the reader that ran out of memory left: no later item was read by it
    assert not any(
        pid == answers[9] for item, pid in answers.items() if item > 9 and isinstance(pid, int)
    )


def test_one_at_a_time_a_reader_is_reused_until_stopped_killed_or_spent() -> None:
    """GuardedReader (the server's workers): the same reader answers item after item; one
    stopped, dead or spent is replaced for the next item, and each failure is the guard's."""
    before = _children()
    reader = GuardedReader(_error_or_pid, memory_mb=512, describe=_describe)
    try:
        got = {item: reader(item) for item in range(11)}
    finally:
        reader.close()
    assert _children() <= before
    failures = {item: str(r.error) for item, r in got.items() if isinstance(r, Failed)}
    assert set(failures) == {3, 5, 7}
    assert "took longer than 2 s and was stopped" in failures[3] and "item-3" in failures[3]
    assert "exited without an answer" in failures[5]
    assert "killed by signal 9" in failures[7]
    pids = {item: r[1] for item, r in got.items() if not isinstance(r, Failed)}  # type: ignore[index]
    assert "needed more than the 512 MB memory cap" in str(pids.pop(9))
    # one reader for 0-2, then a new one after each failure, and after the spent reader (9)
    assert len({pids[0], pids[1], pids[2]}) == 1 and os.getpid() not in pids.values()
    assert pids[4] != pids[2] and pids[6] != pids[4] and pids[8] != pids[6]
    assert pids[10] != pids[8]


def test_a_reader_leaves_after_its_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    import classifier.read.workers as workers

    monkeypatch.setattr(workers, "READER_MAX_ITEMS", 3)
    results = list(guarded_map(_pid, range(10), jobs=1, memory_mb=None, describe=_describe))
    by_pid: dict[int, int] = {}
    for _, pid in results:  # type: ignore[misc]
        by_pid[pid] = by_pid.get(pid, 0) + 1
    assert sorted(by_pid.values()) == [1, 3, 3, 3] and READER_MAX_ITEMS > 3


def _children() -> set[int]:
    path = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return {int(x) for x in path.read_text().split()} if path.exists() else set()


def test_readers_end_with_the_batch_even_when_it_is_abandoned() -> None:
    before = _children()
    stream = guarded_map(_pid, range(50), jobs=2, memory_mb=512, describe=_describe)
    next(stream)
    stream.close()  # the consumer stops early (Ctrl-C, a broken pipe)
    assert _children() <= before


# -- hostile files inside a batch of good ones ----------------------------------------


def _hang(*args: object, **kwargs: object) -> None:
    time.sleep(60)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    for i in range(10):
        role = "engineer" if i % 2 else "scientist"
        words = (
            ["Kubernetes, Docker, model serving, CI/CD, latency"]
            if role == "engineer"
            else ["publications at NeurIPS, causal inference, PhD, experiments"]
        )
        text_pdf(root / f"good-{i:02d}.pdf", [f"Candidate {i}: machine learning {role}", *words])
    decompression_bomb_pdf(root / "good-03-bomb.pdf")
    many_glyphs_pdf(root / "good-06-glyphs.pdf", 1_000_000)
    text_pdf(root / "good-08-hang.pdf", ["Machine learning engineer"])
    return root


def _expected(folder: Path, model: ScoringModel, options: ReadOptions) -> dict[str, object]:
    """What reading each file on its own under the guard gives (a fork per file)."""
    want: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        try:
            result = explain(read_document(path, options), model)
            want[path.name] = (result.label, round(result.scientist_probability, 12))
        except ClassifierError as exc:
            want[path.name] = str(exc).replace(str(path), path.name)
    return want


def _got(rows: list[Row], folder: Path) -> dict[str, object]:
    return {
        r.source: (r.label, round(float(r.scientist_probability or 0), 12))
        if r.ok
        else str(r.error).replace(str(folder / r.source), r.source)
        for r in rows
    }


_WANT: dict[str, dict[str, object]] = {}


@pytest.mark.parametrize(
    ("engine", "jobs"),
    [
        ("pdfium", 2),
        pytest.param("pdfium", 1, marks=pytest.mark.heavy),
        pytest.param("pdfplumber", 1, marks=pytest.mark.heavy),
        pytest.param("pdfplumber", 2, marks=pytest.mark.heavy),
    ],
)
def test_hostile_files_in_a_batch_give_the_per_file_guards_rows(
    mixed: Path,
    tmp_path: Path,
    model: ScoringModel,
    engine: str,
    jobs: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pdfium: the bomb and the glyphs abort natively (the reader dies); pdfplumber: the
    bomb is a MemoryError (the reader answers, then leaves), the glyphs time out."""
    import classifier.read.dispatch as dispatch

    real = dispatch.extract_bytes

    def extract_or_hang(data: bytes, name: str, **kwargs: object) -> object:
        if name.endswith("hang.pdf"):
            _hang()
        return real(data, name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatch, "extract_bytes", extract_or_hang)
    monkeypatch.setattr(guard, "extract_bytes", extract_or_hang)
    options = ReadOptions(timeout_s=3.0, memory_mb=512, engine=engine)
    if engine not in _WANT:
        _WANT[engine] = _expected(mixed, model, options)
    want = _WANT[engine]
    assert "took longer than 3 s" in str(want["good-08-hang.pdf"])
    assert "memory cap" in str(want["good-03-bomb.pdf"])
    out = tmp_path / "rows.jsonl"
    before = _children()
    run_batch(mixed, model, output=out, options=options, jobs=jobs)
    assert _children() <= before
    got = _got(read_rows(out, "jsonl")[0], mixed)
    assert got == want
    assert sum(isinstance(v, tuple) for v in got.values()) >= 10  # every good file scored


def test_failed_rows_name_each_duplicate(tmp_path: Path, model: ScoringModel) -> None:
    from classifier.batch.plan import Task

    task = Task(
        path=str(tmp_path / "a.pdf"), source="a.pdf", sha256="0" * 64, duplicates=("b.pdf",)
    )
    scored = failed(task, model, LIMITS, f"{tmp_path / 'a.pdf'}: stopped")
    assert [r.source for r in scored.rows] == ["a.pdf", "b.pdf"]
    assert scored.rows[1].error == f"{tmp_path / 'b.pdf'}: stopped"
    assert scored.rows[1].duplicate_of == "a.pdf"
