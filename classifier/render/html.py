"""HTML reports: one self-contained page per resume, and an index page for a batch.

Renderers: result types in, strings out, no I/O. Everything that comes from a
resume (its text, its file name, warnings) is untrusted and escaped with
``html.escape(..., quote=True)``; the pages load nothing from outside.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence

from classifier.config import (
    ADVICE_MIN_PROBABILITY_CHANGE,
    HTML_MAX_ALPHA,
    HTML_MIN_ALPHA,
    LABELS,
    UNDETERMINED,
)
from classifier.explain.advice import HONESTY_NOTE
from classifier.render.htmlkit import (
    NOTE,
    ROLE_NAMES,
    esc,
    page,
    probability_bar,
    rgba,
    side_colour,
)
from classifier.render.index import render_batch_index
from classifier.render.numbers import probability, signed
from classifier.render.text import lean_if_ml_line, verdict_line
from classifier.results import (
    Advice,
    Classification,
    Contribution,
    Explanation,
    FlipSet,
    SectionShare,
    other_role,
)
from classifier.text.headings import find_sections

__all__ = ["render_batch_index", "render_html"]


def render_html(explanation: Explanation) -> str:
    """One self-contained page explaining a result: verdict, highlighted text, what moves it.

    The explanation should be detailed (advice, flip set and sections computed).
    """
    result = explanation.result
    advice, flip, sections = explanation.advice, explanation.flip, explanation.sections
    p = result.scientist_probability
    undetermined = result.label == UNDETERMINED
    tone = "muted" if undetermined else "sci-ink" if result.lean == LABELS[1] else "eng-ink"
    # An undetermined text has no verdict to draw: its would-be lean is said in words.
    gauge = (
        f'<p class="muted">{esc(lean_if_ml_line(result))}.</p>'
        if undetermined
        else f"{probability_bar(p)}"
        f'<p class="muted">P(scientist) = {probability(p)}, score (logit) '
        f"{signed(result.logit)}.</p>"
    )
    header = (
        f'<header class="card"><h1>{esc(result.source)}</h1>'
        f'<p class="verdict {tone}">{esc(verdict_line(result, explanation.thin))}</p>'
        f'{gauge}<p class="muted">{esc(NOTE)}</p></header>'
    )
    flip_card = "" if undetermined else _flip(result, flip)
    body = (
        f'{header}<div class="grid"><section class="card"><h2>The resume, term by term</h2>'
        f"{_legend()}{_resume_text(result)}</section><div>"
        f"{_section_table(result, sections)}{_missing(explanation.missing_ml)}"
        f"{_advice(result, advice, explanation.toward)}{flip_card}"
        f"{_details(result)}</div></div>"
    )
    return page(f"Role lean: {result.source}", body)


def _legend() -> str:
    eng, sci = side_colour(-1), side_colour(1)
    return (
        '<div class="legend">'
        f'<span><mark class="e" style="background:{rgba(eng, 0.35)}">term</mark> '
        "pushes toward ML Engineer</span>"
        f'<span><mark class="s" style="background:{rgba(sci, 0.35)}">term</mark> '
        "pushes toward ML Scientist</span>"
        "<span>stronger colour = larger share of the score; hover a term for its numbers</span>"
        "</div>"
    )


def _resume_text(result: Classification) -> str:
    """The text with each scoring occurrence in a ``<mark>`` and headings in bold."""
    text = result.text
    sections = find_sections(text)
    starts = [s.start for s in sections]
    strongest = max((abs(c.weight) for c in result.contributions), default=0.0) or 1.0
    # A held title and the title phrase it was read from share one span: one mark, whose
    # tooltip gives both; any other overlap (a rebuilt result) keeps the first mark.
    found: dict[tuple[int, int], list[Contribution]] = {}
    for c in result.contributions:
        for start, end in c.spans:
            if 0 <= start < end <= len(text):
                found.setdefault((start, end), []).append(c)
    marks: list[tuple[int, int, str]] = []  # (start, end, opening tag)
    for (start, end), group in sorted(found.items()):
        if marks and start < marks[-1][1]:
            continue
        where = sections[max(bisect.bisect_right(starts, start) - 1, 0)].name
        marks.append((start, end, _mark_tag(group, strongest, where)))
    heads = [
        (s.start, s.start + len(text[s.start :].split("\n", 1)[0])) for s in sections if s.heading
    ]
    edges = [x for m in marks for x in m[:2]] + [x for h in heads for x in h]
    cuts = sorted({0, len(text), *edges})
    out: list[str] = []
    mi = hi = 0
    for a, b in itertools.pairwise(cuts):
        while mi < len(marks) and marks[mi][1] <= a:
            mi += 1
        while hi < len(heads) and heads[hi][1] <= a:
            hi += 1
        chunk = esc(text[a:b])
        if hi < len(heads) and heads[hi][0] <= a:
            chunk = f'<span class="h">{chunk}</span>'
        if mi < len(marks) and marks[mi][0] <= a:
            chunk = f"{marks[mi][2]}{chunk}</mark>"
        out.append(chunk)
    return f'<pre class="resume-text">{"".join(out)}</pre>'


def _mark_tag(group: list[Contribution], strongest: float, where: str) -> str:
    c = max(group, key=lambda x: abs(x.weight))
    share = abs(c.weight) / strongest
    alpha = HTML_MIN_ALPHA + (HTML_MAX_ALPHA - HTML_MIN_ALPHA) * share
    tip = "\n\n".join(_tip(member, where) for member in group)
    cls = "s" if c.weight > 0 else "e"
    return (
        f'<mark class="{cls}" style="background:{rgba(side_colour(c.weight), alpha)}" '
        f'title="{esc(tip)}">'
    )


def _tip(c: Contribution, where: str) -> str:
    side = LABELS[1] if c.weight > 0 else LABELS[0]
    times = "once" if c.count == 1 else f"{c.count} times"
    written = f"\nwritten here as: {', '.join(c.matched)}" if c.matched else ""
    return (
        f"{c.term}: {signed(c.weight)} toward {ROLE_NAMES[side]}\n"
        f"found {times} ({signed(c.weight / max(c.count, 1), 4)} each here)\n"
        f"article section: {c.section}; resume section: {where}{written}"
    )


def _bar(value: float, scale: float) -> str:
    width = 50 * min(abs(value) / scale, 1.0) if scale > 0 else 0.0
    anchor = "left" if value > 0 else "right"
    return (
        '<div class="bar"><div class="fill" style="'
        f'{anchor}:50%;width:{width:.1f}%;background:{side_colour(value)}"></div>'
        '<div class="mid"></div></div>'
    )


def _section_table(result: Classification, sections: Sequence[SectionShare]) -> str:
    scale = max((abs(s.contribution) for s in sections), default=0.0)
    rows = []
    for s in sections:
        top = ", ".join(f"{t.term} {signed(t.weight, 2)}" for t in s.terms[:3]) or "no terms"
        rows.append(
            f'<tr><td>{esc(s.name)}<div class="terms">{esc(top)}</div></td>'
            f'<td class="barcell">{_bar(s.contribution, scale)}</td>'
            f'<td class="num">{signed(s.contribution)}</td></tr>'
        )
    total = math.fsum(s.contribution for s in sections)
    return (
        '<section class="card"><h2>Where the score comes from</h2>'
        '<p class="muted">Net contribution of each resume section to the score (logit): '
        "to the right leans scientist, to the left engineer.</p>"
        '<table><thead><tr><th>Section</th><th></th><th class="num">Net</th></tr></thead>'
        f"<tbody>{''.join(rows)}"
        '<tr><td colspan="2">Bias (model intercept)</td>'
        f'<td class="num">{signed(result.bias)}</td></tr>'
        '<tr class="total"><td colspan="2">Score (logit)</td>'
        f'<td class="num">{signed(result.bias + total)}</td></tr></tbody></table></section>'
    )


def _missing(terms: Sequence[str]) -> str:
    """What an undetermined resume lacks: evidence of the field, not of a role."""
    if not terms:
        return ""
    chips = "".join(f'<span class="chip">{esc(t)}</span>' for t in terms)
    return (
        '<section class="card"><h2>What is missing</h2><p>Too little machine-learning '
        "vocabulary to say which ML role this resume leans toward. Terms of the field it does "
        f"not use:</p><div>{chips}</div>"
        f'<p class="honesty">{esc(HONESTY_NOTE)}</p></section>'
    )


def _advice(result: Classification, advice: Sequence[Advice], toward: str | None) -> str:
    if not advice:
        return ""
    target = advice[0].toward
    now = result.scientist_probability
    moves = max(abs(s.probability_after - now) for a in advice for s in a.suggestions)
    if moves < ADVICE_MIN_PROBABILITY_CHANGE and toward is None:
        return (
            f'<section class="card"><h2>What would move it toward {ROLE_NAMES[target]}</h2>'
            "<p>No single missing term would move P(scientist) by a percentage point or more: "
            "the lean is settled.</p></section>"
        )
    cls = "s" if target == LABELS[1] else "e"
    groups = []
    for group in advice:
        rows = "".join(
            f'<tr><td><span class="chip {cls}">{esc(s.term)}</span></td>'
            f'<td class="num">{signed(s.logit_gain)}</td>'
            f'<td class="num">{probability(s.probability_after)}</td></tr>'
            for s in group.suggestions
        )
        groups.append(
            f'<h3>{esc(group.section)}</h3><table class="advice"><thead><tr><th>term</th>'
            '<th class="num">&Delta; logit</th><th class="num">P(sci.) after</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return (
        f'<section class="card"><h2>What would move it toward {ROLE_NAMES[target]}</h2>'
        f'<p class="honesty">{esc(HONESTY_NOTE)}</p>'
        '<p class="muted">Role terms this resume does not use, by the article section they come '
        "from, with the exact change in score (logit) if the term appeared once. Now: "
        f"P(scientist) {probability(result.scientist_probability)}.</p>{''.join(groups)}"
        "</section>"
    )


def _flip(result: Classification, flip: FlipSet | None) -> str:
    other = other_role(result.lean)
    title = f"What would flip it to {ROLE_NAMES[other]}"
    if flip is None:
        return (
            f'<section class="card"><h2>{title}</h2><p>No set of the terms that lean this '
            f"resume toward {ROLE_NAMES[result.lean]} would flip it if removed.</p></section>"
        )
    cls = "s" if result.lean == LABELS[1] else "e"
    chips = "".join(f'<span class="chip {cls}">{esc(t)}</span>' for t in flip.terms)
    n = len(flip.terms)
    return (
        f'<section class="card"><h2>{title}</h2>'
        f"<p>Removing every occurrence of these {n} term{'s' if n != 1 else ''} would take the "
        f"score from {signed(result.logit)} to {signed(flip.logit_after)} "
        f"(P(scientist) {probability(flip.probability_after)}); keeping any one of them would "
        f"not flip it.</p><div>{chips}</div></section>"
    )


def _details(result: Classification) -> str:
    occurrences = sum(c.count for c in result.contributions)
    label = "undetermined" if result.label == UNDETERMINED else result.label
    rows = [
        ("label", label),
        ("logit", f"{result.logit:.6f}"),
        ("bias", f"{result.bias:.6f}"),
        ("evidence", f"{result.evidence_terms} role terms ({occurrences} occurrences), "
         f"{result.ml_terms} machine-learning terms"),
        ("pages", f"{result.pages} ({result.engine})"),
        ("model", result.model[:16] or "?"),
        *(("warning", w) for w in result.warnings),
    ]  # fmt: skip
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return f'<section class="card"><h2>Details</h2><dl class="details">{items}</dl></section>'
