"""redfishnb.tables: frame builders on saved iLO 6 / RMC payloads, the request strategy, and live frames on the mock."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from redfishnb import tables
from redfishnb.errors import BadRequest, ResourceNotFound

DATA = Path(__file__).parent / "widgets" / "data"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


# ---------------------------------------------------------------------------------------------------------------
# Pure builders


def test_ilo6_sessions_frame_columns_dtypes_and_values() -> None:
    frame = tables.build_sessions_frame(
        load("ilo6_sessions_expanded.json")["Members"], now="2023-01-09T17:40:00Z"
    )

    assert list(frame.columns) == [*tables.SESSION_COLUMNS, *tables.ILO_PRIVILEGES]
    for column in ("LoginTime", "AccessTime", "UserExpires"):
        assert isinstance(frame[column].dtype, pd.DatetimeTZDtype) and str(frame[column].dt.tz) == "UTC"
    assert frame["Idle"].dtype.kind == "m"
    assert str(frame["MySession"].dtype) == "boolean"
    assert all(str(frame[p].dtype) == "boolean" for p in tables.ILO_PRIVILEGES)
    assert str(frame["UserName"].dtype) == "string"

    # sorted by login time; operator logged in first
    assert list(frame["UserName"]) == ["operator", "student", "admin"]
    admin = frame.set_index("UserName").loc["admin"]
    assert admin["MySession"] is True or bool(admin["MySession"]) is True
    assert admin["Role"] == "Administrator"
    assert admin["UserTag"] == "REST" and admin["UserIP"] == "192.168.249.2"
    assert admin["LoginTime"] == pd.Timestamp("2023-01-09T17:31:51Z")
    assert admin["Idle"] == pd.Timedelta(minutes=8, seconds=9)
    assert bool(admin["UserConfigPriv"]) and not bool(admin["SystemRecoveryConfigPriv"])

    student = frame.set_index("UserName").loc["student"]
    assert student["Role"] == "ReadOnly" and student["UserTag"] == "Web UI"

    # the operator session has no UserIP and no Privileges: missing values, not guesses
    operator = frame.set_index("UserName").loc["operator"]
    assert operator["UserIP"] is pd.NA
    assert operator["Role"] is pd.NA
    assert all(operator[p] is pd.NA for p in tables.ILO_PRIVILEGES)
    assert frame.attrs["now"] == pd.Timestamp("2023-01-09T17:40:00Z")


def test_rmc_sessions_frame_has_roles_and_missing_times() -> None:
    mine = "https://rmc.example/redfish/v1/SessionService/Sessions/operator3c9a0b7e5d2f4e61a8b0c1d2e3f40516/"
    frame = tables.build_sessions_frame(load("rmc_sessions_expanded.json")["Members"], my_session_uri=mine)

    assert list(frame.columns) == list(tables.SESSION_COLUMNS)  # no privilege columns on the RMC
    assert dict(zip(frame["UserName"], frame["Role"], strict=True)) == {
        "administrator": "Administrator",
        "operator": "Operator",
    }
    assert frame["LoginTime"].isna().all() and frame["Idle"].isna().all()
    assert isinstance(frame["LoginTime"].dtype, pd.DatetimeTZDtype)
    # MySession comes from the URI (host, case and trailing slash ignored)
    assert dict(zip(frame["UserName"], frame["MySession"].astype(bool), strict=True)) == {
        "administrator": False,
        "operator": True,
    }


def test_my_session_unknown_is_missing_not_false() -> None:
    frame = tables.build_sessions_frame(load("rmc_sessions_expanded.json")["Members"])
    assert frame["MySession"].isna().all()


def test_empty_sessions_frame_keeps_columns_and_dtypes() -> None:
    frame = tables.build_sessions_frame([])
    assert frame.empty and list(frame.columns) == list(tables.SESSION_COLUMNS)
    assert isinstance(frame["AccessTime"].dtype, pd.DatetimeTZDtype)


def test_session_record_for_fleet() -> None:
    from redfishnb.records import Session

    session = Session.from_json(load("ilo6_sessions_expanded.json")["Members"][1])
    assert session.username == "admin" and session.is_mine() is True
    assert session.login_time == pd.Timestamp("2023-01-09T17:31:51Z")
    assert session.granted is not None
    assert "SystemRecoveryConfigPriv" not in session.granted and "UserConfigPriv" in session.granted
    assert session.privileges is not None and session.privileges["SystemRecoveryConfigPriv"] is False


def test_accounts_frame_builder() -> None:
    frame = tables.build_accounts_frame(load("ilo6_accounts_expanded.json")["Members"])
    assert list(frame["UserName"]) == ["admin", "operator", "student"]
    assert "Password" not in frame.columns
    by_user = frame.set_index("UserName")
    assert by_user.loc["student", "LoginName"] == "Student"
    assert bool(by_user.loc["student", "PasswordChangeRequired"]) is True
    assert by_user.loc["operator", "Locked"] is pd.NA  # not given by the service
    assert bool(by_user.loc["operator", "Enabled"]) is False
    assert by_user.loc["admin", "AccountTypes"] == "WebUI, Redfish"


def test_privileges_frame_ilo_uses_account_privileges_grouped_by_role() -> None:
    frame = tables.build_privileges_frame(load("ilo6_accounts_expanded.json")["Members"])
    assert frame.index.names == ["Role", "UserName"]
    assert list(frame.index.get_level_values("Role")) == ["Administrator", "Operator", "ReadOnly"]
    assert list(frame.columns) == list(tables.ILO_PRIVILEGES)
    assert bool(frame.loc[("Operator", "operator"), "VirtualMediaPriv"]) is True
    assert bool(frame.loc[("Operator", "operator"), "UserConfigPriv"]) is False
    assert bool(frame.loc[("ReadOnly", "student"), "LoginPriv"]) is True
    assert frame.attrs["kind"] == "ilo"


def test_privileges_frame_rmc_uses_roles() -> None:
    accounts = load("rmc_accounts_expanded.json")["Members"]
    accounts.append({"UserName": "mystery", "RoleId": "CustomRole"})
    frame = tables.build_privileges_frame(accounts, load("rmc_roles_expanded.json")["Members"])
    assert list(frame.columns) == list(tables.REDFISH_PRIVILEGES)
    assert list(frame.index.get_level_values("Role")) == [
        "Administrator",
        "Operator",
        "ReadOnly",
        "CustomRole",
    ]
    assert bool(frame.loc[("Administrator", "administrator"), "ConfigureUsers"]) is True
    assert bool(frame.loc[("Operator", "operator"), "ConfigureManager"]) is False
    assert bool(frame.loc[("ReadOnly", "guest"), "ConfigureComponents"]) is False
    # a role the service did not describe: unknown, not "no"
    assert frame.loc[("CustomRole", "mystery")].isna().all()


@pytest.mark.parametrize(
    ("privileges", "role"),
    [
        ({"LoginPriv": True}, "ReadOnly"),
        ({"LoginPriv": True, "RemoteConsolePriv": True}, "Operator"),
        ({"LoginPriv": True, "UserConfigPriv": True}, "Administrator"),
        ({"LoginPriv": True, "SystemRecoveryConfigPriv": True}, "Administrator"),
        (None, None),
    ],
)
def test_role_from_ilo_privileges(privileges: dict | None, role: str | None) -> None:
    assert tables.role_from_ilo_privileges(privileges) == role


@pytest.mark.parametrize(
    ("features", "query"),
    [
        (load("ilo6_root.json")["ProtocolFeaturesSupported"], "."),  # iLO 6
        ({"ExpandQuery": {"ExpandAll": True}}, "*"),
        ({"ExpandQuery": {"Levels": True, "MaxLevels": 3}}, ".($levels=1)"),
        ({"ExpandQuery": {"Links": True}}, None),
        ({}, None),
    ],
)
def test_expand_query_follows_protocol_features(features: dict, query: str | None) -> None:
    assert tables.expand_query({"ProtocolFeaturesSupported": features}) == query


# ---------------------------------------------------------------------------------------------------------------
# Request strategy, on saved payloads


class _Reply:
    def __init__(self, body: Any, date: str = "Mon, 09 Jan 2023 17:40:00 GMT") -> None:
        self.json = body
        self.status = 200
        self.headers = {"Date": date}


class PayloadClient:
    """Answers GETs from saved bodies the way iLO does: ``$expand`` inlines members only when the root advertises
    it (and ``expand_mode="ignore"`` models a service that silently discards it, ``"reject"`` one that answers 400);
    unknown paths are 404. Every request is recorded."""

    def __init__(self, root: dict, collection: dict, *, expand_mode: str = "honour") -> None:
        self.root = root
        self.expand_mode = expand_mode
        self.requests: list[tuple[str, dict | None]] = []
        self._collection_uri = collection["@odata.id"]
        self._expanded = collection
        self._members = {m["@odata.id"].rstrip("/"): m for m in collection["Members"]}

    def get(self, path: str, params: dict | None = None, **_: Any) -> _Reply:
        self.requests.append((path, params))
        if path.rstrip("/") == self._collection_uri.rstrip("/"):
            if params and "$expand" in params:
                if self.expand_mode == "reject":
                    raise BadRequest("GET failed with HTTP 400: $expand not supported", status=400)
                if self.expand_mode == "honour":
                    return _Reply(self._expanded)
            bare = copy.deepcopy(self._expanded)
            bare["Members"] = [{"@odata.id": m["@odata.id"]} for m in bare["Members"]]
            return _Reply(bare)
        member = self._members.get(path.rstrip("/"))
        if member is None:
            raise ResourceNotFound(f"GET {path} failed with HTTP 404", status=404)
        return _Reply(member)


def test_expand_costs_one_request() -> None:
    client = PayloadClient(load("ilo6_root.json"), load("ilo6_sessions_expanded.json"))
    frame = tables.sessions_frame(client)
    assert client.requests == [("/redfish/v1/SessionService/Sessions/", {"$expand": "."})]
    assert len(frame) == 3 and frame.attrs["requests"] == 1
    # "now" is the BMC's Date header, not the kernel's clock
    assert frame.attrs["now"] == pd.Timestamp("2023-01-09T17:40:00Z")
    assert frame.set_index("UserName").loc["admin", "Idle"] == pd.Timedelta(minutes=8, seconds=9)


@pytest.mark.parametrize("mode", ["ignore", "reject"])
def test_expand_advertised_but_not_done_falls_back_to_member_gets(mode: str) -> None:
    client = PayloadClient(load("ilo6_root.json"), load("ilo6_sessions_expanded.json"), expand_mode=mode)
    frame = tables.sessions_frame(client)
    assert sorted(frame["UserName"]) == ["admin", "operator", "student"]
    member_gets = [p for p, _ in client.requests if "Sessions/" in p and not p.endswith("Sessions/")]
    assert len(member_gets) == 3
    assert frame.attrs["requests"] == len(client.requests)


def test_without_expand_member_gets_are_concurrent_and_vanished_members_skipped() -> None:
    root = {"Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}}
    collection = load("rmc_sessions_expanded.json")
    collection["Members"].append({"@odata.id": "/redfish/v1/SessionService/Sessions/goneaway"})
    client = PayloadClient(root, collection)
    # the appended member answers 404, like a session that expired between the listing and its GET
    del client._members["/redfish/v1/SessionService/Sessions/goneaway"]

    frame = tables.sessions_frame(client)
    assert client.requests[0] == ("/redfish/v1/SessionService/Sessions", None)  # no $expand: not advertised
    assert len(client.requests) == 1 + 3
    assert sorted(frame["UserName"]) == ["administrator", "operator"]


# ---------------------------------------------------------------------------------------------------------------
# Live, on the mock BMC


def test_sessions_frame_for_eight_sessions_costs_at_most_two_requests(mock_bmc: Any) -> None:
    import redfishnb

    for i in range(7):
        mock_bmc.create_session(("operator", "student")[i % 2], user_tag="Web UI")
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        before = len(client.exchanges)
        frame = tables.sessions_frame(client)
        spent = client.exchanges[before:]
        assert len(spent) <= 2, [e.summary() for e in spent]
        assert any("$expand" in e.url for e in spent)
        assert len(frame) == 8
        mine = frame[frame["MySession"].fillna(False).astype(bool)]
        assert list(mine["UserName"]) == ["admin"]
        assert tables.same_uri(mine["URI"].iloc[0], client.session_uri)
        assert bool(mine["UserConfigPriv"].iloc[0]) is True
    mock_bmc.clear_sessions()


def test_idle_time_follows_the_bmc_clock(mock_bmc: Any) -> None:
    import redfishnb

    mock_bmc.create_session("student", user_tag="Web UI")
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        mock_bmc.advance_clock(600)
        frame = tables.sessions_frame(client).set_index("UserName")
        assert pd.Timedelta(minutes=10) <= frame.loc["student", "Idle"] < pd.Timedelta(minutes=11)
        assert frame.loc["admin", "Idle"] < pd.Timedelta(seconds=5)  # this very request touched it
        assert frame.loc["student", "UserExpires"] - frame.loc["student", "AccessTime"] == pd.Timedelta(
            minutes=30
        )
    mock_bmc.clear_sessions()


def test_rmc_flavour_frames() -> None:
    import redfishnb
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="rmc") as bmc:
        with redfishnb.connect(bmc.url, "administrator", "administrator", verify=bmc.ca_file) as client:
            frame = tables.sessions_frame(client)
            assert list(frame["UserName"]) == ["administrator"]
            assert bool(frame["MySession"].iloc[0]) is True
            assert frame["Role"].iloc[0] == "Administrator"
            privileges = tables.privileges_frame(client, of="session")
            assert privileges.index.tolist() == [("Administrator", "administrator")]
            assert privileges.to_numpy(dtype=bool).any()
        assert bmc.session_count == 0


def test_accounts_and_privileges_live(mock_bmc: Any) -> None:
    import redfishnb

    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        accounts = tables.accounts_frame(client)
        assert {"admin", "operator", "student"} <= set(accounts["UserName"])
        matrix = tables.privileges_frame(client)
        assert bool(matrix.loc[("Operator", "operator"), "UserConfigPriv"]) is False
        assert bool(matrix.loc[("Administrator", "admin"), "UserConfigPriv"]) is True
    with redfishnb.connect(mock_bmc.url, "student", "student", verify=mock_bmc.ca_file) as client:
        mine = tables.privileges_frame(client, of="session")
        assert mine.index.tolist() == [("ReadOnly", "student")]
        assert mine.loc[("ReadOnly", "student")].sum() == 1  # LoginPriv only


def test_member_gets_one_at_a_time_when_asked() -> None:
    root = {"Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}}
    client = PayloadClient(root, load("rmc_sessions_expanded.json"))
    collection = tables.read_collection(client, "/redfish/v1/SessionService/Sessions", root=root, workers=1)
    assert [m["UserName"] for m in collection.members] == ["administrator", "operator"]
    assert collection.requests == 3
