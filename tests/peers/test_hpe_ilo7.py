"""HPE's python-ilorest-library and iLOrest CLI, unchanged, against the ``ilo7`` mock on 127.0.0.1:443.

What is checked is what makes the mock an iLO 7 to HPE's tools: the library's ``get_gen`` and
``iLO7VersionCheck`` (``Oem.Hpe.Manager[0].ManagerType`` "iLO 7") and iLOrest's ``detectilo``; then that both
log in with a password, read (``rawget``, ``list``/``get`` of the application accounts) and log out, leaving no
session. Port 443 for the reason given in :mod:`test_hpe_ilorest` (HPE's logout and a port in the URL).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.peers

URL = "https://127.0.0.1"
DRIVER = Path(__file__).resolve().parent / "drivers" / "ilorest_cli.py"
APP = "/redfish/v1/AccountService/Oem/Hpe/AppAccounts/"


@pytest.fixture(scope="module")
def bmc(ilo7_on_443):
    return ilo7_on_443


@pytest.fixture(scope="module")
def library(bmc, hpe_python, peer_json) -> dict:
    assert urlsplit(bmc.url).port in (None, 443), bmc.url
    payload = {
        "url": URL,
        "ca_file": str(bmc.ca_file),
        "username": "admin",
        "password": "password",
        "scenarios": ["generation", "basic", "bad_password"],
    }
    observed = peer_json(hpe_python, "hpe_ilorest.py", payload)
    observed["sessions_left"] = bmc.sessions()
    return observed


def test_ilo7_library_detects_generation_7(library):
    g = library["generation"]
    assert g["ilogen"] == "7" and g["ilo7_check"] is True
    assert g["iloversion"] == pytest.approx(
        7.11400
    )  # "7." + "1.14.00" without dots, as the library builds it


def test_ilo7_library_session_reads_and_logs_out(library):
    g = library["generation"]
    assert g["token"] == {"present": True, "length": 32, "hex": True}
    assert g["systems_status"] == 200 and g["own_session_status"] == 200 and g["my_session_matches"]
    assert g["app_accounts_status"] == 200
    assert g["key_after_logout"] is None and g["stale_token_status"] == 401
    assert library["basic"]["systems_status"] == 200 and library["basic"]["sessions_members"] == 0
    assert library["bad_password"]["raised"] == "InvalidCredentialsError"
    assert library["sessions_left"] == []


@pytest.fixture(scope="module")
def ilorest(bmc, ilorest_python, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ilorest7")
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(ilorest_python), str(DRIVER), "--nologo", "--cache-dir", str(workdir / "cache")]
        cmd += ["--logdir", str(workdir / "log"), *args]
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, cwd=workdir, env=env
        )
        assert proc.returncode == 0, (
            f"ilorest {' '.join(args)}: exit {proc.returncode}\n{proc.stdout}{proc.stderr}"
        )
        return proc

    return run


def _json(out: str) -> dict:
    """The JSON document iLOrest prints after its status line (``[200] The operation completed...``)."""
    return dict(json.loads(out[out.index("{") :]))


def test_ilo7_ilorest_detectilo_says_7(ilorest):
    assert _json(ilorest("detectilo", "--url", "127.0.0.1", "--json").stdout)["iLOType"] == 7


def test_ilo7_ilorest_login_rawget_list_logout(bmc, ilorest):
    ilorest("login", URL, "-u", "admin", "-p", "password")
    assert [s["username"] for s in bmc.sessions()] == ["admin"]
    root = _json(ilorest("rawget", "/redfish/v1/").stdout)
    assert root["Oem"]["Hpe"]["Manager"][0]["ManagerType"] == "iLO 7"
    apps = _json(ilorest("rawget", APP).stdout)
    assert apps["@odata.type"].startswith("#HpeiLOAppAccountCollection.")
    listed = ilorest("list", "--select", "AccountService.", "--json").stdout
    assert "AppAccounts" in listed
    ilorest("logout")
    assert bmc.sessions() == []
