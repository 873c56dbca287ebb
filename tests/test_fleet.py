"""redfishnb.fleet against a small mock fleet: inventory, credentials, audit, selection, dry run vs act, failures.

The BMCs are real HTTPS mock servers; stale sessions are made with the mock's clock, not by sleeping.
"""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest

from redfishnb import fleet
from redfishnb.errors import (
    BMCUnreachable,
    InsufficientPrivilege,
    InvalidCredentials,
    InventoryError,
    SelectionError,
)
from redfishnb.mock import MockBMC, MockFleet

ADMIN = fleet.Credentials("admin", "password")


@pytest.fixture(scope="module")
def mock_fleet():
    with MockFleet(count=3) as bmcs:
        yield bmcs


@pytest.fixture
def bmcs(mock_fleet):
    """The fleet's BMCs with no session left over from another test."""
    for bmc in mock_fleet.bmcs:
        bmc.clear_sessions()
    yield mock_fleet.bmcs
    for bmc in mock_fleet.bmcs:
        assert not [s for s in bmc.sessions() if s["username"] == "admin" and s["user_tag"] == "REST"], (
            "the fleet run left its own session open"
        )
        bmc.clear_sessions()


def inventory_of(bmcs, **extra):
    return fleet.load_inventory(
        [{"name": f"bmc{i}", "url": bmc.url, "verify": bmc.ca_file, **extra} for i, bmc in enumerate(bmcs)]
    )


def plant(bmc, *, stale, fresh, stale_user="operator", fresh_user="student", idle_s=20 * 60):
    """``stale`` sessions idle for ``idle_s`` seconds and ``fresh`` ones just used."""
    for _ in range(stale):
        bmc.create_session(stale_user, user_tag="REST")
    bmc.advance_clock(idle_s)
    for _ in range(fresh):
        bmc.create_session(fresh_user, user_tag="Web UI")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# Inventory and credentials (no network)


def test_inventory_from_csv_yaml_and_dataframe(tmp_path):
    import pandas as pd

    (tmp_path / "ca.pem").write_text("not read here")
    (tmp_path / "bmcs.csv").write_text(
        "name,url,verify,credentials,rack\n"
        "a,https://10.0.0.1,ca.pem,,r1\n"
        "b,10.0.0.2:8443,false,lab,r2\n"
        ",https://10.0.0.3/,sha256:ab12,,r3\n"
    )
    csv_targets = fleet.load_inventory(tmp_path / "bmcs.csv")
    assert [t.name for t in csv_targets] == ["a", "b", "10.0.0.3"]
    assert csv_targets[0].verify == str(tmp_path / "ca.pem")  # relative to the inventory file
    assert csv_targets[1].url == "https://10.0.0.2:8443" and csv_targets[1].verify is False
    assert csv_targets[1].credentials == "lab"
    assert csv_targets[2].url == "https://10.0.0.3" and csv_targets[2].verify == "sha256:ab12"

    (tmp_path / "bmcs.yaml").write_text(
        "defaults: {timeout: 3, auth: basic}\ntargets:\n  - {name: a, url: 'https://10.0.0.1'}\n  - 10.0.0.2\n"
    )
    yaml_targets = fleet.load_inventory(tmp_path / "bmcs.yaml")
    assert [(t.name, t.timeout, t.auth) for t in yaml_targets] == [
        ("a", 3.0, "basic"),
        ("10.0.0.2", 3.0, "basic"),
    ]

    (tmp_path / "one.csv").write_text("url\nbmc-1.lab\nbmc-2.lab\n")  # one column: no delimiter to sniff
    assert [t.url for t in fleet.load_inventory(tmp_path / "one.csv")] == [
        "https://bmc-1.lab",
        "https://bmc-2.lab",
    ]

    frame = pd.DataFrame({"url": ["https://10.0.0.1", "https://10.0.0.2"], "verify": [None, "no"]})
    assert [t.verify for t in fleet.load_inventory(frame)] == [True, False]


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ([{"url": "https://10.0.0.1", "password": "x"}], "secrets do not belong"),
        ([{"url": "https://10.0.0.1", "X-Auth-Token": "x"}], "secrets do not belong"),
        ([{"url": "https://admin:pw@10.0.0.1"}], "carries credentials"),
        ([{"url": "https://10.0.0.1", "username": "admin"}], "credentials are not read"),
        ([{"name": "a", "url": "h1"}, {"name": "a", "url": "h2"}], "unique"),
        ([{"name": "no-url"}], "without a url"),
        ([{"url": "ftp://h"}], "Unusable BMC url"),
        ([{"url": "h", "auth": "kerberos"}], "auth must be"),
        ([], "no BMC"),
    ],
)
def test_inventory_refuses_bad_input_with_a_typed_error(rows, needle):
    with pytest.raises(InventoryError, match=needle) as info:
        fleet.load_inventory(rows)
    assert "pw" not in str(info.value).replace("password", "")  # the secret itself is never echoed


def test_missing_inventory_file_is_an_inventory_error(tmp_path):
    with pytest.raises(InventoryError, match="does not exist"):
        fleet.load_inventory(tmp_path / "nope.csv")


def test_credentials_come_from_arguments_environment_or_nowhere():
    targets = fleet.load_inventory([{"url": "h1"}, {"url": "h2", "credentials": "lab-b"}])
    env = {"REDFISHNB_USERNAME": "admin", "REDFISHNB_PASSWORD": "s3cret"}
    resolved = fleet.resolve_credentials(targets, environ=env, prompt=False)
    assert resolved[""] == fleet.Credentials("admin", "s3cret")
    assert isinstance(resolved["lab-b"], InventoryError)
    assert "REDFISHNB_LAB_B_PASSWORD" in str(resolved["lab-b"])
    given = fleet.resolve_credentials(targets, ("u", "p"), environ={}, prompt=False)
    assert given["lab-b"] == fleet.Credentials("u", "p")
    assert "s3cret" not in repr(resolved[""]) and "s3cret" not in str(resolved)


def test_parse_duration():
    assert fleet.parse_duration("30m") == timedelta(minutes=30)
    assert fleet.parse_duration("1h30m") == timedelta(minutes=90)
    assert fleet.parse_duration("2d") == timedelta(days=2)
    assert fleet.parse_duration(45) == timedelta(seconds=45)
    assert fleet.parse_duration("90") == timedelta(seconds=90)
    for bad in ("", "soon", "30x", "m30", "-5m"):
        with pytest.raises(SelectionError):
            fleet.parse_duration(bad)


def test_selection_never_matches_the_callers_own_session():
    selection = fleet.Selection.build(idle=0, users=["admin"], tags=["REST"])
    row = {"uri": "/s/1", "username": "admin", "user_tag": "REST", "idle": timedelta(hours=9)}
    assert selection.matches("bmc", {**row, "mine": False})
    assert not selection.matches("bmc", {**row, "mine": True})
    assert not selection.matches("bmc", {**row, "mine": False, "idle": None})  # unknown idle never matches
    with pytest.raises(SelectionError):
        fleet.Selection.build()


# ---------------------------------------------------------------------------------------------------------------
# Against the mock fleet


def test_audit_reads_every_bmc_in_at_most_four_requests(bmcs):
    for bmc in bmcs:
        plant(bmc, stale=2, fresh=1)
    served_before = [bmc.request_count for bmc in bmcs]
    report = fleet.collect_sessions(inventory_of(bmcs), ADMIN, progress=False)

    assert report.outcome == "clean" and list(report.targets["status"]) == ["ok"] * 3
    assert list(report.targets["sessions"]) == [4, 4, 4]  # 3 planted + the audit's own
    assert [bmc.request_count - n for bmc, n in zip(bmcs, served_before, strict=True)] == [4, 4, 4]
    assert list(report.targets["requests"]) == [4, 4, 4]
    own = report.sessions[report.sessions["mine"].astype(bool)]
    assert len(own) == 3 and set(own["action"]) == {"own session"}
    assert all("UserConfigPriv" in p for p in report.targets["privileges"])
    stale = report.sessions[report.sessions["username"] == "operator"]
    assert (stale["idle"] >= timedelta(minutes=20)).all()
    fresh = report.sessions[report.sessions["username"] == "student"]
    assert (fresh["idle"] < timedelta(minutes=1)).all()
    assert [bmc.session_count for bmc in bmcs] == [3, 3, 3]  # the audit logged out everywhere


def test_one_dead_slow_or_misconfigured_bmc_never_aborts_the_run(bmcs):
    with MockBMC(latency_ms=1500) as slow:
        rows = [{"name": f"ok{i}", "url": b.url, "verify": b.ca_file} for i, b in enumerate(bmcs[:2])]
        rows += [
            {"name": "dead", "url": f"https://127.0.0.1:{free_port()}", "verify": bmcs[0].ca_file},
            {"name": "slow", "url": slow.url, "verify": slow.ca_file, "timeout": 0.3},
            {"name": "badpw", "url": bmcs[2].url, "verify": bmcs[2].ca_file, "credentials": "wrong"},
            {"name": "nocreds", "url": bmcs[2].url, "verify": bmcs[2].ca_file, "credentials": "unset"},
        ]
        creds = {"": ADMIN, "wrong": fleet.Credentials("admin", "not-the-password")}
        started = time.perf_counter()
        report = fleet.collect_sessions(rows, creds, timeout=5, progress=False, environ={}, prompt=False)
        elapsed = time.perf_counter() - started

        assert elapsed < 3, "a slow BMC must cost its timeout, not the run"
        status = dict(zip(report.targets["target"], report.targets["status"], strict=True))
        assert status == {
            "ok0": "ok",
            "ok1": "ok",
            "dead": "failed",
            "slow": "failed",
            "badpw": "failed",
            "nocreds": "failed",
        }
        kinds = dict(zip(report.targets["target"], report.targets["error_type"], strict=True))
        assert kinds["dead"] == BMCUnreachable.__name__ and kinds["slow"] == BMCUnreachable.__name__
        assert kinds["badpw"] == InvalidCredentials.__name__ and kinds["nocreds"] == InventoryError.__name__
        assert report.outcome == "failed"
        failures = report.frame[report.frame["uri"].isna()]
        assert set(failures["target"]) == {"dead", "slow", "badpw", "nocreds"}
        assert failures["error"].str.len().min() > 0
        assert "not-the-password" not in report.to_csv() + report.to_html()
        assert all(report.failed["hint"].str.len() > 0)
        assert slow.session_count == 0
    assert [b.session_count for b in bmcs] == [0, 0, 0]


def test_dry_run_changes_nothing_and_confirm_disconnects_only_the_stale(bmcs):
    for bmc in bmcs:
        plant(bmc, stale=2, fresh=2)
    inventory = inventory_of(bmcs)

    dry = fleet.clean(inventory, ADMIN, idle="15m", progress=False)
    assert dry.outcome == "stale" and list(dry.targets["selected"]) == [2, 2, 2]
    assert set(dry.selected["action"]) == {"would disconnect"} and set(dry.selected["username"]) == {
        "operator"
    }
    assert [bmc.session_count for bmc in bmcs] == [4, 4, 4]

    done = fleet.clean(inventory, ADMIN, idle="15m", confirm=True, progress=False)
    assert done.outcome == "cleaned" and list(done.targets["disconnected"]) == [2, 2, 2]
    assert list(done.targets["requests"]) == [6, 6, 6]  # root, login, sessions, 2 DELETEs, logout
    for bmc in bmcs:
        assert sorted(s["username"] for s in bmc.sessions()) == ["student", "student"]
    again = fleet.clean(inventory, ADMIN, idle="15m", progress=False)
    assert again.outcome == "clean" and again.selected.empty


def test_audit_select_disconnect_acts_only_on_what_was_reviewed(bmcs):
    for bmc in bmcs:
        plant(bmc, stale=1, fresh=1)
    inventory = inventory_of(bmcs)
    audit = fleet.collect_sessions(inventory, ADMIN, progress=False)
    stale = fleet.select_stale(audit, tags=["rest"])  # the audit's own REST session never matches
    assert len(stale.selected) == 3 and not stale.selected["mine"].any()
    assert list(stale.targets["selected"]) == [1, 1, 1]

    served = [bmc.request_count for bmc in bmcs]
    plan = fleet.disconnect(stale, ADMIN)  # dry run: no request at all
    assert set(plan.selected["action"]) == {"would disconnect"}
    assert [bmc.request_count for bmc in bmcs] == served and [bmc.session_count for bmc in bmcs] == [2, 2, 2]

    late = bmcs[0].create_session("operator", user_tag="REST")  # matches too, but nobody reviewed it
    bmcs[1].clear_sessions()  # the reviewed session ended by itself meanwhile
    done = fleet.disconnect(stale, ADMIN, confirm=True, progress=False)
    assert done.outcome == "cleaned"
    assert [s["uri"] for s in bmcs[0].sessions() if s["username"] == "operator"] == [late["uri"]]
    assert bmcs[2].session_count == 1 and bmcs[2].sessions()[0]["username"] == "student"


def test_never_disconnects_its_own_session(bmcs):
    for bmc in bmcs:
        bmc.create_session("admin", user_tag="REST")
    report = fleet.clean(inventory_of(bmcs), ADMIN, idle=0, users=["admin"], confirm=True, progress=False)
    own = report.sessions[report.sessions["mine"].astype(bool)]
    assert set(own["action"]) == {"own session"} and not own["selected"].any()
    assert list(report.targets["disconnected"]) == [1, 1, 1]
    assert list(report.targets["status"]) == ["ok"] * 3  # the logout of its own session still worked
    assert [bmc.session_count for bmc in bmcs] == [0, 0, 0]


def test_a_refused_disconnect_is_reported_not_raised(bmcs):
    bmc = bmcs[0]
    bmc.create_session("admin", user_tag="Web UI")
    bmc.advance_clock(20 * 60)
    operator = fleet.Credentials("operator", "operator")  # no UserConfigPriv: may not end others' sessions
    report = fleet.clean(inventory_of([bmc]), operator, idle="10m", confirm=True, progress=False)
    assert report.outcome == "failed"
    row = report.selected.iloc[0]
    assert row["action"] == "failed" and InsufficientPrivilege.__name__ in row["error"]
    assert int(report.targets["failed_disconnects"].iloc[0]) == 1
    assert [s["username"] for s in bmc.sessions()] == ["admin"]


def test_reports_as_csv_html_and_progress_bar(bmcs, tmp_path, capsys):
    plant(bmcs[0], stale=1, fresh=0)
    report = fleet.clean(inventory_of(bmcs), ADMIN, idle="5m", progress=True)
    assert "clean (dry run)" in capsys.readouterr().err  # tqdm's text bar on stderr outside notebooks
    csv_path, html_path = tmp_path / "r.csv", tmp_path / "r.html"
    report.to_csv(csv_path)
    report.to_html(html_path)
    text = csv_path.read_text()
    assert text.splitlines()[0].startswith("target,url,username,user_tag") and "would disconnect" in text
    page = html_path.read_text()
    assert "<table" in page and "idle &gt;= 5m" in page and "password" not in page.lower()
    assert "would be disconnected" in repr(report) and "<table" in report._repr_html_()


def test_basic_auth_audit_costs_three_requests_and_opens_no_session(bmcs):
    bmcs[0].create_session("operator", user_tag="REST")
    served = bmcs[0].request_count
    report = fleet.collect_sessions(inventory_of(bmcs[:1], auth="basic"), ADMIN, progress=False)
    assert report.outcome == "clean" and list(report.sessions["username"]) == ["operator"]
    assert (
        bmcs[0].request_count - served == 3 == report.targets["requests"].iloc[0]
    )  # root, credential check, $expand
    assert bmcs[0].session_count == 1


def test_a_bmc_at_its_session_limit_is_cleaned_over_basic_auth():
    with MockBMC(session_limit=3) as full:
        for _ in range(3):
            full.create_session("operator", user_tag="REST")
        full.advance_clock(20 * 60)
        report = fleet.clean(inventory_of([full]), ADMIN, idle="15m", confirm=True, progress=False)
        assert report.outcome == "cleaned" and int(report.targets["disconnected"].iloc[0]) == 3
        assert report.targets["auth"].iloc[0] == "basic (session limit reached)"
        assert full.session_count == 0
