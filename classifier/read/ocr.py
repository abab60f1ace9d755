"""OCR for PDF pages without a text layer and for images: pypdfium2 renders a page (Pillow
opens an image), Tesseract reads it.

Each page is rendered in greyscale at :data:`~classifier.config.OCR_DPI` and
piped as PNG to the ``tesseract`` program (no temporary files), one process per
page with its own timeout and ``OMP_THREAD_LIMIT=1``, so OCR never uses more
than one core and batch workers do not fight over the machine. On Linux a
single-threaded caller (the guard's forked reader) has Tesseract killed with it,
so a reader stopped by the guard leaves no Tesseract behind. A page that fails
or times out becomes a warning; every page failing is an :class:`OcrError`.
Tesseract's TSV output gives both the text (lines and paragraphs as Tesseract
found them) and word confidences, so a poor scan is flagged.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
import subprocess
import warnings as warnings_module
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from classifier.config import (
    MAX_PAGES,
    OCR_DPI,
    OCR_LANGUAGE,
    OCR_MAX_PAGE_PIXELS,
    OCR_MIN_CONFIDENCE,
    OCR_PAGE_ALLOWANCE_S,
    OCR_PAGE_TIMEOUT_S,
    OCR_PSM,
    OCR_THREADS,
    TESSERACT_CMD,
)
from classifier.errors import ExtractionError, OcrError, OcrUnavailableError, describe
from classifier.read.pdfium import open_pdf
from classifier.read.process import die_with_parent_hook

__all__ = [
    "ocr_allowance_s",
    "ocr_image",
    "ocr_pages",
    "ocr_pdf",
    "require_tesseract",
    "tesseract_missing_error",
]


def require_tesseract(name: str = "") -> str:
    """The Tesseract program's path: the one check that OCR can run here (``name``: the file)."""
    executable = shutil.which(TESSERACT_CMD)
    if executable is None:
        raise tesseract_missing_error(name)
    return executable


def tesseract_missing_error(name: str = "") -> OcrUnavailableError:
    """The one-line error for OCR asked for without Tesseract installed (``name``: the file)."""
    prefix = f"{name}: " if name else ""
    return OcrUnavailableError(
        f"{prefix}OCR needs the Tesseract program, which is not installed; install it "
        "(Debian/Ubuntu: `sudo apt-get install tesseract-ocr`, macOS: `brew install tesseract`) "
        "and try again, or export the resume as a PDF with a text layer"
    )


def ocr_allowance_s(pages: int) -> float:
    """Extra reading time to grant a file of which up to ``pages`` pages may need OCR."""
    return max(0, pages) * OCR_PAGE_ALLOWANCE_S


def ocr_pdf(
    data: bytes, name: str, pages: list[int] | None = None, max_pages: int = MAX_PAGES
) -> tuple[str, list[str]]:
    """OCR text of a PDF's pages (0-based ``pages``, or all of the first ``max_pages``).

    Returns the pages' text in page order, joined by newlines, and warnings.
    """
    texts, warnings = ocr_pages(data, name, pages, max_pages)
    return "\n".join(texts[index] for index in sorted(texts)), warnings


def ocr_pages(
    data: bytes, name: str, pages: list[int] | None = None, max_pages: int = MAX_PAGES
) -> tuple[dict[int, str], list[str]]:
    """OCR text of each page read, by 0-based page index, and warnings.

    For callers that interleave OCR pages with pages that have a text layer.
    Pages past the end of the document are ignored; pages past ``max_pages``
    are dropped with a warning.
    """
    executable = require_tesseract(name)
    pdf = open_pdf(data, name)
    warnings: list[str] = []
    try:
        count = len(pdf)
        wanted = range(count) if pages is None else sorted({p for p in pages if 0 <= p < count})
        indices = [p for p in wanted if p < max_pages]
        if len(indices) < len(wanted):
            warnings.append(
                f"OCR read the first {max_pages} pages only; raise the limit with --max-pages"
            )
        renders = ((index, lambda i=index: _render_png(pdf, i, warnings)) for index in indices)
        texts = _read_all(executable, name, renders, warnings)
    finally:
        pdf.close()
    if texts:
        warnings.insert(
            0,
            f"OCR: {len(texts)} page(s) without a text layer read with Tesseract; "
            "recognition errors are possible",
        )
    return texts, warnings


def ocr_image(
    data: bytes, name: str, max_pages: int = MAX_PAGES
) -> tuple[list[str], int, list[str]]:
    """OCR text of an image file, page by page (a TIFF may hold several), the page count,
    and warnings. Each page is read in greyscale, at most OCR_MAX_PAGE_PIXELS in size (a
    larger one is scaled down, with a warning), turned upright as its EXIF data says."""
    from PIL import Image

    executable = require_tesseract(name)
    warnings: list[str] = []
    try:
        with _quiet_pillow():
            image = Image.open(io.BytesIO(data))
            count = int(getattr(image, "n_frames", 1))
    except Exception as exc:  # Pillow raises many types for a damaged or foreign file
        raise ExtractionError(
            f"{name}: cannot read the image ({describe(exc)}); the file may be damaged or not "
            "an image: export it again, or export the resume as PDF"
        ) from exc
    try:
        indices = range(min(count, max_pages))
        if count > max_pages:
            warnings.append(
                f"OCR read the first {max_pages} of {count} pages; raise the limit with --max-pages"
            )
        renders = ((index, lambda i=index: _image_png(image, i, warnings)) for index in indices)
        texts = _read_all(executable, name, renders, warnings)
    finally:
        image.close()
    warnings.insert(0, "OCR: the image was read with Tesseract; recognition errors are possible")
    return [texts.get(index, "") for index in indices], count, warnings


def _read_all(
    executable: str,
    name: str,
    renders: Iterable[tuple[int, Callable[[], bytes]]],
    warnings: list[str],
) -> dict[int, str]:
    """Tesseract on each rendered page: text by page index. A page that fails is a warning;
    every page failing is an :class:`OcrError`. Low confidence is a warning."""
    texts: dict[int, str] = {}
    failures: list[str] = []
    for index, render in renders:
        try:
            text, confidence = _tesseract(executable, render(), name)
        except _PageFailed as failure:
            failures.append(f"page {index + 1}: {failure}")
            continue
        texts[index] = text
        if confidence is not None and confidence < OCR_MIN_CONFIDENCE:
            warnings.append(
                f"page {index + 1}: OCR confidence is low ({confidence:.0f}%); the scan "
                "may be blurred, skewed or too small: rescan at 300 dpi for a better reading"
            )
    if failures and not texts:
        raise OcrError(
            f"{name}: OCR failed on every page ({failures[0]}); "
            "export the resume as a PDF with a text layer, or raise the limit with --timeout"
        )
    warnings.extend(f"{failure}; the page was skipped" for failure in failures)
    return texts


class _PageFailed(Exception):
    """One page's Tesseract run failed; the reason is the message."""


def _render_png(pdf: Any, index: int, warnings: list[str]) -> bytes:
    """Page ``index`` as a greyscale PNG at OCR_DPI (lower for a huge page, with a warning)."""
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise _PageFailed("the page could not be loaded (damaged)") from exc
    try:
        width, height = page.get_size()
        scale = OCR_DPI / 72
        if width * height * scale * scale > OCR_MAX_PAGE_PIXELS:
            scale = math.sqrt(OCR_MAX_PAGE_PIXELS / max(width * height, 1.0))
            warnings.append(
                f"page {index + 1}: the page is very large ({width / 72:.0f} x {height / 72:.0f} "
                f"in); OCR read it at {scale * 72:.0f} dpi"
            )
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    finally:
        page.close()
    dpi = round(scale * 72)
    return _png(image, (dpi, dpi))


def _image_png(image: Any, index: int, warnings: list[str]) -> bytes:
    """Page ``index`` of an image file as a greyscale PNG (scaled down when over
    OCR_MAX_PAGE_PIXELS, with a warning), keeping the image's resolution if it has one."""
    from PIL import Image, ImageOps

    try:
        with _quiet_pillow():
            image.seek(index)
            page = _greyscale(ImageOps.exif_transpose(image))
    except Exception as exc:  # a truncated or corrupt frame
        raise _PageFailed(f"the image could not be decoded ({describe(exc)})") from exc
    dpi = image.info.get("dpi")
    width, height = page.size
    if width * height > OCR_MAX_PAGE_PIXELS:
        scale = math.sqrt(OCR_MAX_PAGE_PIXELS / (width * height))
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        page = page.resize(size, Image.Resampling.LANCZOS)
        warnings.append(
            f"page {index + 1}: the image is very large ({width} x {height} pixels); "
            f"OCR read it scaled to {size[0]} x {size[1]}"
        )
        if dpi:
            dpi = (dpi[0] * scale, dpi[1] * scale)
    return _png(page, _dpi(dpi))


def _greyscale(frame: Any) -> Any:
    """``frame`` in greyscale, transparent parts white (a screenshot's transparent background
    is often stored black, which would hide black text)."""
    from PIL import Image

    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        frame = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return frame.convert("L")


def _dpi(value: object) -> tuple[int, int] | None:
    """A usable (x, y) resolution from Pillow's ``info["dpi"]``, or None."""
    try:
        x, y = (round(float(v)) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    return (x, y) if x > 0 and y > 0 else None


def _png(image: Any, dpi: tuple[int, int] | None) -> bytes:
    buffer = io.BytesIO()
    if dpi is None:  # Tesseract estimates the resolution from the text size
        image.save(buffer, "PNG", compress_level=1)
    else:
        image.save(buffer, "PNG", dpi=dpi, compress_level=1)
    return buffer.getvalue()


@contextlib.contextmanager
def _quiet_pillow() -> Iterator[None]:
    """Pillow's warnings (a large image is scaled here anyway) go nowhere, not to stderr."""
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore")
        yield


def _tesseract(executable: str, png: bytes, name: str) -> tuple[str, float | None]:
    """Run Tesseract on one PNG: (text, mean word confidence or None)."""
    command = [executable, "stdin", "stdout", "-l", OCR_LANGUAGE, "--psm", str(OCR_PSM), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": str(OCR_THREADS)}
    try:
        done = subprocess.run(
            command,
            input=png,
            capture_output=True,
            env=env,
            timeout=OCR_PAGE_TIMEOUT_S,
            check=False,
            preexec_fn=die_with_parent_hook(),  # only when single-threaded: see there
        )
    except subprocess.TimeoutExpired as exc:
        raise _PageFailed(f"OCR took longer than {OCR_PAGE_TIMEOUT_S:g} s") from exc
    except OSError as exc:  # vanished or not executable since shutil.which found it
        raise tesseract_missing_error(name) from exc
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if "Failed loading language" in stderr or "Error opening data file" in stderr:
            raise OcrUnavailableError(
                f"{name}: Tesseract has no {OCR_LANGUAGE!r} language data; install it "
                f"(Debian/Ubuntu: `sudo apt-get install tesseract-ocr-{OCR_LANGUAGE}`) "
                "and try again"
            )
        lines = [line for line in stderr.splitlines() if line.strip()]
        reason = lines[-1][:120] if lines else f"exit status {done.returncode}"
        raise _PageFailed(f"Tesseract failed ({reason})")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> tuple[str, float | None]:
    """Tesseract TSV -> (text with its lines and blank lines between paragraphs, confidence)."""
    lines: list[str] = []
    words: list[str] = []
    confidences: list[float] = []
    current: tuple[str, ...] | None = None
    paragraph: tuple[str, ...] | None = None
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        key = tuple(cells[1:5])  # page, block, paragraph, line
        if key != current:
            if words:
                lines.append(" ".join(words))
            if paragraph is not None and key[:3] != paragraph:
                lines.append("")
            current, paragraph, words = key, key[:3], []
        words.append(cells[11].strip())
        with contextlib.suppress(ValueError):
            confidences.append(float(cells[10]))
    if words:
        lines.append(" ".join(words))
    mean = sum(confidences) / len(confidences) if confidences else None
    return "\n".join(lines), mean
