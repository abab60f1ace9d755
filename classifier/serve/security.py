"""The local server's guards, as one ASGI middleware in front of the app.

A server that reads files from strangers on someone's laptop must refuse:

* other ``Host`` names (DNS rebinding: a web page that makes ``evil.example`` resolve to
  127.0.0.1 would otherwise reach the API from the victim's browser): 400;
* state-changing requests whose ``Origin`` or ``Sec-Fetch-Site`` shows another site
  (CSRF); clients that send neither (curl, an ATS) pass: 403;
* requests without the bearer token when one is set: 401 (the page shell, which holds no
  data, and ``/healthz`` are served without it, so a browser can load the page that asks
  for the token);
* bodies over the size limit: 413, while the body streams in, with or without a
  ``Content-Length``: nothing past the limit is read or spooled;

and it adds ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and a
Content-Security-Policy (the app's own, or a deny-all default) to every response.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Served without the token: the page shell (no data in it) and the health check.
_OPEN_PATHS = frozenset({"/", "/model", "/healthz"})
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


@dataclass(frozen=True)
class Policy:
    """What the guard allows: host names (lower-case, without port), the port, the token
    (None: no token needed) and the largest body in bytes (one resume; a whole batch)."""

    hosts: frozenset[str]
    port: int
    token: str | None
    max_body: int
    max_batch_body: int

    def limit(self, path: str) -> int:
        return self.max_batch_body if path.rstrip("/").endswith("/batches") else self.max_body


class Guard:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _error(send, *refusal)
            return
        await self._forward(scope, receive, send, headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not self._host_ok(host):
            return (
                400,
                f"unknown Host header {host[:100]!r}: this server answers to its own address",
            )
        method = scope["method"]
        if method in _UNSAFE_METHODS and not self._same_site(headers, host):
            return 403, "cross-site request refused: send it from this server's own page"
        if self.policy.token is not None and scope["path"] not in _OPEN_PATHS:
            given = headers.get("authorization", "")
            expected = f"Bearer {self.policy.token}"
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return 401, "missing or wrong token: send 'Authorization: Bearer <token>'"
        length = headers.get("content-length")
        limit = self.policy.limit(scope["path"])
        if length is not None and length.isdigit() and int(length) > limit:
            return 413, self._too_large(limit)
        return None

    def _host_ok(self, host: str) -> bool:
        name, port = _split_host(host)
        return name in self.policy.hosts and port in (None, self.policy.port)

    def _same_site(self, headers: dict[str, str], host: str) -> bool:
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False
        origin = headers.get("origin")
        if origin is None:
            return True  # curl, an ATS: no browser, no cross-site request
        if origin == "null":
            return False
        return urlsplit(origin).netloc.lower() == host.lower()

    def _too_large(self, limit: int) -> str:
        mb = limit / 1024 / 1024
        return f"the upload is over the {mb:.0f} MB limit; raise it with serve --max-size"

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        """Run the app with a body counter; past the limit the app sees a disconnect and
        whatever it then tries to send becomes one 413."""
        received = 0
        over = False
        answered = False
        limit = self.policy.limit(scope["path"])
        secured = _secured(send)  # the 413s below go through _error, which adds them once

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if over:
                if not answered:
                    answered = True
                    await _error(send, 413, self._too_large(limit))
                return
            await secured(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not over:
                raise
            if not answered:
                answered = True
                await _error(send, 413, self._too_large(limit))


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split_host(host: str) -> tuple[str, int | None]:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        end = host.find("]")
        name, rest = host[: end + 1], host[end + 1 :]
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = host.partition(":")
    return name, int(port) if port.isdigit() else None


def _secured(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            headers.append((b"x-content-type-options", b"nosniff"))
            headers.append((b"referrer-policy", b"no-referrer"))
            if b"content-security-policy" not in names:
                headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await _secured(send)(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
