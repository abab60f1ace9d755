"""Typst source (``.typ``) -> PDF bytes, compiled in memory; the PDF is then read with pdfium.

Route taken: the ``typst`` package from PyPI (Python bindings to the Typst
compiler, a Rust extension with the compiler and its default fonts inside).
Checked on this project's machines: ``pip install typst`` installs a binary
wheel (0.15, ~80 MB unpacked) and ``typst.compile(source, format="pdf")``
works offline in ~15 ms for a one-page resume; only ``#import "@preview/..."``
packages need the network, and fail with a one-line error without it.
Compiling and reading the PDF gives the text as a reader sees it (show rules,
``#let`` functions and templates applied), which stripping Typst markup by
hand would not. Because the wheel is large and few resumes are written in
Typst, it is the optional extra ``typst`` (``pip install
'resume-role-classifier[typst]'``); without it a ``.typ`` file gets a one-line
error saying so. The reading itself is ``dispatch``'s PDF path with the pdfium
engine (fast; Typst PDFs carry a clean text layer).

The compiler may read files (images, ``#include``) under the resume's folder,
as the ``typst`` command does; with no such folder (bytes sent to a remote
worker) it gets an empty temporary one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from classifier.config import TYPST_EXTRA
from classifier.errors import ExtractionError, UnsupportedFormatError

__all__ = ["typst_missing_error", "typst_pdf"]


def typst_missing_error(name: str) -> UnsupportedFormatError:
    """The one-line error for a ``.typ`` file without the optional ``typst`` package."""
    return UnsupportedFormatError(
        f"{name}: reading Typst source needs the optional typst package: "
        f"pip install 'resume-role-classifier[{TYPST_EXTRA}]' (or export the resume as PDF)"
    )


def typst_pdf(data: bytes, name: str) -> tuple[bytes, list[str]]:
    """The PDF that Typst makes of ``data`` (a ``.typ`` file's bytes), and Typst's warnings."""
    try:
        import typst
    except ImportError as exc:
        raise typst_missing_error(name) from exc
    folder = Path(name).parent
    with tempfile.TemporaryDirectory(prefix="resume-role-typst-") as empty:
        root = folder if folder.is_dir() else Path(empty)
        # Untyped on purpose: typst's stubs tie root's type to input's.
        with_warnings: Any = getattr(typst, "compile_with_warnings", None)  # typst >= 0.12
        plain: Any = typst.compile
        try:
            if with_warnings is not None:
                pdf, notes = with_warnings(data, root=str(root), format="pdf")
            else:
                pdf, notes = plain(data, root=str(root), format="pdf"), []
        except Exception as exc:  # typst.TypstError, and whatever else the binding raises
            text = str(getattr(exc, "message", "") or exc).strip()
            reason = text.splitlines()[0][:160] if text else type(exc).__name__
            raise ExtractionError(
                f"{name}: cannot compile the Typst source ({reason}); fix it, or export the "
                "resume as PDF and try again"
            ) from exc
    warnings = [f"typst: {getattr(n, 'message', n)}" for n in notes]
    return bytes(pdf), warnings
