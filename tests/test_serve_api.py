"""The HTTP API in-process (``TestClient``): every status it answers, the same JSON and the
same one-line errors as the command line, and the guards in front of it.

One app (two reader processes, short limits) serves most tests of this file; its
``$TMPDIR`` is a private folder, so that "no temporary file" is checked on a folder
nothing else writes to. Every response of that app goes through a hook that checks the
security headers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from classifier import run_batch
from classifier.config import SERVE_QUEUE_PER_WORKER
from classifier.explain import explain_fully
from classifier.flow import classify
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions
from classifier.render.html import render_html
from classifier.serve import app as app_module
from classifier.serve.app import REPORT_CSP, Settings, create_app
from classifier.serve.pool import ReaderPool
from classifier.serve.security import DEFAULT_CSP

from .conftest import EXAMPLES, FIXTURES, PDF, ROOT
from .fixtures.damaged import truncated_half
from .fixtures.hostile import decompression_bomb_pdf, many_glyphs_pdf, text_pdf

with warnings.catch_warnings():  # Starlette's note about httpx vs httpx2, at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8000"
API = "/api/v1"
#: The limits of the app under test, and the same limits on the command line.
LIMITS = ReadOptions(timeout_s=3.0, memory_mb=200, max_mb=4.0)
CLI_LIMITS = ("--timeout", "3", "--max-memory", "200", "--max-size", "4")
#: Bytes the guard accepts for one resume (the limit plus room for the multipart envelope).
BODY_LIMIT = int(LIMITS.max_mb * 1024 * 1024) + 64 * 1024
CLI_ERROR = "resume-role: error: "


# -- the app under test ------------------------------------------------------------


@dataclass
class Served:
    client: TestClient
    pool: ReaderPool
    tmp: Path  # the app's (and its reader processes') $TMPDIR
    statuses: set[int] = field(default_factory=set)


def _check_security_headers(response: httpx.Response) -> None:
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", response.url
    assert headers.get("referrer-policy") == "no-referrer", response.url
    assert headers.get("content-security-policy"), response.url


def _client(app: Any, statuses: set[int] | None = None) -> TestClient:
    client = TestClient(app, base_url=BASE)

    def hook(response: httpx.Response) -> None:
        _check_security_headers(response)
        if statuses is not None:
            statuses.add(response.status_code)

    client.event_hooks = {"request": [], "response": [hook]}
    return client


@pytest.fixture(scope="module")
def served(model: ScoringModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app with two reader processes, started once for this file (lifespan included)."""
    private_tmp = tmp_path_factory.mktemp("server-tmpdir")
    pools: list[ReaderPool] = []

    class RecordedPool(ReaderPool):  # the app's pool, so that a test can fill its queue
        def __init__(self, model: ScoringModel, jobs: int) -> None:
            super().__init__(model, jobs)
            pools.append(self)

    patch = pytest.MonkeyPatch()
    patch.setenv("TMPDIR", str(private_tmp))  # the reader processes inherit it
    patch.setattr(tempfile, "tempdir", None)  # recomputed from $TMPDIR here
    patch.setattr(app_module, "ReaderPool", RecordedPool)
    statuses: set[int] = set()
    try:
        app = create_app(Settings(model=model, options=LIMITS, jobs=2))
        with _client(app, statuses) as client:
            assert tempfile.gettempdir() == str(private_tmp)
            yield Served(client, pools[0], private_tmp, statuses)
    finally:
        patch.undo()


def upload(
    client: TestClient,
    name: str,
    data: bytes,
    *,
    raw: bool = False,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST one resume: multipart field ``file``, or the raw body with ``?filename=``."""
    if raw:
        return client.post(f"{API}/classify", params={"filename": name, **(params or {})},
                           content=data, headers=headers)  # fmt: skip
    return client.post(f"{API}/classify", params=params, headers=headers,
                       files={"file": (name, data, "application/octet-stream")})  # fmt: skip


# -- what the command line says for the same bytes ---------------------------------


def cli_outcomes(
    folder: Path, names: list[str], model_dir: Path, *extra: str
) -> dict[str, tuple[str, Any]]:
    """``classify NAME... --json`` run in ``folder`` (so ``source`` is the bare name):
    name -> ("ok", its JSON) or ("error", the message after ``resume-role: error:``)."""
    assert len(names) > 1, "one JSON object per line needs several files"
    proc = subprocess.run(
        [sys.executable, "-m", "classifier", "classify", *names, "--json",
         "--model", str(model_dir), *CLI_LIMITS, *extra],
        cwd=folder, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    out: dict[str, tuple[str, Any]] = {}
    for line in proc.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            out[obj["source"]] = ("ok", obj)
    for line in proc.stderr.splitlines():
        if line.startswith(CLI_ERROR):
            message = line[len(CLI_ERROR) :]
            name = next(n for n in names if message.startswith(f"{n}: "))
            out[name] = ("error", message)
    assert sorted(out) == sorted(names), proc.stderr
    return out


def assert_same(got: Any, want: Any, where: str = "$") -> None:
    """Equal JSON, floats to 1e-9, every key and every list item."""
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, int | float) and not isinstance(got, bool), where
        assert got == pytest.approx(want, abs=1e-9), where
    elif isinstance(want, dict):
        assert isinstance(got, dict), where
        assert sorted(got) == sorted(want), where
        for key in want:
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]")
    else:
        assert got == want, where


def _corpus() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {"engineer": [], "scientist": []}
    for row in (ROOT / "training_data" / "corpus" / "lines.jsonl").read_text().splitlines():
        obj = json.loads(row)
        lines[obj["label"]].append(obj["text"][:95])
    return lines


def resume_lines(i: int) -> list[str]:
    """A distinct resume's lines: a dozen corpus lines of one role, chosen by ``i``."""
    import random

    lines = _corpus()["engineer" if i % 2 == 0 else "scientist"]
    return [f"Candidate {i}", *random.Random(i).sample(lines, 12)]


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


#: Uploads the server must refuse with 422 (never 500): damaged, encrypted, scanned
#: (without OCR), not a PDF, empty, an unsupported type, an image without OCR.
MUST_FAIL = {"truncated.pdf", "half.pdf", "encrypted.pdf", "scanned.pdf", "not_a_pdf.pdf",
             "empty.pdf", "notes.toml", "photo.png"}  # fmt: skip


def parity_files(folder: Path) -> dict[str, bytes]:
    """Resumes that read (PDF, Word, text, Markdown) and files that cannot be read."""
    copies = {
        "engineer.pdf": EXAMPLES / "engineer_resume.pdf",
        "scientist.pdf": EXAMPLES / "scientist_resume.pdf",
        "two_column.pdf": PDF / "two_column.pdf",
        "multipage.pdf": PDF / "multipage.pdf",
        "ligature.pdf": PDF / "ligature.pdf",
        "engineer.txt": EXAMPLES / "engineer_resume.txt",
        "sample.md": FIXTURES / "text" / "sample.md",
        "table.docx": FIXTURES / "docx" / "scientist_table.docx",
        "truncated.pdf": PDF / "truncated.pdf",
        "encrypted.pdf": PDF / "encrypted.pdf",
        "scanned.pdf": PDF / "scanned.pdf",
        "not_a_pdf.pdf": PDF / "not_a_pdf.pdf",
        "empty.pdf": PDF / "empty.pdf",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in copies.items():
        shutil.copy(source, folder / name)
    damaged = truncated_half((EXAMPLES / "engineer_resume.pdf").read_bytes())
    (folder / "half.pdf").write_bytes(damaged)
    (folder / "notes.toml").write_text('title = "resume"\n')
    (folder / "photo.png").write_bytes(_png())
    text_pdf(folder / "generated.pdf", resume_lines(1))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- 200 and 422: the command line's answers ----------------------------------------


def test_classify_answers_exactly_what_the_command_line_prints(
    served: Served, tmp_path: Path, bundled_model_copy: Path
) -> None:
    files = parity_files(tmp_path / "files")
    expected = cli_outcomes(tmp_path / "files", sorted(files), bundled_model_copy)
    failing = {name for name, (kind, _) in expected.items() if kind == "error"}
    assert failing >= MUST_FAIL and len(failing) < len(files) - 5
    requests = [(name, raw) for name in sorted(files) for raw in (False, True)]
    with ThreadPoolExecutor(4) as ex:  # two reader processes busy, others queued
        responses = list(ex.map(lambda r: upload(served.client, r[0], files[r[0]], raw=r[1]),
                                requests))  # fmt: skip
    for (name, raw), response in zip(requests, responses, strict=True):
        kind, want = expected[name]
        where = f"{name} ({'raw body' if raw else 'multipart'})"
        if kind == "ok":
            assert response.status_code == 200, (where, response.text)
            assert response.headers["content-type"] == "application/json"
            assert response.json()["source"] == name
            assert_same(response.json(), want, where)
        else:
            assert response.status_code == 422, (where, response.text)
            assert response.json() == {"error": want}, where
            assert "\n" not in want


def test_engine_and_toward_are_the_command_line_options(
    served: Served, tmp_path: Path, bundled_model_copy: Path
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    text_pdf(folder / "a.pdf", resume_lines(2))
    text_pdf(folder / "b.pdf", resume_lines(3))
    names = ["a.pdf", "b.pdf"]
    expected = cli_outcomes(folder, names, bundled_model_copy,
                            "--engine", "pdfium", "--toward", "scientist")  # fmt: skip
    for name in names:
        response = upload(served.client, name, (folder / name).read_bytes(),
                          params={"engine": "pdfium", "toward": "scientist"})  # fmt: skip
        assert response.status_code == 200, response.text
        assert response.json()["engine"] == "pdfium"
        assert_same(response.json(), expected[name][1], name)


def test_source_is_the_uploaded_name_without_folders_or_control_characters(
    served: Served,
) -> None:
    text = b"Machine learning engineer: Kubernetes, Docker, MLflow, model serving, Airflow."
    for given, source in [
        ("../../etc/cv.txt", "cv.txt"),
        ("C:\\Users\\ada\\Desktop\\cv.txt", "cv.txt"),
        ("line\nbreak\x00.txt", "line_break_.txt"),
    ]:
        response = upload(served.client, given, text, raw=True)
        assert response.status_code == 200, response.text
        assert response.json()["source"] == source


def test_bad_requests_get_400_with_one_line(served: Served) -> None:
    c = served.client
    pdf = (EXAMPLES / "engineer_resume.pdf").read_bytes()
    cases = [
        upload(c, "cv.pdf", pdf, params={"toward": "manager"}),
        upload(c, "cv.pdf", pdf, params={"engine": "ghostscript"}),
        c.post(f"{API}/classify", files={"resume": ("cv.pdf", pdf)}),  # wrong field
        c.post(f"{API}/classify", content=pdf),  # raw body without ?filename=
        c.post(f"{API}/batches", content=pdf),  # not multipart
        c.post(f"{API}/batches", files={"file": ("cv.pdf", pdf)}),  # no field 'files'
    ]
    for response in cases:
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error and "\n" not in error


def test_model_and_health(served: Served, model: ScoringModel) -> None:
    health = served.client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "workers": 2, "queued": 0}
    info = served.client.get(f"{API}/model").json()
    assert info["sha256"] == model.sha256 and info["features"] == len(model.terms)


def test_docs_describe_every_route_without_loading_anything(served: Served) -> None:
    spec = served.client.get("/openapi.json").json()
    page = served.client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "<script" not in page.text and "http://" not in page.text and "https://" not in page.text
    for path, operations in spec["paths"].items():
        assert f"<code>{path}</code>" in page.text
        for method in operations:
            assert method.upper() in page.text
    assert "POST</span> <code>/api/v1/classify</code>" in page.text


# -- 413: over the size limit, with and without a Content-Length -----------------------


def test_an_oversized_upload_gets_413_with_or_without_a_content_length(served: Served) -> None:
    c = served.client
    big = b"%PDF-1.4\n" + b"x" * BODY_LIMIT
    chunk = b"x" * (64 * 1024)

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding: chunked
        for _ in range(2 * BODY_LIMIT // len(chunk)):
            yield chunk

    for response in [
        upload(c, "big.pdf", big, raw=True),
        upload(c, "big.pdf", big),
        c.post(f"{API}/classify", params={"filename": "big.pdf"}, content=chunks()),
    ]:
        assert response.status_code == 413, response.text
        assert response.json() == {
            "error": "the upload is over the 4 MB limit; raise it with serve --max-size"
        }
    # and the server goes on serving
    ok = upload(c, "cv.pdf", (EXAMPLES / "engineer_resume.pdf").read_bytes())
    assert ok.status_code == 200


def test_a_streamed_upload_is_refused_before_it_is_all_read(model: ScoringModel) -> None:
    """Driven through httpx's ASGI transport, which hands the body to the app chunk by
    chunk as the generator yields it (TestClient reads a generator whole first): the
    generator counts what the server pulled before it answered 413."""
    app = create_app(Settings(model=model, options=LIMITS, jobs=1))  # the guard answers first
    total, block = 64 * 1024 * 1024, 64 * 1024
    boundary = "resume-boundary-1234"

    async def post(multipart: bool, declared: bool) -> tuple[httpx.Response, int]:
        pulled = 0

        async def body() -> AsyncIterator[bytes]:
            nonlocal pulled
            if multipart:
                head = (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                    'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                pulled += len(head)
                yield head
            data = b"%PDF-1.4 " + b"x" * (block - 9)
            while pulled < total:
                pulled += len(data)
                yield data

        headers = {"content-type": f"multipart/form-data; boundary={boundary}"} if multipart else {}
        if declared:
            headers["content-length"] = str(total)
        params = {} if multipart else {"filename": "big.pdf"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            response = await client.post(f"{API}/classify", params=params, content=body(),
                                         headers=headers)  # fmt: skip
        return response, pulled

    for multipart in (False, True):
        response, pulled = asyncio.run(post(multipart, declared=False))
        assert response.status_code == 413, response.text
        _check_security_headers(response)
        assert pulled <= BODY_LIMIT + 2 * block, pulled  # stopped at the limit
        assert pulled < total / 10
        response, pulled = asyncio.run(post(multipart, declared=True))
        assert response.status_code == 413
        assert pulled == 0  # refused from the Content-Length alone, nothing read


# -- 503: the queue is full --------------------------------------------------------------


def test_a_full_queue_gets_503_with_retry_after_then_a_retry_succeeds(served: Served) -> None:
    pool, c = served.pool, served.client
    pdf = (EXAMPLES / "engineer_resume.pdf").read_bytes()
    taken = 0
    while pool.try_reserve():  # every slot, as if that many files were queued
        taken += 1
    try:
        assert taken == pool.capacity == 2 * SERVE_QUEUE_PER_WORKER
        assert c.get("/healthz").json()["queued"] == pool.capacity
        busy = upload(c, "cv.pdf", pdf)
        assert busy.status_code == 503, busy.text
        assert "busy" in busy.json()["error"]
        retry_after = busy.headers["retry-after"]
        assert retry_after.isdigit() and 1 <= int(retry_after) <= 60
    finally:
        for _ in range(taken):
            pool.release()
    time.sleep(int(retry_after))
    again = upload(c, "cv.pdf", pdf)
    assert again.status_code == 200, again.text
    assert pool.pending == 0  # the refused request took no slot


# -- batches --------------------------------------------------------------------------


def _wait_for_batch(client: TestClient, url: str, timeout_s: float = 90.0) -> dict[str, Any]:
    """Poll a batch until it is done; the rows come in order, each once."""
    deadline = time.monotonic() + timeout_s
    rows: list[dict[str, Any]] = []
    while True:
        summary = client.get(url, params={"since": len(rows)}).json()
        assert [r["index"] for r in summary["rows"]] == list(range(len(rows), summary["done"]))
        rows += summary["rows"]
        if summary["status"] == "done":
            break
        assert time.monotonic() < deadline, "the batch did not finish in time"
        time.sleep(0.1)
    full = client.get(url).json()
    assert full["rows"] == rows and full["done"] == full["files"] == len(rows)
    return full


def test_a_batch_gives_the_rows_of_run_batch_and_its_reports(
    served: Served, tmp_path: Path, model: ScoringModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = served.client
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(4):
        text_pdf(folder / f"resume-{i}.pdf", resume_lines(10 + i))
    shutil.copy(EXAMPLES / "engineer_resume.txt", folder / "engineer.txt")
    shutil.copy(PDF / "truncated.pdf", folder / "broken.pdf")
    (folder / "notes.toml").write_text('title = "not a resume"\n')
    # the same bytes under other names: read once, as batch does (duplicate_of the first)
    shutil.copy(folder / "resume-1.pdf", folder / "a-copy.pdf")
    shutil.copy(PDF / "truncated.pdf", folder / "broken-copy.pdf")
    names = sorted(p.name for p in folder.iterdir())

    created = c.post(f"{API}/batches", files=[
        ("files", (name, (folder / name).read_bytes(), "application/octet-stream"))
        for name in names
    ])  # fmt: skip
    assert created.status_code == 202, created.text
    batch = created.json()
    assert batch["files"] == len(names)
    assert batch["status_url"] == f"{API}/batches/{batch['id']}"
    summary = _wait_for_batch(c, batch["status_url"])

    rows = {r["source"]: r for r in summary["rows"]}
    assert sorted(rows) == names
    assert rows["resume-1.pdf"]["duplicate_of"] == "a-copy.pdf"
    assert rows["broken.pdf"]["duplicate_of"] == "broken-copy.pdf"
    assert "broken.pdf" in rows["broken.pdf"]["error"]  # its own name, not the first's
    assert rows["resume-1.pdf"]["report"] is not None  # a copy has the report too
    assert rows["broken.pdf"]["status"] == "error" and rows["broken.pdf"]["report"] is None
    assert rows["notes.toml"]["status"] == "skipped" and rows["notes.toml"]["report"] is None
    counts = {"engineer": 0, "scientist": 0, "undetermined": 0, "failed": 0, "skipped": 0}
    for row in rows.values():
        key = {"ok": row["label"], "skipped": "skipped"}.get(row["status"], "failed")
        counts[key] += 1
    assert summary["counts"] == counts and sum(counts.values()) == len(names)

    # rows.jsonl and rows.csv: byte for byte what `batch -o` writes for the same files
    # (run in the folder, so that its error messages name a file as the server does: by
    # the bare name, never a path on the server)
    monkeypatch.chdir(folder)
    for fmt, media in (("jsonl", "application/x-ndjson"), ("csv", "text/csv")):
        expected_path = tmp_path / f"expected.{fmt}"
        run_batch(Path("."), model, output=expected_path, fmt=fmt, options=LIMITS)
        got = c.get(f"{batch['status_url']}/rows.{fmt}")
        assert got.status_code == 200 and got.headers["content-type"].startswith(media)
        assert got.headers["content-disposition"] == f'attachment; filename="rows.{fmt}"'
        assert got.content == expected_path.read_bytes()

    # a scored row's report: the page `classify --html` writes, toward either role
    row = rows["resume-0.pdf"]
    result = classify("resume-0.pdf", model, LIMITS)
    for toward in (None, "engineer", "scientist"):
        report = c.get(row["report"], params={"toward": toward} if toward else None)
        assert report.status_code == 200
        assert report.headers["content-type"].startswith("text/html")
        assert report.headers["content-security-policy"] == REPORT_CSP
        assert report.text == render_html(explain_fully(result, model, toward))
    assert c.get(row["report"], params={"toward": "manager"}).status_code == 400
    failed_index = rows["broken.pdf"]["index"]
    assert c.get(f"{batch['status_url']}/reports/{failed_index}").status_code == 404

    # DELETE: gone, then 404 everywhere
    assert c.delete(batch["status_url"]).status_code == 204
    for path in ("", "/rows.csv", "/rows.jsonl", "/reports/0"):
        assert c.get(batch["status_url"] + path).status_code == 404
    assert c.delete(batch["status_url"]).status_code == 404


def test_unknown_batch_ids_get_404(served: Served) -> None:
    c = served.client
    for path in ("nope", "nope/rows.csv", "nope/rows.jsonl", "nope/reports/0"):
        response = c.get(f"{API}/batches/{path}")
        assert response.status_code == 404
        assert "no batch 'nope'" in response.json()["error"]
    assert c.delete(f"{API}/batches/nope").status_code == 404


# -- Host, CSRF, token, headers ------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]", "[::1]:8000",
     "LOCALHOST:8000"],
)  # fmt: skip
def test_loopback_host_names_pass(served: Served, host: str) -> None:
    assert served.client.get("/healthz", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "localhost:9999", "127.0.0.1.evil.example",
     "127.0.0.2", "[::2]:8000", "0.0.0.0:8000"],
)  # fmt: skip
def test_other_host_names_get_400(served: Served, host: str) -> None:
    for response in (
        served.client.get("/healthz", headers={"host": host}),
        served.client.get("/", headers={"host": host}),
        upload(served.client, "cv.txt", b"ML engineer", raw=True, headers={"host": host}),
    ):
        assert response.status_code == 400
        assert "unknown Host header" in response.json()["error"]


def test_a_non_loopback_bind_answers_its_address_and_allowed_hosts(model: ScoringModel) -> None:
    settings = Settings(model=model, options=LIMITS, jobs=1, host="192.0.2.10", port=8000,
                        token="t0ken", allowed_hosts=("Resumes.Example.org",))  # fmt: skip
    client = _client(create_app(settings))  # no lifespan: these routes need no reader
    auth = {"authorization": "Bearer t0ken"}
    for host in (
        "192.0.2.10",
        "192.0.2.10:8000",
        "resumes.example.org",
        "Resumes.example.org:8000",
    ):
        assert client.get("/healthz", headers={"host": host}).status_code == 200, host
        assert client.get(f"{API}/model", headers={"host": host, **auth}).status_code == 200
    for host in ("evil.example", "localhost", "127.0.0.1", "192.0.2.10:9999"):
        assert client.get("/healthz", headers={"host": host}).status_code == 400, host


def test_cross_site_posts_get_403_same_origin_and_header_less_pass(served: Served) -> None:
    c = served.client
    text = b"Machine learning engineer: Kubernetes, Docker, MLflow, model serving."
    refused = [
        {"origin": "http://evil.example"},
        {"origin": "http://127.0.0.1:9999"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "cross-site"},
    ]
    for headers in refused:
        for response in (
            upload(c, "cv.txt", text, raw=True, headers=headers),
            c.post(f"{API}/batches", files={"files": ("cv.txt", text)}, headers=headers),
            c.delete(f"{API}/batches/anything", headers=headers),
        ):
            assert response.status_code == 403, headers
            assert "cross-site" in response.json()["error"]
    allowed = [
        {},
        {"origin": "http://127.0.0.1:8000"},
        {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
    ]
    for headers in allowed:
        assert upload(c, "cv.txt", text, raw=True, headers=headers).status_code == 200, headers
    # reading is not a state change: GETs pass whatever the origin (no CORS headers given)
    response = c.get("/healthz", headers={"origin": "http://evil.example"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


def test_the_token_guards_the_api_but_not_the_page_shell(model: ScoringModel) -> None:
    settings = Settings(model=model, options=LIMITS, jobs=1, token="s3cret-t0ken")
    text = b"Machine learning engineer: Kubernetes, Docker, MLflow, model serving."
    with _client(create_app(settings)) as c:
        for path in ("/", "/model", "/healthz"):
            assert c.get(path).status_code == 200, path
        for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "s3cret-t0ken"}):
            for response in (
                upload(c, "cv.txt", text, raw=True, headers=headers),
                c.get(f"{API}/model", headers=headers),
                c.get(f"{API}/batches/x", headers=headers),
                c.get("/openapi.json", headers=headers),
            ):
                assert response.status_code == 401, (headers, response.url)
                assert "token" in response.json()["error"]
        auth = {"authorization": "Bearer s3cret-t0ken"}
        assert upload(c, "cv.txt", text, raw=True, headers=auth).status_code == 200
        assert c.get(f"{API}/model", headers=auth).status_code == 200


def test_every_status_carries_the_security_headers(served: Served) -> None:
    """One response of each status (the hook checks every response of this file too)."""
    c = served.client
    text = b"Machine learning engineer: Kubernetes, Docker, MLflow, model serving."
    page = c.get("/")
    assert page.status_code == 200 and "default-src" in page.headers["content-security-policy"]
    responses = {
        200: upload(c, "cv.txt", text, raw=True),
        400: c.get("/healthz", headers={"host": "evil.example"}),
        403: upload(c, "cv.txt", text, raw=True, headers={"origin": "http://evil.example"}),
        404: c.get(f"{API}/batches/nope"),
        405: c.put(f"{API}/classify"),
        413: upload(c, "big.pdf", b"x" * (BODY_LIMIT + 1), raw=True),
        422: upload(c, "empty.pdf", b"", raw=True),
    }
    created = c.post(f"{API}/batches", files={"files": ("cv.txt", text)})
    responses[202] = created
    _wait_for_batch(c, created.json()["status_url"])
    responses[204] = c.delete(created.json()["status_url"])
    while served.pool.try_reserve():
        pass
    try:
        responses[503] = upload(c, "cv.txt", text, raw=True)
    finally:
        for _ in range(served.pool.capacity):
            served.pool.release()
    for status, response in responses.items():
        assert response.status_code == status, (status, response.text)
        _check_security_headers(response)
        if status != 204:
            assert response.headers["content-security-policy"] == DEFAULT_CSP
    assert {200, 202, 204, 400, 403, 404, 413, 422, 503} <= served.statuses


# -- nothing on disk, nothing named in the log ----------------------------------------------


def test_no_temporary_files_and_uploads_stay_in_memory(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = served.client
    disk: list[str] = []

    def recording(name: str) -> Any:
        real = getattr(tempfile, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            disk.append(name)
            return real(*args, **kwargs)

        return wrapper

    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, recording(name))
    before = sorted(os.listdir(tempfile.gettempdir()))
    # 3 MB: past Starlette's default 1 MB in-memory spool, under the 4 MB limit
    padded = tmp_path / "padded.pdf"
    text_pdf(padded, resume_lines(4))
    data = padded.read_bytes() + b"%" + b"x" * (3 * 1024 * 1024) + b"\n"
    assert upload(c, "padded.pdf", data).status_code == 200
    assert upload(c, "padded.pdf", data, raw=True).status_code == 200
    assert upload(c, "empty.pdf", b"").status_code == 422
    assert upload(c, "big.pdf", b"x" * (BODY_LIMIT + 1)).status_code == 413
    created = c.post(f"{API}/batches", files=[("files", ("a.pdf", data)),
                                              ("files", ("b.txt", b"ML engineer"))])  # fmt: skip
    _wait_for_batch(c, created.json()["status_url"])
    assert c.get(created.json()["status_url"] + "/rows.csv").status_code == 200
    assert disk == []  # no upload was spooled to a file
    assert sorted(os.listdir(tempfile.gettempdir())) == before == []


def test_log_lines_never_name_the_file(served: Served, caplog: pytest.LogCaptureFixture) -> None:
    c = served.client
    secret = "Ada-Lovelace"
    pdf = (EXAMPLES / "engineer_resume.pdf").read_bytes()
    with caplog.at_level(logging.DEBUG, logger="resume_role"):
        assert upload(c, f"{secret}.pdf", pdf).status_code == 200
        assert upload(c, f"{secret}.pdf", pdf, raw=True).status_code == 200
        assert upload(c, f"{secret}-broken.pdf", b"%PDF-1.4 broken").status_code == 422
        assert upload(c, f"{secret}.toml", b"x = 1").status_code == 422
        created = c.post(f"{API}/batches", files=[("files", (f"{secret}-{i}.pdf", pdf[: 2000 * i]))
                                                  for i in range(1, 3)])  # fmt: skip
        _wait_for_batch(c, created.json()["status_url"])
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("resume_role")]
    assert sum(line.startswith("classify status=") for line in lines) == 4, lines
    assert any(line.startswith("batch files=2") for line in lines), lines
    for record in caplog.records:  # every record, ours or a library's
        assert secret not in record.getMessage(), record.getMessage()


# -- hostile uploads -------------------------------------------------------------------------


def test_hostile_uploads_get_422_naming_the_limit_while_others_are_served(
    served: Served, tmp_path: Path
) -> None:
    c = served.client
    bomb = decompression_bomb_pdf(tmp_path / "bomb.pdf").read_bytes()  # 1 MB -> 1 GiB
    glyphs = many_glyphs_pdf(tmp_path / "glyphs.pdf").read_bytes()  # a million glyphs
    pdf = (EXAMPLES / "scientist_resume.pdf").read_bytes()
    hostile: dict[str, httpx.Response] = {}

    def send_hostile() -> None:
        hostile["glyphs.pdf"] = upload(c, "glyphs.pdf", glyphs)
        hostile["bomb.pdf"] = upload(c, "bomb.pdf", bomb)

    thread = threading.Thread(target=send_hostile)
    thread.start()
    served_meanwhile = 0
    deadline = time.monotonic() + 60
    while thread.is_alive() and time.monotonic() < deadline:
        started = time.monotonic()
        assert c.get("/healthz").status_code == 200
        assert time.monotonic() - started < 2.0
        assert upload(c, "cv.pdf", pdf).status_code == 200
        served_meanwhile += 1
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert served_meanwhile >= 2  # the other reader kept answering
    slow, big = hostile["glyphs.pdf"], hostile["bomb.pdf"]
    assert slow.status_code == 422, slow.text
    assert slow.json()["error"].startswith("glyphs.pdf: reading took longer than 3 s")
    assert "--timeout" in slow.json()["error"]
    assert big.status_code == 422, big.text
    assert big.json()["error"].startswith("bomb.pdf: ")
    assert "200 MB memory cap" in big.json()["error"] and "--max-memory" in big.json()["error"]
    assert upload(c, "cv.pdf", pdf).status_code == 200


# -- starting the server ------------------------------------------------------------------------


def test_serve_on_all_interfaces_without_a_token_refuses_to_start() -> None:
    from classifier.config import SERVE_TOKEN_ENV

    from .serve_support import free_port

    env = {k: v for k, v in os.environ.items() if k != SERVE_TOKEN_ENV}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "classifier", "serve", "--host", "0.0.0.0",
         "--port", str(free_port())],
        capture_output=True, text=True, timeout=60, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("resume-role: error: binding 0.0.0.0 exposes the server")
    assert "--token" in lines[0] and SERVE_TOKEN_ENV in lines[0]
    assert proc.stdout == ""
