"""A mixed fleet — one BMC of each mock flavour — audited and cleaned in one run.

Each BMC is read the way it allows (Basic, or a session where an OpenBMC has ``HTTPBasicAuth: Disabled``),
identified by what its Sessions answer carries (iLO's Oem.Hpe, or none: standard), and judged by what its
sessions carry: iLO reports AccessTime and LoginTime, OpenBMC (Session v1_7) only CreatedTime, the Superdome Flex
RMC neither. Only a visit that read the service root anyway (a session's) knows the vendor and product.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests

from redfishnb import fleet
from redfishnb.errors import BMCUnreachable, InvalidCredentials, TLSVerificationFailed
from redfishnb.mock import MockBMC, MockFleet

from .conftest import ADMIN, plant

FLAVORS = ("ilo6", "ilo7", "rmc", "openbmc")


@pytest.fixture
def mixed() -> Iterator[dict[str, MockBMC]]:
    """One BMC per flavour, named by its flavour, each with 2 sessions idle 20 minutes and 1 fresh one."""
    with MockFleet(count=len(FLAVORS), flavor=",".join(FLAVORS)) as bmcs:
        by_flavor = {bmc.flavor.name: bmc for bmc in bmcs}
        assert tuple(by_flavor) == FLAVORS
        for bmc in bmcs:
            plant(bmc, stale=2, fresh=1)
        yield by_flavor


def inventory(bmcs: dict[str, MockBMC]) -> list[dict[str, str]]:
    return [{"name": name, "url": bmc.url, "verify": bmc.ca_file} for name, bmc in bmcs.items()]


def patch_account_service(bmc: MockBMC, body: dict[str, object]) -> None:
    """An administrator's PATCH over Basic (sent before Basic is disabled)."""
    answer = requests.patch(
        bmc.url + "/redfish/v1/AccountService", json=body, auth=("admin", "password"), verify=bmc.ca_file
    )
    assert answer.status_code == 200, answer.text


def by_target(report: fleet.FleetReport, column: str) -> dict[str, object]:
    return dict(zip(report.targets["target"], report.targets[column], strict=True))


def left_by_the_run(bmc: MockBMC) -> list[dict[str, object]]:
    """Sessions of the run's own (it logs in as admin; the planted sessions are operator's and student's)."""
    return [s for s in bmc.sessions() if s["username"] == "admin"]


def test_a_mixed_audit_reads_each_bmc_its_own_way_and_says_what_it_is(mixed):
    patch_account_service(mixed["openbmc"], {"HTTPBasicAuth": "Disabled"})
    before = {name: bmc.request_count for name, bmc in mixed.items()}
    report = fleet.collect_sessions(inventory(mixed), ADMIN, progress=False)

    assert report.outcome == "clean"
    made_by = {v.target.name: (v.service.vendor, v.service.product) for v in report.visits if v.service}
    assert made_by == {  # the root only where the visit read it: the session's login does, Basic does not
        "ilo6": (None, None),
        "ilo7": (None, None),
        "rmc": (None, None),  # its members' Oem.Hpe has only InitialRole: standard, not an iLO
        "openbmc": ("OpenBMC", "OpenBMC"),
    }
    assert by_target(report, "service") == {
        "ilo6": "iLO",
        "ilo7": "iLO",
        "rmc": "standard",
        "openbmc": "standard",
    }
    assert by_target(report, "auth") == {
        "ilo6": "basic",
        "ilo7": "basic",
        "rmc": "basic",
        "openbmc": "session (Basic disabled)",  # the 401 offered no Basic challenge: a session instead
    }
    served = {name: bmc.request_count - before[name] for name, bmc in mixed.items()}
    # Basic: one $expand GET; OpenBMC: the refused Basic GET, then the session's four (root, login, GET, logout)
    assert served == by_target(report, "requests") == {"ilo6": 1, "ilo7": 1, "rmc": 1, "openbmc": 5}
    assert [bmc.session_count for bmc in mixed.values()] == [3, 3, 3, 3]  # OpenBMC's own session logged out
    ages = {name: set(rows.dropna()) for name, rows in report.sessions.groupby("target")["age_from"]}
    assert ages == {
        "ilo6": {"Oem.Hpe.LoginTime"},
        "ilo7": {"Oem.Hpe.LoginTime"},
        "rmc": set(),  # the RMC's sessions say neither when they were opened nor last used
        "openbmc": {"CreatedTime"},
    }
    stale = report.sessions[
        (report.sessions["username"] == "operator") & (report.sessions["target"] == "openbmc")
    ]
    assert (stale["age"] >= timedelta(minutes=20)).all() and stale["idle"].isna().all()


def test_stale_refuses_the_bmcs_whose_sessions_carry_no_access_time(mixed):
    report = fleet.clean(inventory(mixed), ADMIN, idle="15m", confirm=True, progress=False)

    assert report.outcome == "failed"
    assert by_target(report, "status") == {"ilo6": "ok", "ilo7": "ok", "rmc": "failed", "openbmc": "failed"}
    assert by_target(report, "disconnected") == {"ilo6": 2, "ilo7": 2, "rmc": 0, "openbmc": 0}
    assert by_target(report, "rule") == {
        "ilo6": "idle >= 15m by AccessTime",
        "ilo7": "idle >= 15m by AccessTime",
        "rmc": "refused: idle >= 15m",
        "openbmc": "refused: idle >= 15m",
    }
    refused = report.failed.set_index("target")
    assert set(refused["error_type"]) == {fleet.UnsupportedSelection.__name__}
    openbmc = refused.loc["openbmc", "error"]
    assert "use --older-than DURATION (older_than=) to select them by CreatedTime" in openbmc
    for name in ("rmc", "openbmc"):
        assert "sessions carry no AccessTime" in refused.loc[name, "error"] and refused.loc[name, "hint"]
        assert mixed[name].session_count == 3  # nothing was silently selected, nothing deleted
    assert [mixed["ilo6"].session_count, mixed["ilo7"].session_count] == [1, 1]
    kept = report.sessions[report.sessions["target"].isin(["rmc", "openbmc"])]
    assert len(kept) == 6 and not kept["selected"].any()  # the refused BMCs' sessions are still reported


def test_older_than_selects_by_created_time_or_ilo_login_time(mixed):
    report = fleet.clean(inventory(mixed), ADMIN, older_than="15m", confirm=True, progress=False)

    assert by_target(report, "rule") == {
        "ilo6": "older than 15m by Oem.Hpe.LoginTime",
        "ilo7": "older than 15m by Oem.Hpe.LoginTime",
        "rmc": "refused: older than 15m",
        "openbmc": "older than 15m by CreatedTime",
    }
    assert by_target(report, "disconnected") == {"ilo6": 2, "ilo7": 2, "rmc": 0, "openbmc": 2}
    assert [bmc.session_count for bmc in mixed.values()] == [1, 1, 3, 1]  # the fresh session stays everywhere
    rmc = report.failed.set_index("target").loc["rmc"]
    assert rmc["error_type"] == fleet.UnsupportedSelection.__name__
    assert "neither CreatedTime nor Oem.Hpe.LoginTime" in rmc["error"] and "--user or --tag" in rmc["error"]


def test_an_audit_is_judged_again_by_each_selection_without_a_request(mixed, tmp_path):
    patch_account_service(mixed["openbmc"], {"HTTPBasicAuth": "Disabled"})
    audit = fleet.collect_sessions(inventory(mixed), ADMIN, progress=False)
    served = [bmc.request_count for bmc in mixed.values()]

    idle = audit.select(idle="15m")
    assert by_target(idle, "status")["openbmc"] == "failed" and len(idle.failed) == 2
    old = idle.select(older_than="15m", users="operator")  # the refusal is lifted by a criterion that applies
    assert by_target(old, "status") == {"ilo6": "ok", "ilo7": "ok", "rmc": "failed", "openbmc": "ok"}
    assert by_target(old, "selected") == {"ilo6": 2, "ilo7": 2, "rmc": 0, "openbmc": 2}
    assert [bmc.request_count for bmc in mixed.values()] == served  # selecting sends nothing

    old.to_csv(tmp_path / "old.csv")
    csv_text = (tmp_path / "old.csv").read_text()
    assert "session (Basic disabled)" in csv_text
    assert "older than 15m by CreatedTime and user in operator" in csv_text and ",standard," in csv_text
    page = old.to_html()
    assert (
        "refused: older than 15m" in page
        and "<td>iLO</td>" in page
        and "reads that one resource only" in page
    )

    done = fleet.disconnect(old, ADMIN, confirm=True, progress=False)
    assert by_target(done, "disconnected") == {"ilo6": 2, "ilo7": 2, "openbmc": 2}  # rmc had nothing selected
    assert [bmc.session_count for bmc in mixed.values()] == [1, 1, 3, 1]
    assert not any(left_by_the_run(bmc) for bmc in mixed.values())


@pytest.fixture
def failing() -> Iterator[dict[str, MockBMC]]:
    """One BMC per flavour, each about to fail its own way (the RMC's is switched off: ``dead_url``)."""
    with MockBMC("ilo6") as ilo6, MockBMC("ilo7") as ilo7, MockBMC("openbmc") as openbmc:
        patch_account_service(
            openbmc, {"HTTPBasicAuth": "Disabled", "AccountLockoutThreshold": 2, "AccountLockoutDuration": 0}
        )
        for _ in range(2):  # lock the operator account: from now on even the right password is refused
            requests.post(
                openbmc.url + "/redfish/v1/SessionService/Sessions",
                json={"UserName": "operator", "Password": "not-the-password"},
                verify=openbmc.ca_file,
            )
        for bmc in (ilo6, ilo7, openbmc):
            plant(bmc, stale=1, fresh=0)
        yield {"ilo6": ilo6, "ilo7": ilo7, "openbmc": openbmc}


def test_every_flavour_fails_its_own_way_and_the_others_are_still_cleaned(mixed, failing, dead_url):
    rows = inventory(mixed)
    rows += [
        {"name": "ilo6-badpw", "url": failing["ilo6"].url, "verify": failing["ilo6"].ca_file, "credentials": "bad"},
        {"name": "ilo7-wrong-ca", "url": failing["ilo7"].url, "verify": mixed["ilo7"].ca_file},  # the fleet's CA
        {"name": "rmc-stopped", "url": dead_url, "verify": mixed["rmc"].ca_file},
        {"name": "openbmc-locked", "url": failing["openbmc"].url, "verify": failing["openbmc"].ca_file,
         "credentials": "locked"},
    ]  # fmt: skip
    creds = {
        "": ADMIN,
        "bad": fleet.Credentials("admin", "Wrong-Pa55word"),
        "locked": fleet.Credentials("operator", "operator"),  # the right password of a locked account
    }
    report = fleet.clean(rows, creds, older_than="15m", users="operator", confirm=True, progress=False)

    status = by_target(report, "status")
    assert [status[name] for name in ("ilo6", "ilo7", "openbmc")] == ["ok"] * 3
    assert by_target(report, "disconnected")["openbmc"] == 2
    kinds = by_target(report, "error_type")
    assert kinds["ilo6-badpw"] == InvalidCredentials.__name__
    assert kinds["ilo7-wrong-ca"] == TLSVerificationFailed.__name__
    assert kinds["rmc-stopped"] == BMCUnreachable.__name__
    assert kinds["openbmc-locked"] in (InvalidCredentials.__name__, "AccountLocked")
    assert kinds["rmc"] == fleet.UnsupportedSelection.__name__  # the healthy RMC: no age to select by
    failed = report.failed.set_index("target")
    assert (failed["error"].str.len() > 0).all() and (failed["hint"].str.len() > 0).all()
    assert "locked" in failed.loc["openbmc-locked", "hint"]
    assert by_target(report, "auth")["openbmc-locked"] == "session (Basic disabled)"
    exported = report.to_csv() + report.to_html()
    assert "Wrong-Pa55word" not in exported

    assert [failing[name].session_count for name in ("ilo6", "ilo7", "openbmc")] == [1, 1, 1]  # nothing left
    assert not any(left_by_the_run(bmc) for bmc in [*mixed.values(), *failing.values()] if bmc.running)


def write_inventory(path, bmcs: dict[str, MockBMC]) -> str:
    path.write_text("name,url,verify\n" + "".join(f"{n},{b.url},{b.ca_file}\n" for n, b in bmcs.items()))
    return str(path)


def test_the_command_says_per_bmc_what_it_is_how_it_was_read_and_which_rule_applied(
    mixed, tmp_path, monkeypatch, capsys
):
    from redfishnb import cli, fleet_cli

    monkeypatch.setenv("REDFISHNB_USERNAME", "admin")
    monkeypatch.setenv("REDFISHNB_PASSWORD", "password")
    patch_account_service(mixed["openbmc"], {"HTTPBasicAuth": "Disabled"})
    everything = write_inventory(tmp_path / "all.csv", mixed)

    assert (
        cli.main(["sessions", "-i", everything, "--stale", "15m", "--no-progress"]) == fleet_cli.EXIT_FAILED
    )
    out, err = capsys.readouterr()
    assert "FAILED openbmc" in err and "UnsupportedSelection" in err
    assert "sessions carry no AccessTime" in err and "use --older-than DURATION" in err
    bmc_lines = {
        line.split()[0]: line for line in out.splitlines() if line.split()[:1] in (["rmc"], ["openbmc"])
    }
    assert "standard" in bmc_lines["openbmc"] and "session (Basic disabled)" in bmc_lines["openbmc"]
    assert "standard" in bmc_lines["rmc"] and "refused: idle >= 15m" in bmc_lines["rmc"]

    no_rmc = write_inventory(tmp_path / "no-rmc.csv", {k: v for k, v in mixed.items() if k != "rmc"})
    assert (
        cli.main(["sessions", "-i", no_rmc, "--older-than", "15m", "--no-progress"]) == fleet_cli.EXIT_STALE
    )
    out = capsys.readouterr().out
    assert "older than 15m by CreatedTime" in out and "6 would be disconnected" in out
    argv = ["sessions", "-i", no_rmc, "--older-than", "15m", "--disconnect", "--yes", "--no-progress"]
    assert cli.main([*argv, "--csv", str(tmp_path / "done.csv")]) == fleet_cli.EXIT_CLEANED
    assert [bmc.session_count for bmc in mixed.values()] == [1, 1, 3, 1]
    assert "older than 15m by Oem.Hpe.LoginTime" in (tmp_path / "done.csv").read_text()
    assert not any(left_by_the_run(bmc) for bmc in mixed.values())


def test_stale_on_the_rmc_points_at_what_its_sessions_do_carry(mixed):
    report = fleet.clean(inventory({"rmc": mixed["rmc"]}), ADMIN, idle="15m", progress=False)
    error = report.failed["error"].iloc[0]
    assert "carry no AccessTime" in error and "no CreatedTime or Oem.Hpe.LoginTime either" in error
    assert "--user or --tag" in error and "--older-than DURATION" not in error


@pytest.mark.parametrize(
    ("setting", "auth", "expected"),
    [
        ("Unadvertised", "auto", "basic"),  # accepted, only not advertised: Basic still works
        ("Disabled", "auto", "session (Basic disabled)"),
        ("Disabled", "basic", None),  # Basic was asked for: refused, typed, no session tried
    ],
)
def test_openbmc_basic_setting_decides_the_read_path(mixed, setting, auth, expected):
    openbmc = {"openbmc": mixed["openbmc"]}
    patch_account_service(mixed["openbmc"], {"HTTPBasicAuth": setting})
    report = fleet.collect_sessions(inventory(openbmc), ADMIN, auth=auth, progress=False)
    if expected is None:
        assert by_target(report, "error_type") == {"openbmc": "BasicAuthDisabled"}
        assert "HTTPBasicAuth" in report.failed["error"].iloc[0] and report.failed["hint"].iloc[0]
    else:
        assert by_target(report, "auth") == {"openbmc": expected} and report.outcome == "clean"
    assert not left_by_the_run(mixed["openbmc"])
