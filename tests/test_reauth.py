"""reauth=True: a 401 makes the auth object log in again once and the request is sent once more, never in a loop.

Against the mock BMC, which deletes sessions the way a BMC does (an administrator, an idle timeout, a reset):
the client must notice on its next request, and the finalizer must log out whichever session it holds last.
"""

from __future__ import annotations

import gc

import pytest

from redfishnb.client import connect
from redfishnb.errors import InvalidCredentials, NoValidSession

SYSTEMS = "/redfish/v1/Systems/"


def login(bmc, **kwargs):
    return connect(bmc.url, "admin", "password", verify=bmc.ca_file, **kwargs)


def _sent(client, method, path=None):
    return [e for e in client.exchanges if e.method == method and (path is None or e.url.endswith(path))]


def test_a_session_deleted_behind_the_clients_back_is_replaced_once(mock_bmc):
    with login(mock_bmc, reauth=True) as client:
        first = client.session_uri
        assert mock_bmc.clear_sessions() == 1  # an administrator deleted it
        assert client.get(SYSTEMS).ok
        assert client.session_uri != first and mock_bmc.session_count == 1
        relogin = _sent(client, "POST")[-1]
        assert relogin.note == "re-login after NoValidSession (reauth=True)"
        assert relogin.request_json == {"UserName": "admin", "Password": "***"}, "in the log, redacted"
        assert [e.status for e in _sent(client, "GET", SYSTEMS)] == [401, 200]
        assert _sent(client, "GET", SYSTEMS)[-1].note == "retried after re-login"
        assert len(_sent(client, "POST")) == 2, "one login, one re-login"
    assert mock_bmc.session_count == 0


def test_a_401_on_the_retry_raises_no_valid_session_without_a_second_re_login(mock_bmc, monkeypatch):
    client = login(mock_bmc, reauth=True)
    real_refresh = client._auth.refresh

    def refresh_then_lose_it(wire):  # the new session is deleted again before the retry arrives
        real_refresh(wire)
        mock_bmc.clear_sessions()

    monkeypatch.setattr(client._auth, "refresh", refresh_then_lose_it)
    mock_bmc.clear_sessions()
    with client, pytest.raises(NoValidSession, match="reauth=True"):
        client.get(SYSTEMS)
    assert [e.status for e in _sent(client, "GET", SYSTEMS)] == [401, 401]
    assert len(_sent(client, "POST")) == 2, "exactly one re-login"


def test_without_reauth_a_deleted_session_is_no_valid_session_and_no_login_is_sent(mock_bmc):
    with login(mock_bmc) as client:
        mock_bmc.clear_sessions()
        with pytest.raises(NoValidSession):
            client.get(SYSTEMS)
        assert len(_sent(client, "POST")) == 1 and not client.reauth


def test_a_re_login_the_bmc_refuses_raises_its_error(mock_bmc):
    mock_bmc.add_account("temp", "Temp-pass-1", role="Operator")
    with connect(mock_bmc.url, "temp", "Temp-pass-1", verify=mock_bmc.ca_file, reauth=True) as client:
        mock_bmc.clear_sessions()
        mock_bmc.remove_account("temp")
        with pytest.raises(InvalidCredentials):
            client.get(SYSTEMS)
        assert not client.session_uri and mock_bmc.session_count == 0


def test_basic_and_attached_clients_never_re_login(mock_bmc):
    with connect(
        mock_bmc.url, "admin", "password", auth="basic", verify=mock_bmc.ca_file, reauth=True
    ) as basic:
        assert not basic.reauth
    token, uri = login(mock_bmc).detach()
    with connect(
        mock_bmc.url, token=token, session_uri=uri, verify=mock_bmc.ca_file, reauth=True
    ) as attached:
        assert not attached.reauth
        mock_bmc.clear_sessions()
        with pytest.raises(NoValidSession):
            attached.get(SYSTEMS)
        assert not _sent(attached, "POST")


def test_the_finalizer_logs_out_the_session_of_the_last_re_login(mock_bmc):
    client = login(mock_bmc, reauth=True)
    mock_bmc.clear_sessions()
    client.get(SYSTEMS)
    assert mock_bmc.session_count == 1
    del client
    gc.collect()
    assert mock_bmc.session_count == 0, "the finalizer holds the auth object, not a copy of the first session"
