"""README opens with the two commands, and CI runs the README's test command."""

from __future__ import annotations

import re

from .conftest import ROOT


def _first_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_opens_with_install_and_test_commands() -> None:
    run, test = _first_commands()
    assert "\n" not in run and "\n" not in test
    assert run.startswith("pip install .") and "resume-role classify examples/" in run
    assert test.startswith("pip install '.[test]'") and "pytest" in test
    sample = run.split()[-1]
    assert (ROOT / sample).is_file()


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _first_commands()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci.splitlines()
