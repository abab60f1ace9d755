"""Metrics on the shared development set, as-is and with the title words blanked out.

The set (../shared/eval/job_posts_dev.jsonl) is a yardstick: never trained on.
Usage: python bench/eval_dev.py [PATH] [--model DIR]
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from common import ROOT

from classifier.model.store import load_model
from classifier.training.corpus import Example
from classifier.training.evaluate import evaluate
from classifier.training.labelled import read_labelled

SHARED = Path(os.environ.get("RESUME_ROLE_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "eval" / "job_posts_dev.jsonl"
TITLE_WORDS = re.compile(r"\b(engineer|scientist)s?\b", re.IGNORECASE)


def blank_titles(examples: list[Example]) -> list[Example]:
    return [Example(TITLE_WORDS.sub(" ", e.text), e.label, e.group, e.source) for e in examples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEV))
    parser.add_argument("--model")
    args = parser.parse_args()
    model = load_model(args.model)
    examples = read_labelled([Path(args.path)]).examples
    for name, data in (("as is", examples), ("engineer/scientist blanked", blank_titles(examples))):
        r = evaluate(data, model)
        print(
            f"{name:<28} n={r['n']} accuracy {r['accuracy']:.3f}  ROC AUC {r['roc_auc']:.3f}  "
            f"Brier {r['brier']:.3f}  undetermined {r['undetermined_rate']:.1%}"
        )


if __name__ == "__main__":
    main()
