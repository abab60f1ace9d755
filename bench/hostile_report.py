"""Each file of the hostile corpus through the guarded reader: outcome, time, peak memory.

The peak is the reader child's own maximum RSS (from wait4); the parent's
growth over the whole run is printed last.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from common import ROOT

from classifier.errors import ClassifierError
from classifier.read.guard import LAST_CHILD, ReadOptions, read_document
from tests.fixtures import hostile

PDF = ROOT / "tests" / "fixtures" / "pdf"


def main() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        for path in hostile.build_corpus(Path(tmp), PDF):
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
