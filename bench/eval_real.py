"""The second real yardstick: ../shared/real postings and CVs, per label and per source.

Nobody here wrote these texts: they are for measuring and for choosing between
designs only (never trained on, never tuned to). Items flagged ``doubtful``
are left out. ``engineer``/``scientist`` items count as right when the label
matches (``undetermined`` is wrong for them); ``other`` items count as right when
they are ``undetermined``. Also prints the share of matched spans (behind each
document's ten strongest terms) whose surface text is not the term's own name,
and not a listed form of the term.

Usage: python bench/eval_real.py [--model DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from common import ROOT

from classifier import classify_text
from classifier.model.store import load_model
from classifier.text.analyzer import tokens
from classifier.text.vocabulary import REQUIREMENT_PREFIX, TITLE_PREFIX

SHARED = Path(os.environ.get("RESUME_ROLE_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "real"
EXPECTED = {"engineer": "engineer", "scientist": "scientist", "other": "undetermined"}


def _items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _source(item: dict[str, Any]) -> str:
    repo = str(item.get("source_repo") or "")
    return repo.split("/")[0] if item.get("kind") == "job_post" else "resumes"


def _forms(model: Any) -> dict[str, set[tuple[str, ...]]]:
    """Each term's listed forms as the analyzer's tokens, with their simple plurals."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for entry in model.vocabulary.entries:
        forms = {tokens(v) for v in entry.variants}
        out[entry.info.term] = forms | {(*f[:-1], f[-1] + "s") for f in forms if f}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model")
    parser.add_argument("--json", help="also write the figures as JSON here")
    args = parser.parse_args()
    model = load_model(args.model)
    forms = _forms(model)
    tally: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    spans = Counter[str]()
    start = time.perf_counter()
    items = [*_items(REAL / "postings.jsonl"), *_items(REAL / "resumes.jsonl")]
    for item in items:
        if item.get("doubtful") or item["label"] not in EXPECTED:
            continue
        result = classify_text(item["text"], model, source=item["id"])
        kind = "resume" if item["kind"] == "resume" else "posting"
        key = (kind, item["label"], _source(item))
        tally[key][result.label] += 1
        for c in result.contributions[:10]:
            if c.term.startswith(TITLE_PREFIX):  # a held title: the title line, not a term
                spans["held titles (not checked)"] += len(c.spans)
                continue
            term = c.term.removeprefix(REQUIREMENT_PREFIX)  # req:phd is phd, asked for
            for s, e in c.spans:
                surface = tokens(result.text[s:e])
                spans["all"] += 1
                spans["not the term's name"] += surface != tokens(term)
                spans["not a listed form"] += surface not in forms.get(term, set())
    seconds = time.perf_counter() - start
    rows = []
    for kind, label in sorted({(k, lab) for k, lab, _ in tally}):
        sources = sorted(s for k, lab, s in tally if (k, lab) == (kind, label))
        for source in [*sources, "all"]:
            counts: Counter[str] = Counter()
            for (k, lab, s), c in tally.items():
                if (k, lab) == (kind, label) and source in (s, "all"):
                    counts.update(c)
            n = sum(counts.values())
            right = counts[EXPECTED[label]]
            rate = right / n if n else None
            row = {"kind": kind, "label": label, "source": source, "n": n}
            rows.append({**row, "right": right, "rate": rate, "outcomes": dict(counts)})
    print("| kind | label | source | n | right | rate | outcomes |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        print(
            f"| {r['kind']} | {r['label']} | {r['source']} | {r['n']} | {r['right']} | "
            f"{r['rate']:.3f} | {outcomes} |"
        )
    share = {k: v / spans["all"] for k, v in spans.items() if k != "all"} if spans["all"] else {}
    renamed = share.get("not the term's name", 0.0)
    unlisted = share.get("not a listed form", 0.0)
    print(
        f"\nspans behind the top-10 terms: {spans['all']}; not the term's own name "
        f"{renamed:.1%}; not a listed form {unlisted:.2%}; held-title spans (not terms) "
        f"{spans['held titles (not checked)']}"
    )
    print(f"{len(items)} items read in {seconds:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "spans": dict(spans)}, indent=1))


if __name__ == "__main__":
    main()
