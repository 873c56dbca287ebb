"""Sessions, privileges and "where kept" on a DMTF-standard service (the openbmc mock) beside iLO 6.

Live tests run against ``MockBMC(flavor="openbmc")`` and the iLO 6 mock and assert the columns and values the
kit shows; every test ends with zero sessions on the mock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import requests

import redfishnb
from redfishnb import tables
from redfishnb.mock import MockBMC
from redfishnb.records import Session

SESSIONS = "/redfish/v1/SessionService/Sessions"
STANDARD_BODY = {
    "@odata.id": "/redfish/v1/SessionService/Sessions/Ab12Cd34Ef",
    "Id": "Ab12Cd34Ef",
    "UserName": "operator",
    "Roles": ["Operator"],
    "ClientOriginIPAddress": "192.0.2.7",
    "CreatedTime": "2026-01-01T00:05:00Z",
    "SessionType": "Redfish",
}
ILO_BODY = {
    "@odata.id": "/redfish/v1/SessionService/Sessions/admin0001/",
    "Id": "admin0001",
    "UserName": "admin",
    "Oem": {
        "Hpe": {
            "UserIP": "192.0.2.9",
            "UserTag": "REST",
            "UserType": "Local",
            "LoginTime": "2026-01-01T00:01:00Z",
            "AccessTime": "2026-01-01T00:09:00Z",
            "UserExpires": "2026-01-01T00:39:00Z",
            "MySession": True,
            "Privileges": {"LoginPriv": True, "UserConfigPriv": True},
        }
    },
}


@pytest.fixture(scope="module")
def openbmc() -> Iterator[MockBMC]:
    """One standard mock for the module (starting one costs a TLS key and a port); see the check below."""
    with MockBMC(flavor="openbmc") as bmc:
        yield bmc


@pytest.fixture(autouse=True)
def _no_session_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that used the standard mock ends with zero sessions on it."""
    yield
    if "openbmc" in request.fixturenames:
        bmc = request.getfixturevalue("openbmc")
        assert bmc.session_count == 0, bmc.sessions()


def _connect(bmc: MockBMC, user: str, password: str) -> Any:
    return redfishnb.connect(bmc.url, user, password, verify=bmc.ca_file)


def _raw_login(bmc: MockBMC, body: dict[str, str]) -> tuple[requests.Session, str]:
    """A session made with plain requests (to send ``Context``, which connect() does not)."""
    http = requests.Session()
    http.trust_env = False  # REQUESTS_CA_BUNDLE must not replace the mock's CA
    http.verify = bmc.ca_file
    answer = http.post(bmc.url + SESSIONS, json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    http.headers["X-Auth-Token"] = answer.headers["X-Auth-Token"]
    return http, answer.headers["Location"]


# ---------------------------------------------------------------------------------------------------------------
# Pure builders


def test_standard_sessions_carry_the_standard_columns_only() -> None:
    frame = tables.build_sessions_frame([STANDARD_BODY], now="2026-01-01T00:10:00Z")
    assert list(frame.columns) == list(tables.STANDARD_SESSION_COLUMNS)
    assert frame.attrs["model"] == "standard"
    row = frame.iloc[0]
    assert row["ClientOriginIPAddress"] == "192.0.2.7" and row["SessionType"] == "Redfish"
    assert row["Roles"] == "Operator" and row["Role"] == "Operator"
    assert row["CreatedTime"] == pd.Timestamp("2026-01-01T00:05:00Z")
    assert row["Idle"] is pd.NaT  # no AccessTime in the standard: unknown, not zero
    assert row["Context"] is pd.NA and row["ExpirationTime"] is pd.NaT  # an empty column stays empty
    assert row["MySession"] is pd.NA  # nobody said which session is ours
    assert not set(tables.OEM_SESSION_COLUMNS) & set(frame.columns)
    # the record still answers "from where" for code that wants the fact, wherever it is kept
    assert Session.from_json(STANDARD_BODY).user_ip == "192.0.2.7"


def test_ilo_sessions_keep_the_ilo_columns() -> None:
    frame = tables.build_sessions_frame([ILO_BODY], now="2026-01-01T00:10:00Z")
    assert list(frame.columns) == [*tables.SESSION_COLUMNS, *tables.ILO_PRIVILEGES]
    assert frame.attrs["model"] == "oem"
    assert frame["Idle"].iloc[0] == pd.Timedelta(minutes=1)


def test_both_spellings_side_by_side_without_filling_one_from_the_other() -> None:
    both = {**ILO_BODY, "ClientOriginIPAddress": "198.51.100.1", "SessionType": "Redfish"}
    frame = tables.build_sessions_frame([both, STANDARD_BODY], now="2026-01-01T00:10:00Z")
    assert frame.attrs["model"] == "both"
    columns = list(frame.columns)
    assert columns[:6] == ["Id", "UserName", "UserIP", "ClientOriginIPAddress", "UserTag", "SessionType"]
    assert columns.index("CreatedTime") == columns.index("LoginTime") + 1
    rows = frame.set_index("UserName")
    assert (
        rows.loc["admin", "UserIP"] == "192.0.2.9"
        and rows.loc["admin", "ClientOriginIPAddress"] == "198.51.100.1"
    )
    assert rows.loc["operator", "UserIP"] is pd.NA and rows.loc["operator", "AccessTime"] is pd.NaT
    assert list(frame["UserName"]) == ["admin", "operator"]  # by login time, whichever spelling holds it


def test_session_columns_choice() -> None:
    assert tables.session_columns(oem=True, standard=False) == tables.SESSION_COLUMNS
    assert tables.session_columns(oem=False, standard=False) == tables.SESSION_COLUMNS
    assert tables.session_columns(oem=False, standard=True) == tables.STANDARD_SESSION_COLUMNS
    assert "AccessTime" not in tables.STANDARD_SESSION_COLUMNS


def test_privilege_columns_are_those_the_roles_assign() -> None:
    roles = [
        {"RoleId": "Viewer", "AssignedPrivileges": ["ConfigureSelf", "Login"], "OemPrivileges": []},
        {"RoleId": "Console", "AssignedPrivileges": ["Login"], "OemPrivileges": ["OpenBMCHostConsole"]},
    ]
    accounts = [{"UserName": "v", "RoleId": "Viewer"}, {"UserName": "c", "RoleId": "Console"}]
    frame = tables.build_privileges_frame(accounts, roles)
    assert list(frame.columns) == ["Login", "ConfigureSelf", "OpenBMCHostConsole"]
    assert frame.loc[("Console", "c")].tolist() == [True, False, True]


def test_where_kept_of_records() -> None:
    standard = tables.where_kept(
        STANDARD_BODY, my_session_uri="https://bmc/redfish/v1/SessionService/Sessions/Ab12Cd34Ef/"
    )
    facts = standard.set_index("Fact")
    assert list(standard.columns) == list(tables.FACT_COLUMNS)
    assert facts.loc["from where"].tolist() == [
        "ClientOriginIPAddress",
        "192.0.2.7",
        "Oem.Hpe.UserIP",
        "—",
        "192.0.2.7",
    ]
    assert facts.loc["last used", "Standard"] == "—" and facts.loc["last used", "Kit shows"] == "—"
    assert facts.loc["is it mine", "OEM value"] == "—" and facts.loc["is it mine", "Kit shows"] == "yes"
    assert standard.attrs["model"] == "standard"

    ilo = tables.where_kept(Session.from_json(ILO_BODY)).set_index("Fact")
    assert ilo.loc["since when", "Standard value"] == "—"
    assert ilo.loc["since when", "OEM value"] == "2026-01-01 00:01:00Z"
    assert ilo.loc["privileges", "OEM value"] == "LoginPriv, UserConfigPriv"
    assert ilo.loc["is it mine", "OEM value"] == "yes"


# ---------------------------------------------------------------------------------------------------------------
# Live, on the mocks


def test_openbmc_sessions_frame_live(openbmc: MockBMC) -> None:
    http, location = _raw_login(openbmc, {"UserName": "student", "Password": "student", "Context": "lab-7"})
    try:
        with _connect(openbmc, "admin", "password") as admin:
            assert not admin.session_uri.startswith("http")  # bmcweb's Location is a path
            frame = tables.sessions_frame(admin)
    finally:
        http.delete(openbmc.url + location, timeout=10)
        http.close()
    assert list(frame.columns) == list(tables.STANDARD_SESSION_COLUMNS)
    rows = frame.set_index("UserName")
    assert rows.loc["admin", "MySession"] is True or bool(rows.loc["admin", "MySession"]) is True
    assert bool(rows.loc["student", "MySession"]) is False
    assert rows.loc["student", "Context"] == "lab-7" and rows.loc["admin", "Context"] is pd.NA
    assert rows.loc["student", "Role"] == "ReadOnly" and rows.loc["admin", "Roles"] == "Administrator"
    assert set(frame["SessionType"]) == {"Redfish"} and set(frame["ClientOriginIPAddress"]) == {"127.0.0.1"}
    assert frame["CreatedTime"].notna().all() and frame["Idle"].isna().all()


def test_ilo6_sessions_frame_live_keeps_its_columns(mock_bmc: MockBMC) -> None:
    with _connect(mock_bmc, "admin", "password") as admin:
        frame = tables.sessions_frame(admin)
    assert list(frame.columns) == [*tables.SESSION_COLUMNS, *tables.ILO_PRIVILEGES]
    assert frame.attrs["model"] == "oem" and bool(frame["MySession"].iloc[0]) is True


def test_openbmc_privileges_live(openbmc: MockBMC) -> None:
    with _connect(openbmc, "admin", "password") as admin:
        matrix = tables.privileges_frame(admin)
    assert list(matrix.columns) == list(tables.REDFISH_PRIVILEGES)
    assert matrix.attrs["kind"] == "redfish"
    assert matrix.loc[("Operator", "operator")].to_dict() == {
        "Login": True,
        "ConfigureSelf": True,
        "ConfigureComponents": True,
        "ConfigureManager": False,
        "ConfigureUsers": False,
    }
    with _connect(openbmc, "student", "student") as student:
        mine = tables.privileges_frame(student, of="session")
    assert mine.index.tolist() == [("ReadOnly", "student")]
    assert [p for p, granted in mine.iloc[0].items() if granted] == ["Login", "ConfigureSelf"]


def test_where_kept_live_on_both_flavours(openbmc: MockBMC, mock_bmc: MockBMC) -> None:
    with _connect(openbmc, "operator", "operator") as client:
        standard = tables.where_kept(client).set_index("Fact")
        assert standard.attrs["session_uri"] == client.session_uri
    assert standard.loc["who", "Standard value"] == "operator"
    assert standard.loc["role", "Standard value"] == "Operator"
    assert standard.loc["privileges", "Standard value"] == "ConfigureComponents, ConfigureSelf, Login"
    assert standard.loc["session kind"].tolist()[:4] == ["SessionType", "Redfish", "Oem.Hpe.UserTag", "—"]
    assert standard.loc["is it mine", "Kit shows"] == "yes"
    assert (standard["OEM value"] == "—").all()

    with _connect(mock_bmc, "operator", "operator") as client:
        ilo = tables.where_kept(client).set_index("Fact")
    assert ilo.attrs["model"] == "oem"
    assert (
        ilo.loc["from where", "OEM value"] == "127.0.0.1" and ilo.loc["from where", "Standard value"] == "—"
    )
    assert ilo.loc["last used", "OEM value"] != "—" and ilo.loc["is it mine", "OEM value"] == "yes"
    assert "UserConfigPriv" not in ilo.loc["privileges", "OEM value"]
