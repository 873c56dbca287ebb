"""`redfishnb mock` as a process: banner, CA file, JSON mode, refusals, clean stop on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from redfishnb.cli import build_parser


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "redfishnb", "mock", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_parser_has_the_documented_flags() -> None:
    args = build_parser().parse_args(
        [
            "mock",
            "--flavor",
            "rmc",
            "--count",
            "3",
            "--latency",
            "50",
            "--seed",
            "4",
            "--session-limit",
            "2",
            "--session-timeout",
            "60",
            "--unlicensed",
        ]
    )
    assert (args.flavor, args.count, args.latency, args.seed, args.session_limit) == ("rmc", 3, 50.0, 4, 2)
    assert args.bind == "127.0.0.1" and args.port == 8443 and args.unlicensed


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--port", "70000", "from 0 to 65535"),
        ("--port", "-1", "from 0 to 65535"),
        ("--count", "0", "of at least 1"),
        ("--count", "-3", "of at least 1"),
        ("--session-limit", "-1", "of at least 0"),
        ("--session-timeout", "-5", "of at least 0"),
        ("--latency", "-5", "of at least 0"),
        ("--latency", "fast", "is not a number"),
    ],
)
def test_impossible_values_are_usage_errors(flag: str, value: str, message: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["mock", flag, value])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument {flag}: " in err and message in err and "Traceback" not in err


def test_json_mode_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = _start("--port", "0", "--count", "2", "--json", "--state-dir", str(tmp_path), "--seed", "1")
    try:
        info = json.loads(proc.stdout.readline())
        assert len(info["urls"]) == 2 and info["ca_file"] == str(tmp_path / "ca.pem")
        for url in info["urls"]:
            r = requests.get(url + "/redfish/v1/", verify=info["ca_file"], timeout=5)
            assert r.status_code == 200
        r = requests.get(info["urls"][0] + "/redfish/v1/Systems/", verify=info["ca_file"], timeout=5)
        assert r.status_code == 401
    finally:
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert time.monotonic() - start < 3
    out, err = proc.communicate()
    assert out == "" and "stopped" in err


def test_busy_port_and_remote_bind_are_refused(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _start("--port", str(port))
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 1 and "cannot listen" in err and "Traceback" not in err
    proc = _start("--bind", "0.0.0.0", "--port", "0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "--allow-remote" in err
    proc = _start("--accounts", str(tmp_path / "missing.json"), "--port", "0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "not found" in err


def test_non_loopback_bind_warns_and_covers_the_address() -> None:
    proc = _start(
        "--bind", "127.0.0.2", "--allow-remote", "--port", "0", "--json", "--hostname", "lab.example.org"
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert info["urls"][0].startswith("https://127.0.0.2:")
        r = requests.get(info["urls"][0] + "/redfish/v1/", verify=info["ca_file"], timeout=5)
        assert r.status_code == 200  # the certificate names 127.0.0.2, so verification passes
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=5)
    _, err = proc.communicate()
    assert "warning" in err and "127.0.0.2" in err


def test_flavor_choices_come_from_the_registry(capsys) -> None:
    from redfishnb.mock.flavors import flavor_names

    assert {"ilo6", "ilo7", "rmc"} <= set(flavor_names())
    args = build_parser().parse_args(["mock", "--flavor", "ILO6, ilo7,rmc", "--count", "3"])
    assert args.flavor == "ilo6,ilo7,rmc"
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["mock", "--flavor", "ilo6,ilo5"])
    assert info.value.code == 2 and "ilo7" in capsys.readouterr().err  # the error lists the known flavours


def test_json_mode_reports_each_bmc_flavour(tmp_path: Path) -> None:
    proc = _start("--port", "0", "--count", "3", "--flavor", "ilo6,ilo7,rmc", "--json", "--seed", "2")
    try:
        info = json.loads(proc.stdout.readline())
        assert [b["flavor"] for b in info["bmcs"]] == ["ilo6", "ilo7", "rmc"]
        assert [b["url"] for b in info["bmcs"]] == info["urls"] and info["flavor"] == "ilo6,ilo7,rmc"
        root = requests.get(info["bmcs"][1]["url"] + "/redfish/v1/", verify=info["ca_file"], timeout=5).json()
        assert root["Oem"]["Hpe"]["Manager"][0]["ManagerType"] == "iLO 7"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    proc.communicate()
