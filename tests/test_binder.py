"""binder/: what Binder builds and launches, run here the way repo2docker runs it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Binder scripts are bash")


def _requirements() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_requirements_are_pinned_and_install_the_kit():
    lines = _requirements()
    assert "." in lines, "binder/requirements.txt must install the kit itself ('.')"
    pins = dict(line.split("==", 1) for line in lines if line != ".")
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.]*", line) for line in lines if line != "."), (
        lines
    )
    # The browser test drives the JupyterLab installed here; Binder must serve the same minor version.
    installed = metadata.version("jupyterlab").split(".")[:2]
    assert pins["jupyterlab"].split(".")[:2] == installed


def test_runtime_is_a_python_the_kit_supports():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match and int(match.group(1)) >= 10, runtime


def test_post_build_fails_fast_and_installs_the_lab_settings(tmp_path):
    script = BINDER / "postBuild"
    assert os.access(script, os.X_OK)
    assert re.search(r"^set -e", script.read_text(), re.M), (
        "without set -e a failing step does not fail the build"
    )
    prefix = tmp_path / "prefix"
    env = dict(
        os.environ, NB_PYTHON_PREFIX=str(prefix), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    )
    subprocess.run([str(script)], cwd=ROOT, env=env, check=True, timeout=60)
    installed = json.loads((prefix / "share/jupyter/lab/settings/overrides.json").read_text())
    assert installed["@jupyterlab/notebook-extension:tracker"]["autoStartDefaultKernel"] is True
    assert installed["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is False


def test_start_runs_a_mock_bmc_and_hands_over_to_jupyterlab(tmp_path):
    script = BINDER / "start"
    assert script.read_text().rstrip().endswith('exec "$@"')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDFISHNB_")}
    env.update(
        HOME=str(tmp_path),
        REDFISHNB_MOCK_PORT=str(port),
        REDFISHNB_STATE_DIR=str(state),
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    # Stands in for JupyterLab: what a kernel would see, and whether the mock answers with verified TLS.
    probe = """
import os, time, requests
url, ca = os.environ["REDFISHNB_MOCK_URL"], os.environ["REDFISHNB_MOCK_CA"]
deadline = time.monotonic() + 20
while True:
    try:
        r = requests.get(url + "/redfish/v1/", verify=ca, timeout=2)
        break
    except (OSError, requests.RequestException):
        if time.monotonic() > deadline:
            raise
        time.sleep(0.2)
print(url, ca, r.status_code, r.json()["Links"]["Sessions"]["@odata.id"])
"""
    try:
        result = subprocess.run(
            [str(script), sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=40
        )
    finally:
        pid_file = state / "mock.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
    assert result.returncode == 0, result.stderr[-2000:] + (state / "mock.log").read_text()[-2000:]
    url, ca, status, sessions = result.stdout.split()
    assert url == f"https://127.0.0.1:{port}"
    assert ca == str(state / "ca.pem")
    assert status == "200"
    assert sessions.startswith("/redfish/v1/SessionService/Sessions")
