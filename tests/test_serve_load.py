"""Load on a real server (``resume-role serve`` under uvicorn, in a subprocess).

Many client threads upload distinct generated resumes, plus hostile files (a
decompression bomb, a page of a million glyphs) that the server's short limits
(``--timeout 3 --max-memory 512``) must stop. Every request is answered: 200, 422, or
503 with Retry-After, retried after the advertised delay. The verdicts equal the command
line's (the same files classified in-process with the same engine); the resident
memory of the server's whole process tree, sampled every 100 ms, stays under
``jobs * max_memory + 300 MiB``; ``/healthz`` answers within 2 s throughout; and the
server's output names no uploaded file.

Both runs are ``-m heavy`` (the small one, 16 uploads from 6 clients, takes ~11 s; the
full one, 300 uploads from 20 clients, a few minutes); tests/test_serve_api.py covers the
server in the README's test command.
"""

from __future__ import annotations

import json
import random
import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from classifier.flow import classify
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions

from .conftest import ROOT
from .fixtures.hostile import decompression_bomb_pdf, many_glyphs_pdf, text_pdf
from .serve_support import LiveServer, live_server

JOBS = 2
TIMEOUT_S = 3
MAX_MEMORY_MB = 512
SERVER_ARGS = ("--timeout", str(TIMEOUT_S), "--max-memory", str(MAX_MEMORY_MB))
#: What the command line reads with under the same limits (the server's default engine).
OPTIONS = ReadOptions(timeout_s=TIMEOUT_S, memory_mb=MAX_MEMORY_MB, engine="pdfplumber")
RSS_BUDGET_MIB = JOBS * MAX_MEMORY_MB + 300
HEALTH_WITHIN_S = 2.0
NAME_PREFIX = "load-candidate"  # in every uploaded name: never in the server's output


# -- inputs ---------------------------------------------------------------------------


def distinct_resumes(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` resumes with different text: 12-70 corpus lines of one role (one or two
    pages), each under its own candidate line."""
    lines: dict[str, list[str]] = {"engineer": [], "scientist": []}
    for row in (ROOT / "training_data" / "corpus" / "lines.jsonl").read_text().splitlines():
        obj = json.loads(row)
        lines[obj["label"]].append(obj["text"][:95])
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = random.Random(seed * 100_003 + i)
        role = rng.choice(("engineer", "scientist"))
        body = rng.sample(lines[role], rng.randint(12, min(70, len(lines[role]))))
        path = folder / f"{NAME_PREFIX}-{i:04d}.pdf"
        text_pdf(path, [f"Candidate {i}: {role} profile, variant {rng.randint(0, 10**6)}", *body])
        paths.append(path)
    return paths


def hostile_files(folder: Path, bombs: int, glyph_pages: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [decompression_bomb_pdf(folder / f"{NAME_PREFIX}-bomb-{i}.pdf") for i in range(bombs)]
    glyphs = many_glyphs_pdf(folder / f"{NAME_PREFIX}-glyphs-0.pdf")
    for i in range(1, glyph_pages):
        copy = folder / f"{NAME_PREFIX}-glyphs-{i}.pdf"
        copy.write_bytes(glyphs.read_bytes())
        out.append(copy)
    return [*out, glyphs]


# -- watching the server --------------------------------------------------------------


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        rss[int(entry.name)] = int(fields[21]) * 4096
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total / 1024 / 1024


@dataclass
class Watch:
    """Samples the tree's memory every 100 ms and polls /healthz, until stopped."""

    server: LiveServer
    peak_rss_mib: float = 0.0
    rss_samples: int = 0
    health_answers: int = 0
    slowest_health_s: float = 0.0
    health_failures: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Watch:
        self.threads = [
            threading.Thread(target=self._memory, daemon=True),
            threading.Thread(target=self._health, daemon=True),
            threading.Thread(target=self._drain, daemon=True),
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads[:2]:
            thread.join(timeout=10)

    def _memory(self) -> None:
        while not self.stop.is_set():
            self.peak_rss_mib = max(self.peak_rss_mib, tree_rss_mib(self.server.process.pid))
            self.rss_samples += 1
            self.stop.wait(0.1)

    def _health(self) -> None:
        with httpx.Client(base_url=self.server.url, timeout=HEALTH_WITHIN_S + 3) as client:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    response = client.get("/healthz")
                    elapsed = time.monotonic() - started
                    self.slowest_health_s = max(self.slowest_health_s, elapsed)
                    if response.status_code != 200 or elapsed > HEALTH_WITHIN_S:
                        self.health_failures.append(f"{response.status_code} in {elapsed:.2f} s")
                    self.health_answers += 1
                except httpx.HTTPError as exc:
                    self.health_failures.append(repr(exc))
                self.stop.wait(0.25)

    def _drain(self) -> None:  # the server's stderr, read as it comes (a full pipe blocks it)
        stream = self.server.process.stderr
        assert stream is not None
        for line in stream:
            self.stderr.append(line)


# -- the clients ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    busy: int  # 503s before it


def post_until_answered(client: httpx.Client, path: Path, deadline: float) -> Answer:
    """Upload one file; on 503 wait the advertised Retry-After and send it again."""
    data = path.read_bytes()
    busy = 0
    while True:
        response = client.post("/api/v1/classify",
                               files={"file": (path.name, data, "application/pdf")})  # fmt: skip
        if response.status_code != 503:
            return Answer(response.status_code, response.json(), busy)
        retry_after = response.headers.get("retry-after", "")
        assert retry_after.isdigit(), "503 without a Retry-After"
        busy += 1
        assert time.monotonic() + int(retry_after) < deadline, "out of time retrying"
        time.sleep(int(retry_after))


def run_load(
    tmp_path: Path,
    model: ScoringModel,
    *,
    uploads: int,
    clients: int,
    bombs: int,
    glyph_pages: int,
    time_limit_s: float,
) -> dict[str, Any]:
    """Everything the module docstring says, for one size of load."""
    resumes = distinct_resumes(tmp_path / "resumes", uploads)
    hostile = hostile_files(tmp_path / "hostile", bombs, glyph_pages)
    files = list(resumes)
    for i, path in enumerate(hostile):  # spread through the run, not all at the start
        files.insert((i + 1) * len(files) // (len(hostile) + 1), path)
    with live_server(*SERVER_ARGS, jobs=JOBS) as server, Watch(server) as watch:
        started = time.monotonic()
        deadline = started + time_limit_s
        local = threading.local()

        def one(path: Path) -> Answer:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=server.url, timeout=60)
            return post_until_answered(local.client, path, deadline)

        with ThreadPoolExecutor(clients) as pool:
            futures = [pool.submit(one, path) for path in files]
            answers = {
                path: f.result(timeout=max(1.0, deadline - time.monotonic()))
                for path, f in zip(files, futures, strict=True)
            }
        seconds = time.monotonic() - started
        assert server.process.poll() is None, "the server died"
        assert httpx.get(f"{server.url}/healthz", timeout=5).json()["queued"] == 0
    assert server.process.returncode == 0  # stopped cleanly with Ctrl-C
    watch.threads[2].join(timeout=10)  # the rest of its output

    # every request answered: resumes scored, hostile files refused naming the limit
    for path in hostile:
        answer = answers[path]
        assert answer.status == 422, (path.name, answer)
        error = answer.body["error"]
        assert error.startswith(f"{path.name}: ")
        timeout = f"longer than {TIMEOUT_S} s" in error and "--timeout" in error
        memory = f"{MAX_MEMORY_MB} MB memory cap" in error and "--max-memory" in error
        # a bomb reaches the memory cap first, unless a busy machine makes it slower to
        # inflate than the timeout; a million glyphs are always too slow
        assert timeout or (memory and "bomb" in path.name), error
    # the verdicts are the command line's: the same files, read in-process, same engine
    for path in resumes:
        answer = answers[path]
        assert answer.status == 200, (path.name, answer)
        expected = classify(path, model, OPTIONS)
        assert answer.body["source"] == path.name
        assert answer.body["label"] == expected.label, path.name
        assert answer.body["logit"] == pytest.approx(expected.logit, abs=1e-9), path.name
        assert answer.body["scientist_probability"] == pytest.approx(
            expected.scientist_probability, abs=1e-9
        )
    # memory, health, and the log
    assert watch.rss_samples >= seconds / 0.1 / 3, watch.rss_samples
    assert watch.peak_rss_mib < RSS_BUDGET_MIB, watch.peak_rss_mib
    assert watch.health_answers >= seconds / 0.25 / 3, watch.health_answers
    assert watch.health_failures == [], watch.health_failures
    output = "".join(watch.stderr)
    logged = [line for line in watch.stderr if "classify status=" in line]
    assert len(logged) == len(files), output  # one line per file answered (none per 503)
    assert NAME_PREFIX not in output, output
    return {
        "seconds": seconds,
        "busy": sum(a.busy for a in answers.values()),
        "peak_rss_mib": watch.peak_rss_mib,
        "slowest_health_s": watch.slowest_health_s,
    }


@pytest.mark.heavy
def test_a_small_load_is_answered_with_the_command_lines_verdicts(
    tmp_path: Path, model: ScoringModel
) -> None:
    stats = run_load(tmp_path, model, uploads=16, clients=6, bombs=1, glyph_pages=1,
                     time_limit_s=60)  # fmt: skip
    assert stats["seconds"] < 60
    print(f"\nsmall load: {stats}")


@pytest.mark.heavy
def test_a_full_load_is_answered_with_the_command_lines_verdicts(
    tmp_path: Path, model: ScoringModel
) -> None:
    stats = run_load(tmp_path, model, uploads=300, clients=20, bombs=2, glyph_pages=2,
                     time_limit_s=600)  # fmt: skip
    assert stats["busy"] > 0  # 20 clients over 8 queue slots: the 503 path was taken
    print(f"\nfull load: {stats}")


# -- a chunked upload over the limit, over a real socket ---------------------------------------


def test_a_chunked_upload_over_the_limit_is_cut_off_over_the_network() -> None:
    """No Content-Length: the server answers 413 once the limit has streamed in, and the
    client is stopped long before it has sent the whole body."""
    total, block = 400 * 1024 * 1024, b"x" * (64 * 1024)
    with live_server("--max-size", "5", jobs=1) as server:
        port = int(server.url.rsplit(":", 1)[1])
        sent = 0
        response = b""
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/v1/classify?filename=big.pdf HTTP/1.1\r\n"
                b"Host: 127.0.0.1:%d\r\nContent-Type: application/pdf\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" % port
            )
            deadline = time.monotonic() + 60
            while sent < total and time.monotonic() < deadline:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered (or closed)
                try:
                    sock.sendall(b"%x\r\n" % len(block) + block + b"\r\n")
                except OSError:  # reset or timed out: the server stopped reading
                    break
                sent += len(block)
            try:
                while b"\r\n\r\n" not in response or not response.endswith(b"}"):
                    data = sock.recv(65536)
                    if not data:
                        break
                    response += data
            except OSError:
                pass
        assert response.startswith(b"HTTP/1.1 413"), response[:200]
        assert b"over the 5 MB limit" in response
        assert sent < 64 * 1024 * 1024, sent  # the limit plus socket buffers, not 400 MB
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
