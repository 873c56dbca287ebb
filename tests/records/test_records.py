"""Session and Account records read once from iLO 6, RMC and DMTF standard bodies (no network)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from redfishnb.records import Account, Session, bmc_now, idle, my_session_uri, same_uri, sessions_uri
from redfishnb.records.fields import column_kinds, columns, parse, redfish

DATA = Path(__file__).parent.parent / "widgets" / "data"
UTC = timezone.utc


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


#: A DSP0266 Session v1_7 as a standard service writes it: no AccessTime, no Oem.
STANDARD = {
    "@odata.id": "/redfish/v1/SessionService/Sessions/7",
    "Id": "7",
    "UserName": "operator",
    "ClientOriginIPAddress": "10.0.0.9",
    "CreatedTime": "2024-05-01T10:00:00+02:00",
    "SessionType": "Redfish",
    "Context": "nightly audit",
    "Roles": ["Operator"],
}


def test_ilo_session_fields_are_typed() -> None:
    session = Session.from_json(load("ilo6_sessions_expanded.json")["Members"][1])
    assert session.username == "admin" and session.user_tag == "REST" and session.user_type == "Local"
    assert session.login_time == datetime(2023, 1, 9, 17, 31, 51, tzinfo=UTC)
    assert session.access_time is not None and session.access_time.tzinfo is not None
    assert session.my_session is True and session.is_mine() is True
    assert session.privileges is not None and session.privileges["UserConfigPriv"] is True
    assert session.role == "Administrator"  # synthesised from the privileges, as iLO does
    with pytest.raises(TypeError):
        session.privileges["UserConfigPriv"] = False  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.username = "x"  # type: ignore[misc]


def test_standard_session_has_no_idle_time() -> None:
    session = Session.from_json(STANDARD)
    assert (
        session.user_ip == "10.0.0.9" and session.user_tag == "Redfish" and session.context == "nightly audit"
    )
    assert session.login_time == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)  # converted to UTC
    assert session.roles == ("Operator",) and session.role == "Operator"
    assert session.access_time is None and session.privileges is None and session.granted is None
    assert idle(session, datetime(2024, 5, 1, 9, 0, tzinfo=UTC)) is None  # unknown, never 0
    assert session.is_mine() is None  # neither a MySession flag nor the caller's URI
    assert session.is_mine("/redfish/v1/SessionService/Sessions/7/") is True  # trailing slash ignored
    assert session.is_mine("/redfish/v1/SessionService/Sessions/8") is False


def test_rmc_initial_role_wins() -> None:
    session = Session.from_json(load("rmc_sessions_expanded.json")["Members"][0])
    assert session.initial_role and session.role == session.initial_role


def test_idle_is_never_negative_and_bmc_now_is_the_latest_clock() -> None:
    access = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    session = Session(access_time=access)
    assert idle(session, access + timedelta(minutes=5)) == timedelta(minutes=5)
    assert idle(session, access - timedelta(seconds=3)) == timedelta(0)
    later = Session(access_time=access + timedelta(seconds=30))
    assert bmc_now(access, [session, later, Session()]) == access + timedelta(seconds=30)
    assert bmc_now(access + timedelta(hours=1), [session]) == access + timedelta(hours=1)
    assert bmc_now(None, [Session()]) is None


def test_account_fields_and_role() -> None:
    accounts = {a.username: a for a in map(Account.from_json, load("ilo6_accounts_expanded.json")["Members"])}
    admin = accounts["admin"]
    assert admin.login_name == "Administrator" and admin.account_types == ("WebUI", "Redfish")
    assert admin.enabled is True and admin.locked is False and admin.role == "Administrator"
    assert accounts["operator"].locked is None  # not given: unknown, not False
    no_role = Account.from_json({"UserName": "x", "Oem": {"Hpe": {"Privileges": {"LoginPriv": True}}}})
    assert no_role.role_id is None and no_role.role == "ReadOnly"
    assert Account.from_json({"UserName": "y"}).role is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-01T00:00:00Z", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-01-01T00:00:00", datetime(2024, 1, 1, tzinfo=UTC)),  # no zone: UTC
        ("2024-01-01T01:00:00.250+01:00", datetime(2024, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)),
        ("", None),
        ("yesterday", None),
        (1704067200, None),
    ],
)
def test_datetimes(raw: object, expected: datetime | None) -> None:
    assert Session.from_json({"Oem": {"Hpe": {"LoginTime": raw}}}).login_time == expected


def test_wrong_types_become_missing_and_fallbacks_apply() -> None:
    body = {
        "UserName": 7,
        "Oem": {"Hpe": {"MySession": "yes", "UserIP": ""}},
        "ClientOriginIPAddress": "10.1.1.1",
    }
    session = Session.from_json(body)
    assert session.username == "7" and session.my_session is None
    assert session.user_ip == "10.1.1.1"  # empty iLO field: the standard one is used
    assert Session.from_json(None) == Session() == Session.from_json({"Oem": "not a mapping"})


def test_the_field_table_drives_parsing_and_columns() -> None:
    @dataclasses.dataclass(frozen=True)
    class Probe:
        name: str | None = redfish("A/B", "C", column="Name")
        flag: bool | None = redfish("Flag", kind="bool")

    probe = parse(Probe, {"C": "from C", "Flag": False})
    assert probe == Probe(name="from C", flag=False)
    assert columns(probe) == {"Name": "from C"}
    assert column_kinds(Probe) == {"Name": "text"}
    assert list(column_kinds(Session))[:3] == ["URI", "Id", "UserName"]


def test_links() -> None:
    assert sessions_uri({"Links": {"Sessions": {"@odata.id": "/rf/Sessions"}}}) == "/rf/Sessions"
    assert sessions_uri({"Links": {"Sessions": {"@odata.id": "https://evil/"}}}).startswith("/redfish/v1/")
    assert my_session_uri({"Oem": {"Hpe": {"Links": {"MySession": {"@odata.id": "/s/1"}}}}}, "/s/2") == "/s/1"
    assert my_session_uri({}, "/s/2") == "/s/2"
    assert same_uri("https://h/redfish/v1/X/", "/Redfish/V1/x") and not same_uri(None, "/x")


def test_session_keeps_each_spelling_apart_and_says_which_it_has() -> None:
    from redfishnb.records import Session

    standard = Session.from_json(
        {"UserName": "u", "ClientOriginIPAddress": "192.0.2.1", "Roles": ["ReadOnly"]}
    )
    assert standard.keeps_standard and not standard.keeps_oem
    assert standard.client_origin_ip == standard.user_ip == "192.0.2.1" and standard.oem_user_ip is None
    ilo = Session.from_json(
        {"UserName": "u", "Oem": {"Hpe": {"UserIP": "192.0.2.2", "LoginTime": "2026-01-01T00:00:00Z"}}}
    )
    assert ilo.keeps_oem and not ilo.keeps_standard
    assert ilo.oem_user_ip == ilo.user_ip == "192.0.2.2" and ilo.client_origin_ip is None
    assert ilo.oem_login_time == ilo.login_time and ilo.created_time is None
    assert not Session.from_json({"UserName": "u"}).keeps_oem
