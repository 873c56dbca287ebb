"""Read HPE's published iLO resource definitions (markdown) into the mock's type data, or check the data against them.

Why a script: the mock's idea of what an iLO 6 resource looks like (its ``@odata.type``, URIs with their ``Allow``
methods, top-level properties with their JSON types and read-only flags, actions and their parameters) must come
from HPE's documentation, not from memory, and must stay in step with it. The script parses the reference copies
(``shared/reference/hpe-ilo-docs/ilo6_170_*`` and ``ilo7_114_*_resourcedefns.md``) and writes each iLO
flavour's ``redfishnb/mock/flavors/<flavour>/types.json`` for the types the mock serves; ``--check`` fails when a
data file and the reference disagree.

    python tools/ilo_reference.py                   # regenerate the data files (ilo6 and ilo7)
    python tools/ilo_reference.py --check           # exit 1 if a data file is stale
    python tools/ilo_reference.py --flavor ilo7     # one flavour only

The parser is also imported by the tests that compare what the mock serves with the documentation.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference" / "hpe-ilo-docs"
FLAVORS_DIR = REPO / "redfishnb" / "mock" / "flavors"
FILES = ("serviceroot", "other", "manager", "hpe")

# The types whose documented shape the mock serves (issue 12, point 1, plus what the tree links to).
TYPES = (
    "ServiceRoot",
    "SessionService",
    "SessionCollection",
    "Session",
    "AccountService",
    "ManagerAccountCollection",
    "ManagerAccount",
    "KeyCollection",
    "RoleCollection",
    "Role",
    "HpeiLOAccountCertificateMapCollection",
    "HpeiLOAccountCertificateMap",
    "HpeDirectoryTest",
    "HpeSecurityService",
    "HpeCertAuth",
    "HpeCertificateCollection",
    "HpeCertificate",
    "HpeHttpsCert",
    "HpeiLOLicenseCollection",
    "HpeiLOLicense",
    "CertificateService",
    "CertificateLocations",
    "CertificateCollection",
    "Certificate",
    "HpeiLOResourceDirectory",
    "JsonSchemaFileCollection",
    "JsonSchemaFile",
    "MessageRegistryFileCollection",
    "MessageRegistryFile",
    "ManagerCollection",
    "Manager",
    "ManagerNetworkProtocol",
    "HpeiLODateTime",  # where iLO keeps its NTP servers (ManagerNetworkProtocol v1_0_0 has no NTP)
)
# iLO 7 serves the same types plus the application accounts (HPE iLO 7 v1.14 HPE resource definitions).
TYPES_ILO7 = (*TYPES, "HpeiLOAppAccountCollection", "HpeiLOAppAccount")

# flavour -> (reference file prefix, source line, types): one ``flavors/<flavour>/types.json`` each.
GENERATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "ilo6": ("ilo6_170", "HPE iLO 6 v1.70 resource definitions", TYPES),
    "ilo7": ("ilo7_114", "HPE iLO 7 v1.14 resource definitions", TYPES_ILO7),
}

# HPE's pages say only "see the common X object" for these DMTF properties; DMTF's schemas make them read-only
# arrays (Manager.v1_19_1: ``Redundancy`` is a read-only array of Redundancy objects).
_DMTF_ARRAYS = {"Redundancy"}
_SECTION_SKIP = {"Resource Instances", "Links to other Resources", "Actions"}
_TYPE_LINE = re.compile(r'^`@odata\.type: "(#[^"]+)"`')
_URI_ROW = re.compile(r"^\|`(/redfish/[^`]+)`\|([A-Z ]*)\|")
_ROW = re.compile(r"^\|(Type|Read Only)\|([^|]*)\|")
_VALUE_ROW = re.compile(r"^\|`([^`]+)`\|")
_ACTION = re.compile(r"^\*\*(\w+\.\w+)\*\*$")
_PARAM = re.compile(r"^\*\*(\w+) \(([^)]+)\)\*\*$")
_SUB = re.compile(r"^\*\*([^*]+?)\*\*$")


def _json_types(text: str) -> list[str]:
    """``string or null`` -> ``["string", "null"]`` (JSON Schema type names)."""
    return [t.strip() for t in text.split(" or ") if t.strip()]


class _TypeParser:
    """State machine over one ``## Type`` section: properties, nested properties, URIs, actions."""

    def __init__(self, name: str) -> None:
        self.doc: dict[str, Any] = {"odata_type": "", "uris": {}, "properties": {}, "actions": {}}
        self.name = name
        self.section = ""
        self.current: dict[str, Any] | None = None  # the property whose table rows come next
        self.array_member: dict[str, Any] | None = None  # a member that is an array, for its [{item}] rows
        self.action: str | None = None

    def line(self, text: str) -> None:
        m = _TYPE_LINE.match(text)
        if m and not self.doc["odata_type"]:
            self.doc["odata_type"] = m.group(1)
            return
        if text.startswith("### "):
            self._section(text[4:].strip())
            return
        if self.section == "Resource Instances":
            m = _URI_ROW.match(text)
            if m:
                self.doc["uris"][m.group(1)] = m.group(2).split()
            return
        if self.section == "Actions":
            self._action_line(text)
            return
        if self.section and self.section not in _SECTION_SKIP:
            self._property_line(text)

    def _section(self, title: str) -> None:
        kind = ""
        m = re.match(r"^(.*?) \((array|object)\)$", title)
        if m:
            title, kind = m.group(1), m.group(2)
        self.section = title
        self.action = None
        self.array_member = None
        prose = " " in title or ("." in title and not title.startswith("Oem.") and "@" not in title)
        if title in _SECTION_SKIP or prose:
            self.current = None
            if title not in _SECTION_SKIP:
                self.section = ""  # prose headings ("Managing User Accounts ...") are not properties
            return
        prop = {"type": [kind] if kind else [], "readonly": None}
        self.doc["properties"][title] = prop
        self.current = prop

    def _property_line(self, text: str) -> None:
        prop = self.doc["properties"][self.section]
        if 'is a link (`"@odata.id": URI`)' in text:
            target = self.current if self.current is not None else prop
            target["type"] = ["link"]
            target["readonly"] = True
            if target is not prop:
                prop["type"] = ["object"]
            return
        m = _SUB.match(text)
        if m:
            sub = m.group(1).replace(" (array)", "")
            if sub != self.section and "." in sub:
                prop["type"] = prop["type"] or ["object"]
                self.current = prop.setdefault("members", {}).setdefault(sub, {"type": [], "readonly": None})
                # ``LDAP.ServiceAddresses (array)``: the member is the array; its ``[{item}]`` rows follow
                self.array_member = self.current if m.group(1).endswith(" (array)") else None
                if self.array_member is not None:
                    self.array_member["type"] = ["array"]
            elif sub.startswith(self.section + "[") or sub.endswith("[{item}]"):
                owner = self.array_member if not sub.startswith(self.section + "[") else None
                self.current = (owner or prop).setdefault("items", {"type": [], "readonly": None})
            return
        m = _ROW.match(text)
        if m and self.current is not None:
            if m.group(1) == "Type":
                self.current["type"] = _json_types(m.group(2))
            else:
                self.current["readonly"] = m.group(2).strip() == "True"
            return
        m = _VALUE_ROW.match(text)
        if m and self.current is not None and not text.startswith("|`/"):
            self.current.setdefault("enum", []).append(m.group(1))

    def _action_line(self, text: str) -> None:
        m = _ACTION.match(text)
        if m:
            self.action = m.group(1)
            self.doc["actions"][self.action] = {}
            return
        m = _PARAM.match(text)
        if m and self.action:
            self.doc["actions"][self.action][m.group(1)] = _json_types(m.group(2))

    def finish(self) -> dict[str, Any]:
        """Top-level readonly derived for objects: read-only when every documented member is."""
        for name, prop in self.doc["properties"].items():
            if not prop["type"] and name in _DMTF_ARRAYS:
                prop["type"], prop["readonly"] = ["array"], True
            members = prop.get("members")
            if prop["readonly"] is None and members:
                flags = [m["readonly"] for m in members.values() if m["readonly"] is not None]
                prop["readonly"] = bool(flags) and all(flags)
            if prop["readonly"] is None and "items" in prop:
                prop["readonly"] = prop["items"].get("readonly")
            if not prop["type"] and "items" in prop:
                prop["type"] = ["array"]
        return self.doc


def parse_reference(directory: Path = REFERENCE, version: str = "ilo6_170") -> dict[str, dict[str, Any]]:
    """Every ``## Type`` of the reference files, by type name."""
    types: dict[str, dict[str, Any]] = {}
    for part in FILES:
        path = directory / f"{version}_{part}_resourcedefns.md"
        parser: _TypeParser | None = None
        for raw in path.read_text(encoding="utf-8").splitlines():
            text = raw.rstrip()
            if text.startswith("## "):
                if parser is not None:
                    types.setdefault(parser.name, parser.finish())
                parser = _TypeParser(text[3:].strip())
            elif parser is not None:
                parser.line(text)
        if parser is not None:
            types.setdefault(parser.name, parser.finish())
    return types


def _compact(prop: dict[str, Any], name: str) -> dict[str, Any]:
    """What the mock keeps of a property: JSON types, read-only flag, allowed values, direct members."""
    out: dict[str, Any] = {"type": prop["type"] or ["object"], "readonly": bool(prop["readonly"])}
    if prop.get("enum"):
        out["enum"] = prop["enum"]
    members = {}
    for full, sub in prop.get("members", {}).items():
        child = full[len(name) + 1 :] if full.startswith(name + ".") else ""
        if child and "." not in child and "[" not in child:
            nested = {k: v for k, v in prop["members"].items() if k.startswith(full + ".")}
            members[child] = _compact({**sub, "members": nested}, full)
    if members:
        out["members"] = members
    return out


def output_path(flavor: str) -> Path:
    return FLAVORS_DIR / flavor / "types.json"


def build(directory: Path = REFERENCE, flavor: str = "ilo6") -> dict[str, Any]:
    """The data file's content: the documented shape of each type the flavour serves."""
    version, source, types = GENERATIONS[flavor]
    reference = parse_reference(directory, version)
    out: dict[str, Any] = {"source": source, "types": {}}
    for name in types:
        doc = reference[name]
        out["types"][name] = {
            "odata_type": doc["odata_type"],
            "uris": doc["uris"],
            "properties": {k: _compact(v, k) for k, v in sorted(doc["properties"].items())},
            "actions": doc["actions"],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument(
        "--check", action="store_true", help="exit 1 when the data file differs from the reference"
    )
    args.add_argument("--reference", type=Path, default=REFERENCE)
    args.add_argument(
        "--flavor", choices=sorted(GENERATIONS), action="append", help="default: every iLO flavour"
    )
    opts = args.parse_args(argv)
    return max(_one(flavor, opts.reference, opts.check) for flavor in opts.flavor or sorted(GENERATIONS))


def _one(flavor: str, reference: Path, check: bool) -> int:
    """Write (or with ``check`` compare) one flavour's ``types.json``; 1 when stale."""
    output = output_path(flavor)
    text = json.dumps(build(reference, flavor), indent=1, sort_keys=False) + "\n"
    shown = output.relative_to(REPO)
    if check:
        if not output.is_file() or output.read_text(encoding="utf-8") != text:
            print(f"{shown} is stale: run python tools/ilo_reference.py --flavor {flavor}", file=sys.stderr)
            return 1
        print(f"{shown} matches the reference")
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {shown}: {len(GENERATIONS[flavor][2])} types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
