"""Certificate → user mapping (CommonName, UserPrincipalName, Whole) and the CA trust check."""

from __future__ import annotations

import datetime as _dt

import pytest
from cryptography.hazmat.primitives import serialization

from redfishnb.certs import LabCA
from redfishnb.mock.standard.client_cert import (
    mapped_username,
    trusted,
    upn_matches_host,
    user_principal_names,
)
from redfishnb.mock.standard.client_pki import issue_client, utf8string_der

NOW = _dt.datetime.now(_dt.timezone.utc).timestamp()


@pytest.fixture(scope="module")
def ca() -> LabCA:
    return LabCA.create("test client CA")


def test_common_name(ca: LabCA) -> None:
    cert = issue_client(ca, "student").cert
    assert mapped_username(cert, "CommonName", hostname="bmc.lab.example") == "student"


def test_upn(ca: LabCA) -> None:
    cert = issue_client(ca, "ignored", upn="operator@lab.example").cert
    assert user_principal_names(cert) == ["operator@lab.example"]
    assert mapped_username(cert, "UserPrincipalName", hostname="bmc.lab.example") == "operator"
    assert mapped_username(cert, "UserPrincipalName", hostname="bmc.other.example") is None
    assert (
        mapped_username(issue_client(ca, "x").cert, "UserPrincipalName", hostname="bmc.lab.example") is None
    )


def test_upn_domain_rule() -> None:
    assert upn_matches_host("a@Lab.Example", "bmc.lab.example")
    assert upn_matches_host("a@example", "bmc.lab.example")
    assert not upn_matches_host("a@x.bmc.lab.example", "bmc.lab.example")
    assert not upn_matches_host("a", "bmc.lab.example")


def test_whole(ca: LabCA) -> None:
    cert = issue_client(ca, "nobody").cert
    der = cert.public_bytes(serialization.Encoding.DER)
    ids = {"admin": [der]}
    assert mapped_username(cert, "Whole", hostname="h", identity_certificates=ids) == "admin"
    other = issue_client(ca, "admin").cert
    assert mapped_username(other, "Whole", hostname="h", identity_certificates=ids) is None
    assert mapped_username(cert, "Bogus", hostname="h") is None


def test_trust(ca: LabCA) -> None:
    cert = issue_client(ca, "student").cert
    assert trusted(cert, [ca.cert], NOW)
    assert not trusted(cert, [LabCA.create("another CA").cert], NOW)
    assert not trusted(cert, [], NOW)
    assert not trusted(cert, [ca.cert], NOW + 400 * 86400)  # expired on the mock's clock
    server = ca.issue_server(("bmc.lab.example",)).cert
    assert not trusted(server, [ca.cert], NOW)  # server-only EKU


def test_long_utf8string() -> None:
    long = "u" * 200 + "@lab.example"
    assert utf8string_der(long)[:2] == b"\x0c\x81"
