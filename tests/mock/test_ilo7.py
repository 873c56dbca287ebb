"""The ``ilo7`` flavour: what HPE documents as different from iLO 6 for authentication (iLO 7 v1.14).

Each test names one difference: identity (what HPE's libraries read to tell an iLO 7), TLS 1.0/1.1 gone,
application accounts, the properties iLO 7 removed, its message registry and security state.
"""

from __future__ import annotations

import socket
import ssl

import pytest

from redfishnb.mock import MockBMC

from .conftest import Caller

APP = "/redfish/v1/AccountService/Oem/Hpe/AppAccounts/"
BODY = {"HostAppId": "0123456789abcdef0123456789abfea0", "HostAppName": "AMS"}


def test_identity_is_ilo7_as_hpe_libraries_detect_it(call7: Caller) -> None:
    root = call7("GET", "/redfish/v1/").json()
    assert (
        root["@odata.type"] == "#ServiceRoot.v1_13_0.ServiceRoot"
        and root["Product"] == "ProLiant DL360 Gen12"
    )
    manager = root["Oem"]["Hpe"]["Manager"][0]
    # python-ilorest-library: ManagerType's second word is the generation; the firmware version its minor part
    assert manager["ManagerType"] == "iLO 7" and int(manager["ManagerType"].split(" ")[1]) == 7
    assert manager["ManagerFirmwareVersion"] == "1.14.00"
    assert root["Oem"]["Hpe"]["Moniker"]["PRODGEN"] == "iLO 7"
    token, _ = call7.login()
    mgr = call7("GET", "/redfish/v1/Managers/1/", token=token).json()
    assert mgr["Model"] == "iLO 7" and mgr["FirmwareVersion"].startswith("1.14.00 ")  # Major.Minor.Patch date
    assert mgr["Oem"]["Hpe"]["Firmware"]["Current"]["MinorVersion"] == 14
    system = call7("GET", "/redfish/v1/Systems/1/", token=token).json()
    assert system["Model"] == "ProLiant DL360 Gen12"


def _handshake(bmc: MockBMC, version: ssl.TLSVersion) -> str:
    ctx = ssl.create_default_context(cafile=bmc.ca_file)
    ctx.minimum_version = ctx.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client offer it; the server must be the one refusing
    with (
        socket.create_connection(("127.0.0.1", bmc.port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return str(tls.version())


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")
def test_tls_1_1_is_refused_but_1_2_and_1_3_work(ilo7: MockBMC) -> None:
    assert ilo7.tls is not None and ilo7.tls.context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert _handshake(ilo7, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert _handshake(ilo7, ssl.TLSVersion.TLSv1_3) == "TLSv1.3"
    for old in (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1):
        with pytest.raises((ssl.SSLError, ConnectionError)):
            _handshake(ilo7, old)


def test_app_accounts_are_linked_listed_and_enforced(call7: Caller) -> None:
    admin, _ = call7.login()
    student, _ = call7.login("student", "student")
    operator, _ = call7.login("operator", "operator")
    service = call7("GET", "/redfish/v1/AccountService/", token=student).json()
    assert service["Oem"]["Hpe"]["AppAccounts"] == {"@odata.id": APP}
    assert call7("GET", APP).status_code == 401
    empty = call7("GET", APP, token=student).json()
    assert empty["@odata.type"] == "#HpeiLOAppAccountCollection.HpeiLOAppAccountCollection"
    assert empty["Members"] == [] and empty["Members@odata.count"] == 0
    assert call7("POST", APP, token=operator, json=BODY).status_code == 403  # no UserConfigPriv
    created = call7("POST", APP, token=admin, json=BODY)
    assert created.status_code == 201, created.text
    member = created.json()
    assert member["@odata.type"] == "#HpeiLOAppAccount.v1_0_0.HpeiLOAppAccount"
    assert member["HostAppId"] == "*" * 28 + "fea0" and member["HostAppName"] == "AMS"
    assert member["Privileges"]["UserConfigPriv"] is True and member["Privileges"]["LoginPriv"] is True
    assert created.headers["Location"].endswith(member["@odata.id"])
    again = call7("POST", APP, token=admin, json=BODY)
    assert again.status_code == 400 and "ResourceAlreadyExists" in again.text
    assert call7("POST", APP, token=admin, json={"HostAppName": "x"}).status_code == 400  # PropertyMissing
    accounts = call7("GET", "/redfish/v1/AccountService/Accounts/", token=student).json()
    assert {"@odata.id": member["@odata.id"]} in accounts["Members"]  # listed with the user accounts too
    assert accounts["Members@odata.count"] == len(accounts["Members"]) == 4
    assert call7("GET", member["@odata.id"], token=student).json()["Id"] == member["Id"]
    assert call7("DELETE", member["@odata.id"], token=student).status_code == 403
    assert call7("DELETE", member["@odata.id"], token=admin).status_code == 200
    assert call7("GET", member["@odata.id"], token=admin).status_code == 404


def test_app_account_privileges_are_the_creators(call7: Caller, ilo7: MockBMC) -> None:
    ilo7.add_account("useradmin", "password1", "ReadOnly", privileges={"LoginPriv", "UserConfigPriv"})
    token, _ = call7.login("useradmin", "password1")
    made = call7("POST", APP, token=token, json=BODY).json()
    granted = {k for k, v in made["Privileges"].items() if v}
    assert granted == {"LoginPriv", "UserConfigPriv"}


def test_properties_removed_in_ilo7(call7: Caller, call: Caller) -> None:
    for caller, present in ((call, True), (call7, False)):
        token, _ = caller.login()
        manager = caller("GET", "/redfish/v1/Managers/1/", token=token).json()
        assert ("RequireHostAuthentication" in manager["Oem"]["Hpe"]) is present
        account = caller("GET", "/redfish/v1/AccountService/Accounts/1/", token=token).json()
        assert ("PasswordExpiration" in account) is present
        security = caller("GET", "/redfish/v1/Managers/1/SecurityService/", token=token).json()
        assert ("TLS1_1" in security["TLSVersion"]) is present and (
            "TLS1_0" in security["TLSVersion"]
        ) is present
        assert ("iLOIDevID" in security) is present
        schemas = caller("GET", "/redfish/v1/JsonSchemas/", token=token).text
        assert "HpeAutomaticCertEnrollment" not in schemas  # SCEP: never on the mock, and gone from iLO 7
    token, _ = call7.login()
    refused = call7(
        "PATCH",
        "/redfish/v1/Managers/1/",
        token=token,
        json={"Oem": {"Hpe": {"RequireHostAuthentication": True}}},
    )
    assert refused.status_code == 400 and "PropertyUnknown" in refused.text


def test_security_state_and_registry_versions(call7: Caller) -> None:
    token, _ = call7.login()
    security = call7("GET", "/redfish/v1/Managers/1/SecurityService/", token=token).json()
    assert security["SecurityState"] == "SecureStandard"
    assert security["@odata.type"] == "#HpeSecurityService.v2_7_0.HpeSecurityService"
    registries = call7("GET", "/redfish/v1/Registries/?$expand=.", token=token).text
    assert "iLO.2.31" in registries and "Base.1.18" in registries
    bad = call7("GET", "/redfish/v1/Nope/", token=token).json()
    assert bad["error"]["@Message.ExtendedInfo"][0]["MessageId"].startswith("Base.1.18.")
    r = call7("POST", "/redfish/v1/SessionService/Sessions/", json={"UserName": "admin", "Password": "nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "iLO.0.10.ExtendedInfo"  # terse, as iLO 6
