"""The page of ``resume-role serve`` in a real browser: Playwright drives the system Chromium.

Against a live server: three files go in through the file input and come back as rows
(two verdicts, one error), the table sorts and filters, a report opens (and switches its
advice), the CSV download holds the same cells as ``resume-role batch``, pasted text is
classified, a token server asks for its token once, and nothing logs a console error or
a Content-Security-Policy violation. Skipped only when there is no Chromium binary or
Playwright cannot launch it; no browser is ever downloaded.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from classifier.batch.rows import probability_digits
from classifier.serve.page import SCRIPT, page_csp, render_page

from .conftest import EXAMPLES, PDF, ROOT
from .serve_support import LiveServer, live_server

playwright = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]'")
expect = playwright.expect

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).is_file()), None
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
FILES = [EXAMPLES / "engineer_resume.pdf", EXAMPLES / "scientist_resume.pdf", PDF / "truncated.pdf"]
TIMEOUT_MS = 20_000
#: Reports a violation of the page's policy to the console, where the test sees it (the
#: browser logs one there too, also from the report frame, which inherits the policy); the
#: listener is added through the browser, not by the page's own script.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI);
});
"""
SCIENCE = (
    "Research scientist with a PhD in statistics. I publish papers at NeurIPS and ICML on "
    "Bayesian inference, causal inference and deep learning theory; I design experiments, "
    "prove convergence bounds and study machine learning and neural networks."
)

CHEF = (
    "Head chef with twelve years in restaurant kitchens: menu design, sourcing seasonal "
    "produce, training line cooks, food safety audits and catering for weddings."
)


@dataclass
class Tab:
    """A page and what went wrong in it: console errors and warnings, uncaught errors."""

    page: Any
    problems: list[str] = field(default_factory=list)

    def visible_files(self) -> list[str]:
        return [
            cell.inner_text().strip()
            for cell in self.page.locator("#rows tbody tr:not([hidden]) td.file").all()
        ]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no Chromium at /usr/bin/chromium or on PATH (apt-get install chromium)")
    driver = playwright.sync_playwright().start()
    try:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    except Exception as exc:  # a binary that does not start headless here
        driver.stop()
        pytest.skip(f"Playwright cannot launch {CHROMIUM}: {exc}")
    yield chromium
    chromium.close()
    driver.stop()


@pytest.fixture(scope="module")
def server(bundled_model_copy: Path) -> Iterator[LiveServer]:
    with live_server("--model", str(bundled_model_copy)) as running:
        yield running


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Tab(page)
    page.on(
        "console",
        lambda m: (
            watched.problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda exc: watched.problems.append(f"uncaught: {exc}"))
    yield watched
    context.close()


def _open(tab: Tab, url: str) -> None:
    tab.page.goto(url)
    tab.page.wait_for_selector("html[data-ready='1']", state="attached")


def _batch_csv(tmp_path: Path, model: Path) -> subprocess.Popen[str]:
    """``resume-role batch . -o rows.csv`` in a folder of the same three files (started, not
    waited for). Run in the folder, so that an error names the file as the upload does
    (``truncated.pdf: ...``, not ``/tmp/.../truncated.pdf: ...``)."""
    folder = tmp_path / "resumes"
    folder.mkdir()
    for f in FILES:
        shutil.copy(f, folder / f.name)
    return subprocess.Popen(
        [sys.executable, "-m", "classifier", "batch", ".", "-o", str(tmp_path / "rows.csv"),
         "--engine", "pdfplumber", "--jobs", "1", "--model", str(model)],
        cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_upload_sort_filter_report_and_csv(
    tab: Tab, server: LiveServer, tmp_path: Path, bundled_model_copy: Path
) -> None:
    batch = _batch_csv(tmp_path, bundled_model_copy)
    page = tab.page
    _open(tab, server.url + "/")
    assert "No files yet" in page.inner_text("#empty")
    page.set_input_files("#pick-files", [str(f) for f in FILES])
    page.wait_for_selector("html[data-rows='3']", state="attached")
    page.wait_for_selector("#jobs li >> text=Done: 3 files")

    verdicts = {
        tr.locator("td.file").inner_text().strip(): tr.locator(".v").inner_text()
        for tr in page.locator("#rows tbody tr").all()
    }
    assert verdicts == {
        "engineer_resume.pdf": "engineer",
        "scientist_resume.pdf": "scientist",
        "truncated.pdf": "failed",
    }
    failed = page.locator("#rows tbody tr[data-verdict=failed]")
    assert "truncated.pdf: cannot read the PDF" in failed.locator("td.note").inner_text()
    assert "1 lean engineer, 1 lean scientist, 0 undetermined" in page.inner_text("#counts")
    assert page.locator("#hist svg rect").count() == 11  # ten bins and the no-lean bar
    # the words the resume used, next to the term
    assert "AWS Certified" in page.locator("#rows tbody tr[data-verdict=engineer]").inner_text()

    # sort by P(scientist): click, then the keyboard; the failed row stays last either way
    heading = page.locator("#rows thead th").nth(2)
    heading.locator("button").click()
    assert heading.get_attribute("aria-sort") == "ascending"
    assert tab.visible_files() == ["engineer_resume.pdf", "scientist_resume.pdf", "truncated.pdf"]
    heading.locator("button").focus()
    page.keyboard.press("Enter")
    assert heading.get_attribute("aria-sort") == "descending"
    assert tab.visible_files() == ["scientist_resume.pdf", "engineer_resume.pdf", "truncated.pdf"]

    # filter by verdict, then by text
    page.select_option("#filter-verdict", "scientist")
    assert tab.visible_files() == ["scientist_resume.pdf"]
    assert page.inner_text("#filter-count") == "1 of 3 shown"
    page.select_option("#filter-verdict", "")
    page.fill("#filter-text", "PSEOF")
    assert tab.visible_files() == ["truncated.pdf"]
    page.fill("#filter-text", "")
    assert len(tab.visible_files()) == 3

    # a report, in its sandboxed frame; the switch loads the advice toward a role
    page.locator("#rows button.link", has_text="scientist_resume.pdf").click()
    page.wait_for_selector("html[data-report='default']", state="attached")
    report = page.frame_locator("#report-frame")
    expect(report.locator("h1")).to_have_text("scientist_resume.pdf")
    expect(report.locator("h2", has_text="What would move it toward ML Engineer")).to_have_count(1)
    page.get_by_label("ML Scientist", exact=True).check()
    page.wait_for_selector("html[data-report='scientist']", state="attached")
    expect(report.locator("h2", has_text="toward ML Scientist")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#report-dlg")).to_be_hidden()

    # the CSV download: the same cells as `resume-role batch -o rows.csv`
    with page.expect_download() as download:
        page.click("#dl-csv")
    got = Path(download.value.path()).read_text(encoding="utf-8")
    _, err = batch.communicate(timeout=60)
    assert batch.returncode == 3, err  # 3: some files failed, the others were written
    want = (tmp_path / "rows.csv").read_text(encoding="utf-8")
    assert _cells(got) == _cells(want)
    assert len(_cells(got)) == 4
    assert tab.problems == []


def test_pasted_text_is_classified(tab: Tab, server: LiveServer) -> None:
    page = tab.page
    _open(tab, server.url + "/")
    page.click("#paste-go")
    assert page.inner_text("#paste-status") == "Paste some text first."
    page.fill("#paste", SCIENCE)
    page.click("#paste-go")
    page.wait_for_selector("html[data-rows='1']", state="attached")

    api = httpx.post(f"{server.url}/api/v1/classify?filename=pasted.txt", content=SCIENCE).json()
    row = page.locator("#rows tbody tr")
    assert row.locator("td.file").inner_text().strip() == "pasted.txt"
    assert row.locator(".v").inner_text() == api["label"] == "scientist"
    p = api["scientist_probability"]
    assert row.locator("td.num").first.inner_text() == f"{p:.{probability_digits(p)}f}"
    assert "leans ML Scientist" in page.inner_text("#paste-status")

    page.locator("#paste-status button").click()
    page.wait_for_selector("html[data-report='default']", state="attached")
    assert "leans ML Scientist" in page.inner_text("#report-summary")
    page.get_by_label("ML Scientist", exact=True).check()
    page.wait_for_selector("html[data-report='scientist']", state="attached")
    assert "What would move it toward ML Scientist" in page.text_content("#report-summary")
    page.click("#report-close")

    # a text without a lean: its own verdict, no probability, last by P either way
    page.fill("#paste", CHEF)
    page.click("#paste-go")
    page.wait_for_selector("html[data-rows='2']", state="attached")
    none = page.locator("#rows tbody tr[data-verdict=undetermined]")
    assert none.locator("td.num").first.inner_text() == "no lean"
    assert "1 lean scientist, 1 undetermined" in page.inner_text("#counts")
    assert page.locator("#hist svg rect").last.text_content() == "undetermined (no lean): 1"
    heading = page.locator("#rows thead th").nth(2).locator("button")
    for _ in ("ascending", "descending"):
        heading.click()
        verdicts = page.locator("#rows tbody tr").evaluate_all(
            "(rows) => rows.map((r) => r.dataset.verdict)"
        )
        assert verdicts == ["scientist", "undetermined"]
    assert tab.problems == []


def test_names_and_words_are_text_never_markup(tab: Tab, server: LiveServer) -> None:
    page = tab.page
    _open(tab, server.url + "/")
    name = "<img src=x onerror=alert(1)>.txt"
    page.set_input_files(
        "#pick-files", {"name": name, "mimeType": "text/plain", "buffer": SCIENCE.encode()}
    )
    page.wait_for_selector("html[data-rows='1']", state="attached")
    assert page.locator("#rows td.file").inner_text().strip() == name
    assert page.locator("img").count() == 0
    page.locator("#rows button.link").click()
    expect(page.frame_locator("#report-frame").locator("h1")).to_have_text(name)
    assert page.frame_locator("#report-frame").locator("img").count() == 0
    assert tab.problems == []


def test_a_dropped_file_is_uploaded(tab: Tab, server: LiveServer) -> None:
    page = tab.page
    _open(tab, server.url + "/")
    dropped = page.evaluate_handle(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "dropped.txt", {type: "text/plain"}));
            return data;
        }""",
        SCIENCE,
    )
    page.dispatch_event("#drop", "dragover", {"dataTransfer": dropped})
    assert "over" in (page.get_attribute("#drop", "class") or "")
    page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
    page.wait_for_selector("#jobs li >> text=Done: 1 file")
    assert page.locator("#rows td.file").inner_text().strip() == "dropped.txt"
    assert page.locator("#rows .v").inner_text() == "scientist"
    assert tab.problems == []


def test_the_page_is_self_contained_under_its_policy(server: LiveServer) -> None:
    answer = httpx.get(server.url + "/")
    assert answer.headers["content-security-policy"] == page_csp()
    policy = dict(d.strip().split(" ", 1) for d in page_csp().split(";"))
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert policy == {
        "default-src": "'none'",
        "script-src": f"'sha256-{digest}'",
        "style-src": "'unsafe-inline'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    html = answer.text
    assert html == render_page()
    assert html.count("<script") == 1 and f"<script>{SCRIPT}</script>" in html
    # nothing loads from elsewhere: links go to this server's own pages only
    assert re.findall(r'(?:src|href|action)="(?![/#])', html) == []
    assert "@import" not in html and "url(" not in html
    # data is only ever text: no HTML parsing of strings in the script
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in SCRIPT
    assert httpx.get(server.url + "/model").text == html


def test_model_view(tab: Tab, server: LiveServer) -> None:
    page = tab.page
    _open(tab, server.url + "/model")
    model = httpx.get(f"{server.url}/api/v1/model").json()
    page.wait_for_selector("#model-body dl")
    assert model["sha256"] in page.inner_text("#model-body")
    assert page.get_attribute("#nav-model", "aria-current") == "page"
    assert page.locator("#view-classify").is_hidden()
    assert tab.problems == []


def test_token_is_asked_once_and_errors_are_told_in_words(
    tab: Tab, browser: Any, bundled_model_copy: Path
) -> None:
    page = tab.page
    token_server = ("--token", "t0k", "--max-size", "1", "--model", str(bundled_model_copy))
    with live_server(*token_server, jobs=1) as server:
        assert httpx.get(f"{server.url}/api/v1/model").status_code == 401
        _open(tab, server.url + "/")
        page.wait_for_selector("#token-dlg[open]")
        page.fill("#token-input", "t0k")
        page.keyboard.press("Enter")
        page.wait_for_selector("#model-line >> text=Model")
        assert not page.locator("#token-dlg").is_visible()

        page.set_input_files("#pick-files", str(FILES[0]))
        page.wait_for_selector("#jobs li >> text=Done: 1 file")
        page.locator("#rows button.link").click()
        page.wait_for_selector("html[data-report='default']", state="attached")
        expect(page.frame_locator("#report-frame").locator("h1")).to_have_text(FILES[0].name)
        page.click("#report-close")
        with page.expect_download() as download:
            page.click("#dl-jsonl")
        assert '"source": "engineer_resume.pdf"' in Path(download.value.path()).read_text()
        assert page.get_attribute("html", "data-token-asks") == "1"

        # over the size limit: the 413 in words
        page.evaluate("document.getElementById('paste').value = 'data '.repeat(250000)")
        page.click("#paste-go")
        page.wait_for_selector("#paste-status.error")
        assert page.inner_text("#paste-status") == (
            "Too large: the upload is over the 1 MB limit; raise it with serve --max-size."
        )

        # kept for the tab: a reload asks nothing
        _open(tab, server.url + "/")
        page.wait_for_selector("#model-line >> text=Model")
        assert page.get_attribute("html", "data-token-asks") is None

        # a wrong token is refused in words, and asked for again
        other = browser.new_context()
        fresh = other.new_page()
        fresh.set_default_timeout(TIMEOUT_MS)
        fresh.goto(server.url + "/model")
        fresh.wait_for_selector("#token-dlg[open]")
        fresh.fill("#token-input", "wrong")
        fresh.click("#token-ok")
        fresh.wait_for_selector("#token-error:not([hidden])")
        fresh.fill("#token-input", "t0k")
        fresh.click("#token-ok")
        fresh.wait_for_selector("#model-body dl")
        assert fresh.get_attribute("html", "data-token-asks") == "2"
        other.close()
    # the browser logs the one 401 that made the page ask, and the 413; nothing else
    assert tab.problems == [
        "error: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
        "error: Failed to load resource: the server responded with a status of 413 (Request "
        "Entity Too Large)",
    ]
