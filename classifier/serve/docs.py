"""``/docs``: the API's OpenAPI description as one self-contained page.

FastAPI's own ``/docs`` (Swagger UI) loads its script and styles from a CDN: offline, or
under the server's content security policy, it is a blank page. This page is rendered on
the server from the same OpenAPI document that ``/openapi.json`` serves, with no script,
so it works offline and under ``default-src 'none'``.
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["api_docs_html"]

_METHODS = ("get", "post", "put", "patch", "delete")
_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin:2rem 0 .3rem;padding-top:1rem;
border-top:1px solid #ccc}code,pre{font:14px/1.4 ui-monospace,monospace}
.method{display:inline-block;min-width:4.5em;font-weight:700}
table{border-collapse:collapse;margin:.4rem 0}th,td{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;vertical-align:top}pre{background:#f4f4f4;padding:.5rem;overflow:auto}
"""


def api_docs_html(spec: dict[str, Any]) -> str:
    """The page for OpenAPI document ``spec`` (``app.openapi()``)."""
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{escape(info.get('title', 'API'))} API</title><style>{_STYLE}</style></head>",
        f"<body><main><h1>{escape(info.get('title', 'API'))} API, version "
        f"{escape(str(info.get('version', '')))}</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        "<p>The machine-readable description: <a href='/openapi.json'>/openapi.json</a>. "
        'Errors are JSON objects <code>{"error": "..."}</code>, one line that names the '
        "file and the next step.</p>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method in _METHODS:
            if method in operations:
                parts.append(_operation(path, method, operations[method]))
    parts.append("</main></body></html>")
    return "".join(parts)


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    out = [
        f"<h2><span class='method'>{method.upper()}</span> <code>{escape(path)}</code></h2>",
        f"<p>{escape(op.get('summary', ''))}</p>",
    ]
    description = op.get("description", "")
    out += [f"<p>{escape(para)}</p>" for para in description.split("\n\n") if para.strip()]
    params = op.get("parameters", [])
    if params:
        out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th></tr>")
        for p in params:
            schema = p.get("schema", {})
            kind = schema.get("type") or " | ".join(
                str(s.get("type", s.get("enum", ""))) for s in schema.get("anyOf", [])
            )
            out.append(
                f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p.get('in', ''))}</td>"
                f"<td>{escape(str(kind))}</td><td>{'yes' if p.get('required') else 'no'}</td></tr>"
            )
        out.append("</table>")
    body = op.get("requestBody", {}).get("content", {})
    if body:
        out.append(f"<p>Request body: {escape(', '.join(body))}.</p>")
    responses = op.get("responses", {})
    if responses:
        out.append("<table><tr><th>status</th><th>meaning</th></tr>")
        for status, answer in responses.items():
            out.append(
                f"<tr><td>{escape(status)}</td>"
                f"<td>{escape(answer.get('description', ''))}</td></tr>"
            )
        out.append("</table>")
    return "".join(out)
