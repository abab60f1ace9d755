"""The batch report's index page: a histogram and a sortable table linking to each resume.

A renderer: batch rows (:class:`~classifier.results.Row`) in, a string out.
Every cell is escaped; the one inline script (column sorting) is allowed by its
sha256 in the page's Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from classifier.render.htmlkit import NOTE, esc, histogram, page, page_name
from classifier.render.numbers import signed
from classifier.results import Row

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


def render_batch_index(rows: Sequence[Row], links: Mapping[str, str] | None = None) -> str:
    """A batch report's ``index.html``: a histogram and a sortable table linking to each page.

    ``links`` maps a row's source to its page; without it every scored row links to
    :func:`~classifier.htmlkit.page_name` of its source. Failed rows have no page.
    """
    ok = [r for r in rows if r.ok]
    probs = [r.scientist_probability for r in ok if r.scientist_probability is not None]
    counts: dict[str, int] = {}
    for r in ok:
        counts[str(r.label)] = counts.get(str(r.label), 0) + 1
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
        f"{heads}</tr></thead><tbody>{''.join(_index_row(r, links) for r in rows)}</tbody>"
        "</table></section>"
    )
    return page("Batch report", body, script=_SORT_SCRIPT)


def _index_row(row: Row, links: Mapping[str, str] | None) -> str:
    href = None
    if row.ok:
        href = links.get(row.source) if links is not None else page_name(row.source)
    name = esc(row.source)
    if href is not None:
        name = f'<a href="{esc(quote(href, safe="/"))}">{name}</a>'
    p, logit = row.scientist_probability, row.logit
    note = row.error or (f"same as {row.duplicate_of}" if row.duplicate_of else "")
    cells = [
        (row.source, name),
        (row.status, esc(row.status)),
        (row.label or "", esc(row.label or "")),
        ("" if p is None else repr(p), "" if p is None else f"{p:.3f}"),
        ("" if logit is None else repr(logit), "" if logit is None else signed(logit, 2)),
        (note, esc(note)),
    ]
    tds = "".join(
        f'<td data-v="{esc(v)}"{" class=num" if t == "num" else ""}>{shown}</td>'
        for (v, shown), (_, t) in zip(cells, _COLUMNS, strict=True)
    )
    return f"<tr>{tds}</tr>"
