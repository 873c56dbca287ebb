"""Faults real BMCs produce, met by the client against the mock (its switches: redfishnb.mock.faults).

Each test sets one fault on a live mock and checks what the client does: a login without Location, a BMC reset
behind the client's back, a logout of a session already gone, a connection reset mid-answer, a BMC that stops
answering, and a call's overall deadline. The ``mock_bmc`` fixture also proves no session is left behind.
"""

from __future__ import annotations

import time

import pytest

from redfishnb import connect
from redfishnb.errors import (
    BMCUnreachable,
    DeadlineExceeded,
    MethodNotAllowed,
    NoValidSession,
    TransportError,
)

RETRY_NOTE = "sent again: the connection was reset before the answer"


def login(bmc, **kwargs):
    return connect(bmc.url, "admin", "password", verify=bmc.ca_file, **kwargs)


# -- 1. login answered without a Location header ---------------------------------------------------------------


def test_a_login_without_location_takes_the_session_uri_from_the_body(mock_bmc):
    mock_bmc.faults.omit_location = True
    with login(mock_bmc) as client:
        assert client.exchanges[-1].response_headers.get("Location") is None
        (session,) = mock_bmc.sessions()
        assert client.session_uri.rstrip("/") == session["uri"].rstrip("/")  # the body's @odata.id
        assert client.my_session().json["Id"] == session["id"]
    assert client.exchanges[-1].method == "DELETE" and client.exchanges[-1].status == 200


# -- 2. a BMC reset behind the client's back --------------------------------------------------------------------


def test_after_a_bmc_reset_reauth_logs_in_again(mock_bmc):
    with login(mock_bmc, reauth=True) as client:
        before = client.session_uri
        mock_bmc.reset(down_seconds=0.2)  # every session ends, every connection drops
        assert client.get("/redfish/v1/Systems/").ok
        assert client.session_uri != before and mock_bmc.session_count == 1
        notes = [e.note for e in client.exchanges if e.note]
        assert notes == ["re-login after NoValidSession (reauth=True)", "retried after re-login"]


def test_after_a_bmc_reset_without_reauth_the_session_is_gone(mock_bmc):
    client = login(mock_bmc)
    mock_bmc.reset(down_seconds=0.2)
    with pytest.raises(NoValidSession, match="reauth=True"):
        client.get("/redfish/v1/Systems/")
    client.close()  # its logout meets the 401 of a session that no longer exists: not an error


# -- 3. logout of a session already gone -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 404])
def test_a_logout_answered_401_or_404_counts_as_logged_out(mock_bmc, status):
    mock_bmc.faults.gone_logout_status = None if status == 401 else 404
    client = login(mock_bmc)
    mock_bmc.clear_sessions()  # an administrator deleted it, or it expired
    assert client.logout() is False
    assert client.exchanges[-1].method == "DELETE" and client.exchanges[-1].status == status
    client.close()
    assert client.closed and client.session_uri is None


# -- 4. a connection reset while the answer is on its way --------------------------------------------------------


def test_a_get_cut_off_by_a_reset_is_sent_once_more(mock_bmc):
    with login(mock_bmc) as client:
        mock_bmc.faults.reset_next_answers = 1
        assert client.get("/redfish/v1/Systems/").json["@odata.id"].startswith("/redfish/v1/Systems")
        cut, again = client.exchanges.last(2)
        assert cut.status is None and cut.error and again.status == 200 and again.note == RETRY_NOTE


def test_a_get_cut_off_twice_is_a_typed_error(mock_bmc):
    with login(mock_bmc) as client:
        mock_bmc.faults.reset_next_answers = 2
        served = mock_bmc.request_count
        with pytest.raises(TransportError, match="was sent twice") as info:
            client.get("/redfish/v1/Systems/")
        assert type(info.value) is TransportError and "Retry in a moment" in info.value.hint
        assert mock_bmc.request_count - served == 2  # one retry, not more


def test_a_post_cut_off_is_not_sent_again(mock_bmc):
    """A POST may have acted before its answer was lost: sending it again could act twice."""
    with login(mock_bmc) as client:
        mock_bmc.faults.reset_next_answers = 1
        served = mock_bmc.request_count
        with pytest.raises(TransportError):
            client.post("/redfish/v1/Systems/", json={})
        assert mock_bmc.request_count - served == 1
        with pytest.raises(MethodNotAllowed):  # the connection that follows is a fresh one
            client.post("/redfish/v1/Systems/", json={})


# -- 5. a BMC that stops answering -------------------------------------------------------------------------------


def test_a_bmc_that_never_answers_is_a_timeout_not_a_hang(mock_bmc):
    with login(mock_bmc, timeout=0.5) as client:
        mock_bmc.faults.stall = True
        started = time.monotonic()
        with pytest.raises(BMCUnreachable, match="within the 0.5 s timeout") as info:
            client.get("/redfish/v1/Systems/")
        assert time.monotonic() - started < 2.5 and info.value.timeout == 0.5
        mock_bmc.faults.stall = False  # so that the logout is answered


# -- 6. a per-call overall deadline ------------------------------------------------------------------------------


def test_a_call_deadline_ends_the_wait_before_the_timeout(mock_bmc):
    with login(mock_bmc, timeout=10) as client:
        mock_bmc.faults.stall = True
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="within its deadline of 0.6 s") as info:
            client.get("/redfish/v1/Systems/", deadline=0.6)
        assert 0.5 < time.monotonic() - started < 2.5 and info.value.deadline == 0.6
        assert "/redfish/v1/Systems/" in str(info.value) and "deadline=" in info.value.hint
        mock_bmc.faults.stall = False


def test_the_deadline_covers_the_retry_after_a_reset(mock_bmc):
    with login(mock_bmc, timeout=10) as client:
        mock_bmc.latency_ms = 800  # each attempt takes 0.8 s: the retry would end at 1.6 s
        mock_bmc.faults.reset_next_answers = 1
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            client.get("/redfish/v1/Systems/", deadline=1.2)
        assert time.monotonic() - started < 3
        assert client.exchanges[-1].note == RETRY_NOTE  # the retry was sent, with what was left
        mock_bmc.latency_ms = 0


def test_the_deadline_covers_the_retry_after_a_re_login(mock_bmc):
    with login(mock_bmc, timeout=10, reauth=True) as client:
        mock_bmc.advance_clock(1801)  # the session expired
        mock_bmc.latency_ms = 400  # GET 401, login, GET again: 1.2 s
        with pytest.raises(DeadlineExceeded):
            client.get("/redfish/v1/Systems/", deadline=0.9)
        # the re-login, once sent, got its answer: its session is the client's, and is logged out at close
        assert client.session_uri and mock_bmc.session_count == 1
        mock_bmc.latency_ms = 0


def test_a_client_wide_deadline_applies_to_every_call_unless_one_gives_its_own(mock_bmc):
    with login(mock_bmc, timeout=10, deadline=0.5) as client:
        assert client.get("/redfish/v1/Systems/").ok  # a quick answer is not affected
        mock_bmc.latency_ms = 700
        with pytest.raises(DeadlineExceeded, match="deadline of 0.5 s"):
            client.get("/redfish/v1/Systems/")
        assert client.get("/redfish/v1/Systems/", deadline=5).ok
        mock_bmc.latency_ms = 0
