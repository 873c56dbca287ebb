"""redfishnb.oem.ilo.IloFacts: a multi-step helper reads the caller's privileges once, and only while it runs."""

from __future__ import annotations

import gc
from urllib.parse import urlsplit

import pytest

import redfishnb
from redfishnb import certs
from redfishnb.oem import ilo
from redfishnb.oem.ilo import accounts


def _admin(bmc):
    return redfishnb.connect(bmc.url, "admin", "password", verify=bmc.ca_file)


def _session_reads(client, since: int) -> int:
    mine = client.session_uri
    return sum(1 for e in client.exchanges[since:] if e.method == "GET" and urlsplit(e.url).path == mine)


@pytest.fixture(scope="module")
def student(ca) -> certs.KeyPair:
    return ca.issue("student")


def test_setup_reads_the_callers_privileges_once(mock_bmc, ca, student):
    """Enable, user and mapping and CA each check a privilege; the session behind them is read one time."""
    with _admin(mock_bmc) as admin:
        before = len(admin.exchanges)
        ilo.setup_certificate_login(admin, ca=ca, username="student", cert=student.cert, password="Student1!")
        assert _session_reads(admin, before) == 1
        facts = accounts.facts_for(admin)
        assert facts is not None and not facts.holding and facts.privileges is None
        before = len(admin.exchanges)
        ilo.caller_privileges(admin)
        ilo.caller_privileges(admin)
        assert _session_reads(admin, before) == 2  # outside a multi-step helper: fresh every time


def test_remembered_privileges_nest_and_forget(mock_bmc):
    with _admin(mock_bmc) as admin:
        facts = accounts.facts_for(admin)
        assert facts is accounts.facts_for(admin) and repr(facts) == "<IloFacts idle>"
        with ilo.remembered_privileges(admin):
            held = facts.privileges
            assert facts.holding and held and held["iLOConfigPriv"]
            before = len(admin.exchanges)
            with ilo.remembered_privileges(admin):
                assert ilo.caller_privileges(admin) is held
            assert facts.holding and _session_reads(admin, before) == 0
        assert not facts.holding and facts.privileges is None


def test_facts_belong_to_one_client_and_go_with_it(mock_bmc):
    with (
        _admin(mock_bmc) as admin,
        redfishnb.connect(mock_bmc.url, "operator", "operator", verify=mock_bmc.ca_file) as op,
        ilo.remembered_privileges(admin),
    ):
        assert not accounts.facts_for(op).holding
        assert ilo.caller_privileges(op)["UserConfigPriv"] is False
    count = len(accounts._FACTS)
    del admin, op
    gc.collect()
    assert len(accounts._FACTS) <= count - 2


def test_a_client_a_weak_mapping_cannot_key_gets_nothing_cached():
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

    assert accounts.facts_for(Unhashable()) is None
    assert accounts.facts_for(object()) is None  # no weak references
    with ilo.remembered_privileges(object()):
        pass
