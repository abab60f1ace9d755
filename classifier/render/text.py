"""Renderers: result types in, strings out. No I/O here."""

from __future__ import annotations

from classifier.config import (
    ADVICE_MIN_PROBABILITY_CHANGE,
    ADVICE_SHOWN,
    DEFAULT_TOP_TERMS,
    SHOWN_WEIGHT_MIN,
    UNDETERMINED,
)
from classifier.explain.advice import HONESTY_NOTE
from classifier.results import BatchSummary, Classification, Contribution, Explanation
from classifier.text.analyzer import tokens
from classifier.text.vocabulary import REQUIREMENT_PREFIX, TITLE_PREFIX


def render_advice(e: Explanation, per_section: int = ADVICE_SHOWN) -> str:
    """Terminal lines: what is missing, or the strongest missing terms with P after, and
    the flip set. A settled lean gets one line instead of a list of noise."""
    lines: list[str] = []
    if e.missing_ml:
        lines.append(
            "  what is missing: machine-learning evidence; terms of the field it does not "
            f"use: {', '.join(e.missing_ml)}"
        )
    if e.advice:
        toward = e.advice[0].toward
        p_now = e.result.scientist_probability
        biggest = max(abs(s.probability_after - p_now) for a in e.advice for s in a.suggestions)
        if biggest < ADVICE_MIN_PROBABILITY_CHANGE and e.toward is None:
            lines.append(
                f"  no single missing term would move P(scientist) by a percentage point "
                f"or more toward {toward}: the lean is settled (--toward lists them anyway)"
            )
        else:
            lines.append(
                f"  to read more {toward}-leaning, the strongest missing terms "
                "(logit gain if added once, P(scientist) after):"
            )
            for a in e.advice:
                terms = ", ".join(
                    f"{s.term} {s.logit_gain:+.2f} (P {s.probability_after:.2f})"
                    for s in a.suggestions[:per_section]
                )
                lines.append(f"    {a.section}: {terms}")
            lines.append(f"  {HONESTY_NOTE}")
    if e.flip is not None and e.result.label != UNDETERMINED:
        shown = ", ".join(e.flip.terms[: per_section * 2])
        more = (
            f" and {len(e.flip.terms) - per_section * 2} more"
            if len(e.flip.terms) > per_section * 2
            else ""
        )
        lines.append(
            f"  removing these {len(e.flip.terms)} terms would flip it (logit "
            f"{e.flip.logit_after:+.2f}): {shown}{more}"
        )
    return "\n".join(lines)


def verdict_line(result: Classification, thin: bool = False) -> str:
    """The headline: ``scientist-leaning, P(scientist) = 0.87``, or for an undetermined
    text no lean at all (what it would lean to is said on its own line)."""
    p = f"P(scientist) = {result.scientist_probability:.2f}"
    if result.label == UNDETERMINED:
        return (
            f"undetermined: too little machine-learning evidence to judge "
            f"({result.ml_terms} machine-learning term{'s' if result.ml_terms != 1 else ''}, "
            f"{result.evidence_terms} role terms)"
        )
    if thin:
        return f"{result.label}-leaning on thin machine-learning evidence, {p}"
    strength = _strength(result.scientist_probability)
    return f"{strength}{result.label}-leaning, {p}"


def lean_if_ml_line(result: Classification) -> str:
    """For an undetermined text: the lean its vocabulary would have if it were an ML resume."""
    return (
        f"if it were an ML resume, its vocabulary would lean {result.lean} "
        f"(P(scientist) = {result.scientist_probability:.2f}); this is not a verdict"
    )


def _strength(p: float) -> str:
    margin = abs(p - 0.5)
    if margin >= 0.4:
        return "strongly "
    if margin < 0.1:
        return "slightly "
    return ""


def written_forms(term: str, matched: tuple[str, ...]) -> tuple[str, ...]:
    """The words a text used for ``term``, when any of them is not the term's own name
    (up to case and a plural "s"): what a reader must see to know what was written."""

    def plural(t: tuple[str, ...]) -> tuple[str, ...]:
        return (*t[:-1], t[-1] + "s") if t else t

    own = tokens(term)
    other = [m for m in matched if tokens(m) not in (own, plural(own)) and plural(tokens(m)) != own]
    return matched if other else ()


def term_with_forms(term: str, matched: tuple[str, ...]) -> str:
    """``data stores (Elasticsearch, DynamoDB)``, or the bare term when it was written so."""
    forms = written_forms(term, matched)
    return f"{term} ({', '.join(forms)})" if forms else term


def display_term(term: str) -> str:
    """A feature as a reader says it: ``current title (engineer)``, ``phd (asked for)``."""
    if term.startswith(TITLE_PREFIX):
        role, _, when = term.removeprefix(TITLE_PREFIX).partition("@")
        return f"{when} title ({role})"
    if term.startswith(REQUIREMENT_PREFIX):
        return f"{term.removeprefix(REQUIREMENT_PREFIX)} (asked for)"
    return term


def _as_written(c: Contribution) -> str:
    forms = written_forms(c.term, c.matched)
    return f"  ({', '.join(forms)})" if forms else ""


def render_text(result: Classification | Explanation, top: int = DEFAULT_TOP_TERMS) -> str:
    """Human output: file, verdict, strongest terms each way (with the words the resume
    used), evidence found."""
    e = result if isinstance(result, Explanation) else Explanation(result)
    result = e.result
    lines = [result.source, f"  {verdict_line(result, e.thin)}"]
    if result.label == UNDETERMINED:
        lines.append(f"  {lean_if_ml_line(result)}")
    # Terms that would print as +0.000 push nowhere a reader can see: left out here (the
    # JSON keeps every term, unrounded).
    shown = [c for c in result.contributions if abs(c.weight) >= SHOWN_WEIGHT_MIN]
    toward_sci = [c for c in shown if c.weight > 0][:top]
    toward_eng = [c for c in shown if c.weight < 0][:top]
    for title, items in (("toward engineer", toward_eng), ("toward scientist", toward_sci)):
        lines.append(f"  {title}:")
        if not items:
            lines.append("    (none)")
        width = max((len(display_term(c.term)) for c in items), default=0)
        for c in items:
            times = f" x{c.count}" if c.count > 1 else ""
            name = display_term(c.term)
            where = "" if c.term.startswith(TITLE_PREFIX) else f"  {c.section}"
            lines.append(f"    {name:<{width}}  {c.weight:+.3f}{where}{times}{_as_written(c)}")
    occurrences = sum(c.count for c in result.contributions)
    lines.append(
        f"  evidence: {result.evidence_terms} role terms ({occurrences} occurrences), "
        f"{result.ml_terms} machine-learning term{'s' if result.ml_terms != 1 else ''}; "
        f"bias {result.bias:+.3f}, "
        f"logit {result.logit:+.3f}"
    )
    lines.extend(f"  warning: {w}" for w in result.warnings)
    return "\n".join(lines)


def render_summary(summary: BatchSummary, max_failures: int = 20) -> str:
    """The closing lines of a batch: counts per label, failures with reasons, speed."""
    labels = ", ".join(f"{label} {n}" for label, n in summary.labels) or "none"
    hidden = f" ({summary.hidden} hidden left out)" if summary.hidden else ""
    lines = [
        f"{summary.files} files{hidden}: "
        f"{summary.scored} scored now, {summary.kept} kept from an earlier run, "
        f"{summary.duplicates} identical to another file",
        f"labels: {labels}" + (f"; {summary.ocr} read with OCR" if summary.ocr else ""),
    ]
    if summary.skipped:
        from classifier.config import IMAGE_SUFFIXES

        names = summary.skipped_files
        shown = ", ".join(names[:max_failures])
        more = f" and {len(names) - max_failures} more" if len(names) > max_failures else ""
        images = any(n.lower().endswith(IMAGE_SUFFIXES) for n in names)
        lines.append(
            f"{summary.skipped} skipped (type not read): {shown}{more}"
            + ("; run again with --ocr to read the images" if images else "")
        )
    lines.append(f"failed: {len(summary.failures)}")
    for source, reason in summary.failures[:max_failures]:
        lines.append(f"  {source}: {reason}")
    if len(summary.failures) > max_failures:
        lines.append(f"  ... and {len(summary.failures) - max_failures} more (see the output)")
    if summary.torn_line_dropped:
        lines.append("a torn last line from an interrupted run was dropped and rescored")
    if summary.stale_rows_dropped:
        lines.append(f"{summary.stale_rows_dropped} rows of another model or engine were rescored")
    lines.append(
        f"time {summary.seconds:.1f} s, {summary.files_per_second:.1f} files/s; "
        f"rows in {summary.output}"
    )
    return "\n".join(lines)
