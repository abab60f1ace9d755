"""Starting the local server: check the bind and the token, run uvicorn, stop cleanly.

``resume-role serve`` binds 127.0.0.1 by default. Binding another address exposes the
API to the network, so it needs a token (``--token`` or $RESUME_ROLE_TOKEN) and refuses
to start without one. Ctrl-C stops uvicorn gracefully: requests in flight finish, the
reader workers are shut down, batches (kept only in memory) are gone.
"""

from __future__ import annotations

import logging
import os
import threading
import webbrowser

from classifier.config import SERVE_TOKEN_ENV
from classifier.errors import UsageError
from classifier.serve.app import Settings, create_app
from classifier.serve.security import is_loopback

log = logging.getLogger("resume_role.serve")


def resolve_token(host: str, token: str | None) -> str | None:
    """The token to require: ``token``, else $RESUME_ROLE_TOKEN; a non-loopback bind
    without one is refused."""
    token = token or os.environ.get(SERVE_TOKEN_ENV) or None
    if token is None and not is_loopback(host):
        raise UsageError(
            f"binding {host} exposes the server to the network: give a token with --token "
            f"or ${SERVE_TOKEN_ENV} (clients then send 'Authorization: Bearer <token>')"
        )
    return token


def url_of(settings: Settings) -> str:
    host = settings.host if ":" not in settings.host else f"[{settings.host}]"
    return f"http://{host}:{settings.port}/"


def serve(settings: Settings, open_browser: bool = False, log_level: str = "info") -> None:
    """Run the server until Ctrl-C (blocking)."""
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        access_log=False,  # our own log lines carry sizes and timings, never names
        lifespan="on",
        server_header=False,
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, args=(url_of(settings),)).start()
    ours = logging.getLogger("resume_role")
    ours.setLevel(log_level.upper())
    if not ours.handlers:  # uvicorn configures only its own loggers: print ours like them
        for handler in logging.getLogger("uvicorn").handlers:
            ours.addHandler(handler)
    server.run()
