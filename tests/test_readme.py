"""README.md and .ci/run agree with the tree: the Quick start is two commands, CI runs the second, the notebook
list is the notebooks that exist."""

from __future__ import annotations

import os
import re

from _quickstart import ROOT, quickstart_commands


def test_quick_start_is_exactly_two_commands_lab_then_test():
    commands = quickstart_commands()
    assert len(commands) == 2, commands
    for command in commands:
        program = command.split()[0]
        assert os.access(ROOT / program, os.X_OK), f"{program} is not an executable in the repository"
    assert " lab" in commands[0] and " test" in commands[1], commands


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert quickstart_commands()[1] in lines, ".ci/run must call the README's test command as written"
    assert lines[0] == "set -euo pipefail", "without it a failing step would not fail the job"


def test_every_notebook_is_listed_and_every_listed_notebook_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\(notebooks/([0-9]{2}-[\w-]+\.ipynb)\)", readme))
    present = {path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert listed == present


def test_binder_link_opens_the_first_notebook_in_jupyterlab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = re.search(r"https://mybinder\.org/v2/gh/[^)\s`]+", readme)
    assert link, "no Binder link in README.md"
    first = sorted(p.name for p in (ROOT / "notebooks").glob("00-*.ipynb"))
    assert first and link.group(0).endswith(f"?labpath=notebooks%2F{first[0]}")
