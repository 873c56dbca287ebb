"""What every widget puts in a notebook: stable text/plain, static HTML, fixed Styler ids, and no secrets."""

from __future__ import annotations

import json
import re
from typing import Any

from widget_helpers import all_widget_state, log_in

from redfishnb.widgets import (
    ExchangeLog,
    LoginPanel,
    PrivilegeMatrix,
    ResourceBrowser,
    SessionTable,
    session_timeline,
)


def _bundles(*objects: Any) -> list[dict[str, Any]]:
    return [obj._repr_mimebundle_() for obj in objects]


def test_every_widget_renders_static_html_and_stable_text(mock_bmc: Any) -> None:
    secret = "Wid9et-Secret!"
    mock_bmc.add_account("trainee", secret, role="Administrator")
    panel = LoginPanel(mock_bmc)
    widgets = [
        panel,
        SessionTable(panel, limit=8),
        PrivilegeMatrix(panel),
        ExchangeLog(panel),
        ResourceBrowser(panel),
    ]
    log_in(panel, "trainee", secret)
    assert panel.state == "connected", panel.status_text
    token = panel.client._auth.token
    timeline = session_timeline(panel)

    bundles = _bundles(*widgets, timeline)
    for bundle in bundles:
        assert bundle["text/html"].strip(), bundle["text/plain"]
        assert not re.search(r" at 0x[0-9a-f]+", bundle["text/plain"])
        assert "<pandas.io.formats.style.Styler" not in bundle["text/plain"]
    # live widgets keep their view; the timeline is static
    assert all("application/vnd.jupyter.widget-view+json" in b for b in bundles[:-1])
    # Styler ids are fixed, never the random five-hex default
    html = "".join(b["text/html"] for b in bundles)
    assert "T_rfnb-sessions" in html and "T_rfnb-privileges" in html
    assert not re.search(r"T_[0-9a-f]{5}_", html)
    # rendering twice gives the same text (what nbval compares)
    assert [b["text/plain"] for b in _bundles(*widgets)] == [b["text/plain"] for b in bundles[:-1]]

    everything = (
        json.dumps(bundles, default=str, ensure_ascii=False)
        + all_widget_state()
        + "".join(repr(w) for w in widgets)
    )
    assert secret not in everything
    assert token not in everything
    assert "PRIVATE KEY" not in everything
    assert token[:4] + "…" in everything  # the hint is what is shown instead
    panel.logout()


def test_text_plain_of_a_logged_out_panel_is_stable() -> None:
    panel = LoginPanel("https://bmc.example", username="admin")
    assert panel._repr_mimebundle_()["text/plain"] == (
        "LoginPanel(url='https://bmc.example', user='admin', method='session', tls='ca', state='disconnected')"
    )
    assert "Not logged in" in panel._repr_mimebundle_()["text/html"]
