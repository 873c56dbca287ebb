"""Inventory and credentials: what a fleet run may read, and what it refuses (no network)."""

from __future__ import annotations

import pytest

from redfishnb import fleet
from redfishnb.errors import InventoryError


def test_inventory_from_csv_yaml_and_dataframe(tmp_path):
    import pandas as pd

    (tmp_path / "ca.pem").write_text("not read here")
    (tmp_path / "bmcs.csv").write_text(
        "name,url,verify,credentials,rack\n"
        "a,https://10.0.0.1,ca.pem,,r1\n"
        "b,10.0.0.2:8443,false,lab,r2\n"
        ",https://10.0.0.3/,SHA256:" + "AB:" * 31 + "AB,,r3\n"
    )
    csv_targets = fleet.load_inventory(tmp_path / "bmcs.csv")
    assert [t.name for t in csv_targets] == ["a", "b", "10.0.0.3"]
    assert csv_targets[0].verify == str(tmp_path / "ca.pem")  # relative to the inventory file
    assert csv_targets[1].url == "https://10.0.0.2:8443" and csv_targets[1].verify is False
    assert csv_targets[1].credentials == "lab"
    assert csv_targets[2].url == "https://10.0.0.3" and csv_targets[2].verify == "sha256:" + "ab" * 32
    assert {t.auth for t in csv_targets} == {None}  # no auth column: the operation's auth= decides

    (tmp_path / "bmcs.yaml").write_text(
        "defaults: {timeout: 3, auth: basic}\ntargets:\n  - {name: a, url: 'https://10.0.0.1'}\n  - 10.0.0.2\n"
        "  - {url: 10.0.0.3, auth: Auto}\n"
    )
    yaml_targets = fleet.load_inventory(tmp_path / "bmcs.yaml")
    assert [(t.name, t.timeout, t.auth) for t in yaml_targets] == [
        ("a", 3.0, "basic"),
        ("10.0.0.2", 3.0, "basic"),
        ("10.0.0.3", 3.0, "auto"),
    ]

    (tmp_path / "one.csv").write_text("url\nbmc-1.lab\nbmc-2.lab\n")  # one column: no delimiter to sniff
    assert [t.url for t in fleet.load_inventory(tmp_path / "one.csv")] == [
        "https://bmc-1.lab",
        "https://bmc-2.lab",
    ]

    frame = pd.DataFrame({"url": ["https://10.0.0.1", "https://10.0.0.2"], "verify": [None, "no"]})
    assert [t.verify for t in fleet.load_inventory(frame)] == [True, False]


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ([{"url": "https://10.0.0.1", "password": "x"}], "secrets do not belong"),
        ([{"url": "https://10.0.0.1", "X-Auth-Token": "x"}], "secrets do not belong"),
        ([{"url": "https://admin:pw@10.0.0.1"}], "carries credentials"),
        ([{"url": "https://10.0.0.1", "username": "admin"}], "credentials are not read"),
        ([{"name": "a", "url": "h1"}, {"name": "a", "url": "h2"}], "unique"),
        ([{"name": "no-url"}], "without a url"),
        ([{"url": "ftp://h"}], "Unusable BMC url"),
        ([{"url": "h", "auth": "kerberos"}], "auth must be"),
        ([{"url": "h", "verify": "sha256:ab12"}], "4 hex digits"),
        ([{"url": "h", "verify": "sha1:" + "ab" * 20}], "cannot be pinned"),
        ([{"url": "h", "timeout": "soon"}], "timeout must be a number"),
        ([], "no BMC"),
    ],
)
def test_inventory_refuses_bad_input_with_a_typed_error(rows, needle):
    with pytest.raises(InventoryError, match=needle) as info:
        fleet.load_inventory(rows)
    assert "pw" not in str(info.value).replace("password", "")  # the secret itself is never echoed


def test_missing_or_unreadable_inventory_file_is_an_inventory_error(tmp_path):
    with pytest.raises(InventoryError, match="does not exist"):
        fleet.load_inventory(tmp_path / "nope.csv")
    (tmp_path / "bmcs.json").write_text("[]")
    with pytest.raises(InventoryError, match="unknown inventory format"):
        fleet.load_inventory(tmp_path / "bmcs.json")
    (tmp_path / "bad.yaml").write_text("targets: [unclosed\n")
    with pytest.raises(InventoryError, match="Cannot read inventory bad.yaml"):
        fleet.load_inventory(tmp_path / "bad.yaml")


def test_credentials_come_from_arguments_environment_or_nowhere():
    targets = fleet.load_inventory([{"url": "h1"}, {"url": "h2", "credentials": "lab-b"}])
    env = {"REDFISHNB_USERNAME": "admin", "REDFISHNB_PASSWORD": "s3cret"}
    resolved = fleet.resolve_credentials(targets, environ=env, prompt=False)
    assert resolved[""] == fleet.Credentials("admin", "s3cret")
    assert isinstance(resolved["lab-b"], InventoryError)
    assert "REDFISHNB_LAB_B_PASSWORD" in str(resolved["lab-b"])
    given = fleet.resolve_credentials(targets, ("u", "p"), environ={}, prompt=False)
    assert given["lab-b"] == fleet.Credentials("u", "p")
    assert "s3cret" not in repr(resolved[""]) and "s3cret" not in str(resolved)
    assert fleet.env_names("lab-b") == ("REDFISHNB_LAB_B_USERNAME", "REDFISHNB_LAB_B_PASSWORD")
