"""Service root, OData documents, hardware views, query options and the headers every answer carries."""

from __future__ import annotations

import pytest

from redfishnb.mock import MockBMC

from .conftest import Caller


def test_root_is_ilo6_shaped_and_open(call: Caller) -> None:
    root = call("GET", "/redfish/v1/").json()
    assert root["Vendor"] == "HPE" and root["Links"]["Sessions"]["@odata.id"].endswith("/Sessions/")
    manager = root["Oem"]["Hpe"]["Manager"][0]
    assert manager["ManagerType"] == "iLO 6" and manager["ManagerFirmwareVersion"]
    sessions = root["Oem"]["Hpe"]["Sessions"]
    assert sessions["CertificateLoginEnabled"] is False and sessions["LoginFailureDelay"] == 0
    assert root["ProtocolFeaturesSupported"]["ExpandQuery"] == {
        "ExpandAll": False,
        "Levels": True,
        "Links": False,
        "MaxLevels": 1,
        "NoLinks": True,
    }
    assert root["Oem"]["Hpe"]["Time"] == "2026-01-01T00:00:00Z"  # seeded clock


def test_rmc_root_has_no_ilo_oem(rmc_call: Caller) -> None:
    root = rmc_call("GET", "/redfish/v1").json()
    assert "Oem" not in root and root["Product"] == "Superdome Flex 280"


def test_odata_and_metadata(call: Caller) -> None:
    odata = call("GET", "/redfish/v1/odata/").json()
    assert odata["@odata.context"] == "/redfish/v1/$metadata"
    assert {"name": "Service", "kind": "Singleton", "url": "/redfish/v1/"} in odata["value"]
    r = call("GET", "/redfish/v1/$metadata", headers={"Accept": "application/xml"})
    assert r.status_code == 200 and "<EntityContainer" in r.text


def test_common_headers_etag_allow_link(call: Caller) -> None:
    token, _ = call.login()
    r = call("GET", "/redfish/v1/Managers/1/", token=token)
    for name in ("OData-Version", "Cache-Control", "Content-Type", "ETag", "Allow", "Link"):
        assert name in r.headers, name
    body = r.json()
    assert body["@odata.etag"] == r.headers["ETag"]
    assert body["FirmwareVersion"] and body["DateTime"] == "2026-01-01T00:00:00Z"
    assert "rel=describedby" in r.headers["Link"]
    # a later DateTime does not change the ETag; If-None-Match gives 304
    call.bmc.advance_clock(5)
    again = call("GET", "/redfish/v1/Managers/1/", token=token, headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    head = call("HEAD", "/redfish/v1/Systems/1/", token=token)
    assert head.status_code == 200 and head.content == b"" and head.headers["Allow"] == "GET, HEAD"
    error = call("GET", "/redfish/v1/Nope", token=token)
    assert error.headers["OData-Version"] == "4.0" and error.headers["Content-Type"].startswith(
        "application/json"
    )
    call.bmc.clear_sessions()


def test_query_options(call: Caller) -> None:
    token, _ = call.login()
    expanded = call("GET", "/redfish/v1/Systems/?$expand=.", token=token).json()
    assert expanded["Members"][0]["Id"] == "1" and "Model" in expanded["Members"][0]
    levels = call("GET", "/redfish/v1/Systems/?$expand=*($levels=1)", token=token).json()
    assert levels["Members"][0]["Id"] == "1"
    system = call("GET", "/redfish/v1/Systems/1/?$expand=.", token=token).json()
    assert system["Links"]["Chassis"] == [{"@odata.id": "/redfish/v1/Chassis/1/"}]  # Links are never expanded
    only = call("GET", "/redfish/v1/Managers/1/LicenseService/?only", token=token).json()
    assert only["License"] == "iLO Advanced"
    two = call("GET", "/redfish/v1/SessionService/Sessions/?only", token=token).json()
    assert two["@odata.type"] == "#Session.v1_0_0.Session"  # one session: the member replaces the collection
    selected = call("GET", "/redfish/v1/?$select=RedfishVersion,Vendor").json()
    assert set(selected) == {
        "@odata.context",
        "@odata.etag",
        "@odata.id",
        "@odata.type",
        "RedfishVersion",
        "Vendor",
    }
    assert call("GET", "/redfish/v1/Systems/?only=foo", token=token).status_code == 400
    assert call("GET", "/redfish/v1/Systems/?$expand=bogus", token=token).status_code == 400
    r = call("GET", "/redfish/v1/Systems/?$filter=Id eq '1'", token=token)
    assert r.status_code == 501 and "QueryParameterUnsupported" in r.text
    assert call("GET", "/redfish/v1/Systems/?foo=bar", token=token).status_code == 200
    call.bmc.clear_sessions()


def test_expand_without_credentials_does_not_expand_root(call: Caller) -> None:
    root = call("GET", "/redfish/v1/?$expand=.").json()
    assert root["Systems"] == {"@odata.id": "/redfish/v1/Systems/"}


@pytest.mark.parametrize(
    ("method", "path", "sent", "status", "message_id"),
    [
        ("GET", "/redfish/v1/Systems/", {"headers": {"OData-Version": "4.1"}}, 412, "HeaderInvalid"),
        ("GET", "/redfish/v1/Systems/", {"headers": {"Accept": "text/html"}}, 406, "HeaderInvalid"),
        (
            "PATCH",
            "/redfish/v1/SessionService/",
            {"data": "SessionTimeout=60", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
            415,
            "UnsupportedMediaType",
        ),
        (
            "PATCH",
            "/redfish/v1/SessionService/",
            {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}},
            400,
            "MalformedJSON",
        ),
        ("BREW", "/redfish/v1/Systems/", {}, 405, "OperationNotAllowed"),
    ],
)
def test_protocol_errors(
    call: Caller, method: str, path: str, sent: dict, status: int, message_id: str
) -> None:
    token, _ = call.login()
    r = call(method, path, token=token, **sent)
    info = r.json()["error"]["@Message.ExtendedInfo"][0]
    assert (r.status_code, info["MessageId"]) == (status, f"Base.1.12.{message_id}")
    if status == 405:
        assert r.headers["Allow"] == "GET, HEAD"
    call.bmc.clear_sessions()


def test_odata_version_4_0_is_accepted(call: Caller) -> None:
    token, _ = call.login()
    r = call("GET", "/redfish/v1/Systems/", token=token, headers={"OData-Version": "4.0"})
    assert r.status_code == 200
    call.bmc.clear_sessions()


def test_two_factor_login_with_mailbox() -> None:
    with MockBMC(seed=5) as bmc:
        bmc.add_account("aduser", "Directory-1", "Operator", otp_email="ad.user@example.com")
        c = Caller(bmc)
        creds = {"UserName": "aduser", "Password": "Directory-1"}
        r = c("POST", "/redfish/v1/SessionService/Sessions/", json=creds)
        assert r.status_code == 401 and "X-Auth-Token" not in r.headers
        item = r.json()["error"]["@Message.ExtendedInfo"][0]
        assert item["MessageId"] == "Base.1.12.OneTimePasscodeSent" and item["MessageArgs"] == [
            "a***@example.com"
        ]
        code = bmc.last_otp("aduser")
        assert code and code.isdigit() and len(code) == 6
        wrong = c(
            "POST",
            "/redfish/v1/SessionService/Sessions/",
            json={**creds, "Token": "000000" if code != "000000" else "111111"},
        )
        assert wrong.status_code == 401 and "UnauthorizedLoginAttempt" in wrong.text
        assert (
            c("GET", "/redfish/v1/Systems/", auth=("aduser", "Directory-1")).status_code == 401
        )  # no Basic for 2FA
        r = c("POST", "/redfish/v1/SessionService/Sessions/", json={**creds, "Token": code})
        assert r.status_code == 201
        r = c("POST", "/redfish/v1/SessionService/Sessions/", json={**creds, "Token": code})
        assert r.status_code == 401  # a passcode works once
        bmc.advance_clock(301)
        r = c("POST", "/redfish/v1/SessionService/Sessions/", json={**creds, "Token": bmc.last_otp("aduser")})
        assert r.status_code == 401 and "AuthenticationTokenExpired" in r.text
        bmc.clear_sessions()


def test_license_service(call: Caller, bmc: MockBMC) -> None:
    admin, _ = call.login()
    license_uri = "/redfish/v1/Managers/1/LicenseService/1/"
    assert call("DELETE", license_uri, token=admin).status_code == 200
    body = call("GET", license_uri, token=admin).json()
    assert (body["License"], body["LicenseTier"]) == ("iLO Standard", "STD") and not bmc.licensed
    r = call("POST", "/redfish/v1/Managers/1/LicenseService/", token=admin, json={"LicenseKey": "not-a-key"})
    assert r.status_code == 400
    operator, _ = call.login("operator", "operator")
    key = {"LicenseKey": "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"}
    assert call("POST", "/redfish/v1/Managers/1/LicenseService/", token=operator, json=key).status_code == 403
    assert call("POST", "/redfish/v1/Managers/1/LicenseService/", token=admin, json=key).status_code == 200
    body = call("GET", license_uri, token=admin).json()
    assert body["License"] == "iLO Advanced" and body["LicenseKey"].endswith("UVWXY") and bmc.licensed
    bmc.clear_sessions()


def test_openapi_document_lists_the_routes(call: Caller) -> None:
    import yaml

    r = call("GET", "/redfish/v1/openapi.yaml", headers={"Accept": "application/yaml"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/yaml" and r.headers["Allow"]
    doc = yaml.safe_load(r.text)
    assert doc["openapi"].startswith("3.")
    assert "post" in doc["paths"]["/redfish/v1/SessionService/Sessions"]
    assert doc["paths"]["/redfish/v1/SessionService/Sessions"]["post"]["security"] == []
    assert "UserConfigPriv" in doc["paths"]["/redfish/v1/AccountService/Accounts"]["post"]["description"]
    assert call("GET", "/redfish/v1/openapi.yaml", headers={"Accept": "application/json"}).status_code == 406
