"""ExchangeLog against the mock: redacted request/response/cURL, live updates, no secrets."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from widget_helpers import log_in

from redfishnb.widgets import ExchangeLog, LoginPanel
from redfishnb.widgets.exchange_log import mask_headers, render_exchange


def test_log_shows_the_login_exchange_redacted(mock_bmc: Any) -> None:
    secret = "Tr41ning-Pw!"
    mock_bmc.add_account("trainee", secret, role="Operator")
    panel = LoginPanel(mock_bmc)
    log = ExchangeLog(panel, last=5)
    assert "No exchanges yet" in log._html.value

    log_in(panel, "trainee", secret)
    token = panel.client._auth.token
    html = log._html.value
    assert "POST /redfish/v1/SessionService/Sessions" in html and "201" in html
    assert "curl" in html and "X-Auth-Token" in html
    assert "&lt;details" not in html and "<details" in html  # collapsible, not escaped markup
    bundle = json.dumps(log._repr_mimebundle_(), default=str)
    for text in (html, bundle, repr(log)):
        assert secret not in text and token not in text
    assert '\\"Password\\": \\"***\\"' in json.dumps(html) or "***" in html

    before = log._html.value.count("rfnb-exchange-item")
    panel.client.get("/redfish/v1/Systems/")
    assert log._html.value.count("rfnb-exchange-item") == min(before + 1, 5)  # it followed by itself
    assert "GET /redfish/v1/Systems/" in log._html.value
    assert repr(log).startswith("ExchangeLog(") and "0x" not in repr(log)

    panel.logout()
    assert "No exchanges yet" in log._html.value  # logged out: no client to show


def test_last_n_and_clear(admin_panel: LoginPanel) -> None:
    for _ in range(6):
        admin_panel.client.get("/redfish/v1/")
    log = ExchangeLog(admin_panel, last=3)
    assert len(log.items()) == 3 and log._html.value.count("rfnb-exchange-item") == 3
    assert "(last 3)" in log._count.value
    log._clear_button.click()
    assert len(admin_panel.client.exchanges) == 0 and "No exchanges yet" in log._html.value


def test_render_exchange_redacts_a_leaky_record() -> None:
    class Leaky:
        ok = True

        def summary(self) -> str:
            return "GET /redfish/v1/ -> 200 OK"

        def _repr_html_(self) -> str:
            return '<pre>X-Auth-Token: 0123456789abcdef0123456789abcdef\n{"Password": "hunter2"}</pre>'

    html = render_exchange(Leaky())
    assert "0123456789abcdef0123456789abcdef" not in html and "0123…" in html
    assert "hunter2" not in html


def test_every_response_header_is_shown_and_only_secrets_are_masked(admin_panel: LoginPanel) -> None:
    token = admin_panel.client._auth.token
    admin_panel.client.get("/redfish/v1/")
    log = ExchangeLog(admin_panel, last=5)
    html = log._html.value
    login = next(e for e in admin_panel.client.exchanges if e.method == "POST")
    root = admin_panel.client.exchanges[-1]
    for name in ("Location", "Date", "ETag", "Link"):
        exchange = login if name == "Location" else root
        value = exchange.response_headers[name]
        assert value != "…" and f"{name}: {escape(value)}" in html  # verbatim
    assert f"X-Auth-Token: {token[:4]}…" in html and token not in html
    assert "rfnb-exchange-summary" in html and "rfnb-exchange-part" in html


def test_mask_headers_masks_credentials_and_nothing_else() -> None:
    text = mask_headers(
        {
            "X-Auth-Token": "0123456789abcdef0123456789abcdef",
            "Authorization": "Basic YWRtaW46cGFzc3dvcmQ=",
            "Cookie": "sessionKey=0123456789abcdef",
            "Set-Cookie": "sessionKey=0123456789abcdef; Path=/; Secure",
            "ETag": 'W/"E6539146"',
            "Location": "/redfish/v1/SessionService/Sessions/admin0001/",
        }
    )
    assert "X-Auth-Token: 0123…" in text and "0123456789abcdef0123" not in text
    assert "Authorization: Basic ***" in text and "YWRtaW46" not in text
    assert "Cookie: sessionKey=***" in text and "Path=/; Secure" in text
    assert "0123456789abcdef" not in text
    assert 'ETag: W/"E6539146"' in text and "Location: /redfish/v1/SessionService/Sessions/admin0001/" in text
