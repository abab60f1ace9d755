"""Hostile and broken input: a clear one-line error or a correct result, in bounded time and memory.

The corpus mixes committed fixtures (small) and files generated at test time
(large: a 1 GiB decompression bomb, a million glyphs, 500 pages, 50 MB).
"""

from __future__ import annotations

import random
import resource
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import pytest

from classifier import classify_text
from classifier.batch.rows import read_rows
from classifier.batch.run import run_batch
from classifier.errors import ClassifierError
from classifier.explain.contributions import explain
from classifier.model.scoring import ScoringModel
from classifier.read.guard import ReadOptions, read_bytes, read_document

from .conftest import PDF
from .fixtures import hostile

TIMEOUT_S = 8.0
MARGIN_S = 3.0
OPTIONS = ReadOptions(timeout_s=TIMEOUT_S, memory_mb=512)
#: Files made to exhaust a limit get a short one, so the suite does not wait out the default.
SHORT = {"million_glyphs.pdf": ReadOptions(timeout_s=1.5, memory_mb=512)}


def _options(name: str) -> ReadOptions:
    return SHORT.get(name, OPTIONS)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    hostile.build_corpus(root, PDF)
    return root


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_file())


@pytest.fixture(scope="session")
def outcomes(corpus: Path, model: ScoringModel) -> dict[str, tuple[str, object, float]]:
    """Each corpus file read once under the limits: (kind, document or message, seconds)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found: dict[str, tuple[str, object, float]] = {}
    for path in _files(corpus):
        start = time.monotonic()
        try:
            doc = read_document(path, _options(path.name))
            found[path.name] = ("ok", (doc, explain(doc, model)), time.monotonic() - start)
        except ClassifierError as exc:
            found[path.name] = ("error", str(exc), time.monotonic() - start)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    found["<parent growth MB>"] = ("info", grown_mb, 0.0)
    return found


def test_every_file_gets_a_result_or_one_line_error_in_time(
    corpus: Path, outcomes: dict[str, tuple[str, object, float]]
) -> None:
    for path in _files(corpus):
        kind, value, seconds = outcomes[path.name]
        limit = _options(path.name).timeout_s
        assert limit is not None and seconds < limit + MARGIN_S, path.name
        if kind == "error":
            message = str(value)
            assert str(path) in message, message
            assert "\n" not in message.replace(str(path), ""), message
    assert outcomes["<parent growth MB>"][1] < 100  # the parent's memory is unaffected
    labels = {n: o[1][1].label for n, o in outcomes.items() if o[0] == "ok"}  # type: ignore[index]
    assert labels["nul_and_bad_utf8.txt"] == "engineer"
    assert labels["name with spaces, ünïcode\nand newline.pdf"] == "engineer"
    assert {"owner_only.pdf", "pages_500.pdf", "invisible.pdf"} <= set(labels)
    for name in ("empty.pdf", "not_a_pdf.pdf", "html.pdf", "truncated.pdf", "encrypted.pdf",
                 "scanned.pdf", "bomb.pdf", "million_glyphs.pdf", "fifty_mb.pdf"):  # fmt: skip
        assert outcomes[name][0] == "error", name


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("fifty_mb.pdf", "--max-size"),
        ("million_glyphs.pdf", "--timeout"),
        ("encrypted.pdf", "password"),
        ("scanned.pdf", "--ocr"),
        ("truncated.pdf", "re-export"),
        ("not_a_pdf.pdf", "export the resume as PDF"),
    ],
)
def test_messages_say_what_to_do(
    outcomes: dict[str, tuple[str, object, float]], name: str, hint: str
) -> None:
    kind, message, _ = outcomes[name]
    assert kind == "error" and hint in str(message)


def test_page_limit_reads_the_first_pages_and_warns(
    corpus: Path, outcomes: dict[str, tuple[str, object, float]]
) -> None:
    doc = outcomes["pages_500.pdf"][1][0]  # type: ignore[index]
    assert doc.pages == 500
    assert any("first 30 of 500 pages" in w for w in doc.warnings)
    more = read_document(corpus / "pages_500.pdf", ReadOptions(max_pages=60, engine="pdfium"))
    assert len(more.text) > len(doc.text)


def test_batch_over_the_corpus_gives_one_row_per_file(
    corpus: Path, tmp_path: Path, model: ScoringModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "batch"
    shutil.copytree(corpus, folder)
    (folder / "loop.pdf").symlink_to("loop.pdf")
    unreadable = folder / "unreadable.pdf"
    shutil.copy(PDF / "one_column.pdf", unreadable)
    real_read, real_open = Path.read_bytes, Path.open

    def read_bytes_denied(self: Path) -> bytes:
        if self.name == unreadable.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def open_denied(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == unreadable.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes_denied)
    monkeypatch.setattr(Path, "open", open_denied)
    out = tmp_path / "rows.jsonl"
    # batch's default engine, and a short timeout for the million-glyph file
    options = ReadOptions(timeout_s=2.0, memory_mb=512, engine="pdfium")
    summary = run_batch(folder, model, output=out, options=options)  # in-process: patched reads
    rows, torn = read_rows(out, "jsonl")
    names = {p.name for p in folder.iterdir()}
    assert not torn and {r.source for r in rows} == names and len(rows) == len(names)
    by = {r.source: r for r in rows}
    assert "permission denied" in by["unreadable.pdf"].error
    assert "symbolic links" in by["loop.pdf"].error
    assert summary.files == len(names)


def test_invisible_keywords_are_not_counted(corpus: Path, model: ScoringModel) -> None:
    for engine in ("pdfplumber", "pdfium"):
        doc = read_document(corpus / "invisible.pdf", ReadOptions(engine=engine))
        assert "NeurIPS" not in doc.text and "Kubernetes" in doc.text
        assert any("cannot see" in w for w in doc.warnings), engine
        assert explain(doc, model).label == "engineer"


def test_stuffed_terms_are_capped_and_flagged(model: ScoringModel) -> None:
    base = "Machine learning engineer. Deployed models with Kubernetes, MLflow and Airflow. PhD."
    normal = classify_text(base + " Research." * 20, model)
    stuffed = classify_text(base + " Research." * 500, model)
    capped = classify_text(base + " Research." * 25, model)
    assert stuffed.logit == capped.logit
    if model.binary_tf:  # presence only: no repetition earns anything
        assert capped.logit == normal.logit == classify_text(base + " Research.", model).logit
    else:
        assert capped.logit > normal.logit
    assert any("repeated far beyond normal use" in w and "research" in w for w in stuffed.warnings)
    assert not normal.warnings


def test_pdfminer_has_the_cmap_pickle_fix() -> None:
    assert int(metadata.version("pdfminer.six")) >= 20251230


def test_scoring_file_cannot_run_code(tmp_path: Path, bundled_model_copy: Path) -> None:
    """Loading a model reads JSON only: a pickle where the scoring file should be is refused."""
    import pickle

    from classifier.errors import ModelError
    from classifier.model.store import load_model

    evil = tmp_path / "scoring.json"
    evil.write_bytes(pickle.dumps({"not": "json"}))
    with pytest.raises(ModelError):
        load_model(evil)


def test_byte_mutations_never_escape_as_tracebacks() -> None:
    """80 seeded byte-level mutations of fixture PDFs through the guarded reader, two at once
    (a thousand under ``-m heavy``)."""
    _mutations(80)


@pytest.mark.heavy
def test_a_thousand_byte_mutations_never_escape_as_tracebacks() -> None:
    _mutations(1000)


def _mutations(count: int) -> None:
    seeds = [PDF / f"{n}.pdf" for n in ("one_column", "two_column", "faux_bold", "ligature")]
    originals = [p.read_bytes() for p in seeds]
    rng = random.Random(20261126)
    jobs = []
    for i in range(count):
        data = bytearray(originals[i % len(originals)])
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            kind = rng.random()
            if kind < 0.6:
                data[pos] = rng.randrange(256)
            elif kind < 0.8:
                del data[pos : pos + rng.randint(1, 64)]
            else:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        jobs.append((bytes(data), f"mutant-{i}.pdf"))

    def one(job: tuple[bytes, str]) -> str:
        try:
            read_bytes(job[0], job[1], OPTIONS)
            return "ok"
        except ClassifierError as exc:
            assert job[1] in str(exc)
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(one, jobs))
    assert len(outcomes) == count and "ok" in outcomes
