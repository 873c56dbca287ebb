"""JsonSchemas, Registries and the ResourceDirectory, as iLO serves them, derived from what the mock serves."""

from __future__ import annotations

import pytest

from redfishnb.mock.messages import emitted_messages

from .conftest import SESSIONS, Caller

ADMIN = ("admin", "password")


def _get(call: Caller, path: str, **kwargs) -> dict:
    r = call("GET", path, auth=ADMIN, **kwargs)
    assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
    return r.json()


def test_root_links_the_stores_and_the_directory(call: Caller) -> None:
    root = call("GET", "/redfish/v1/").json()
    assert root["JsonSchemas"] == {"@odata.id": "/redfish/v1/JsonSchemas/"}
    assert root["Registries"] == {"@odata.id": "/redfish/v1/Registries/"}
    assert root["Oem"]["Hpe"]["Links"]["ResourceDirectory"] == {"@odata.id": "/redfish/v1/ResourceDirectory/"}
    assert root["Links"]["Sessions"] == {"@odata.id": SESSIONS}  # what the kit's client relies on
    assert call("GET", "/redfish/v1/JsonSchemas/").status_code == 401  # only the root is open


def test_a_schema_file_per_served_type_pointing_at_a_served_schema(call: Caller) -> None:
    call.login()  # a session open, so the tree shows Session and its HpeiLOSession block
    directory = _get(call, "/redfish/v1/ResourceDirectory/")
    served = {i["@odata.type"].lstrip("#").split(".")[0] for i in directory["Instances"]}
    schemas = _get(call, "/redfish/v1/JsonSchemas/", params={"$expand": "."})
    by_name = {m["Id"]: m for m in schemas["Members"]}
    assert served <= set(by_name), f"types without a JsonSchemaFile: {served - set(by_name)}"
    assert "HpeiLOSession" in by_name  # OEM blocks count as served types too
    for name, entry in by_name.items():
        assert entry["@odata.type"] == "#JsonSchemaFile.v1_0_4.JsonSchemaFile"
        (location,) = entry["Location"]
        schema = _get(call, location["Uri"])
        assert schema["title"] == entry["Schema"], name
        assert schema["properties"]["@odata.id"]["readonly"] is True


def test_schema_flags_follow_hpes_documentation(call: Caller) -> None:
    schema = _get(call, "/redfish/v1/SchemaStore/en/HpeCertAuth.json/")
    props = schema["properties"]
    assert props["CertificateLoginEnabled"] == {"type": "boolean", "readonly": False}
    assert props["CRLIssuer"]["readonly"] is True and props["CRLIssuer"]["type"] == ["string", "null"]
    assert props["LDAPCertificateNameMapping"]["enum"] == ["SubjectCN", "SubjectDN", "SANRFC822", "SANUPN"]
    session = _get(call, "/redfish/v1/SchemaStore/en/Session.json/")["properties"]
    assert session["Oem"]["properties"]["Hpe"]["properties"]["UserTag"]["readonly"] is True
    assert call("GET", "/redfish/v1/SchemaStore/en/NoSuchType.json/", auth=ADMIN).status_code == 404
    assert call("GET", "/redfish/v1/JsonSchemas/NoSuchType/", auth=ADMIN).status_code == 404


def _message_ids(call: Caller, token: str) -> set[str]:
    """MessageIds the mock sends for a spread of refusals and successes."""
    answers = [
        call("GET", "/redfish/v1/Systems/"),
        call("GET", "/redfish/v1/Nope/", auth=ADMIN),
        call("DELETE", "/redfish/v1/Systems/", auth=ADMIN),
        call("PATCH", "/redfish/v1/SessionService/", json={"Bogus": 1}, auth=ADMIN),
        call("PATCH", "/redfish/v1/AccountService/", json={"AccountLockoutThreshold": "x"}, auth=ADMIN),
        call("POST", SESSIONS, json={"UserName": "admin", "Password": "wrong"}),
        call(
            "PATCH", "/redfish/v1/AccountService/", json={"MinPasswordLength": 8}, auth=("student", "student")
        ),
        call("DELETE", SESSIONS + "nope/", token=token),
    ]
    ids = set()
    for r in answers:
        body = r.json()
        items = body.get("error", body).get("@Message.ExtendedInfo", [])
        ids |= {item["MessageId"] for item in items}
    return ids


def test_every_message_id_the_mock_sends_resolves_in_a_served_registry(call: Caller, bmc) -> None:
    token, _ = call.login()
    registries = _get(call, "/redfish/v1/Registries/", params={"$expand": "."})
    served: dict[str, dict] = {}
    for entry in registries["Members"]:
        registry = _get(call, entry["Location"][0]["Uri"])
        assert registry["Id"].startswith(entry["Registry"] + ".")
        served[entry["Registry"]] = registry["Messages"]
    ids = _message_ids(call, token)
    assert len(ids) >= 6
    for message_id in ids:
        prefix, key = message_id.rsplit(".", 1)
        assert key in served[prefix], message_id
    expected = emitted_messages(bmc.flavor)
    assert {version: set(m) for version, m in expected.values()} == {k: set(v) for k, v in served.items()}


def test_directory_lists_each_resource_with_its_etag_and_methods(call: Caller) -> None:
    instances = _get(call, "/redfish/v1/ResourceDirectory/")["Instances"]
    paths = [i["@odata.id"] for i in instances]
    assert len(paths) == len(set(paths))
    for must in (
        "/redfish/v1/",
        "/redfish/v1/AccountService/Accounts/1/",
        "/redfish/v1/Managers/1/LicenseService/1/",
    ):
        assert must in paths
    assert not any(p.lower().startswith(("/redfish/v1/jsonschemas", "/redfish/v1/registries")) for p in paths)
    for item in instances:
        r = call("GET", item["@odata.id"], auth=ADMIN)
        assert r.headers["ETag"] == item["ETag"], item["@odata.id"]
        assert [m.strip() for m in r.headers["Allow"].split(",")] == item["HttpMethods"]
        assert r.json()["@odata.type"] == item["@odata.type"]


def test_directory_etag_works_as_if_match_and_follows_changes(call: Caller, bmc) -> None:
    def entry() -> dict:
        instances = _get(call, "/redfish/v1/ResourceDirectory/")["Instances"]
        return next(i for i in instances if i["@odata.id"] == "/redfish/v1/SessionService/")

    before = entry()
    patch = {"SessionTimeout": 900}
    r = call(
        "PATCH", "/redfish/v1/SessionService/", json=patch, auth=ADMIN, headers={"If-Match": before["ETag"]}
    )
    assert r.status_code == 200
    after = entry()
    assert after["ETag"] != before["ETag"]
    r = call(
        "PATCH", "/redfish/v1/SessionService/", json=patch, auth=ADMIN, headers={"If-Match": before["ETag"]}
    )
    assert r.status_code == 412


def test_directory_follows_new_resources(call: Caller, bmc) -> None:
    bmc.add_account("lab", "labpassword1", role="ReadOnly")
    instances = _get(call, "/redfish/v1/ResourceDirectory/")["Instances"]
    account = next(i for i in instances if i["@odata.id"] == "/redfish/v1/AccountService/Accounts/4/")
    assert account["HttpMethods"] == ["GET", "HEAD", "PATCH", "DELETE"]


@pytest.mark.parametrize(
    "path", ["/redfish/v1/JsonSchemas/", "/redfish/v1/Registries/", "/redfish/v1/ResourceDirectory/"]
)
def test_rmc_keeps_its_smaller_surface(rmc_call: Caller, path: str) -> None:
    assert rmc_call("GET", path, auth=("admin", "password")).status_code == 404
    assert "JsonSchemas" not in rmc_call("GET", "/redfish/v1/").json()
