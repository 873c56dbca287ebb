"""The tutorial notebooks: they run, log out, leak no secret, and work against a "real" BMC too.

nbval (``pytest --nbval``, configured in pyproject) compares each notebook's committed outputs with a fresh run.
This module checks what nbval cannot:

* each notebook, run top to bottom in a fresh kernel, leaves **zero sessions** of its own on its mock (read in the
  kernel after the last cell through :func:`redfishnb.lab.leftover_sessions`);
* no committed and no freshly produced output holds a password, a whole session token or a private key;
* the real-BMC path is alive: notebooks run against a second mock started here and given to the kernel only through
  ``REDFISH_*`` environment variables (the runbook through papermill parameters), with an account whose password
  appears nowhere but in the environment.

Each run's wall time is printed (``pytest -s`` or the ``-ra`` summary shows it) to keep the suite within budget.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
REAL_BMC_VARIABLES = (
    "REDFISH_URL",
    "REDFISH_USERNAME",
    "REDFISH_PASSWORD",
    "REDFISH_CA",
    "REDFISH_FINGERPRINT",
)
CELL_TIMEOUT = 60

# The mock's default accounts are public, but their passwords still must not show up in outputs as credentials.
MOCK_PASSWORDS = {"admin": "password", "operator": "operator", "student": "student"}

PROBE = (
    "import json as _json\nfrom redfishnb import lab as _lab\nprint(_json.dumps(_lab.leftover_sessions()))"
)

# A session token: 32 hex digits standing alone (iLO and the mock). Longer hex runs are fingerprints or serials;
# hex glued to letters is an id such as an RMC session's "<user><32 hex>".
TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32}(?![0-9A-Za-z])")
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def credential_forms(username: str, password: str) -> list[str]:
    """The ways a password leaks: as a JSON login body, a cURL --user, a Basic header, or bare if distinctive."""
    forms = [
        f'"Password": "{password}"',
        f"{username}:{password}",
        base64.b64encode(f"{username}:{password}".encode()).decode(),
    ]
    if len(password) >= 12:
        forms.append(password)
    return forms


def secrets_in(text: str, passwords: dict[str, str]) -> list[str]:
    """What in ``text`` looks like a leaked secret (empty list: nothing)."""
    found = [f"token {m[:4]}…" for m in TOKEN.findall(text)]
    found += ["private key" for _ in PRIVATE_KEY.findall(text)]
    for user, password in passwords.items():
        found += [f"password of {user}" for form in credential_forms(user, password) if form in text]
    return found


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """Every output of every cell, all MIME types, as one string (sources excluded: they show no secret)."""
    return "\n".join(json.dumps(cell.get("outputs", []), ensure_ascii=False) for cell in nb.cells)


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in REAL_BMC_VARIABLES}
    env.update(extra or {})
    return env


def execute(path: Path, env: dict[str, str]) -> tuple[nbformat.NotebookNode, dict[str, int], float]:
    """Run a notebook top to bottom in a fresh kernel, then ask the kernel which sessions the notebook left open."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    started = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        probe = nbformat.v4.new_code_cell(PROBE)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    elapsed = time.perf_counter() - started
    nb.cells.pop()
    stdout = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    return nb, json.loads(stdout.strip().splitlines()[-1]), elapsed


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


# -- the scanner itself can fail -----------------------------------------------------------------------------------


def test_secret_scanner_finds_what_it_should():
    token = secrets.token_hex(16)
    assert secrets_in(f"X-Auth-Token: {token}", {}) == [f"token {token[:4]}…"]
    assert secrets_in("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB", {}) == ["private key"]
    assert secrets_in('{"UserName": "admin", "Password": "password"}', MOCK_PASSWORDS) == [
        "password of admin"
    ]
    assert secrets_in("curl --user admin:password", MOCK_PASSWORDS) == ["password of admin"]
    assert secrets_in("Authorization: Basic YWRtaW46cGFzc3dvcmQ=", MOCK_PASSWORDS) == ["password of admin"]
    fingerprint = secrets.token_hex(32)
    clean = f"X-Auth-Token: {token[:4]}… sha256:{fingerprint} --user admin:$PASSWORD 'Password': '***'"
    assert secrets_in(clean, MOCK_PASSWORDS) == []


def test_every_issue_notebook_is_present():
    # 04 and 06 join when their package parts exist; the suite must list at least the core tutorials.
    names = set(ids(NOTEBOOKS))
    assert {"00-start-here", "01-basic-auth", "02-session-auth", "03-managing-sessions"} <= names


# -- committed notebooks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_notebook_is_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    # nbval compares only cells with an execution count: a stripped notebook would only be smoke-tested.
    assert all(c.execution_count for c in code_cells), (
        "commit the notebook with its outputs and execution counts"
    )
    assert sum(1 for c in code_cells if "parameters" in c.metadata.get("tags", [])) == 1
    assert secrets_in(outputs_text(nb), MOCK_PASSWORDS) == []
    sources = "\n".join(c.source for c in nb.cells)
    assert "getpass" not in sources, (
        "prompting belongs in redfishnb.lab, which never prompts without a keyboard"
    )
    assert "verify=False" not in sources and "--insecure" not in sources.replace("`--insecure`", "")


# -- fresh runs against the embedded mock ------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_runs_logs_out_and_leaks_nothing(path):
    nb, leftovers, elapsed = execute(path, clean_environment())
    print(f"\n{path.name}: {elapsed:.1f} s (fresh kernel, embedded mock)")
    assert leftovers, "the notebook started no mock through redfishnb.lab"
    assert all(count == 0 for count in leftovers.values()), f"sessions left open: {leftovers}"
    assert secrets_in(outputs_text(nb), MOCK_PASSWORDS) == []


# -- the real-BMC path -------------------------------------------------------------------------------------------


@pytest.fixture
def real_bmc():
    """A second mock posing as a real BMC: random tokens (no seed), an account with a password of its own."""
    from redfishnb.mock import MockBMC

    password = "Lab-" + secrets.token_urlsafe(18)
    with MockBMC(flavor="ilo6") as bmc:
        bmc.add_account("labops", password, role="Administrator")
        yield bmc, password
        assert bmc.session_count == 0, f"sessions left on the 'real' BMC: {bmc.sessions()}"


REAL_BMC_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem in ("01-basic-auth", "02-session-auth")]


@pytest.mark.parametrize("path", REAL_BMC_NOTEBOOKS, ids=ids(REAL_BMC_NOTEBOOKS))
def test_notebook_against_a_real_bmc_from_the_environment(path, real_bmc):
    bmc, password = real_bmc
    env = clean_environment(
        {
            "REDFISH_URL": bmc.url,
            "REDFISH_USERNAME": "labops",
            "REDFISH_PASSWORD": password,
            "REDFISH_CA": bmc.ca_file,
        }
    )
    nb, _, elapsed = execute(path, env)
    print(f"\n{path.name}: {elapsed:.1f} s (fresh kernel, 'real' BMC from REDFISH_*)")
    text = outputs_text(nb)
    assert f"<Target BMC at {bmc.url}, user 'labops'" in text, "the notebook did not use the real-BMC path"
    assert secrets_in(text, {"labops": password, **MOCK_PASSWORDS}) == []


def test_runbook_with_papermill_parameters_against_a_real_bmc(real_bmc, tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    bmc, password = real_bmc
    planted = [bmc.create_session("student", user_tag="Web UI") for _ in range(2)]
    bmc.advance_clock(3600)
    inventory = tmp_path / "bmcs.csv"
    inventory.write_text(f"name,url,verify\nlab-bmc,{bmc.url},{bmc.ca_file}\n")
    monkeypatch.setenv("LAB_FLEET_PASSWORD", password)
    for name in REAL_BMC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    output = tmp_path / "out.ipynb"
    started = time.perf_counter()
    papermill.execute_notebook(
        str(NOTEBOOK_DIR / "05-runbook-stale-sessions.ipynb"),
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
    print(f"\n05-runbook-stale-sessions: {time.perf_counter() - started:.1f} s (papermill, 'real' BMC)")
    saved = output.read_text()
    assert password not in saved, "papermill saved the password"
    assert secrets_in(saved, {"labops": password}) == []
    assert {s["id"] for s in planted}.isdisjoint(s["id"] for s in bmc.sessions()), (
        "stale sessions not cleared"
    )
    report = (tmp_path / "stale-sessions.csv").read_text()
    assert report.count("disconnected") == 2
