"""Pieces shared by the HTML pages: escaping, colours, numbers, the page shell, SVG charts.

Pages are self-contained: inline CSS, inline SVG, no external resources. A
Content-Security-Policy meta tag forbids everything else, and allows a script
only by the sha256 of the one inline script a page carries, so that even a
missed escape could not run code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

from classifier.config import HISTOGRAM_BINS, HTML_ENGINEER_COLOUR, HTML_SCIENTIST_COLOUR, LABELS

ROLE_NAMES = {LABELS[0]: "ML Engineer", LABELS[1]: "ML Scientist"}
#: Resumes without a lean (undetermined) are grey: neither role's hue.
UNDETERMINED_COLOUR = "#8c8c8c"
NOTE = (
    "This is the lean of the resume's vocabulary between two roles, not a measure of the "
    "candidate's quality, seniority or fit."
)

CSS = """
:root{--eng:%(eng)s;--sci:%(sci)s;--eng-ink:%(eng_ink)s;--sci-ink:%(sci_ink)s;
--ink:#1d232a;--muted:#5b6670;--line:#dde2e7;--bg:#f4f6f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1320px;margin:0 auto;padding:24px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;
margin-bottom:20px}
h1{font-size:21px;margin:0 0 6px;overflow-wrap:anywhere}
h2{font-size:16px;margin:0 0 10px}
h3{font-size:13px;margin:14px 0 4px;text-transform:uppercase;letter-spacing:.05em;
color:var(--muted)}
p{margin:6px 0}
.muted{color:var(--muted);font-size:13px}
.verdict{font-size:18px;font-weight:600;margin:4px 0 10px}
.eng-ink{color:var(--eng-ink)}.sci-ink{color:var(--sci-ink)}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;
align-items:start}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:13px;color:var(--muted);
margin-bottom:12px}
.resume-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:13px;line-height:1.75;
margin:0;font-family:inherit}
mark{color:inherit;border-radius:3px;padding:0 1px}
mark.e{border-bottom:2px solid var(--eng)}
mark.s{border-bottom:2px solid var(--sci)}
mark:hover{outline:1px solid var(--ink)}
.h{display:inline-block;padding-top:.7em;font-weight:700;letter-spacing:.03em}
table{border-collapse:collapse;width:100%%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:600;border-bottom:none}
.bar{position:relative;height:10px;background:#eef1f4;border-radius:5px;min-width:70px}
.bar .mid{position:absolute;left:50%%;top:-3px;bottom:-3px;width:1px;background:#8995a1}
.bar .fill{position:absolute;top:0;bottom:0;border-radius:5px}
.terms{color:var(--muted);font-size:13px}
.chip{display:inline-block;padding:1px 9px;margin:2px 4px 2px 0;border-radius:6px;
font-size:13px;border:1px solid var(--line);background:#fafbfc}
.chip.e{border-color:var(--eng)}.chip.s{border-color:var(--sci)}
table.advice td{padding:4px 8px}
table.advice td:first-child{padding-left:0;width:100%%}
td.barcell{width:30%%;vertical-align:middle}
.honesty{background:#fff8e6;border-left:4px solid var(--sci);padding:8px 12px;
border-radius:4px;font-size:14px}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;
font-size:13px}
dl.details dt{color:var(--muted)}dl.details dd{margin:0;overflow-wrap:anywhere}
svg{display:block;max-width:100%%;height:auto}
th button{all:unset;cursor:pointer}
th button:focus-visible{outline:2px solid var(--ink);outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
a{color:var(--eng-ink)}
.scroll{overflow-x:auto}
table.sortable td.file,table.sortable td.note,table.sortable th{overflow-wrap:anywhere}
table.sortable th.num{white-space:normal}
td.note span{display:block}
@media (max-width:720px){table.sortable th,table.sortable td{padding:6px 5px}
.wrap{padding:12px}.card{padding:14px 14px}}
td.note .warn{color:var(--sci-ink)}
.filters{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:end;margin:8px 0 12px}
.filters label{display:block;font-size:13px;color:var(--muted)}
.filters input,.filters select{font:inherit;padding:4px 8px;border:1px solid #8995a1;
border-radius:6px;background:#fff;color:var(--ink);max-width:100%%}
.filters input{width:22em}
.filters input:focus-visible,.filters select:focus-visible{outline:2px solid var(--ink);
outline-offset:1px}
"""


def esc(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute value."""
    return html.escape(str(value), quote=True)


def shade(hex_colour: str, factor: float) -> str:
    """The colour darkened toward black by ``factor`` (0 keeps it, 1 is black)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - factor)):02x}" for c in (r, g, b))


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:.3f})"


def side_colour(value: float) -> str:
    """Scientist hue for a positive value, engineer hue otherwise."""
    return HTML_SCIENTIST_COLOUR if value > 0 else HTML_ENGINEER_COLOUR


def page(title: str, body: str, script: str | None = None) -> str:
    """A whole self-contained document around ``body`` (already escaped HTML)."""
    policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    tail = ""
    if script is not None:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        policy += f"; script-src 'sha256-{digest}'"
        tail = f"<script>{script}</script>\n"
    css = CSS % {
        "eng": HTML_ENGINEER_COLOUR,
        "sci": HTML_SCIENTIST_COLOUR,
        "eng_ink": shade(HTML_ENGINEER_COLOUR, 0.2),
        "sci_ink": shade(HTML_SCIENTIST_COLOUR, 0.45),
    }
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        f'<meta name="referrer" content="no-referrer">\n<title>{esc(title)}</title>\n'
        f'<style>{css}</style>\n</head>\n<body>\n<div class="wrap">\n{body}\n</div>\n'
        f"{tail}</body>\n</html>\n"
    )


def probability_bar(p: float) -> str:
    """P(scientist) as an SVG bar: engineer on the left, scientist on the right, 0.5 marked."""
    width, height, pad, top = 640, 48, 12, 8
    span = width - 2 * pad
    x, mid = pad + p * span, pad + span / 2
    left, right = min(x, mid), max(x, mid)
    fill = side_colour(p - 0.5)
    label = 'font-size="12" fill="#5b6670"'
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="P(scientist) {p:.3f}">'
        f'<rect x="{pad}" y="{top}" width="{span}" height="14" rx="7" fill="#eef1f4"/>'
        f'<rect x="{left:.1f}" y="{top}" width="{right - left:.1f}" height="14" fill="{fill}"/>'
        f'<line x1="{mid}" y1="{top - 4}" x2="{mid}" y2="{top + 18}" stroke="#8995a1"/>'
        f'<circle cx="{x:.1f}" cy="{top + 7}" r="7" fill="#fff" stroke="#1d232a" '
        'stroke-width="2"/>'
        f'<text x="{pad}" y="{height - 4}" {label}>ML Engineer</text>'
        f'<text x="{mid}" y="{height - 4}" {label} text-anchor="middle">0.5</text>'
        f'<text x="{width - pad}" y="{height - 4}" {label} text-anchor="end">ML Scientist</text>'
        "</svg>"
    )


def histogram(
    probabilities: Iterable[float], bins: int = HISTOGRAM_BINS, undetermined: int | None = None
) -> str:
    """An SVG histogram of scientist probabilities over [0, 1], bars in the side's hue.

    With ``undetermined``, a grey bar of that count stands apart to the right: those
    resumes have no lean, so they belong in none of the probability bins.
    """
    counts = [0] * bins
    for p in probabilities:
        counts[min(int(p * bins), bins - 1)] += 1
    step, gap, base, pad, height = 54.0, 34.0, 160, 30, 206
    extra = undetermined is not None
    right = pad + bins * step  # the end of the probability axis
    width = right + (gap + step if extra else 0) + pad + (20 if extra else 0)
    peak = max([*counts, undetermined or 0]) or 1
    label = f"histogram of P(scientist) over {sum(counts)} resumes" + (
        f", and {undetermined} undetermined (no lean)" if extra else ""
    )
    parts = [
        f'<svg viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}" '
        f'role="img" aria-label="{label}">',
        f'<line x1="{pad}" y1="{base}" x2="{right:.0f}" y2="{base}" stroke="#8995a1"/>',
    ]

    def bar(x: float, n: int, colour: str, title: str) -> None:
        h = (base - 20) * n / peak
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
            f'fill="{colour}"><title>{title}: {n}</title></rect>'
        )
        if n:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{base - h - 4:.1f}" font-size="12" '
                f'text-anchor="middle" fill="#1d232a">{n}</text>'
            )

    for i, n in enumerate(counts):
        bar(
            pad + i * step,
            n,
            side_colour((i + 0.5) / bins - 0.5),
            f"{i / bins:.1f}-{(i + 1) / bins:.1f}",
        )
    for i in range(0, bins + 1, max(bins // 5, 1)):
        x = pad + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{base + 16}" font-size="12" text-anchor="middle" '
            f'fill="#5b6670">{i / bins:.1f}</text>'
        )
    if extra:
        x = right + gap
        parts.append(
            f'<line x1="{x:.0f}" y1="{base}" x2="{x + step:.0f}" y2="{base}" stroke="#8995a1"/>'
        )
        bar(x, undetermined or 0, UNDETERMINED_COLOUR, "undetermined (no lean)")
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{base + 16}" font-size="12" text-anchor="middle" '
            'fill="#5b6670">undetermined</text>'
        )
    parts.append(
        f'<text x="{right / 2 + pad / 2:.1f}" y="{height - 2}" font-size="12" '
        'text-anchor="middle" fill="#5b6670">P(scientist): engineer-leaning on the left, '
        "scientist on the right</text></svg>"
    )
    return "".join(parts)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_name(source: str) -> str:
    """A safe, unique file name for a resume's page in a batch report (``<slug>-<hash>.html``)."""
    slug = _UNSAFE.sub("_", source).strip("._-")[:60] or "resume"
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}.html"
