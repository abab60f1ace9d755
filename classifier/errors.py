"""One error hierarchy: every error the library raises on purpose.

Each class subclasses :class:`ClassifierError` and the builtin it refines, so
callers can catch either. Messages name the bad value and say what to do next;
the CLI prints them as one line and exits non-zero.
"""

from __future__ import annotations


class ClassifierError(Exception):
    """Base of every error raised on purpose by this package."""


class InputNotFoundError(ClassifierError, FileNotFoundError):
    """A resume, data or model path that does not exist."""


class UnsupportedFormatError(ClassifierError, ValueError):
    """A file whose type we do not read."""


class ExtractionError(ClassifierError, ValueError):
    """A file that exists but whose text cannot be read (corrupt, truncated, not a PDF)."""


class EncryptedFileError(ExtractionError):
    """A PDF that needs a password to open."""


class NoTextError(ExtractionError):
    """A file with no extractable text, such as a scanned PDF."""


class ResourceLimitError(ExtractionError):
    """A file too large, too slow or too memory-hungry to read within the limits."""


class UsageError(ClassifierError, ValueError):
    """An argument of the library that is not one of its choices (a role, an engine, a format)."""


class DaskMissingError(ClassifierError, ImportError):
    """``--scheduler`` was given but dask.distributed is not installed."""


class ModelError(ClassifierError, ValueError):
    """A model folder or scoring file that is missing, edited or of another version."""


class DataError(ClassifierError, ValueError):
    """Labelled training or evaluation data that cannot be used."""


class VocabularyError(ClassifierError, ValueError):
    """A vocabulary file with a malformed entry."""


class LegacyFormatError(UnsupportedFormatError):
    """A word-processor file in a format we do not read (.doc, .rtf, .odt, .pages)."""


class OcrUnavailableError(ClassifierError, RuntimeError):
    """OCR was asked for but the Tesseract program (or its language data) is not installed."""


class OcrError(ExtractionError):
    """Tesseract failed on every page it was given (crashed, or over the per-page timeout)."""


def describe(exc: BaseException) -> str:
    """``TypeName: first line of the message`` (at most 120 characters), for one-line errors."""
    text = str(exc).strip()
    reason = text.splitlines()[0][:120] if text else ""
    return type(exc).__name__ + (f": {reason}" if reason else "")


def encrypted_pdf(name: object) -> EncryptedFileError:
    return EncryptedFileError(
        f"{name}: the PDF is password-protected; save a copy without the password and try again"
    )
