"""``python -m classifier.training``: rebuild the bundled default model from ``training_data/``.

``tools/build_model.py`` runs this with the project's evaluation sets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classifier.config import DEFAULT_SEED
from classifier.errors import ClassifierError
from classifier.model.store import default_model_dir
from classifier.training.card import read_evaluation_sets
from classifier.training.trainer import train


def main(argv: list[str] | None = None) -> int:
    """Rebuild the bundled default model from ``training_data/``.

    ``--evaluate NAME=FILE`` (repeatable) adds a labelled set the model is measured
    on in its card, never trained on; ``tools/build_model.py`` passes the project's.
    """
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--output", type=Path, default=default_model_dir())
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--evaluate", action="append", default=[], metavar="NAME=FILE")
    parser.add_argument(
        "--blank-evaluate",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="like --evaluate, and again with engineer/scientist blanked",
    )
    args = parser.parse_args(argv)
    sets = read_evaluation_sets([_named(x) for x in args.evaluate])
    sets.update(read_evaluation_sets([_named(x) for x in args.blank_evaluate], blank_titles=True))
    report = train(
        output=args.output,
        seed=args.seed,
        force=True,
        allow_default=True,
        evaluations=sets or None,
    )
    cv = report.card["cross_validation"]
    print(
        f"wrote {report.output}: {report.card['examples']} examples, "
        f"CV accuracy {cv['accuracy']:.3f}, ROC AUC {cv['roc_auc']:.3f}, Brier {cv['brier']:.3f}"
    )
    return 0


def _named(spec: str) -> tuple[str, str]:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise SystemExit(f"--evaluate needs NAME=FILE, not {spec!r}")
    return name, path


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except ClassifierError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
