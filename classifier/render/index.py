"""The batch report's index page: counts, a histogram and a filterable, sortable table.

A renderer: batch rows (:class:`~classifier.results.Row`) in, a string out.
Every cell is escaped; the one inline script (sorting and filtering) is allowed
by its sha256 in the page's Content-Security-Policy. Without the script the
table is complete and the filter controls stay hidden.

``undetermined`` resumes have no lean, so they are counted apart from the two
leans, get their own grey bar beside the probability bins, show no
P(scientist), and sort last by P(scientist) in both directions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from classifier.config import LABELS, UNDETERMINED
from classifier.render.htmlkit import NOTE, esc, histogram, page, page_name
from classifier.render.numbers import signed
from classifier.results import ERROR, Row

FAILED = "failed"
#: The verdicts the filter offers, in order: the two leans, no lean, no score.
VERDICTS = (*LABELS, UNDETERMINED, FAILED)

_SCRIPT = """
(function () {
  var table = document.getElementById("rows");
  var body = table.tBodies[0];
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var num = th.getAttribute("data-type") === "num";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-v") || "";
        var y = b.cells[col].getAttribute("data-v") || "";
        if (num) {
          // no number (undetermined: no lean; failed: no score) sorts last either way
          if (x === "" || y === "") { return (x === "") - (y === ""); }
          x = parseFloat(x); y = parseFloat(y);
        } else {
          x = x.toLowerCase(); y = y.toLowerCase();
        }
        var c = x < y ? -1 : x > y ? 1 : 0;
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var text = document.getElementById("filter-text");
  var verdict = document.getElementById("filter-verdict");
  var count = document.getElementById("filter-count");
  var apply = function () {
    var q = text.value.trim().toLowerCase(), v = verdict.value, shown = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var keep = (v === "" || r.cells[0].getAttribute("data-verdict") === v) &&
        (q === "" || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !keep;
      shown += keep ? 1 : 0;
    });
    count.textContent = shown + " of " + body.rows.length + " shown";
  };
  text.addEventListener("input", apply);
  verdict.addEventListener("change", apply);
  document.getElementById("filters").hidden = false;
  apply();
  document.documentElement.setAttribute("data-sortable", "ready");
})();
"""

#: (heading, sort type, cell class): File and Note wrap anywhere, so long names and
#: notes stay inside the card; the verdict is the label, or "failed" (status error).
_COLUMNS = (("File", "text", "file"), ("Verdict", "text", ""), ("P(scientist)", "num", "num"),
            ("Logit", "num", "num"), ("Note", "text", "note"))  # fmt: skip


def verdict(row: Row) -> str:
    """What the verdict filter calls a row: its label, ``failed``, or another status."""
    if row.ok:
        return str(row.label)
    return FAILED if row.status == ERROR else row.status


def render_batch_index(rows: Sequence[Row], links: Mapping[str, str] | None = None) -> str:
    """A batch report's ``index.html``: counts, a histogram and a table linking to each page.

    ``links`` maps a row's source to its page; without it every scored row links to
    :func:`~classifier.htmlkit.page_name` of its source. With it, scored rows it leaves
    out are counted as having no page. Failed rows have no page.
    """
    counts = dict.fromkeys(VERDICTS, 0)
    for r in rows:
        counts[verdict(r)] = counts.get(verdict(r), 0) + 1
    scored = sum(1 for r in rows if r.ok)
    labels = {str(r.label) for r in rows if r.ok}
    others = "".join(
        f", {esc(k)} {v}" for k, v in counts.items() if k not in VERDICTS and k in labels
    )
    statuses = "".join(
        f"; {v} {esc(k)}" for k, v in counts.items() if k not in VERDICTS and k not in labels
    )
    leaning = [
        r.scientist_probability
        for r in rows
        if r.ok and r.label != UNDETERMINED and r.scientist_probability is not None
    ]
    summary = (
        f"<p>{scored} scored: {counts[LABELS[0]]} lean {LABELS[0]}, {counts[LABELS[1]]} lean "
        f"{LABELS[1]}{others}, {counts[UNDETERMINED]} {UNDETERMINED} (too little to judge a "
        f"lean); {counts[FAILED]} failed{statuses}.</p>"
    )
    if links is not None:
        missing = sum(1 for r in rows if r.ok and r.source not in links)
        if missing:
            summary += (
                f'<p class="muted">{missing} scored resume{"s have" if missing != 1 else " has"} '
                "no page here: a page is made only when a resume is scored, and "
                f"{'these were' if missing != 1 else 'it was'} kept from an earlier run that wrote "
                "no page for them into this folder. To have every page, score the folder into a "
                "new output file with --report.</p>"
            )
    heads = "".join(
        f'<th scope="col" data-type="{t}"{" class=num" if t == "num" else ""}>'
        f'<button type="button">{esc(name)}</button></th>'
        for name, t, _ in _COLUMNS
    )
    options = "".join(
        f'<option value="{esc(v)}">{esc(v)} ({n})</option>' for v, n in counts.items()
    )
    filters = (
        '<div class="filters" id="filters" hidden>'
        '<div><label for="filter-text">Filter by file name, verdict or note</label>'
        '<input type="search" id="filter-text" autocomplete="off"></div>'
        '<div><label for="filter-verdict">Verdict</label>'
        f'<select id="filter-verdict"><option value="">all ({len(rows)})</option>{options}'
        "</select></div>"
        '<p id="filter-count" role="status" class="muted"></p></div>'
    )
    body = (
        f'<header class="card"><h1>Batch report: {len(rows)} resume'
        f"{'s' if len(rows) != 1 else ''}</h1>{summary}"
        f'<p class="muted">{esc(NOTE)}</p></header>'
        '<section class="card"><h2>Scientist probability</h2>'
        f"{histogram(leaning, undetermined=counts[UNDETERMINED])}</section>"
        '<section class="card"><h2 id="all">All resumes</h2><p class="muted">Click a column '
        "heading to sort; undetermined and failed resumes have no P(scientist) and sort last."
        f'</p>{filters}<div class="scroll" role="region" aria-labelledby="all" tabindex="0">'
        f'<table class="sortable" id="rows"><thead><tr>{heads}'
        f"</tr></thead><tbody>{''.join(_index_row(r, links) for r in rows)}</tbody>"
        "</table></div></section>"
    )
    return page("Batch report", body, script=_SCRIPT)


def _notes(row: Row) -> list[tuple[str, str]]:
    """The Note cell: the error, the file this one is a copy of, and every warning."""
    notes = []
    if row.error:
        notes.append(("", row.error))
    if row.duplicate_of:
        notes.append(("", f"same as {row.duplicate_of}"))
    notes.extend(("warn", f"warning: {w}") for w in row.warnings)
    return notes


def _index_row(row: Row, links: Mapping[str, str] | None) -> str:
    href = None
    if row.ok:
        href = links.get(row.source) if links is not None else page_name(row.source)
    name = esc(row.source)
    if href is not None:
        name = f'<a href="{esc(quote(href, safe="/"))}">{name}</a>'
    p, logit = row.scientist_probability, row.logit
    if row.label == UNDETERMINED:
        p = None  # no lean to report: the number would read as one
    p_shown = f"{p:.3f}" if p is not None else ('<span class="muted">no lean</span>'
                                                if row.ok else "")  # fmt: skip
    notes = _notes(row)
    note = "".join(f'<span class="{c}">{esc(text)}</span>' if c else f"<span>{esc(text)}</span>"
                   for c, text in notes)  # fmt: skip
    cells = [
        (row.source, name),
        (verdict(row), esc(verdict(row))),
        ("" if p is None else repr(p), p_shown),
        ("" if logit is None else repr(logit), "" if logit is None else signed(logit, 2)),
        ("; ".join(text for _, text in notes), note),
    ]
    mark = f' data-verdict="{esc(verdict(row))}"'  # what the verdict filter matches
    tds = "".join(
        f'<td data-v="{esc(v)}"{f" class={c}" if c else ""}{mark if c == "file" else ""}>'
        f"{shown}</td>"
        for (v, shown), (_, _, c) in zip(cells, _COLUMNS, strict=True)
    )
    return f"<tr>{tds}</tr>"
