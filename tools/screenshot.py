"""Regenerate docs/serve.png: the page of ``resume-role serve`` after an upload.

    python tools/screenshot.py                 # writes docs/serve.png
    python tools/screenshot.py -o shot.png     # somewhere else

Starts ``python -m classifier serve`` on a free port of 127.0.0.1 (as
tests/serve_support.py does), uploads the two sample resumes and a damaged PDF
(tests/fixtures/pdf/truncated.pdf) through the page's file input, waits for the three
rows, sorts them by P(scientist) and saves a 1280x900 screenshot. Needs Playwright
(the test extra) and the system Chromium (/usr/bin/chromium or ``chromium`` on PATH);
no browser is ever downloaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    ROOT / "examples" / "engineer_resume.pdf",
    ROOT / "examples" / "scientist_resume.pdf",
    ROOT / "tests" / "fixtures" / "pdf" / "truncated.pdf",
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
WIDTH, HEIGHT = 1280, 900


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(timeout_s: float = 60.0) -> Iterator[str]:
    """A ``resume-role serve`` on 127.0.0.1 until the block ends (then Ctrl-C)."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "classifier", "serve", "--port", str(port), "--jobs", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    f"the server exited: {process.stderr.read() if process.stderr else ''}"
                )
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1.0) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not answer /healthz in time")
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("no Chromium at /usr/bin/chromium or on PATH (apt-get install chromium)")


def screenshot(output: Path) -> None:
    from playwright.sync_api import sync_playwright

    with _server() as url, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=_chromium(), args=ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_default_timeout(30_000)
        page.goto(url + "/")
        page.wait_for_selector("html[data-ready='1']", state="attached")
        page.wait_for_selector("#model-line >> text=Model")
        page.set_input_files("#pick-files", [str(f) for f in FILES])
        page.wait_for_selector(f"html[data-rows='{len(FILES)}']", state="attached")
        page.wait_for_selector(f"#jobs li >> text=Done: {len(FILES)} files")
        page.locator("#rows thead th").nth(2).locator("button").click()  # by P(scientist)
        page.mouse.move(0, 0)
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "serve.png")
    args = parser.parse_args(argv)
    screenshot(args.output)
    print(f"{args.output}: {args.output.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
