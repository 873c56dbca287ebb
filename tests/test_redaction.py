"""One list of secrets, honoured by every door a secret could leave through.

Each secret member name, in the spellings BMCs and people use, is sent in a real request to the mock; its value
must then be absent from the exchange log, its reprs, the cURL rendering, the widget view of the same exchange,
the widget's text masking and an inventory's error message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from redfishnb import connect
from redfishnb.errors import InventoryError, RedfishError
from redfishnb.fleet import load_inventory
from redfishnb.fleet.inventory import _describe
from redfishnb.redaction import (
    REDACTED,
    SECRET_HEADERS,
    SECRET_KEYS,
    is_secret_key,
    norm_key,
    redact,
    redact_headers,
    redact_json,
)
from redfishnb.widgets._common import redact as widget_redact
from redfishnb.widgets.exchange_log import render_exchange

# Every key of the list, as it appears on the wire (iLO, RMC, DMTF) or in an inventory someone wrote.
SPELLINGS = {
    "Password": "password",
    "passwd": "passwd",
    "pass": "pass",
    "OldPassword": "oldpassword",
    "NewPassword": "newpassword",
    "Token": "token",
    "AuthToken": "authtoken",
    "X-Auth-Token": "xauthtoken",
    "access_token": "accesstoken",
    "refresh_token": "refreshtoken",
    "SessionKey": "sessionkey",
    "OTP": "otp",
    "Passcode": "passcode",
    "OneTimePasscode": "onetimepasscode",
    "Secret": "secret",
    "SecretKey": "secretkey",
    "otp_secret": "otpsecret",
    "TotpSecret": "totpsecret",
    "client_secret": "clientsecret",
    "Passphrase": "passphrase",
    "key_password": "keypassword",
    "PrivateKey": "privatekey",
    "api-key": "apikey",
    "LicenseKey": "licensekey",
}


def _value(name: str) -> str:
    return f"S3cr3t-{norm_key(name)}-value"


def test_the_spellings_cover_the_whole_list() -> None:
    assert {norm_key(name) for name in SPELLINGS} == set(SECRET_KEYS)
    assert all(norm_key(name) == key for name, key in SPELLINGS.items())
    assert not any(is_secret_key(k) for k in ("UserName", "Password@Redfish.AllowableValues", "TokenType"))


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_path_masks_every_secret_key(mock_bmc: Any, name: str) -> None:
    secret = _value(name)
    body = {"UserName": "admin", name: secret, "Oem": {"Hpe": {name: secret}}}
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        try:
            client.post("/redfish/v1/AccountService/Accounts/", json=body)
        except RedfishError as exc:  # the mock may refuse the body; the exchange is recorded either way
            assert secret not in str(exc) and secret not in repr(exc)
        exchange = next(e for e in reversed(list(client.exchanges)) if e.method == "POST")
        token = client.token if hasattr(client, "token") else None
        views = {
            "exchange": repr(exchange) + str(exchange) + json.dumps(exchange.request_json),
            "html": exchange._repr_html_(),
            "log": repr(client.exchanges) + client.exchanges._repr_html_(),
            "curl": exchange.to_curl(),
            "widget": render_exchange(exchange),
            "client": repr(client),
        }
        assert exchange.request_json[name] == REDACTED
        assert exchange.request_json["Oem"]["Hpe"][name] == REDACTED
        assert exchange.request_json["UserName"] == "admin"
    for where, text in views.items():
        assert secret not in text, f"{name} leaked through {where}"
        if isinstance(token, str) and len(token) > 8:
            assert token not in text, f"the session token leaked through {where}"
    assert "$" in views["curl"], "the cURL line puts a shell variable where the secret was"


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_text_masking_and_json_redaction_agree(name: str) -> None:
    secret = _value(name)
    body = {name: secret, "Nested": [{name: secret, "Id": "1"}]}
    assert secret not in json.dumps(redact_json(body))
    for text in (json.dumps(body), json.dumps(body, indent=2)):
        assert secret not in redact(text) and secret not in widget_redact(text)
        assert '"Id": "1"' in redact(text)


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_inventory_refuses_and_never_echoes_secret_columns(name: str) -> None:
    secret = _value(name)
    with pytest.raises(InventoryError, match="secrets do not belong") as caught:
        load_inventory([{"url": "https://127.0.0.1", name: secret}])
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    described = _describe({"name": "a", "rack": "r1", name: secret})  # what an inventory error quotes
    assert secret not in described and "rack='r1'" in described


@pytest.mark.parametrize("header", sorted(SECRET_HEADERS))
def test_every_secret_header_is_masked_in_headers_and_text(header: str) -> None:
    secret = "0123456789abcdef0123456789abcdef"
    value = (
        f"Basic {secret}"
        if "authorization" in header
        else (f"sid={secret}" if "cookie" in header else secret)
    )
    masked = redact_headers({header.title(): value, "Accept": "application/json"})
    assert secret not in json.dumps(masked) and masked["Accept"] == "application/json"
    text = f"{header.title()}: {value}\nAccept: application/json"
    assert secret not in redact(text) and "Accept: application/json" in redact(text)


def test_reprs_of_what_holds_a_password_show_none() -> None:
    from redfishnb.fleet.credentials import Credentials
    from redfishnb.widgets.login import LoginForm

    secret = "Tr41ning-Pw!-passphrase"
    holders = [
        Credentials("admin", secret),
        LoginForm(url="https://127.0.0.1", username="admin", password=secret, passphrase=secret, key=b"k"),
    ]
    for holder in holders:
        assert secret not in repr(holder) and secret not in str(holder)
