"""Reading labelled data: aliases, every problem at once with file and line, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.errors import DataError
from classifier.training.labelled import canonical_label, read_labelled

from .conftest import FIXTURES, PDF


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("Engineer", "engineer"),
        ("ML engineer", "engineer"),
        ("MLE", "engineer"),
        ("mlops_engineer", "engineer"),
        ("Research Scientist", "scientist"),
        ("applied  scientist", "scientist"),
        ("ML scientist", "scientist"),
        ("chef", None),
        (3, None),
    ],
)
def test_label_aliases(raw: object, label: str | None) -> None:
    assert canonical_label(raw) == label


def test_none_label_only_where_allowed() -> None:
    assert canonical_label("none") is None
    assert canonical_label("none", allow_none=True) == "none"


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = _jsonl(
        tmp_path / "d.jsonl",
        [
            {"text": "Deployed models on Kubernetes", "label": "engineer"},
            {"text": "Proved a theorem", "label": "wizard"},
            {"text": "   ", "label": "scientist"},
            "{not json",
            {"text": "no label here"},
        ],
    )
    with pytest.raises(DataError) as info:
        read_labelled([data])
    message = str(info.value)
    assert message.startswith("4 problem(s)")
    assert f"{data}:2: unknown label 'wizard'" in message
    assert f"{data}:3: empty text" in message
    assert f"{data}:4: malformed JSON" in message
    assert f"{data}:5: expected an object" in message


def test_csv_rows_and_missing_column(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        'text,label\n"Built CI/CD, on-call",MLE\n"Wrote a thesis\non proofs",research scientist\n'
    )
    report = read_labelled([good])
    assert [e.label for e in report.examples] == ["engineer", "scientist"]
    assert report.examples[1].source.endswith("row 4")  # the quoted cell spans two lines
    bad = tmp_path / "bad.csv"
    bad.write_text("content,label\nx,engineer\n")
    with pytest.raises(DataError, match="missing column"):
        read_labelled([bad])


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    raw = b'{"text": "ok", "label": "engineer"}\n{"text": "\xff"}\n'
    f.write_bytes(raw)
    offset = raw.index(b"\xff")
    with pytest.raises(DataError, match=f"byte offset {offset}"):
        read_labelled([f])


def test_duplicates_are_dropped_and_conflicts_are_errors(tmp_path: Path) -> None:
    f = _jsonl(
        tmp_path / "d.jsonl",
        [
            {"text": "Deployed models on Kubernetes.", "label": "engineer"},
            {"text": "deployed  models on kubernetes", "label": "MLE"},
            {"text": "Published at NeurIPS", "label": "scientist"},
        ],
    )
    report = read_labelled([f])
    assert report.duplicates == 1 and len(report.examples) == 2
    conflict = _jsonl(
        tmp_path / "c.jsonl", [{"text": "Published at NeurIPS!", "label": "engineer"}]
    )
    with pytest.raises(DataError) as info:
        read_labelled([f, conflict])
    assert f"{conflict}:1: labelled 'engineer' here but 'scientist' in {f}:3" in str(info.value)


def test_folder_per_label_goes_through_extraction(tmp_path: Path) -> None:
    (tmp_path / "engineer").mkdir()
    (tmp_path / "Research Scientist").mkdir()
    (tmp_path / "engineer" / "a.pdf").write_bytes((PDF / "one_column.pdf").read_bytes())
    (tmp_path / "engineer" / "notes.xyz").write_text("ignored")
    (tmp_path / "Research Scientist" / "b.pdf").write_bytes((PDF / "latex_resume.pdf").read_bytes())
    report = read_labelled([tmp_path])
    assert sorted(e.label for e in report.examples) == ["engineer", "scientist"]
    assert any("notes.xyz" in w for w in report.warnings)
    (tmp_path / "engineer" / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(DataError, match=r"broken\.pdf"):
        read_labelled([tmp_path])


def test_text_files_in_label_folders(tmp_path: Path) -> None:
    (tmp_path / "mle").mkdir()
    (tmp_path / "mle" / "s.md").write_bytes((FIXTURES / "text" / "sample.md").read_bytes())
    assert read_labelled([tmp_path]).examples[0].label == "engineer"
