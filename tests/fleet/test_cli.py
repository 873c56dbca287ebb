"""`redfishnb sessions`: exit codes a cron job or CI runbook can rely on, against a small mock fleet."""

from __future__ import annotations

import csv
import socket

import pytest

from redfishnb import cli, fleet_cli
from redfishnb.mock import MockFleet


@pytest.fixture(scope="module")
def mock_fleet():
    with MockFleet(count=2) as bmcs:
        yield bmcs


@pytest.fixture
def bmcs(mock_fleet, monkeypatch):
    monkeypatch.setenv("REDFISHNB_USERNAME", "admin")
    monkeypatch.setenv("REDFISHNB_PASSWORD", "password")
    for bmc in mock_fleet.bmcs:
        bmc.clear_sessions()
        bmc.create_session("operator", user_tag="REST")
        bmc.advance_clock(
            20 * 60
        )  # idle 20 min: stale for --stale 15m, still alive (the BMC's timeout is 30 min)
        bmc.create_session("student", user_tag="Web UI")
    yield mock_fleet.bmcs
    for bmc in mock_fleet.bmcs:
        assert "admin" not in [s["username"] for s in bmc.sessions()], "the command left its own session open"
        bmc.clear_sessions()


def write_inventory(path, bmcs, *, dead=False):
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "url", "verify"])
        for i, bmc in enumerate(bmcs):
            out.writerow([f"bmc{i}", bmc.url, bmc.ca_file])
        if dead:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            out.writerow(["dead", f"https://127.0.0.1:{port}", bmcs[0].ca_file])
    return str(path)


def run(*argv):
    return cli.main(["sessions", *argv, "--no-progress"])


def test_audit_only_and_nothing_stale_exit_0(bmcs, tmp_path, capsys):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    assert run("--inventory", inventory) == fleet_cli.EXIT_CLEAN
    out = capsys.readouterr().out
    assert "operator" in out and "student" in out and "audit: 2 BMCs (0 failed)" in out
    assert run("--inventory", inventory, "--stale", "2h") == fleet_cli.EXIT_CLEAN


def test_stale_dry_run_exit_1_changes_nothing(bmcs, tmp_path, capsys):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    assert run("--inventory", inventory, "--stale", "15m") == fleet_cli.EXIT_STALE
    assert "2 would be disconnected" in capsys.readouterr().out
    assert [b.session_count for b in bmcs] == [2, 2]


def test_disconnect_yes_exit_3_cleans_and_writes_reports(bmcs, tmp_path):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    html, table = tmp_path / "r.html", tmp_path / "r.csv"
    code = run(
        "--inventory",
        inventory,
        "--stale",
        "15m",
        "--disconnect",
        "--yes",
        "--html",
        str(html),
        "--csv",
        str(table),
    )
    assert code == fleet_cli.EXIT_CLEANED
    assert [[s["username"] for s in b.sessions()] for b in bmcs] == [["student"], ["student"]]
    assert table.read_text().count("disconnected") == 2 and "<h2>Sessions</h2>" in html.read_text()
    assert run("--inventory", inventory, "--stale", "15m", "--disconnect", "--yes") == fleet_cli.EXIT_CLEAN


def test_some_bmcs_failed_exit_4_others_still_cleaned(bmcs, tmp_path, capsys):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs, dead=True)
    assert run("--inventory", inventory, "--stale", "15m", "--disconnect", "--yes") == fleet_cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "FAILED dead" in err and "BMCUnreachable" in err and "what to do:" in err
    assert [b.session_count for b in bmcs] == [1, 1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stale", "15m", "--disconnect"], "needs --yes"),
        (["--disconnect", "--yes"], "needs a selection"),
        (["--stale", "soon"], "Cannot read the duration"),
        (["--workers", "0"], "--workers"),
        (["--deadline", "0"], "--deadline"),
    ],
)
def test_usage_errors_exit_2(bmcs, tmp_path, capsys, argv, message):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    assert run("--inventory", inventory, *argv) == fleet_cli.EXIT_USAGE
    assert message in capsys.readouterr().err
    assert [b.session_count for b in bmcs] == [2, 2]


def test_inventory_with_a_password_column_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("url,password\nhttps://127.0.0.1:9,hunter2\n")
    assert run("--inventory", str(path)) == fleet_cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "secrets do not belong" in err and "hunter2" not in err
    assert run("--inventory", str(tmp_path / "missing.csv")) == fleet_cli.EXIT_USAGE


def test_missing_credentials_are_one_usage_error_before_any_bmc_is_contacted(
    bmcs, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("REDFISHNB_PASSWORD")
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs, dead=True)
    served = [b.request_count for b in bmcs]
    assert run("--inventory", inventory) == fleet_cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert err.count("REDFISHNB_USERNAME and REDFISHNB_PASSWORD are not set") == 1, err
    assert "run the command on a terminal" in err and "FAILED" not in err + out
    assert [b.request_count for b in bmcs] == served


class _Terminal:
    """stdin of an operator at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("answer", "code", "left"), [("n", fleet_cli.EXIT_STALE, 2), ("y", fleet_cli.EXIT_CLEANED, 1)]
)
def test_disconnect_on_a_terminal_asks_first(bmcs, tmp_path, monkeypatch, capsys, answer, code, left):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    questions = []
    monkeypatch.setattr(fleet_cli.sys, "stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: questions.append(prompt) or answer)
    assert run("--inventory", inventory, "--stale", "15m", "--disconnect") == code
    assert questions == ["Disconnect 2 sessions on 2 BMCs? [y/N] "]
    assert [b.session_count for b in bmcs] == [left, left]


@pytest.mark.parametrize(("auth", "requests"), [("session", 4), ("auto", 1)])
def test_auth_option_sets_how_bmcs_without_an_auth_column_are_read(bmcs, tmp_path, capsys, auth, requests):
    inventory = write_inventory(tmp_path / "bmcs.csv", bmcs)
    served = [b.request_count for b in bmcs]
    assert run("--inventory", inventory, "--auth", auth) == fleet_cli.EXIT_CLEAN
    assert [b.request_count - n for b, n in zip(bmcs, served, strict=True)] == [requests, requests]
    assert "operator" in capsys.readouterr().out
