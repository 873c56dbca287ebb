"""Audits against the mock fleet: what each authentication costs, who is seen, and failures as rows."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from redfishnb import fleet
from redfishnb.errors import (
    BMCUnreachable,
    CAFileNotFound,
    InvalidCredentials,
    InventoryError,
    SelectionError,
)
from redfishnb.fleet import visit as visit_module
from redfishnb.fleet import wire
from redfishnb.mock import MockBMC
from redfishnb.records import Collection

from .conftest import ADMIN, inventory_of, plant


def served(bmcs, before):
    return [bmc.request_count - n for bmc, n in zip(bmcs, before, strict=True)]


def test_session_audit_costs_four_requests_and_logs_out(bmcs):
    for bmc in bmcs:
        plant(bmc, stale=2, fresh=1)
    before = [bmc.request_count for bmc in bmcs]
    report = fleet.collect_sessions(inventory_of(bmcs), ADMIN, auth="session", progress=False)

    assert report.outcome == "clean" and list(report.targets["status"]) == ["ok"] * 3
    assert list(report.targets["sessions"]) == [4, 4, 4]  # 3 planted + the audit's own
    assert (
        served(bmcs, before) == [4, 4, 4] == list(report.targets["requests"])
    )  # root, login, $expand, logout
    own = report.sessions[report.sessions["mine"].astype(bool)]
    assert len(own) == 3 and set(own["action"]) == {"own session"}
    assert all("UserConfigPriv" in p for p in report.targets["privileges"])
    stale = report.sessions[report.sessions["username"] == "operator"]
    assert (stale["idle"] >= timedelta(minutes=20)).all()
    fresh = report.sessions[report.sessions["username"] == "student"]
    assert (fresh["idle"] < timedelta(minutes=1)).all()
    assert [bmc.session_count for bmc in bmcs] == [3, 3, 3]  # the audit logged out everywhere


@pytest.mark.parametrize("auth", ["basic", "auto"])
def test_basic_audit_is_one_request_per_bmc_and_opens_no_session(bmcs, auth):
    for bmc in bmcs:
        plant(bmc, stale=2, fresh=1)
    before = [bmc.request_count for bmc in bmcs]
    report = fleet.collect_sessions(inventory_of(bmcs), ADMIN, auth=auth, progress=False)

    assert report.outcome == "clean" and list(report.targets["auth"]) == ["basic"] * 3
    assert served(bmcs, before) == [1, 1, 1] == list(report.targets["requests"])  # counted by the mock
    assert set(report.targets["service"]) == {"iLO"}  # iLO's Oem.Hpe in the Sessions answer
    # who made it is the root's to say, and a Basic audit does not read the root
    assert {(v.service.vendor, v.service.product, v.service.root_read) for v in report.visits} == {
        (None, None, False)
    }
    assert list(report.targets["sessions"]) == [3, 3, 3]  # only the planted ones: Basic has no own session
    assert not report.sessions["mine"].any()
    assert sorted(report.sessions["username"]) == ["operator"] * 6 + ["student"] * 3
    stale = report.sessions[report.sessions["username"] == "operator"]
    assert (stale["idle"] >= timedelta(minutes=20)).all()  # idle on the BMC's clock (its Date header)
    assert [bmc.session_count for bmc in bmcs] == [3, 3, 3]


def test_the_inventorys_auth_column_wins_over_the_operations(bmcs):
    rows = [{"name": "s", "url": bmcs[0].url, "verify": bmcs[0].ca_file, "auth": "session"},
            {"name": "b", "url": bmcs[1].url, "verify": bmcs[1].ca_file}]  # fmt: skip
    report = fleet.collect_sessions(rows, ADMIN, auth="auto", progress=False)
    assert list(report.targets["auth"]) == ["session", "basic"]
    assert list(report.targets["requests"]) == [4, 1]
    with pytest.raises(SelectionError, match="auth must be one of"):
        fleet.collect_sessions(rows, ADMIN, auth="kerberos", progress=False)


def test_a_bmc_that_refuses_basic_is_audited_through_a_session(bmcs, refuse_basic):
    refuse_basic(bmcs[1])
    for bmc in bmcs:
        plant(bmc, stale=1, fresh=0)
    before = [bmc.request_count for bmc in bmcs]
    report = fleet.collect_sessions(inventory_of(bmcs), ADMIN, auth="auto", progress=False)

    assert report.outcome == "clean"
    assert list(report.targets["auth"]) == ["basic", "session (Basic refused)", "basic"]
    # the 401, then the session's 4 (root, login, $expand, logout)
    assert served(bmcs, before) == [1, 5, 1] == list(report.targets["requests"])
    refused = report.sessions[report.sessions["target"] == "bmc1"]
    assert sorted(refused["username"]) == ["admin", "operator"] and refused["mine"].sum() == 1
    assert bmcs[1].session_count == 1  # its own session was logged out

    strict = fleet.collect_sessions(inventory_of(bmcs[1:2]), ADMIN, auth="basic", progress=False)
    assert strict.targets["error_type"].iloc[0] == InvalidCredentials.__name__


def test_wrong_password_over_basic_is_one_refused_request_not_two_logins(bmcs):
    before = [bmcs[0].request_count]
    wrong = fleet.Credentials("admin", "not-the-password")
    report = fleet.collect_sessions(inventory_of(bmcs[:1]), wrong, auth="auto", progress=False)
    assert report.targets["error_type"].iloc[0] == InvalidCredentials.__name__
    # a 401 challenging Basic: the password is wrong, so no session login is tried
    assert served(bmcs[:1], before) == [1]
    assert "not-the-password" not in report.to_csv() + report.to_html()


def test_one_tls_context_per_trust_setting_is_shared_by_every_target(bmcs, mock_fleet, monkeypatch):
    built, mounted = [], []
    real_build, real_mount = wire.build_ssl_context, wire.make_http_session
    monkeypatch.setattr(wire, "build_ssl_context", lambda verify: built.append(verify) or real_build(verify))
    monkeypatch.setattr(wire, "make_http_session", lambda p, url: mounted.append(p) or real_mount(p, url))
    rows = [{"name": f"bmc{i}", "url": b.url, "verify": mock_fleet.ca_file} for i, b in enumerate(bmcs)]
    rows.append({"name": "missing-ca", "url": bmcs[0].url, "verify": "/nonexistent/ca.pem"})
    rows.append({"name": "missing-ca-2", "url": bmcs[1].url, "verify": "/nonexistent/ca.pem"})

    report = fleet.collect_sessions(rows, ADMIN, auth="basic", progress=False)
    assert list(report.targets["status"]) == ["ok", "ok", "ok", "failed", "failed"]
    assert sorted(built) == sorted([mock_fleet.ca_file, "/nonexistent/ca.pem"])  # once per setting
    assert len(mounted) == 3 and all(p is mounted[0] for p in mounted)
    assert set(report.targets["error_type"].dropna()) == {CAFileNotFound.__name__}


def test_the_sessions_place_and_expand_query_come_from_the_service_root():
    root = {"Vendor": "Acme", "Product": "BMC 9", "Links": {"Sessions": {"@odata.id": "/redfish/v1/Elsewhere"}},
            "ProtocolFeaturesSupported": {"ExpandQuery": {"ExpandAll": True}}}  # fmt: skip
    service = fleet.Service.from_root(root)
    assert (service.vendor, service.product, service.oem, service.kind) == ("Acme", "BMC 9", (), "standard")
    assert (service.sessions_uri, service.expand) == ("/redfish/v1/Elsewhere", "*")
    no_expand = fleet.Service.from_root({"ProtocolFeaturesSupported": {"ExpandQuery": {"NoLinks": False}}})
    assert no_expand.expand is None  # the members are then read one by one
    silent = fleet.Service.from_root({"Oem": {"Hpe": {}}})
    assert (silent.kind, silent.oem, silent.expand) == ("iLO", ("Hpe",), ".")
    assert silent.sessions_uri == "/redfish/v1/SessionService/Sessions/"


def test_sessions_outside_the_standard_location_are_found_through_the_root_once(bmcs, monkeypatch):
    monkeypatch.setattr(visit_module, "STANDARD_SESSIONS_URI", "/redfish/v1/NotTheSessions/")
    monkeypatch.setattr(visit_module, "_SESSIONS_ELSEWHERE", {})
    plant(bmcs[0], stale=1, fresh=0)
    before = [bmcs[0].request_count]
    first = fleet.collect_sessions(inventory_of(bmcs[:1]), ADMIN, auth="basic", progress=False)
    assert (
        served(bmcs[:1], before) == [3] == list(first.targets["requests"])
    )  # 404, the root, its Links.Sessions
    again = fleet.collect_sessions(inventory_of(bmcs[:1]), ADMIN, auth="basic", progress=False)
    assert again.targets["requests"].iloc[0] == 1  # the place is remembered
    assert list(first.sessions["username"]) == list(again.sessions["username"]) == ["operator"]
    # the root was read for this BMC, so the visits know who made it
    assert {(v.service.vendor, v.service.kind) for v in (*first.visits, *again.visits)} == {("HPE", "iLO")}


def test_the_kind_of_service_is_judged_from_the_sessions_answer():
    def kind(body):
        return fleet.Service.from_sessions(Collection("/s", body, body.get("Members", []), None, 1)).kind

    assert kind({"Oem": {"Hpe": {"Links": {"MySession": {"@odata.id": "/s/1"}}}}, "Members": []}) == "iLO"
    ilo_member = {
        "@odata.id": "/s/1",
        "Oem": {"Hpe": {"AccessTime": "2026-01-01T00:00:00Z", "UserTag": "REST"}},
    }
    assert kind({"Members": [ilo_member]}) == "iLO"
    rmc_member = {"@odata.id": "/s/1", "Oem": {"Hpe": {"InitialRole": "Operator"}}}  # the RMC: not an iLO
    assert kind({"Members": [rmc_member]}) == kind({"Members": [{"@odata.id": "/s/1", "UserName": "x"}]})
    assert kind({"Members": [rmc_member]}) == "standard"


@pytest.mark.parametrize("auth", ["session", "auto"])
def test_one_dead_slow_or_misconfigured_bmc_never_aborts_the_run(bmcs, auth, dead_url):
    with MockBMC(latency_ms=1500) as slow:
        rows = [{"name": f"ok{i}", "url": b.url, "verify": b.ca_file} for i, b in enumerate(bmcs[:2])]
        rows += [
            {"name": "dead", "url": dead_url, "verify": bmcs[0].ca_file},
            {"name": "slow", "url": slow.url, "verify": slow.ca_file, "timeout": 0.3},
            {"name": "badpw", "url": bmcs[2].url, "verify": bmcs[2].ca_file, "credentials": "wrong"},
            {"name": "nocreds", "url": bmcs[2].url, "verify": bmcs[2].ca_file, "credentials": "unset"},
        ]
        creds = {"": ADMIN, "wrong": fleet.Credentials("admin", "not-the-password")}
        started = time.perf_counter()
        report = fleet.collect_sessions(
            rows, creds, timeout=5, auth=auth, progress=False, environ={}, prompt=False
        )
        elapsed = time.perf_counter() - started

        assert elapsed < 3, "a slow BMC must cost its timeout, not the run"
        status = dict(zip(report.targets["target"], report.targets["status"], strict=True))
        assert status == {"ok0": "ok", "ok1": "ok", "dead": "failed", "slow": "failed", "badpw": "failed",
                          "nocreds": "failed"}  # fmt: skip
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
