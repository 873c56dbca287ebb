"""Real third-party Redfish clients, each in its own virtualenv, run against the embedded mock BMC.

Why separate virtualenvs: DMTF's ``redfish`` and HPE's ``python-ilorest-library`` both install a top-level package
called ``redfish``, so they cannot live in one environment, and neither belongs in the project's own. Each peer
gets ``.venvs/<dist>-<version>-py<X.Y>/`` in the work tree (git-ignored), built once with ``python -m venv`` and
``pip install <dist>==<version>``, and reused while its ready-marker matches. The peers are built in parallel the
first time a peer test asks for one, so a fresh machine pays for the slowest install only.

The peers run as subprocesses (``tests/peers/drivers/*.py`` with the peer venv's interpreter) against a MockBMC
started in the test process; each driver installs a guard that refuses any socket traffic off loopback.
"""

from __future__ import annotations

import errno
import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from redfishnb.mock import MockBMC

REPO = Path(__file__).resolve().parents[2]
VENVS = REPO / ".venvs"
DRIVERS = Path(__file__).resolve().parent / "drivers"
PIP_TIMEOUT_S = 240


@dataclass(frozen=True)
class Peer:
    """A third-party client pinned to the version whose wire behaviour the tests were written against."""

    dist: str
    version: str

    @property
    def spec(self) -> str:
        return f"{self.dist}=={self.version}"

    @property
    def venv(self) -> Path:
        return VENVS / f"{self.dist}-{self.version}-py{sys.version_info.major}.{sys.version_info.minor}"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


PEERS = {
    "dmtf": Peer("redfish", "3.4.2"),
    "hpe": Peer("python-ilorest-library", "7.4.0.0"),
    "rpv": Peer("redfish-protocol-validator", "1.3.2"),
    # HPE's CLI pulls in python-ilorest-library (a top-level ``redfish``): an env of its own, never DMTF's.
    "ilorest": Peer("ilorest", "7.4.0.0"),
    # Brings DMTF's ``redfish`` and ``redfish_utilities`` as its own dependencies: an env of its own too.
    "rsv": Peer("redfish-service-validator", "3.1.8"),
}


def _run_quiet(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def ensure_venv(peer: Peer) -> Path:
    """Return the peer venv's interpreter, building the venv first unless a complete one is already there.

    A lock file serialises concurrent pytest runs; the ready-marker is written last, so a build interrupted half
    way is thrown away and redone rather than trusted.
    """
    VENVS.mkdir(exist_ok=True)
    marker = peer.venv / ".redfishnb-peer-ready"
    with open(VENVS / f"{peer.venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.is_file() and marker.read_text() == peer.spec and peer.python.exists():
            return peer.python
        shutil.rmtree(peer.venv, ignore_errors=True)
        # With pip in the running interpreter, `pip --python` installs into a pip-less venv: a few seconds
        # saved per venv on a fresh machine. Otherwise the venv gets its own pip.
        outer_pip = importlib.util.find_spec("pip") is not None
        venv_cmd = [sys.executable, "-m", "venv", *(["--without-pip"] if outer_pip else []), str(peer.venv)]
        _run_quiet(venv_cmd, f"creating the venv for {peer.spec}")
        pip = (
            [sys.executable, "-m", "pip", "--python", str(peer.python)]
            if outer_pip
            else [str(peer.python), "-m", "pip"]
        )
        _run_quiet(
            [*pip, "install", "-q", "--disable-pip-version-check", "--no-input", peer.spec],
            f"pip install {peer.spec}",
        )
        marker.write_text(peer.spec)
    return peer.python


@pytest.fixture(scope="session")
def _peer_builds() -> dict[str, Future]:
    with ThreadPoolExecutor(max_workers=len(PEERS), thread_name_prefix="peer-venv") as pool:
        yield {name: pool.submit(ensure_venv, peer) for name, peer in PEERS.items()}


@pytest.fixture(scope="session")
def dmtf_python(_peer_builds) -> Path:
    """Interpreter of the venv holding DMTF's python-redfish-library."""
    return _peer_builds["dmtf"].result()


@pytest.fixture(scope="session")
def hpe_python(_peer_builds) -> Path:
    """Interpreter of the venv holding HPE's python-ilorest-library."""
    return _peer_builds["hpe"].result()


@pytest.fixture(scope="session")
def ilorest_python(_peer_builds) -> Path:
    """Interpreter of the venv holding HPE's iLOrest CLI (``ilorest``, with python-ilorest-library)."""
    return _peer_builds["ilorest"].result()


@pytest.fixture(scope="session")
def rpv_python(_peer_builds) -> Path:
    """Interpreter of the venv holding DMTF's Redfish-Protocol-Validator."""
    return _peer_builds["rpv"].result()


@pytest.fixture(scope="session")
def rsv_python(_peer_builds) -> Path:
    """Interpreter of the venv holding DMTF's Redfish-Service-Validator."""
    return _peer_builds["rsv"].result()


def run_driver(
    python: Path,
    script: str,
    *args: str,
    payload: dict | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 90,
) -> subprocess.CompletedProcess:
    """Run ``drivers/<script>`` under a peer's interpreter; ``payload`` goes in as JSON on stdin (no secrets in argv)."""
    return subprocess.run(
        [str(python), str(DRIVERS / script), *args],
        input=json.dumps(payload) if payload is not None else "",
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=DRIVERS,
    )


def driver_result(proc: subprocess.CompletedProcess) -> dict:
    """The JSON object a driver prints last; a crashed driver fails the test with its stderr."""
    assert proc.returncode == 0, f"peer driver exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def peer_run():
    """``run_driver`` for tests (fixtures, not imports, so this directory needs no package or sys.path setup)."""
    return run_driver


@pytest.fixture(scope="session")
def peer_json():
    """Run a driver and return its JSON observations; a crashed driver fails the test with its stderr."""

    def run(python: Path, script: str, payload: dict, timeout: float = 90) -> dict:
        return driver_result(run_driver(python, script, payload=payload, timeout=timeout))

    return run


# --- the mock as a real iLO is served: on 127.0.0.1:443 ------------------------------------------------------


PORT_443_WAIT = 100.0  # seconds: under the 120 s test timeout; one module of HPE-client tests needs 443 ~30 s
PORT_443_LOCK = Path(tempfile.gettempdir()) / "redfishnb-tests-port-443.lock"


def _hold_port_443_lock() -> Any:
    """A machine-wide lock on port 443 for this suite: two checkouts tested at once take turns.

    Without it the other run's mock can take the port while an iLO reset has it closed here, and this run's
    clients would then talk to a BMC with another CA."""
    handle = open(PORT_443_LOCK, "a")  # noqa: SIM115 - held until the module's mock stops
    deadline = time.monotonic() + PORT_443_WAIT
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise
            time.sleep(0.5)


def _mock_on_443(flavor: str) -> Any:
    """A ``flavor`` mock on port 443 for one test module: HPE's library and iLOrest log out only without a port.

    Binding 443 needs root (here and in CI); elsewhere the module is skipped rather than failed. Port 443 is one
    per machine: another run of this suite holding it is waited for (a lock), anything else that holds it too."""
    lock = _hold_port_443_lock()
    deadline = time.monotonic() + PORT_443_WAIT
    try:
        while True:
            try:
                mock = MockBMC(flavor=flavor, port=443, licensed=True).start()
                break
            except PermissionError:
                if os.geteuid() != 0 and not os.environ.get("CI"):
                    pytest.skip(
                        "HPE's clients need the mock on port 443 (their logout breaks on other ports): run as root"
                    )
                raise
            except OSError as error:
                if error.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            yield mock
        finally:
            mock.stop()
    finally:
        lock.close()  # closing the file releases the lock


@pytest.fixture(scope="module")
def ilo6_on_443():
    """An ilo6 mock on 127.0.0.1:443 for one test module (see :func:`_mock_on_443`)."""
    yield from _mock_on_443("ilo6")


@pytest.fixture(scope="module")
def ilo7_on_443():
    """An ilo7 mock on 127.0.0.1:443 for one test module (see :func:`_mock_on_443`)."""
    yield from _mock_on_443("ilo7")


# --- validator findings, shown at the end of the run ------------------------------------------------------------

_FINDINGS = pytest.StashKey[list]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FINDINGS] = []


@pytest.fixture
def validator_findings(request) -> list:
    """Tests append ``(flavour, summary, rows)``; the terminal summary lists every non-PASS row with its reason."""
    return request.config.stash[_FINDINGS]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    findings = config.stash.get(_FINDINGS, [])
    if not findings:
        return
    terminalreporter.section("Redfish-Protocol-Validator against the mock BMC")
    for flavour, summary, rows in findings:
        terminalreporter.write_line(f"{flavour}: {summary}")
        for row in rows:
            terminalreporter.write_line(f"  {row['Result']:<10} {row['Assertion']:<48} {row['Message']}")
