"""The tutorial notebooks: committed clean, free of secrets, logged out, and alive against a "real" BMC.

``pytest --nbval`` (configured in pyproject) runs every notebook in a fresh kernel and compares each cell's output
with the committed one; the repository's top-level conftest.py also scans every fresh output for secrets and prints each notebook's
time. Every notebook ends by printing how many sessions it left open on its mock, so a leak changes that output
and fails nbval. This module adds what nbval cannot check:

* the committed notebooks: executed (nbval skips cells without an execution count), one ``parameters`` cell,
  no secret in any output, no ``getpass``, and a last line saying the notebook left **zero** sessions open;
* the real-BMC path: notebooks run against a second mock started here and given to the kernel only through
  ``REDFISH_*`` environment variables (the runbook through papermill parameters), with an account whose password
  appears nowhere but in the environment; that BMC must end with zero sessions and the password must appear in no
  output (papermill saves parameters in the output notebook, so the runbook takes the variable's *name*).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from redfishnb import lab

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
REAL_BMC_VARIABLES = tuple(lab.ENV.values())  # REDFISH_URL, _USERNAME, _PASSWORD, _CA, _FINGERPRINT
CELL_TIMEOUT = 60
LEFT_OPEN = "sessions this notebook left open: "


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """Every output of every cell, all MIME types, as one string."""
    return "\n".join(json.dumps(cell.get("outputs", []), ensure_ascii=False) for cell in nb.cells)


def stdout_of(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in REAL_BMC_VARIABLES}
    env.update(extra or {})
    return env


def execute(path: Path, env: dict[str, str]) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook top to bottom in a fresh kernel with ``env`` as its environment."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    started = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    return nb, time.perf_counter() - started


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_the_tutorials_are_all_there():
    assert set(ids(NOTEBOOKS)) >= {
        "00-start-here",
        "01-basic-auth",
        "02-session-auth",
        "03-managing-sessions",
        "06-ilo-two-factor",
    }


# -- committed notebooks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_notebook_is_executed_clean_and_logged_out(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    # nbval compares only cells with an execution count: a stripped notebook would only be smoke-tested.
    assert all(c.execution_count for c in code_cells), (
        "commit the notebook with its outputs and execution counts"
    )
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1)), (
        "run top to bottom once"
    )
    assert sum(1 for c in code_cells if "parameters" in c.metadata.get("tags", [])) == 1
    assert not any(o.get("output_type") == "error" for c in code_cells for o in c.outputs)
    assert lab.find_secrets(outputs_text(nb), lab.MOCK_ACCOUNTS) == []
    sources = "\n".join(c.source for c in code_cells)
    assert "getpass" not in sources, (
        "prompting belongs in redfishnb.lab, which never prompts without a keyboard"
    )
    assert "verify=False" not in sources
    assert stdout_of(code_cells[-1]).rstrip().endswith(LEFT_OPEN + "0"), (
        "the notebook must close its sessions"
    )


# -- the real-BMC path -------------------------------------------------------------------------------------------


@pytest.fixture
def real_bmc():
    """A second mock posing as a real BMC: random tokens (no seed), an account with a password of its own, and
    a long idle timeout (as on BMCs where stale sessions pile up)."""
    from redfishnb.mock import MockBMC

    password = "Lab-" + secrets.token_urlsafe(18)
    with MockBMC(flavor="ilo6", session_timeout=14400) as bmc:
        bmc.add_account("labops", password, role="Administrator")
        yield bmc, password
        assert bmc.session_count == 0, f"sessions left on the 'real' BMC: {bmc.sessions()}"


REAL_BMC_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem == "02-session-auth"]


@pytest.mark.parametrize("path", REAL_BMC_NOTEBOOKS, ids=ids(REAL_BMC_NOTEBOOKS))
def test_notebook_against_a_real_bmc_from_the_environment(path, real_bmc, capsys):
    bmc, password = real_bmc
    env = clean_environment(
        {
            "REDFISH_URL": bmc.url,
            "REDFISH_USERNAME": "labops",
            "REDFISH_PASSWORD": password,
            "REDFISH_CA": bmc.ca_file,
        }
    )
    nb, elapsed = execute(path, env)
    with capsys.disabled():
        print(f"\n{path.name}: {elapsed:.1f} s (fresh kernel, 'real' BMC from REDFISH_*)")
    text = outputs_text(nb)
    assert f"<Target BMC at {bmc.url}, user 'labops'" in text, "the notebook did not take the real-BMC path"
    assert lab.find_secrets(text, {"labops": password, **lab.MOCK_ACCOUNTS}) == []
    # the fixture asserts the 'real' BMC has no session left


RUNBOOK = NOTEBOOK_DIR / "05-runbook-stale-sessions.ipynb"


@pytest.mark.skipif(not RUNBOOK.exists(), reason="the runbook notebook is not in this tree")
def test_runbook_with_papermill_parameters_against_a_real_bmc(real_bmc, tmp_path, monkeypatch, capsys):
    papermill = pytest.importorskip("papermill")
    bmc, password = real_bmc
    stale = [bmc.create_session("student", user_tag="Web UI") for _ in range(2)]
    bmc.advance_clock(3600)
    fresh = bmc.create_session("operator", user_tag="REST")
    inventory = tmp_path / "bmcs.csv"
    inventory.write_text(f"name,url,verify\nlab-bmc,{bmc.url},{bmc.ca_file}\n")
    monkeypatch.setenv("LAB_FLEET_PASSWORD", password)
    for name in REAL_BMC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    output = tmp_path / "out.ipynb"
    started = time.perf_counter()
    papermill.execute_notebook(
        str(RUNBOOK),
        str(output),
        parameters={
            "inventory": str(inventory),
            "username": "labops",
            "password_env": "LAB_FLEET_PASSWORD",
            "idle": "30m",
            "dry_run": False,
            "report_dir": str(tmp_path),
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOK_DIR),
    )
    with capsys.disabled():
        print(f"\n{RUNBOOK.name}: {time.perf_counter() - started:.1f} s (papermill, 'real' BMC)")
    saved = output.read_text()
    assert password not in saved, "papermill saved the password"
    assert lab.find_secrets(outputs_text(nbformat.reads(saved, as_version=4)), {"labops": password}) == []
    left = {s["id"] for s in bmc.sessions()}
    assert left == {fresh["id"]}, "the runbook must clear the stale sessions and keep the fresh one"
    assert not left & {s["id"] for s in stale}
    report = (tmp_path / "stale-sessions.csv").read_text()
    assert report.count("disconnected") == 2
    bmc.clear_sessions()  # the fresh session stands for a user still at work; the fixture then checks zero


# -- the library cells, with DMTF's or HPE's `redfish` in the kernel ----------------------------------------------

PEER_VENVS = Path(__file__).resolve().parents[1] / ".venvs"
LIBRARY_LINES = {
    "redfish": "DMTF session location (a URL):",
    "python-ilorest-library": "HPE session location (a URI):",
}


def _peer_site_packages(dist: str) -> Path | None:
    """The site-packages of a peer venv that tests/peers built (``.venvs/<dist>-<version>-pyX.Y``), if ready."""
    for venv in sorted(PEER_VENVS.glob(f"{dist}-[0-9]*-py*")):
        if (venv / ".redfishnb-peer-ready").exists():
            found = sorted(venv.glob("lib/python*/site-packages"))
            if found:
                return found[0]
    return None


@pytest.mark.peers
@pytest.mark.parametrize("dist", sorted(LIBRARY_LINES))
def test_library_cells_run_with_that_library_installed(dist, capsys):
    site = _peer_site_packages(dist)
    if site is None:
        pytest.skip(f"no ready {dist} venv under .venvs/ (tests/peers builds it)")
    path = NOTEBOOK_DIR / "02-session-auth.ipynb"
    nb, elapsed = execute(path, clean_environment({"PYTHONPATH": str(site)}))
    with capsys.disabled():
        print(f"\n{path.name}: {elapsed:.1f} s (with {dist} in the kernel)")
    text = outputs_text(nb)
    assert LIBRARY_LINES[dist] in text, "the library cell did not take this library's branch"
    assert lab.find_secrets(text, lab.MOCK_ACCOUNTS) == []
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert stdout_of(last).rstrip().endswith(LEFT_OPEN + "0"), "the library left a session open"
