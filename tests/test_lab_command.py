"""The README's first command, ``./dev lab``, brings up JupyterLab on notebooks/ with a working mock BMC.

The command runs headless here (``--no-browser``, a free port, a known token), exactly as the README's
Quick start runs it otherwise; the test probes both servers over loopback, then presses Ctrl-C the way a
terminal does (SIGINT to the whole process group) and checks that JupyterLab and the mock are both gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests
from _quickstart import ROOT, lab_command

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(sys.platform == "win32", reason="./dev is a bash script"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(what: str, check, process: subprocess.Popen, log: Path, timeout: float = 25.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"./dev lab exited ({process.returncode}) before {what}:\n{log.read_text()[-3000:]}")
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout:.0f} s; ./dev lab output:\n{log.read_text()[-3000:]}")


def _jupyter_status(url: str):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.load(response) if response.status == 200 else None
    except (urllib.error.URLError, OSError):
        return None


def _like_a_terminal_job() -> None:
    """Ctrl-C must be deliverable, as in a terminal, even when this test runs under a job that ignores SIGINT
    (a shell's background job does; bash cannot trap a signal that was ignored when it started)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _children_environ(pid: int) -> dict[str, str]:
    """Environment of JupyterLab, the child of the dev script (Linux /proc); {} where /proc is unavailable."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid or b"jupyter" not in (stat.parent / "cmdline").read_bytes():
                continue
            raw = (stat.parent / "environ").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)
    return {}


def test_dev_lab_serves_notebooks_with_a_working_mock_bmc(tmp_path):
    lab_port, mock_port, token = _free_port(), _free_port(), secrets.token_hex(16)
    state = tmp_path / "state"
    log = tmp_path / "dev-lab.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDFISH_", "REDFISHNB_"))}
    env.update(
        REDFISHNB_STATE_DIR=str(state),
        REDFISHNB_MOCK_PORT=str(mock_port),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
    )
    command = [
        *lab_command(),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={lab_port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,  # the Quick start runs from the repository root
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, like a terminal's foreground job
            preexec_fn=_like_a_terminal_job,
        )
    try:
        status = _wait_for(
            "JupyterLab answering /api/status",
            lambda: _jupyter_status(f"http://127.0.0.1:{lab_port}/api/status?token={token}"),
            process,
            log,
        )
        assert "started" in status

        # JupyterLab serves notebooks/, not the directory the command was started from.
        listing = _jupyter_status(f"http://127.0.0.1:{lab_port}/api/contents?token={token}")
        served = {item["name"] for item in listing["content"]}
        expected = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
        assert expected <= served, f"JupyterLab serves {sorted(served)}, not notebooks/"
        # A class sees the notebooks only: the nbval set-up (conftest, sanitize rules) lives outside notebooks/.
        assert served == expected, (
            f"files a student would see beside the notebooks: {sorted(served - expected)}"
        )

        # The kit's Lab settings are in force: the kernel starts without the "Select Kernel" dialog, no news toast.
        tracker = _jupyter_status(
            f"http://127.0.0.1:{lab_port}/lab/api/settings/@jupyterlab/notebook-extension:tracker?token={token}"
        )
        assert tracker["schema"]["properties"]["autoStartDefaultKernel"]["default"] is True

        # The standalone mock BMC: verified TLS with the CA it wrote, and it enforces authentication.
        ca = state / "ca.pem"
        base = f"https://127.0.0.1:{mock_port}"
        root = requests.get(f"{base}/redfish/v1/", verify=str(ca), timeout=5)
        assert root.status_code == 200
        sessions_uri = root.json()["Links"]["Sessions"]["@odata.id"]
        assert requests.get(f"{base}/redfish/v1/Systems/", verify=str(ca), timeout=5).status_code == 401
        login = requests.post(
            f"{base}{sessions_uri}",
            json={"UserName": "admin", "Password": "password"},
            verify=str(ca),
            timeout=5,
        )
        assert login.status_code == 201, login.text
        token_header = {"X-Auth-Token": login.headers["X-Auth-Token"]}
        assert requests.get(f"{base}/redfish/v1/Systems/", headers=token_header, verify=str(ca), timeout=5).ok
        location = login.headers["Location"]
        session_url = location if location.startswith("https://") else f"{base}{location}"
        assert (
            requests.delete(session_url, headers=token_header, verify=str(ca), timeout=5).status_code == 200
        )

        # Kernels inherit JupyterLab's environment: the notebooks can find the separate mock process.
        environ = _children_environ(process.pid)
        if environ:
            assert environ.get("REDFISHNB_MOCK_URL") == base
            assert environ.get("REDFISHNB_MOCK_CA") == str(ca)

        # Ctrl-C in the terminal: SIGINT to the whole process group stops JupyterLab and the mock.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (_port_open(lab_port) or _port_open(mock_port)):
            time.sleep(0.1)
        assert not _port_open(lab_port), "JupyterLab still listens after Ctrl-C"
        assert not _port_open(mock_port), "the mock BMC still listens after JupyterLab stopped"
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of the command's process group
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
