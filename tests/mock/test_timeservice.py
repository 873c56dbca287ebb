"""NTP where each BMC keeps it: iLO's HpeiLODateTime, a DMTF BMC's ManagerNetworkProtocol ``NTP``.

iLO 6 and 7 declare ManagerNetworkProtocol v1_0_0 (no ``NTP`` there; HPE documents the servers under
``Managers/1/DateTime``); the RMC declares v1_5_0, which has ``NTP``. Both lists follow Redfish's array PATCH rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from redfishnb.mock.handlers.certservice import dmtf_serial

from .conftest import Caller

DATE_TIME = "/redfish/v1/Managers/1/DateTime/"


def assert_array_patch_rules(patch: Callable[[list[Any]], list[Any]]) -> None:
    assert patch(["ntp-a.lab", "ntp-b.lab"]) == ["ntp-a.lab", "ntp-b.lab"]
    assert patch([None, "ntp-b.lab"]) == ["ntp-b.lab"]  # null removes
    assert patch([{}, "ntp-d.lab"]) == ["ntp-b.lab", "ntp-d.lab"]  # {} keeps
    assert patch(["ntp-b.lab"]) == ["ntp-b.lab"]  # shorter list truncates


def patcher(
    call: Caller, uri: str, wrap: Callable[[list[Any]], dict[str, Any]], read: Callable[[Any], Any]
) -> Any:
    token, _ = call.login()

    def patch(servers: list[Any]) -> list[Any]:
        etag = call("GET", uri, token=token).headers["ETag"]
        r = call("PATCH", uri, token=token, json=wrap(servers), headers={"If-Match": etag})
        assert r.status_code == 200, r.text
        result: list[Any] = read(r.json())
        return result

    return patch


def test_ilo_static_ntp_servers_follow_array_patch_rules(call: Caller) -> None:
    patch = patcher(call, DATE_TIME, lambda s: {"StaticNTPServers": s}, lambda b: b["StaticNTPServers"])
    assert_array_patch_rules(patch)
    body = call("GET", DATE_TIME, auth=("admin", "password")).json()
    assert body["@odata.type"] == "#HpeiLODateTime.v2_0_1.HpeiLODateTime"
    assert (
        body["NTPServers"] == body["StaticNTPServers"] == ["ntp-b.lab"]
    )  # static settings: those are in use
    assert body["TimeZone"]["UtcOffset"] and body["TimeZoneList"]
    call.bmc.clear_sessions()


def test_ilo_date_time_rules(call: Caller) -> None:
    admin = ("admin", "password")
    r = call("PATCH", DATE_TIME, auth=admin, json={"NTPServers": ["x.lab"]})
    assert r.status_code == 400 and "PropertyNotWritable" in r.text
    r = call("PATCH", DATE_TIME, auth=admin, json={"StaticNTPServers": [1]})
    assert r.status_code == 400 and "PropertyValueFormatError" in r.text
    r = call("PATCH", DATE_TIME, auth=("operator", "operator"), json={"StaticNTPServers": ["x.lab"]})
    assert r.status_code == 403
    call.bmc.state.sntp_from_dhcp = True
    for body in ({"StaticNTPServers": ["x.lab"]}, {"TimeZone": {"Index": 2}}):
        r = call("PATCH", DATE_TIME, auth=admin, json=body)
        assert r.status_code == 400 and "SNTPConfigurationManagedByDHCPAndIsReadOnly" in r.text, r.text
    assert call("GET", DATE_TIME, auth=admin).json()["NTPServers"] == []
    manager = call("GET", "/redfish/v1/Managers/1/", auth=admin).json()
    assert manager["Oem"]["Hpe"]["Links"]["DateTimeService"]["@odata.id"] == DATE_TIME


@pytest.mark.parametrize("fixture", ["call", "call7"])
def test_ilo_network_protocol_has_no_ntp_nor_dmtf_certificates(fixture: str, request: Any) -> None:
    call: Caller = request.getfixturevalue(fixture)
    uri = "/redfish/v1/Managers/1/NetworkProtocol/"
    body = call("GET", uri, auth=("admin", "password")).json()
    assert body["@odata.type"] == "#ManagerNetworkProtocol.v1_0_0.ManagerNetworkProtocol"
    assert "NTP" not in body and "Certificates" not in body["HTTPS"]
    r = call("PATCH", uri, auth=("admin", "password"), json={"NTP": {"NTPServers": ["x.lab"]}})
    assert r.status_code == 400 and "PropertyUnknown" in r.text
    assert call("GET", uri + "HTTPS/Certificates/", auth=("admin", "password")).status_code == 404
    service = call("GET", "/redfish/v1/CertificateService/", auth=("admin", "password")).json()
    assert list(service["Actions"]) == [
        "#CertificateService.GenerateCSR"
    ]  # HPE documents no ReplaceCertificate
    assert call("GET", DATE_TIME, auth=("admin", "password")).status_code == 200


def test_rmc_ntp_servers_follow_array_patch_rules(rmc_call: Caller) -> None:
    uri = "/redfish/v1/Managers/RMC/NetworkProtocol"
    body = rmc_call("GET", uri, auth=("admin", "password")).json()
    assert body["@odata.type"] == "#ManagerNetworkProtocol.v1_5_0.ManagerNetworkProtocol"
    assert body["HTTPS"]["Certificates"]
    patch = patcher(rmc_call, uri, lambda s: {"NTP": {"NTPServers": s}}, lambda b: b["NTP"]["NTPServers"])
    assert_array_patch_rules(patch)
    r = rmc_call("PATCH", uri, auth=("admin", "password"), json={"NTP": {"NTPServers": [1]}})
    assert r.status_code == 400
    assert rmc_call("GET", "/redfish/v1/Managers/RMC/DateTime", auth=("admin", "password")).status_code == 404
    rmc_call.bmc.clear_sessions()


@pytest.mark.parametrize(
    ("serial", "text"), [(0x1, "01"), (0xABC, "0A:BC"), (0x6EA9E7CD, "6E:A9:E7:CD"), (0, "00")]
)
def test_dmtf_serial_is_colon_separated_whole_bytes(serial: int, text: str) -> None:
    assert dmtf_serial(serial) == text


def test_ilo7_date_time_is_writable_forward_only(call7: Caller) -> None:
    """iLO 7 v1.14 documents DateTime as writable (iLO 6 v1.70: read-only); the mock's clock only moves forward."""
    admin = ("admin", "password")
    r = call7("PATCH", DATE_TIME, auth=admin, json={"DateTime": "2026-01-02T00:00:00Z"})
    assert r.status_code == 200 and r.json()["DateTime"] == "2026-01-02T00:00:00Z", r.text
    r = call7("PATCH", DATE_TIME, auth=admin, json={"DateTime": "2025-01-01T00:00:00Z"})
    assert r.status_code == 400 and "PropertyValueIncorrect" in r.text
    r = call7("PATCH", DATE_TIME, auth=admin, json={"DateTime": "yesterday"})
    assert r.status_code == 400 and "PropertyValueFormatError" in r.text


def test_ilo6_date_time_is_read_only(call: Caller) -> None:
    r = call("PATCH", DATE_TIME, auth=("admin", "password"), json={"DateTime": "2026-01-02T00:00:00Z"})
    assert r.status_code == 400 and "PropertyNotWritable" in r.text
