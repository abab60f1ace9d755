"""The pages in a real browser: headless Chromium loads them without a console error.

Needs a Chromium binary (Debian/Ubuntu: ``apt-get install chromium``); skipped
without one. Each run is bounded by a timeout and uses its own profile folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from classifier import classify
from classifier.explain import explain_fully
from classifier.model.scoring import ScoringModel
from classifier.render.html import render_batch_index, render_html
from classifier.results import Row

from .conftest import EXAMPLES

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)"
)
TIMEOUT_S = 90
WIDTH, HEIGHT = 1200, 2000
# Chromium logs page console messages as "...:INFO:CONSOLE(12)] ..." (older) or
# "...:INFO:CONSOLE:12] ..." (newer); our pages write nothing to the console, so
# any such line is an uncaught error or a blocked resource/script.
CONSOLE = re.compile(r"CONSOLE[(:]\d+")


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    console = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
    assert not console, "browser console:\n" + "\n".join(console)
    return done


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_scientist_page_renders_without_errors(tmp_path: Path, model: ScoringModel) -> None:
    result = classify(EXAMPLES / "scientist_resume.pdf", model)
    html = render_html(explain_fully(result, model))
    page = tmp_path / "scientist.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, page, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    assert shot.is_file(), "no screenshot written"
    assert _png_size(shot) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 50_000, "the screenshot is nearly blank"
    _assert_both_hues(shot)


def _assert_both_hues(shot: Path) -> None:
    """Highlights in both colours were painted (Pillow comes with pdfplumber)."""
    image = pytest.importorskip("PIL.Image")
    with image.open(shot) as img:
        found = img.convert("RGB").resize((300, 500)).getcolors(300 * 500) or []
    colours = {colour for _, colour in found}
    bluish = any(b > r + 60 and b > g for r, g, b in colours)
    orangish = any(r > b + 80 and g > b + 20 for r, g, b in colours)
    assert len(colours) > 200 and bluish and orangish


def _index_rows() -> list[Row]:
    return [
        Row(f"r{i}.pdf", "ok", "", "pdfium", "", label="engineer" if i % 2 else "scientist",
            scientist_probability=i / 10, logit=i - 5.0)
        for i in range(10)
    ] + [
        Row("thin.pdf", "ok", "", "pdfium", "", label="undetermined", scientist_probability=0.5,
            logit=0.0, warnings=("hidden text: possible keyword stuffing " * 12,)),
        Row.failed("bad.pdf", "", "not a PDF " + "x" * 200, "pdfium", ""),
        Row.failed("a-very-long-file-name-without-any-spaces-" * 4 + ".pdf", "", "?", "pdfium", ""),
    ]  # fmt: skip


def test_batch_index_script_runs_under_its_policy(tmp_path: Path) -> None:
    rows = _index_rows()
    page = tmp_path / "index.html"
    page.write_text(render_batch_index(rows), encoding="utf-8")
    done = _chromium(tmp_path, page, "--dump-dom")
    assert 'data-sortable="ready"' in done.stdout, "the sorting script did not run"
    # the filters are shown once the script runs (hidden without it), counting every row
    assert '<div class="filters" id="filters">' in done.stdout
    assert f"{len(rows)} of {len(rows)} shown" in done.stdout


def test_batch_index_fits_the_page_at_200_percent_zoom(tmp_path: Path) -> None:
    """At 640 CSS pixels (a 1280-pixel window at 200%) long names and notes wrap inside the
    card: nothing spills off the page. A probe added to the page's script measures it."""
    html = render_batch_index(_index_rows())
    script = html[html.index("<script>") + len("<script>") : html.index("</script>")]
    probe = script + (
        "(function () { var d = document.documentElement, t = document.getElementById('rows');"
        " var fits = d.scrollWidth <= window.innerWidth &&"
        " t.offsetWidth <= t.parentNode.clientWidth;"
        " d.setAttribute('data-fits', fits ? 'yes' : d.scrollWidth + '/' + window.innerWidth);"
        " })();"
    )

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    html = html.replace(script, probe).replace(digest(script), digest(probe))
    page = tmp_path / "index.html"
    page.write_text(html, encoding="utf-8")
    done = _chromium(tmp_path, page, "--dump-dom", "--window-size=640,1000")
    assert 'data-sortable="ready"' in done.stdout, "the page script did not run"
    assert 'data-fits="yes"' in done.stdout, re.findall(r'data-fits="[^"]*"', done.stdout)
