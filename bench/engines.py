"""pdfplumber vs pdfium: pages per second, and agreement of what the classifier sees.

Agreement is measured on the fixture resumes, the two samples, and the dev
evaluation postings rendered to PDF: identical feature counts, same label, and
the largest difference of P(scientist).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from common import OUT, ROOT, text_pdf

from classifier.explain.contributions import explain
from classifier.model.store import load_model
from classifier.read.dispatch import extract

FIXTURES = [
    *(ROOT / "tests" / "fixtures" / "pdf" / f"{n}.pdf"
      for n in ("one_column", "two_column", "latex_resume", "faux_bold", "ligature", "multipage",
                "owner_only")),
    ROOT / "examples" / "engineer_resume.pdf",
    ROOT / "examples" / "scientist_resume.pdf",
]  # fmt: skip
DEV = ROOT.parent / "shared" / "eval" / "job_posts_dev.jsonl"


def dev_pdfs() -> list[Path]:
    """The dev postings rendered to simple PDFs (never trained on; a reading check only)."""
    folder = OUT / "dev-pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    if not DEV.exists():
        return paths
    for line in DEV.read_text().splitlines():
        row = json.loads(line)
        lines = [chunk for par in row["text"].split("\n") for chunk in _wrap(par, 100)]
        paths.append(text_pdf(folder / f"{row['id']}.pdf", lines))
    return paths


def _wrap(text: str, width: int) -> list[str]:
    out, cur = [], ""
    for word in text.split():
        if cur and len(cur) + len(word) + 1 > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return [*out, cur]


def pages_per_second(paths: list[Path], engine: str, repeat: int = 3) -> float:
    pages = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            pages += extract(path, engine=engine).pages
    return pages / (time.perf_counter() - start)


def agreement(paths: list[Path]) -> dict[str, float]:
    model = load_model()
    same_features = same_label = 0
    max_diff = 0.0
    for path in paths:
        a = extract(path, engine="pdfplumber")
        b = extract(path, engine="pdfium")
        fa, fb = Counter(model.analyzer(a.text)), Counter(model.analyzer(b.text))
        same_features += fa == fb
        ra, rb = explain(a, model), explain(b, model)
        same_label += ra.label == rb.label
        max_diff = max(max_diff, abs(ra.scientist_probability - rb.scientist_probability))
    n = len(paths)
    return {"n": n, "same_features": same_features / n, "same_label": same_label / n,
            "max_p_diff": max_diff}  # fmt: skip


def main() -> None:
    for engine in ("pdfplumber", "pdfium"):
        print(f"{engine:<10} {pages_per_second(FIXTURES, engine):8.1f} pages/s on the fixtures")
    for name, paths in (("fixtures", FIXTURES), ("dev postings as PDF", dev_pdfs())):
        a = agreement(paths)
        print(
            f"{name}: n={a['n']}, identical features {a['same_features']:.1%}, same label "
            f"{a['same_label']:.1%}, max |P diff| {a['max_p_diff']:.4f}"
        )


if __name__ == "__main__":
    main()
