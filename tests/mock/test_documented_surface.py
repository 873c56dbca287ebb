"""Walk every URI the ilo6 and ilo7 mocks serve from the root and compare it with HPE's iLO 6 v1.70 and iLO 7 v1.14
resource definitions.

For the types of issue 12's point 1 (``tools/ilo_reference.TYPES``): the documented ``@odata.type``, the ``Allow``
methods of the documented URI, the actions the mock advertises (each documented, each with a target), and the JSON
type of every documented top-level property it serves. Every link the tree advertises must resolve. The closing
table gives the coverage per type: documented top-level properties served / documented.

The reference is read from ``shared/reference/hpe-ilo-docs`` beside the work tree, through the same parser that
generates each flavour's ``redfishnb/mock/flavors/<flavour>/types.json``; the test also checks that they are not
stale.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from redfishnb.certs import LabCA

from .conftest import Caller, calling, serve

REPO = Path(__file__).resolve().parents[2]
ADMIN = ("admin", "password")
# Documented methods the mock does not offer, by type or by URI, each with the reason; printed with the coverage,
# not failed. Each of these collections is served empty, and its Allow header says GET only.
KNOWN_GAPS = {
    ("HpeSecurityService", "POST"): "HPE's pages list POST on SecurityService without saying what it does",
    ("KeyCollection", "POST"): "adding an account's SSH key is not modelled: the mock has no SSH service",
    ("/redfish/v1/AccountService/ExternalAccountProviders/LDAP/Certificates", "POST"): "importing a "
    "directory server's CA is not modelled: the mock contacts no directory",
    ("/redfish/v1/Managers/1/SecurityService/iLOLDevID/Certificates", "POST"): "importing an iLO LDevID "
    "certificate is not modelled: the mock has no device identity to attest",
    ("/redfish/v1/Managers/1/LicenseService/1", "POST"): "HPE's iLO 7 v1.14 pages list POST on the installed "
    "license without saying what it does (installing is a POST to the collection)",
}
# Documented properties the mock deliberately leaves out, with the reason; printed with the coverage.
NOT_SERVED = {
    ("Session", "Oem.Hpe.UserAccount"): "absent from every iLO 6 capture (the seed's, tfa.md's)",
    ("Session", "Oem.Hpe.UserDistinguishedName"): "absent from every iLO 6 capture, a directory user's too",
    ("HpeSecurityService", "PlatformCertUpdate"): "its Certificates link has no URI in HPE's iLO 6 v1.70 map",
}
_JSON = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
    "object": dict,
    "array": list,
}


def _tool():
    spec = importlib.util.spec_from_file_location("ilo_reference", REPO / "tools" / "ilo_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["ilo6", "ilo7"])
def flavor(request) -> str:
    """Each iLO flavour against its own generation's pages (iLO 6 v1.70, iLO 7 v1.14)."""
    return str(request.param)


@pytest.fixture(scope="module")
def reference(flavor: str) -> tuple[Any, dict[str, dict]]:
    tool = _tool()
    if not tool.REFERENCE.is_dir():
        pytest.skip(f"HPE's reference pages are not at {tool.REFERENCE}")
    return tool, tool.parse_reference(version=tool.GENERATIONS[flavor][0])


@pytest.fixture
def fcall(flavor: str) -> Iterator[Caller]:
    for bmc in serve(flavor):
        yield from calling(bmc)


def _links(value: Any) -> list[str]:
    if isinstance(value, dict):
        out = [v for k, v in value.items() if k == "@odata.id" and isinstance(v, str)]
        for k, v in value.items():
            if k != "@odata.id":
                out += _links(v)
        return out
    if isinstance(value, list):
        return [link for item in value for link in _links(item)]
    return []


def _walk(call: Caller, token: str) -> dict[str, Any]:
    """Every resource reachable from the root (schema and registry files too): path -> response.

    With a session token, so the caller's own Session shows what only one's own session shows (Privileges)."""
    seen: dict[str, Any] = {}
    queue = ["/redfish/v1/"]
    while queue:
        path = queue.pop(0).split("#")[0]
        if path in seen or not path.startswith("/redfish/"):
            continue
        r = call("GET", path, token=token)
        seen[path] = r
        body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
        queue += _links(body)
        queue += [loc["Uri"] for loc in body.get("Location", []) if isinstance(loc, dict)]
    return seen


def _doc_uri(doc: dict, path: str) -> list[str] | None:
    """The documented Allow methods of the URI pattern ``path`` matches (``{item}`` is one segment)."""
    for uri, methods in doc["uris"].items():
        pattern = re.escape(uri.rstrip("/")).replace(r"\{item\}", "[^/]+")
        if re.fullmatch(pattern, path.rstrip("/"), re.IGNORECASE):
            return methods
    return None


def _value(body: dict, dotted: str) -> tuple[bool, Any]:
    if dotted in body:  # Members@odata.count, SecurityState@Redfish.AllowableValues
        return True, body[dotted]
    node: Any = body
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _type_ok(value: Any, kinds: list[str]) -> bool:
    if value is None:
        return "null" in kinds
    if "link" in kinds:
        return isinstance(value, dict) and "@odata.id" in value
    wanted = tuple(
        t for k in kinds if k in _JSON for t in (_JSON[k] if isinstance(_JSON[k], tuple) else (_JSON[k],))
    )
    if isinstance(value, bool):
        return bool in wanted
    return isinstance(value, wanted) if wanted else True


def test_data_file_matches_the_reference(reference) -> None:
    tool, _ = reference
    assert tool.main(["--check"]) == 0


def test_every_uri_from_the_root_against_the_reference(fcall: Caller, flavor: str, reference, capsys) -> None:
    tool, docs = reference
    call, types = fcall, tool.GENERATIONS[flavor][2]
    token, _ = call.login()  # a session exists, so Session resources are walked too
    ca = LabCA.create("surface walk CA")  # and a trusted CA and a mapping, so their members are walked
    call.bmc.import_ca(ca.cert_pem)
    call.bmc.map_certificate("student", ca.issue("student", usage="client").cert_pem)
    if call.bmc.flavor.has("app_accounts"):  # and an iLO 7 application account, so its member is walked too
        body = {"HostAppId": "lab-walk-0000fea0", "HostAppName": "AMS"}
        assert call("POST", "/redfish/v1/AccountService/Oem/Hpe/AppAccounts/", token=token, json=body).ok
    walked = _walk(call, token)
    missing = {p: r.status_code for p, r in walked.items() if r.status_code != 200}
    assert not missing, f"advertised links that do not resolve: {missing}"

    problems: list[str] = []
    extras: list[str] = []  # actions iLO has that the v1.70 pages do not list (DMTF's ReplaceCertificate)
    coverage: dict[str, tuple[int, int]] = {}
    for path, r in walked.items():
        body = r.json() if "json" in r.headers.get("Content-Type", "") else {}
        name = str(body.get("@odata.type", "")).lstrip("#").split(".")[0]
        if name not in types:
            continue
        doc = docs[name]
        if body["@odata.type"] != doc["odata_type"]:
            problems.append(f"{path}: @odata.type {body['@odata.type']} (documented {doc['odata_type']})")
        methods = _doc_uri(doc, path)
        allow = [m.strip() for m in r.headers["Allow"].split(",") if m.strip() != "HEAD"]
        if methods is not None:
            uri = path.rstrip("/")
            gaps = {m for m in methods if (name, m) in KNOWN_GAPS or (uri, m) in KNOWN_GAPS}
            if allow != [m for m in methods if m not in gaps]:
                problems.append(f"{path}: Allow {allow} (documented {methods})")
        for action, entry in body.get("Actions", {}).items():
            if "target" not in entry:
                problems.append(f"{path}: action {action} without a target")
            if action.lstrip("#") not in doc["actions"]:
                extras.append(f"{path}: {action}")
        served = 0
        for prop, spec in doc["properties"].items():
            present, value = _value(body, prop)
            served += present
            if present and not _type_ok(value, spec["type"] or ["object"]):
                problems.append(f"{path}: {prop}={value!r} is not {spec['type']}")
        documented = len(doc["properties"])
        coverage[name] = max(coverage.get(name, (0, documented)), (served, documented))
    with capsys.disabled():
        print("\ncoverage (documented top-level properties served / documented):")
        for name in types:
            served, documented = coverage.get(name, (0, len(docs[name]["properties"])))
            seen = "" if name in coverage else "   (not reached by the walk)"
            print(f"  {name:<40} {served:>3} / {documented:<3}{seen}")
        total = sum(s for s, _ in coverage.values()), sum(d for _, d in coverage.values())
        print(f"  {'all reached types':<40} {total[0]:>3} / {total[1]}")
        for (type_name, method), why in KNOWN_GAPS.items():
            print(f"  {type_name} {method} not offered: {why}")
        for (type_name, prop), why in NOT_SERVED.items():
            print(f"  {type_name} {prop} not served: {why}")
        for extra in extras:
            print(f"  action beyond HPE's v1.70 pages: {extra}")
    assert not problems, "\n".join(problems)


def _dotted(extra: dict, prefix: str = "") -> list[str]:
    """Top-level names of a surface entry as HPE's pages write them: ``Oem.Hpe.X`` for OEM members."""
    out = []
    for key, value in extra.items():
        name = f"{prefix}{key}"
        if name in ("Oem", "Oem.Hpe") and isinstance(value, dict):
            out += _dotted(value, name + ".")
        else:
            out.append(name)
    return out


def test_surface_data_holds_only_documented_properties(fcall: Caller, flavor: str, reference) -> None:
    """The flavour's ``surface.json`` may only add what HPE documents for the type served at that URI."""
    from redfishnb.mock.flavors import get_flavor

    _, docs = reference
    call = fcall
    for pattern, extra in get_flavor(flavor).data("surface")["resources"].items():
        path = pattern.replace("{role_id}", "ReadOnly").replace("{account_id}", "1")
        name = call("GET", path, auth=ADMIN).json()["@odata.type"].lstrip("#").split(".")[0]
        documented = docs[name]["properties"]
        undocumented = [prop for prop in _dotted(extra) if prop not in documented]
        assert not undocumented, f"{pattern} ({name}): {undocumented}"
