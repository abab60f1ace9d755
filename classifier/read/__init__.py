"""Reading: a file or its bytes -> a normalised :class:`~classifier.results.Document`.

:mod:`~.dispatch` picks the reader by file type and checks size; :mod:`~.guard`
runs it in a killable child process under time and memory limits; the PDF
engines are :mod:`~.plumber` (pdfplumber, the reference) and :mod:`~.pdfium`
(fast), sharing :mod:`~.columns`; Word files are :mod:`~.docx`, LaTeX source
:mod:`~.latex`, Typst source :mod:`~.typst_source` (compiled to PDF), scans and
images :mod:`~.ocr`; :mod:`~.normalize` gives every reader the same text.
"""

from classifier.read.dispatch import extract, extract_bytes
from classifier.read.guard import ReadOptions, read_bytes, read_document
from classifier.read.normalize import normalize

__all__ = ["ReadOptions", "extract", "extract_bytes", "normalize", "read_bytes", "read_document"]
