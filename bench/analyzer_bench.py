"""The analyzer and the explanation, old vs new, on real postings (issue 17 item 5).

python bench/analyzer_bench.py [--rounds 5] [--limit N] [--no-append]
  -> prints a markdown table and appends it to bench/results.md

"Old" is the implementation before the fast rewrite, kept verbatim as the reference in
tests/test_analyzer_equivalence.py; "new" is the package. For every text of
../shared/real/postings.jsonl and ../shared/eval/job_posts_dev.jsonl (read for timing
only; set RESUME_ROLE_SHARED to point elsewhere), in the same run:

* ``classify_text``: normalise + find + explain (old: the reference's normalise, find and
  explain_matches);
* ``find``: the analyzer on the normalised text;
* the explanation alone: ``explain_matches`` given the matches (the per-term
  contributions, language check and document kind; the document-kind memo is cleared
  before each new call, so it is not flattered by the find that came before).

Each text is timed old and new back to back, in alternating order from round to round, so
that a busy machine slows both alike; medians are over every (text, round). The new
results are checked to equal the old ones on every text.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from common import RESULTS, ROOT, machine, record

from classifier.explain.contributions import explain_matches
from classifier.flow import classify_text
from classifier.model.store import load_model
from classifier.read.normalize import normalize
from classifier.results import Document
from classifier.text import structure
from tests.test_analyzer_equivalence import (
    ReferenceAnalyzer,
    ref_classify_text,
    ref_explain_matches,
    ref_normalize,
)

HEADING = "## Analyzer (bench/analyzer_bench.py)"
SHARED = Path(os.environ.get("RESUME_ROLE_SHARED", ROOT.parent / "shared"))
SETS = {
    "real postings": SHARED / "real" / "postings.jsonl",
    "dev postings": SHARED / "eval" / "job_posts_dev.jsonl",
}
TARGETS = {"classify_text": 2.0, "explain_matches": 0.5}  # ms, median, on the real postings


def _texts(path: Path, limit: int | None) -> list[str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r["text"] for r in rows][:limit]


def _pairwise(
    items: list[object],
    old: Callable[[object], object],
    new: Callable[[object], object],
    rounds: int,
) -> tuple[list[float], list[float]]:
    """Seconds per call of ``old`` and ``new`` on each item, back to back, in alternating
    order."""
    old_s: list[float] = []
    new_s: list[float] = []
    for r in range(rounds):
        for i, item in enumerate(items):
            order = ((old, old_s), (new, new_s))
            for fn, out in order if (r + i) % 2 == 0 else reversed(order):
                start = time.perf_counter()
                fn(item)
                out.append(time.perf_counter() - start)
    return old_s, new_s


def _cold_explain(model, item):  # type: ignore[no-untyped-def]
    document, matches = item
    structure._last_kind = ("", structure.RESUME)  # no memo from the find before
    return explain_matches(document, model, matches)


def measure(rounds: int, limit: int | None) -> list[dict[str, object]]:
    model = load_model()
    reference = ReferenceAnalyzer(model.vocabulary)
    rows: list[dict[str, object]] = []
    for name, path in SETS.items():
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        raws = _texts(path, limit)
        # the results first: identical on every text
        same = sum(
            classify_text(raw, model) == ref_classify_text(raw, model, reference) for raw in raws
        )
        texts = [normalize(raw) for raw in raws]
        assert texts == [ref_normalize(raw) for raw in raws]
        found = [model.analyzer.find(t) for t in texts]
        same_find = sum(found[i] == reference.find(t) for i, t in enumerate(texts))
        explained = [(Document("<text>", t), m) for t, m in zip(texts, found, strict=True)]
        same_explain = sum(
            explain_matches(d, model, m) == ref_explain_matches(d, model, m) for d, m in explained
        )
        print(
            f"{name}: {len(raws)} texts; identical classify_text {same}, find {same_find}, "
            f"explain_matches {same_explain}"
        )
        cases: list[tuple[str, list[object], Callable[..., object], Callable[..., object]]] = [
            (
                "classify_text",
                list(raws),
                lambda raw: ref_classify_text(raw, model, reference),
                lambda raw: classify_text(raw, model),
            ),
            ("find", list(texts), reference.find, model.analyzer.find),
            (
                "explain_matches",
                list(explained),
                lambda item: ref_explain_matches(item[0], model, item[1]),
                lambda item: _cold_explain(model, item),
            ),
        ]
        for what, items, old, new in cases:
            old_s, new_s = _pairwise(items, old, new, rounds)
            row = {
                "what": what,
                "set": name,
                "n": len(items),
                "identical": {"classify_text": same, "find": same_find}.get(what, same_explain),
                "old_median": statistics.median(old_s) * 1000,
                "new_median": statistics.median(new_s) * 1000,
                "old_mean": statistics.mean(old_s) * 1000,
                "new_mean": statistics.mean(new_s) * 1000,
            }
            rows.append(row)
            print(
                f"  {what:16s} old {row['old_median']:.3f} ms  new {row['new_median']:.3f} ms "
                f"(means {row['old_mean']:.3f} / {row['new_mean']:.3f})"
            )
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| what | texts | identical | old median ms | new median ms | speed-up | old mean ms | new mean ms | target (real postings) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        target = TARGETS.get(str(r["what"])) if r["set"] == "real postings" else None
        verdict = ""
        if target is not None:
            met = float(r["new_median"]) <= target  # type: ignore[arg-type]
            verdict = f"<= {target} ms: {'met' if met else 'NOT met'}"
        lines.append(
            f"| `{r['what']}`, {r['set']} | {r['n']} | {r['identical']}/{r['n']} "
            f"| {r['old_median']:.3f} | {r['new_median']:.3f} "
            f"| {float(r['old_median']) / float(r['new_median']):.1f}x "  # type: ignore[arg-type]
            f"| {r['old_mean']:.3f} | {r['new_mean']:.3f} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over each set")
    parser.add_argument("--limit", type=int, default=None, help="at most this many texts a set")
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = measure(args.rounds, args.limit)
    text = table(rows)
    print()
    print(text)
    if args.no_append or not rows:
        return
    command = (
        "python bench/analyzer_bench.py"
        + (f" --rounds {args.rounds}" if args.rounds != 5 else "")
        + (f" --limit {args.limit}" if args.limit else "")
    )
    section = (
        f"\n\n{HEADING}\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; `{command}` "
        f"took {time.perf_counter() - started:.0f} s. Old = the implementation before the fast "
        "analyzer (the reference copy in tests/test_analyzer_equivalence.py), new = the package; "
        f"each text timed old and new back to back, {args.rounds} rounds, alternating order; "
        "medians over every (text, round). `explain_matches` is the explanation alone, given "
        "the matches.\n\n" + text + "\n"
    )
    record(section)
    print(f"\nappended to {RESULTS}")


if __name__ == "__main__":
    main()
