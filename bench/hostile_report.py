"""Each file of the hostile corpus through the guarded reader: outcome, time, peak memory.

The peak is the largest RSS of any reader child so far (getrusage of the
children, which only grows): a file that raises it shows its own peak. The
parent's growth over the whole run is printed last.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from common import ROOT

from classifier.errors import ClassifierError
from classifier.read.guard import ReadOptions, read_document
from tests.fixtures import hostile

PDF = ROOT / "tests" / "fixtures" / "pdf"


def main() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        for path in hostile.build_corpus(Path(tmp), PDF):
            for engine in ("pdfplumber", "pdfium"):
                children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                try:
                    doc = read_document(path, ReadOptions(engine=engine))
                    outcome = f"ok, {doc.pages} pages, {len(doc.text)} chars"
                except ClassifierError as exc:
                    outcome = f"error: {str(exc).replace(str(path), '').lstrip(': ')[:90]}"
                seconds = time.perf_counter() - start
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                shown = f"{peak / 1024:.0f} MB" if peak > children_before else "(below the peak)"
                name = path.name.replace("\n", "\\n")
                print(f"| {name} | {engine} | {outcome} | {seconds:.2f} s | {shown} |")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"parent peak RSS grew by {grown:.0f} MB over the whole corpus")


if __name__ == "__main__":
    main()
