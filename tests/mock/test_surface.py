"""The documented iLO surface the handlers do not model: read-only refusals, writable settings that persist, Allow.

What HPE documents as read-only gets ``PropertyNotWritable``; what it documents as writable, and the resource shows,
is type- and value-checked and kept (through an iLO reset too); anything else is ``PropertyUnknown``.
"""

from __future__ import annotations

from typing import Any

import pytest

from redfishnb.mock import MockBMC

from .conftest import Caller

ADMIN = ("admin", "password")
SECURITY = "/redfish/v1/Managers/1/SecurityService/"
CERT_AUTH = SECURITY + "CertificateAuthentication/"
MANAGER = "/redfish/v1/Managers/1/"


def _ids(r: Any) -> list[str]:
    return [item["MessageId"].rsplit(".", 1)[1] for item in r.json()["error"]["@Message.ExtendedInfo"]]


def test_documented_properties_are_served(call: Caller) -> None:
    security = call("GET", SECURITY, auth=ADMIN).json()
    assert security["TLSVersion"]["TLS1_2"] == "Enabled"
    assert security["LoginSecurityBanner"] == {"IsEnabled": False, "SecurityMessage": ""}
    account_service = call("GET", "/redfish/v1/AccountService/", auth=ADMIN).json()
    assert account_service["LocalAccountAuth"] == "Enabled"
    assert account_service["LDAP"]["ServiceEnabled"] is False
    assert account_service["Oem"]["Hpe"]["EnforcePasswordComplexity"] is False
    assert account_service["Oem"]["Hpe"]["MinPasswordLength"] == 8  # the handler's own value is kept
    cert_auth = call("GET", CERT_AUTH, auth=ADMIN).json()
    assert cert_auth["CRLIssuer"] is None and cert_auth["CRLSerial"] is None


@pytest.mark.parametrize(
    ("path", "body", "key"),
    [
        (SECURITY, {"CurrentCipher": "NULL"}, "PropertyNotWritable"),
        (SECURITY, {"SSHHostKey": "x"}, "PropertyNotWritable"),
        (SECURITY, {"TLSVersion": {"TLS1_3": "Disabled"}}, "PropertyNotWritable"),
        (SECURITY, {"NoSuchSetting": True}, "PropertyUnknown"),
        (SECURITY, {"DisableWeakCiphers": "yes"}, "PropertyValueTypeError"),
        (SECURITY, {"ComponentIntegrityPolicy": "Sometimes"}, "PropertyValueNotInList"),
        (CERT_AUTH, {"CRLIssuer": "CN=me"}, "PropertyNotWritable"),
        (MANAGER, {"FirmwareVersion": "9.99"}, "PropertyNotWritable"),
        (MANAGER, {"Oem": {"Hpe": {"Bogus": 1}}}, "PropertyUnknown"),
        ("/redfish/v1/Managers/1/LicenseService/1/", {"LicenseSeats": 5}, "PropertyNotWritable"),
    ],
)
def test_refusals_follow_the_documentation(call: Caller, path: str, body: dict, key: str) -> None:
    before = call("GET", path, auth=ADMIN)
    r = call("PATCH", path, json=body, auth=ADMIN)
    assert r.status_code == 400, r.text
    assert _ids(r) == [key]
    assert call("GET", path, auth=ADMIN).headers["ETag"] == before.headers["ETag"], "nothing may change"


def test_writable_settings_persist_and_change_the_etag(call: Caller, bmc: MockBMC) -> None:
    before = call("GET", SECURITY, auth=ADMIN)
    banner = {"IsEnabled": True, "SecurityMessage": "Lab BMC: authorised students only"}
    r = call("PATCH", SECURITY, json={"LoginSecurityBanner": banner}, auth=ADMIN)
    assert r.status_code == 200 and r.json()["LoginSecurityBanner"] == banner
    after = call("GET", SECURITY, auth=ADMIN)
    assert after.json()["LoginSecurityBanner"] == banner
    assert after.headers["ETag"] != before.headers["ETag"]
    r = call("PATCH", SECURITY, json={"TLSVersion": {"TLS1_0": "Enabled"}}, auth=ADMIN)
    assert r.status_code == 200
    tls = call("GET", SECURITY, auth=ADMIN).json()["TLSVersion"]
    assert tls == {"TLS1_0": "Enabled", "TLS1_1": "Disabled", "TLS1_2": "Enabled", "TLS1_3": "Enabled"}
    bmc.reset(down_seconds=0.2)
    assert call("GET", SECURITY, auth=ADMIN).json()["LoginSecurityBanner"] == banner, (
        "settings survive a reset"
    )


def test_nested_member_patch_keeps_the_other_members(call: Caller) -> None:
    r = call(
        "PATCH", "/redfish/v1/AccountService/", json={"ActiveDirectory": {"ServiceEnabled": True}}, auth=ADMIN
    )
    assert r.status_code == 200
    directory = call("GET", "/redfish/v1/AccountService/", auth=ADMIN).json()["ActiveDirectory"]
    assert directory["ServiceEnabled"] is True
    assert directory["AccountProviderType"] == "ActiveDirectoryService"


def test_mixed_patch_applies_the_good_and_names_the_bad(call: Caller) -> None:
    r = call("PATCH", MANAGER, json={"Oem": {"Hpe": {"WebGuiEnabled": False}}, "Model": "iLO 7"}, auth=ADMIN)
    assert r.status_code == 200
    assert r.json()["Oem"]["Hpe"]["WebGuiEnabled"] is False
    assert [i["MessageId"].rsplit(".", 1)[1] for i in r.json()["@Message.ExtendedInfo"]] == [
        "PropertyNotWritable"
    ]
    assert call("GET", MANAGER, auth=ADMIN).json()["Model"] == "iLO 6"


def test_cert_auth_settings_hpe_documents_as_writable_persist(call: Caller) -> None:
    r = call(
        "PATCH", CERT_AUTH, json={"StrictCACModeEnabled": True, "OCSPUri": "http://ocsp.lab/"}, auth=ADMIN
    )
    assert r.status_code == 200
    body = call("GET", CERT_AUTH, auth=ADMIN).json()
    assert body["StrictCACModeEnabled"] is True and body["OCSPUri"] == "http://ocsp.lab/"
    assert body["CertificateLoginEnabled"] is False  # the modelled setting is untouched


def test_documented_methods_are_allowed_and_privilege_checked(call: Caller) -> None:
    for path, allow in [
        (MANAGER, "GET, HEAD, PATCH"),
        (SECURITY + "HttpsCert/", "GET, HEAD, PATCH, DELETE"),
        ("/redfish/v1/Managers/1/LicenseService/1/", "GET, HEAD, PATCH, DELETE"),
        (SECURITY, "GET, HEAD, PATCH"),
    ]:
        assert call("GET", path, auth=ADMIN).headers["Allow"] == allow, path
    r = call("PATCH", MANAGER, json={"Oem": {"Hpe": {"WebGuiEnabled": False}}}, auth=("operator", "operator"))
    assert r.status_code == 403
    assert call("GET", MANAGER, auth=ADMIN).json()["Oem"]["Hpe"]["WebGuiEnabled"] is True


def test_https_certificate_delete_makes_a_new_certificate(call: Caller, bmc: MockBMC) -> None:
    before = bmc.server_fingerprint
    assert call("DELETE", SECURITY + "HttpsCert/", auth=("operator", "operator")).status_code == 403
    r = call("DELETE", SECURITY + "HttpsCert/", auth=ADMIN)
    assert r.status_code == 200
    assert bmc.server_fingerprint != before
    call.http.close()  # a new connection gets the new certificate, still signed by the lab CA
    assert call("GET", "/redfish/v1/", auth=ADMIN).status_code == 200


def test_every_advertised_link_of_the_root_resolves(call: Caller) -> None:
    root = call("GET", "/redfish/v1/").json()
    for name in (
        "EventService",
        "Tasks",
        "TelemetryService",
        "UpdateService",
        "Fabrics",
        "ComponentIntegrity",
    ):
        target = root[name]["@odata.id"]
        assert call("GET", target, auth=ADMIN).status_code == 200, target
    assert call("GET", "/redfish/v1/CertificateService/CertificateLocations/", auth=ADMIN).json()["Links"]


def test_rmc_has_no_ilo_surface(rmc_call: Caller) -> None:
    root = rmc_call("GET", "/redfish/v1/").json()
    assert "EventService" not in root
    service = rmc_call("GET", "/redfish/v1/AccountService/", auth=("admin", "password")).json()
    assert "LDAP" not in service
    r = rmc_call("PATCH", "/redfish/v1/AccountService/", json={"LDAP": {}}, auth=("admin", "password"))
    assert r.status_code == 400


def test_the_last_documented_gaps_are_served_with_their_documented_meaning(call: Caller) -> None:
    root = call("GET", "/redfish/v1/").json()
    assert root["MultipleHTTPRequests"] is True  # the mock's server answers connections in parallel threads
    cac = root["Oem"]["Hpe"]["CACLoginUri"]
    assert cac == "/html/login_cert.html" and call("GET", cac).status_code != 404  # the certificate login
    assert call("GET", MANAGER, auth=ADMIN).json()["Redundancy"] == []  # one iLO, no redundant manager
    hpe = call("GET", "/redfish/v1/AccountService/", auth=ADMIN).json()["Oem"]["Hpe"]
    directory = hpe["DirectorySettings"]
    assert directory["LdapAuthenticationMode"] == "Disabled" and directory["LdapCaCertificateLoaded"] is False
    cas = call("GET", directory["LdapCaCertificates"]["@odata.id"], auth=ADMIN).json()
    assert cas["Members"] == [] and cas["@odata.type"] == "#CertificateCollection.CertificateCollection"
    test = call("GET", hpe["DirectoryTest"]["@odata.id"], auth=ADMIN).json()
    assert test["OverallStatus"] == "NotRun" and "Actions" not in test  # StartTest is not modelled
    keys = call("GET", "/redfish/v1/AccountService/Accounts/1/", auth=ADMIN).json()["Keys"]["@odata.id"]
    r = call("GET", keys, auth=ADMIN)
    assert r.json()["Members@odata.count"] == 0 and r.headers["Allow"] == "GET, HEAD"
    assert call("GET", "/redfish/v1/AccountService/Accounts/99/Keys/", auth=ADMIN).status_code == 404
    assert call("POST", keys, auth=ADMIN, json={"KeyString": "ssh-ed25519 AAAA"}).status_code == 405


def test_read_only_directory_settings_refuse_a_patch_and_the_mode_persists(call: Caller) -> None:
    def patch(settings: dict) -> Any:
        body = {"Oem": {"Hpe": {"DirectorySettings": settings}}}
        return call("PATCH", "/redfish/v1/AccountService/", auth=ADMIN, json=body)

    assert _ids(patch({"LdapServerPort": 389})) == ["PropertyNotWritable"]
    assert _ids(patch({"LdapAuthenticationMode": "Kerberos"})) == ["PropertyValueNotInList"]
    r = patch({"LdapAuthenticationMode": "ExtendedSchema"})
    assert r.status_code == 200
    assert r.json()["Oem"]["Hpe"]["DirectorySettings"] == {
        "LdapAuthenticationMode": "ExtendedSchema",
        "LdapCaCertificateLoaded": False,
        "LdapCaCertificates": {
            "@odata.id": "/redfish/v1/AccountService/ExternalAccountProviders/LDAP/Certificates/"
        },
        "LdapServerPort": 636,
    }
