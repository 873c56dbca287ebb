"""The flavour registry: every folder loads, names what handlers ask for, and its hooks and data resolve.

Why: a flavour is data (``redfishnb/mock/flavors/<name>/flavor.json``); a typo there would otherwise show up as a
KeyError deep in a handler during a lab. These checks run over whatever folders exist, new ones included.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redfishnb.mock.flavors import FLAVORS, get_flavor, parse_flavor_list
from redfishnb.mock.flavors.hooks import HOOK_DEFAULTS

TEXTS = (
    "account_service_description",
    "account_description",
    "accounts_description",
    "roles_description",
    "role_name",
    "hostname",
    "schema_source",
    "duplicate_account_message",
)
MOCK = Path(__file__).resolve().parents[2] / "redfishnb" / "mock"


@pytest.mark.parametrize("name", sorted(FLAVORS))
def test_flavour_folder_is_complete(name: str) -> None:
    flavor = FLAVORS[name]
    assert flavor.error_style in ("terse", "full") and flavor.etag_style in ("weak-crc32", "strong-md5")
    assert flavor.session_id_style  # "ilo" (name + epoch + hex); anything else: name + 32 hex
    assert flavor.allows("session_post")
    for key in TEXTS:
        assert flavor.text(key, role="Operator") if key == "role_name" else flavor.text(key)
    for hook in HOOK_DEFAULTS:
        assert callable(flavor.hook(hook))
    assert flavor.data("resources")["resources"]
    if flavor.has("documented_surface"):
        assert flavor.data("types")["types"] and flavor.data("surface")["resources"]


def test_lookup_and_lists() -> None:
    assert get_flavor("ILO7") is FLAVORS["ilo7"] and get_flavor(FLAVORS["rmc"]) is FLAVORS["rmc"]
    assert [f.name for f in parse_flavor_list("ilo6, rmc")] == ["ilo6", "rmc"]
    with pytest.raises(ValueError):
        get_flavor("ilo5")


def test_generic_code_never_tests_the_flavour_name() -> None:
    """Handlers ask for capabilities; ``flavor.name`` is only for messages (banner, repr, CA name)."""
    offenders = []
    for path in MOCK.rglob("*.py"):
        if "flavors" in path.parts or "standard" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"flavor\.name\s*(==|!=|in\b)|== *[\"'](ilo6|ilo7|rmc)[\"']", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
