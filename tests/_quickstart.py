"""The README's Quick start, as the tests read it: one fenced block of exactly two commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart_commands() -> list[str]:
    """The command lines of the first fenced block under "## Quick start" in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```[a-z]*\n(.*?)^```", section, re.S | re.M)
    assert block, "README.md: no fenced block under '## Quick start'"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def lab_command() -> list[str]:
    """The first command (set up and open JupyterLab), split into argv."""
    return shlex.split(quickstart_commands()[0])
