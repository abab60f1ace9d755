"""The one page of the local web app (placeholder until the page lands)."""

from __future__ import annotations

import base64
import hashlib

from classifier.render.htmlkit import page

SCRIPT = "document.documentElement.setAttribute('data-ready', '1');"


def render_page() -> str:
    return page("resume-role", "<h1>resume-role</h1>", script=SCRIPT)


def page_csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; "
        f"script-src 'sha256-{digest}'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
