"""Labelled text for training and evaluation: the bundled base corpus and the vocabulary.

The base corpus lives in ``training_data/corpus/*.jsonl``, one object a line
with ``text``, ``label`` and ``group`` (the template or source document; cross-
validation never splits a group). Each vocabulary role term also becomes a
tiny labelled document, so every feature is seen in training (unless a model is
trained on a team's data alone, ``--replace-base``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import LABELS
from classifier.errors import DataError
from classifier.paths import data_dir
from classifier.text.vocabulary import Vocabulary

VOCAB_GROUP_PREFIX = "vocabulary:"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text. ``group`` keeps near-duplicates in one cross-validation fold.

    ``weight`` is its sample weight in the logistic regression (``--weight`` gives a
    team's examples more than the base corpus); it takes no part in equality.
    """

    text: str
    label: str
    group: str
    source: str = ""
    weight: float = field(default=1.0, compare=False)


def corpus_dir() -> Path:
    return data_dir("training_data") / "corpus"


def load_base_corpus(folder: Path | None = None) -> list[Example]:
    """Every ``*.jsonl`` file of the bundled corpus, in sorted file order."""
    folder = folder or corpus_dir()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise DataError(f"{folder}: no *.jsonl corpus files; reinstall the package")
    examples: list[Example] = []
    for file in files:
        examples.extend(read_corpus_jsonl(file))
    return examples


def read_corpus_jsonl(file: Path) -> list[Example]:
    """Strictly read one bundled corpus file; a bad line is an error naming file and line."""
    out: list[Example] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        try:
            obj = json.loads(line)
            text, label = obj["text"], obj["label"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{where}: malformed corpus line ({exc}); fix the file") from exc
        if label not in LABELS:
            raise DataError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
        group = str(obj.get("group") or f"{file.stem}:{number}")
        out.append(Example(text, label, f"{file.stem}:{group}", where))
    return out


def vocabulary_examples(vocabulary: Vocabulary) -> list[Example]:
    """One short document per role term: its canonical form and variants."""
    return [
        Example(", ".join(e.variants), e.info.role, VOCAB_GROUP_PREFIX + e.info.term, "vocabulary")
        for e in vocabulary.entries
        if e.info.role in LABELS
    ]


def data_hash(examples: list[Example], vocabulary: Vocabulary) -> str:
    """sha256 over the labelled texts (sorted) and the vocabulary: names the training data.

    A weight other than 1 is part of an example's entry, so weighing the same data
    differently names different training data (unweighted data hashes as it always did).
    """
    h = hashlib.sha256()
    for entry in sorted(_hash_entry(e) for e in examples):
        h.update(json.dumps(entry, ensure_ascii=False).encode())
        h.update(b"\n")
    h.update(json.dumps(vocabulary.to_data(), sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def _hash_entry(e: Example) -> tuple[str, str] | tuple[str, str, float]:
    return (e.text, e.label) if e.weight == 1.0 else (e.text, e.label, e.weight)
