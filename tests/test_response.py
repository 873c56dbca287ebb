"""Response: one way from an error answer to its typed error, whether request() raises it or the caller does."""

from __future__ import annotations

import pytest

from redfishnb.client import connect
from redfishnb.errors import InvalidCredentials, NoValidSession


def _both_ways(client, path):
    """The error request() raises and the one raise_for_error() raises for the same answer."""
    with pytest.raises(Exception) as raised:
        client.get(path)
    with pytest.raises(Exception) as later:
        client.get(path, check=False).raise_for_error()
    return raised.value, later.value


def test_raise_for_error_words_a_basic_refusal_as_request_does(mock_bmc):
    mock_bmc.add_account("temp", "Temp-pass-1", role="Operator")
    with connect(mock_bmc.url, "temp", "Temp-pass-1", auth="basic", verify=mock_bmc.ca_file) as client:
        mock_bmc.remove_account("temp")
        raised, later = _both_ways(client, "Systems/")
    assert type(raised) is type(later) is InvalidCredentials
    assert (
        raised.message
        == later.message
        == ("GET /redfish/v1/Systems/ with Basic authentication as 'temp' was refused (HTTP 401).")
    )
    assert raised.hint == later.hint and "Temp-pass-1" not in later.friendly


def test_raise_for_error_words_a_client_without_credentials_as_request_does(mock_bmc):
    with connect(mock_bmc.url, auth="none", verify=mock_bmc.ca_file) as client:
        raised, later = _both_ways(client, "Systems/")
    assert type(raised) is type(later) is NoValidSession
    assert raised.hint == later.hint and later.hint.startswith("This client is not logged in")


def test_a_session_clients_401_keeps_the_tables_hint(mock_bmc):
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        mock_bmc.clear_sessions()
        raised, later = _both_ways(client, "Systems/")
    assert type(later) is NoValidSession and raised.hint == later.hint and "reauth=True" in later.hint
    assert repr(client.exchanges[-1]) and client.session_uri is None, "the logout found the session gone"
