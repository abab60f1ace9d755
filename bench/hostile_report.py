"""Each file of the hostile corpus through the guarded reader: outcome, time, peak memory.

The peak is the reader child's own maximum RSS (from wait4); the parent's
growth over the whole run is printed last.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT

from classifier.errors import ClassifierError
from classifier.guard import LAST_CHILD, ReadOptions, read_document
from tests.fixtures import hostile

PDF = ROOT / "tests" / "fixtures" / "pdf"


def build(root: Path) -> list[Path]:
    for name in ("empty", "not_a_pdf", "truncated", "encrypted", "owner_only", "scanned"):
        shutil.copy(PDF / f"{name}.pdf", root / f"{name}.pdf")
    (root / "html.pdf").write_text("<!doctype html><html><body>resume</body></html>")
    hostile.deep_nesting_pdf(root / "deep_nesting.pdf")
    hostile.page_tree_loop_pdf(root / "page_tree_loop.pdf")
    hostile.self_xobject_pdf(root / "self_xobject.pdf")
    hostile.decompression_bomb_pdf(root / "bomb_1GiB.pdf")
    hostile.many_glyphs_pdf(root / "million_glyphs.pdf", 1_000_000)
    hostile.many_pages_pdf(root / "pages_500.pdf", 500)
    hostile.padded_pdf(root / "fifty_mb.pdf", 50)
    hostile.invisible_text_pdf(root / "invisible.pdf")
    (root / "nul_and_bad_utf8.txt").write_bytes(b"ML engineer\x00 Kubernetes \xff\xfe MLflow\n")
    shutil.copy(PDF / "one_column.pdf", root / "name with spaces, ünïcode\nand newline.pdf")
    return sorted(root.iterdir())


def main() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        for path in build(Path(tmp)):
            for engine in ("pdfplumber", "pdfium"):
                LAST_CHILD.clear()
                start = time.perf_counter()
                try:
                    doc = read_document(path, ReadOptions(engine=engine))
                    outcome = f"ok, {doc.pages} pages, {len(doc.text)} chars"
                except ClassifierError as exc:
                    outcome = f"error: {str(exc).replace(str(path), '').lstrip(': ')[:90]}"
                seconds = time.perf_counter() - start
                peak = LAST_CHILD.get("peak_rss_mb")
                shown = f"{peak:.0f} MB" if peak else "(not parsed)"
                name = path.name.replace("\n", "\\n")
                print(f"| {name} | {engine} | {outcome} | {seconds:.2f} s | {shown} |")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"parent peak RSS grew by {grown:.0f} MB over the whole corpus")


if __name__ == "__main__":
    main()
