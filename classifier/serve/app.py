"""The local web page and the HTTP API (FastAPI), behind :mod:`~classifier.serve.security`.

Handlers are thin: parse the upload, hand the bytes to the reader pool, return the same
JSON as ``classify --json`` or a batch's rows, and map a file that cannot be read to a
422 with the command line's one-line message. Parsing never runs on the event loop.
OpenAPI documentation: the schema at ``/openapi.json`` and a page rendered from it at
``/docs`` (:mod:`~classifier.serve.docs`; no script, so it works offline, unlike the
Swagger UI FastAPI would serve from a CDN).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser

from classifier.batch.rows import rows_text
from classifier.config import (
    ENGINES,
    LABELS,
    SERVE_LOOPBACK_HOSTS,
    SERVE_MAX_BATCH_FILES,
    SERVE_MAX_BATCH_MB,
    SERVE_RETRY_AFTER_S,
)
from classifier.errors import ClassifierError
from classifier.model.scoring import ScoringModel
from classifier.read.dispatch import engine_for, skip_reason
from classifier.read.guard import ReadOptions, check_options
from classifier.render.json import row_from_dict
from classifier.results import Row
from classifier.serve.batches import DONE, Batch, BatchStore
from classifier.serve.docs import api_docs_html
from classifier.serve.pool import Job, ReaderPool
from classifier.serve.security import Guard, Policy, is_loopback

log = logging.getLogger("resume_role.serve")

API_VERSION = "v1"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
#: The report page's own policy: it has no script, only inline styles.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@dataclass(frozen=True)
class Settings:
    """How ``resume-role serve`` was started."""

    model: ScoringModel
    options: ReadOptions
    jobs: int
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    card: dict[str, Any] | None = None


class ApiError(Exception):
    """A request the API answers with ``status`` and ``{"error": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def create_app(settings: Settings) -> Guard:
    """The ASGI application: the FastAPI app wrapped in the guard (hosts, CSRF, token, size)."""
    pool_holder: dict[str, ReaderPool] = {}
    store = BatchStore()
    tasks: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool = ReaderPool(settings.model, settings.jobs)
        await asyncio.get_running_loop().run_in_executor(None, pool.warm_up)
        pool_holder["pool"] = pool
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            pool.close()

    app = FastAPI(
        title="resume-role",
        version=API_VERSION,
        description="Does a resume lean toward the ML Engineer or the ML Scientist role, and "
        "why? Every upload is read under the same limits as the command line and scored by "
        "the same code; nothing leaves this machine.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    # Uploads stay in memory up to the size limit (no temporary files on disk).
    MultiPartParser.spool_max_size = int(settings.options.max_mb * 1024 * 1024) + 1

    def pool() -> ReaderPool:
        return pool_holder["pool"]

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=exc.headers)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return _page_response()

    @app.get("/model", response_class=HTMLResponse, include_in_schema=False)
    async def model_page() -> HTMLResponse:
        return _page_response()

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(
            api_docs_html(app.openapi()), headers={"Content-Security-Policy": REPORT_CSP}
        )

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        """Liveness: the reader workers and the queue."""
        p = pool_holder.get("pool")
        return {"status": "ok", "workers": settings.jobs, "queued": p.pending if p else 0}

    @app.get(f"/api/{API_VERSION}/model")
    async def model_info() -> dict[str, Any]:
        """The model in use: its scoring file's sha256, its features and its card."""
        return {
            "sha256": settings.model.sha256,
            "features": len(settings.model.terms),
            "card": settings.card or {},
        }

    @app.post(f"/api/{API_VERSION}/classify")
    async def classify(
        request: Request,
        filename: str | None = Query(None, description="the file name, for a raw body"),
        toward: str | None = Query(None, description="engineer or scientist: advice toward"),
        engine: str | None = Query(None, description="PDF engine: pdfplumber or pdfium"),
        ocr: bool = Query(False, description="read scans and images with Tesseract"),
    ) -> JSONResponse:
        """One resume (multipart field ``file``, or the raw body with ``filename``) -> the
        ``classify --json`` object. 422 when the file cannot be read, 413 over the size
        limit, 503 with Retry-After when the queue is full."""
        started = time.perf_counter()
        options = _options(settings.options, engine, ocr)
        _check_toward(toward)
        name, data = await _one_upload(request, filename)
        if not pool().try_reserve():
            raise ApiError(
                503,
                "the server is busy reading other files; retry in a moment",
                {"Retry-After": str(SERVE_RETRY_AFTER_S)},
            )
        out = await pool().run(Job(data, name, options, toward))
        status = 200 if "ok" in out else 422
        log.info(
            "classify status=%d bytes=%d ms=%.0f sha256=%s",
            status,
            len(data),
            1000 * (time.perf_counter() - started),
            hashlib.sha256(data).hexdigest()[:12],
        )
        return JSONResponse(out["ok"] if status == 200 else {"error": out["error"]}, status)

    @app.post(f"/api/{API_VERSION}/batches", status_code=202)
    async def new_batch(
        request: Request,
        engine: str | None = Query(None, description="PDF engine: pdfplumber or pdfium"),
        ocr: bool = Query(False, description="read scans and images with Tesseract"),
    ) -> dict[str, Any]:
        """Many resumes (multipart field ``files``) -> 202 and the batch id; rows arrive as
        files finish at ``GET /api/v1/batches/{id}``."""
        options = _options(settings.options, engine, ocr)
        uploads = await _many_uploads(request)
        batch = store.new(len(uploads))
        task = asyncio.create_task(_score_batch(batch, uploads, options, pool()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        log.info("batch files=%d bytes=%d", len(uploads), sum(len(d) for _, d in uploads))
        return {"id": batch.id, "files": batch.files, "status_url": _batch_url(batch)}

    @app.get(f"/api/{API_VERSION}/batches/{{batch_id}}")
    async def batch_status(batch_id: str, since: int = Query(0, ge=0)) -> dict[str, Any]:
        """Status, counts per outcome and the rows so far (from index ``since``)."""
        return _batch(store, batch_id).summary(since)

    @app.get(f"/api/{API_VERSION}/batches/{{batch_id}}/rows.jsonl")
    async def batch_jsonl(batch_id: str) -> Response:
        """The rows as JSON Lines, as ``batch -o rows.jsonl`` writes them (sorted by file)."""
        rows = _rows(_batch(store, batch_id))
        return Response(
            rows_text(rows, "jsonl"),
            media_type="application/x-ndjson",
            headers=_download("rows.jsonl"),
        )

    @app.get(f"/api/{API_VERSION}/batches/{{batch_id}}/rows.csv")
    async def batch_csv(batch_id: str) -> Response:
        """The rows as CSV, as ``batch -o rows.csv`` writes them (the same cells)."""
        rows = _rows(_batch(store, batch_id))
        return Response(
            rows_text(rows, "csv"),
            media_type="text/csv; charset=utf-8",
            headers=_download("rows.csv"),
        )

    @app.get(f"/api/{API_VERSION}/batches/{{batch_id}}/reports/{{index}}")
    async def batch_report(
        batch_id: str, index: int, toward: str | None = Query(None)
    ) -> HTMLResponse:
        """A scored file's report: the page ``classify --html`` writes (``toward`` switches
        the advice)."""
        _check_toward(toward)
        reports = _batch(store, batch_id).reports.get(index)
        if reports is None:
            raise ApiError(404, f"no report for row {index}: the file was not scored")
        return HTMLResponse(
            reports[toward or "default"], headers={"Content-Security-Policy": REPORT_CSP}
        )

    @app.delete(f"/api/{API_VERSION}/batches/{{batch_id}}", status_code=204)
    async def delete_batch(batch_id: str) -> Response:
        """Forget a batch: its rows and reports are dropped from memory."""
        if not store.delete(batch_id):
            raise ApiError(404, f"no batch {batch_id!r}: it was deleted or has expired")
        return Response(status_code=204)

    policy = Policy(
        hosts=_allowed_hosts(settings),
        port=settings.port,
        token=settings.token,
        max_body=int(settings.options.max_mb * 1024 * 1024) + _ENVELOPE,
        max_batch_body=SERVE_MAX_BATCH_MB * 1024 * 1024,
    )
    return Guard(app, policy)


# -- helpers ---------------------------------------------------------------------


def _page_response() -> HTMLResponse:
    from classifier.serve.page import page_csp, render_page

    return HTMLResponse(render_page(), headers={"Content-Security-Policy": page_csp()})


def _allowed_hosts(settings: Settings) -> frozenset[str]:
    loopback = is_loopback(settings.host)
    names = set(SERVE_LOOPBACK_HOSTS) if loopback else {settings.host.lower()}
    names.update(h.lower() for h in settings.allowed_hosts)
    return frozenset(names)


#: Room for the multipart envelope around a file at the size limit.
_ENVELOPE = 64 * 1024


def _options(base: ReadOptions, engine: str | None, ocr: bool) -> ReadOptions:
    options = replace(base, engine=engine or base.engine, ocr=ocr or base.ocr)
    try:
        check_options(options)
    except ClassifierError as exc:
        raise ApiError(400, str(exc)) from exc
    return options


def _check_toward(toward: str | None) -> None:
    if toward is not None and toward not in LABELS:
        raise ApiError(400, f"toward must be one of {', '.join(LABELS)}, not {toward!r}")


def _clean_name(raw: str | None) -> str:
    """The uploaded file's own name: no folders, no control characters, never empty."""
    name = raw or ""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _UNSAFE_NAME.sub("_", name).strip() or "upload"
    return name[:200]


async def _one_upload(request: Request, filename: str | None) -> tuple[str, bytes]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(400, "send the resume in the multipart field 'file'")
            return _clean_name(filename or upload.filename), await upload.read()
    if not filename:
        raise ApiError(400, "send the resume as multipart field 'file', or the raw body "
                       "with ?filename=resume.pdf")  # fmt: skip
    return _clean_name(filename), await request.body()


async def _many_uploads(request: Request) -> list[tuple[str, bytes]]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "send the resumes in the multipart field 'files'")
    async with request.form(max_files=SERVE_MAX_BATCH_FILES, max_fields=10) as form:
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile)]
        if not uploads:
            raise ApiError(400, "send one or more resumes in the multipart field 'files'")
        return [(_clean_name(u.filename), await u.read()) for u in uploads]


async def _score_batch(
    batch: Batch, uploads: list[tuple[str, bytes]], options: ReadOptions, pool: ReaderPool
) -> None:
    """Feed a batch's files to the pool as slots free up; rows arrive as files finish.

    As in ``batch``: a file of a type not read gets a skipped row, and files with the same
    bytes are read once, the others' rows marked ``duplicate_of`` the first.
    """
    from classifier.batch.plan import Task
    from classifier.batch.worker import with_copies
    from classifier.render.json import row_dict

    sha = {name: hashlib.sha256(data).hexdigest() for name, data in uploads}
    pending: set[asyncio.Task[None]] = set()

    async def one(name: str, data: bytes, copies: tuple[str, ...]) -> None:
        try:
            out = await pool.run(Job(data, name, options, batch=True, sha256=sha[name]))
        except Exception as exc:  # a worker lost twice: the row says so, the batch goes on
            row = Row.failed(name, sha[name], f"{name}: the reader failed ({exc})",
                             engine_for(name, options.engine), pool.model.sha256)  # fmt: skip
            out = {"row": row_dict(row)}
        group = Task(name, name, sha[name], copies)
        for row in with_copies(row_from_dict(out["row"]), group).rows:
            batch.rows.append(row_dict(row))
            if "reports" in out:
                batch.reports[len(batch.rows) - 1] = out["reports"]

    groups: dict[str, list[tuple[str, bytes]]] = {}
    for name, data in uploads:
        reason = skip_reason(name, options.ocr)
        if reason is not None:
            skipped = Row.skipped(name, sha[name], reason, engine_for(name, options.engine),
                                  pool.model.sha256)  # fmt: skip
            batch.rows.append(row_dict(skipped))
        else:
            groups.setdefault(sha[name], []).append((name, data))
    for name, data, copies in map(_first_and_copies, groups.values()):
        await pool.reserve()
        task = asyncio.create_task(one(name, data, copies))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.gather(*pending)
    batch.status = DONE


def _first_and_copies(members: list[tuple[str, bytes]]) -> tuple[str, bytes, tuple[str, ...]]:
    """Of uploads with the same bytes, the one read (the first by name, as in ``batch``), its
    bytes, and the names of the others."""
    (name, data), *rest = sorted(members, key=lambda m: m[0])
    return name, data, tuple(other for other, _ in rest)


def _batch(store: BatchStore, batch_id: str) -> Batch:
    batch = store.get(batch_id)
    if batch is None:
        raise ApiError(404, f"no batch {batch_id!r}: it was deleted or has expired")
    return batch


def _batch_url(batch: Batch) -> str:
    return f"/api/{API_VERSION}/batches/{batch.id}"


def _rows(batch: Batch) -> list[Row]:
    return sorted((row_from_dict(r) for r in batch.rows), key=lambda r: r.source)


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


__all__ = ["ENGINES", "Settings", "create_app"]
