"""The batch report's index page: a histogram and a sortable table linking to each resume.

A renderer: batch rows (plain dicts, as in :mod:`classifier.rows`) in, a string
out. Every cell is escaped; the one inline script (column sorting) is allowed
by its sha256 in the page's Content-Security-Policy.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from .htmlkit import NOTE, esc, histogram, page, page_name, signed

_SORT_SCRIPT = """
(function () {
  var key = function (cell, num) {
    var v = cell.getAttribute("data-v") || "";
    return num ? (v === "" ? -Infinity : parseFloat(v)) : v.toLowerCase();
  };
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, col) {
      th.querySelector("button").addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var num = th.getAttribute("data-type") === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], num), y = key(b.cells[col], num);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.documentElement.setAttribute("data-sortable", "ready");
})();
"""

_COLUMNS = (("File", "text"), ("Status", "text"), ("Label", "text"),
            ("P(scientist)", "num"), ("Logit", "num"), ("Note", "text"))  # fmt: skip


def render_batch_index(rows: list[dict[str, Any]]) -> str:
    """A batch report's ``index.html``: a histogram and a sortable table linking to each page.

    A row links to ``row["page"]`` when set, else to :func:`~classifier.htmlkit.page_name`
    of its source; error rows have no page.
    """
    ok = [r for r in rows if r.get("status", "ok") == "ok"]
    probs = [float(r["scientist_probability"]) for r in ok if _number(r, "scientist_probability")]
    counts: dict[str, int] = {}
    for r in ok:
        counts[str(r.get("label"))] = counts.get(str(r.get("label")), 0) + 1
    summary = ", ".join(f"{esc(k)} {v}" for k, v in sorted(counts.items())) or "none"
    heads = "".join(
        f'<th data-type="{t}"{" class=num" if t == "num" else ""}>'
        f'<button type="button">{esc(name)}</button></th>'
        for name, t in _COLUMNS
    )
    body = (
        f'<header class="card"><h1>Batch report: {len(rows)} resume'
        f"{'s' if len(rows) != 1 else ''}</h1>"
        f"<p>{len(ok)} scored ({summary}); {len(rows) - len(ok)} failed.</p>"
        f'<p class="muted">{esc(NOTE)}</p></header>'
        f'<section class="card"><h2>Scientist probability</h2>{histogram(probs)}</section>'
        '<section class="card"><h2>All resumes</h2><p class="muted">Click a column heading to '
        'sort.</p><table class="sortable"><thead><tr>'
        f"{heads}</tr></thead><tbody>{''.join(_index_row(r) for r in rows)}</tbody></table>"
        "</section>"
    )
    return page("Batch report", body, script=_SORT_SCRIPT)


def _number(row: dict[str, Any], key: str) -> bool:
    value = row.get(key)
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _index_row(row: dict[str, Any]) -> str:
    source = str(row.get("source", ""))
    status = str(row.get("status", "ok"))
    if status == "ok":
        href = quote(str(row.get("page") or page_name(source)), safe="/")
        name = f'<a href="{esc(href)}">{esc(source)}</a>'
    else:
        name = esc(source)
    p = float(row["scientist_probability"]) if _number(row, "scientist_probability") else None
    logit = float(row["logit"]) if _number(row, "logit") else None
    note = row.get("error") or (f"same as {row['duplicate_of']}" if row.get("duplicate_of") else "")
    cells = [
        (source, name),
        (status, esc(status)),
        (str(row.get("label") or ""), esc(row.get("label") or "")),
        ("" if p is None else repr(p), "" if p is None else f"{p:.3f}"),
        ("" if logit is None else repr(logit), "" if logit is None else signed(logit, 2)),
        (str(note), esc(note)),
    ]
    tds = "".join(
        f'<td data-v="{esc(v)}"{" class=num" if t == "num" else ""}>{shown}</td>'
        for (v, shown), (_, t) in zip(cells, _COLUMNS, strict=True)
    )
    return f"<tr>{tds}</tr>"
