"""What every widget puts in a notebook: stable text/plain, static HTML, fixed Styler ids, and no secrets."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from widget_helpers import all_widget_state, log_in

from redfishnb.widgets import (
    ExchangeLog,
    LoginPanel,
    PrivilegeMatrix,
    ResourceBrowser,
    SessionTable,
    session_timeline,
)
from redfishnb.widgets._theme import (
    DISCONNECTED_CLASS,
    RESTART_NOTE,
    RESTART_NOTE_CLASS,
    STATIC_NOTE,
    style_block,
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
    bundle = panel._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "LoginPanel(url='https://bmc.example', user='admin', method='session', tls='ca', state='disconnected')\n"
        f"({STATIC_NOTE})"
    )
    assert "Not logged in" in bundle["text/html"]


def test_static_copies_say_they_are_interactive_after_the_static_view(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    widgets = [panel, SessionTable(panel), PrivilegeMatrix(panel), ExchangeLog(panel), ResourceBrowser(panel)]
    log_in(panel, "admin", "password")
    for widget in widgets:
        bundle = widget._repr_mimebundle_()
        summary = repr(widget)
        assert bundle["text/plain"] == f"{summary}\n({STATIC_NOTE})"
        html = bundle["text/html"]
        assert "run the notebook from the top" in STATIC_NOTE
        assert html.index("rfnb-static") < html.index(STATIC_NOTE)
        assert html.startswith(style_block())  # the shared stylesheet, once, before the view
    panel.logout()


def test_every_top_level_widget_carries_the_restart_note(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    widgets = [panel, SessionTable(panel), PrivilegeMatrix(panel), ExchangeLog(panel), ResourceBrowser(panel)]
    for widget in widgets:
        notes = [c for c in widget.children if RESTART_NOTE_CLASS in getattr(c, "_dom_classes", ())]
        assert len(notes) == 1, type(widget).__name__
        assert RESTART_NOTE in notes[0].value and style_block() in notes[0].value
        assert notes[0].layout.display == "none"  # hidden while the kernel runs, even without the stylesheet
    sheet = style_block()
    # hidden normally; shown when the view (or an ancestor view) is marked disconnected by ipywidgets
    assert ".rfnb-restart-note{display:none !important}" in sheet
    assert ".jupyter-widgets-disconnected .rfnb-restart-note" in sheet
    assert ".rfnb-restart-note.jupyter-widgets-disconnected" in sheet
    assert "display:block !important" in sheet  # beats the inline display:none once the kernel has gone


def test_the_disconnected_class_is_what_the_installed_ipywidgets_uses() -> None:
    """The note relies on a class name inside @jupyter-widgets/jupyterlab-manager: check the installed copy."""
    root = Path(sys.prefix) / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/static"
    if not root.is_dir():
        pytest.skip("the JupyterLab widget manager is not installed in this environment")
    scripts = "".join(p.read_text(errors="replace") for p in root.glob("*.js"))
    assert re.search(r'addClass\("jupyter-widgets-disconnected"\)', scripts)
    assert DISCONNECTED_CLASS == "jupyter-widgets-disconnected"


def test_root_classes_hold_the_controls_browser_tests_look_for(admin_panel: LoginPanel) -> None:
    """``.rfnb-session-table`` and ``.rfnb-privilege-matrix`` are the widgets' roots, not an inner table."""
    table, matrix = SessionTable(admin_panel), PrivilegeMatrix(admin_panel)
    assert {"rfnb-sessions", "rfnb-session-table"} <= set(table._dom_classes)
    assert {"rfnb-privileges", "rfnb-privilege-matrix"} <= set(matrix._dom_classes)

    def descendants(widget: Any) -> list[Any]:
        found = []
        for child in getattr(widget, "children", ()):
            found += [child, *descendants(child)]
        return found

    def classes(widget: Any) -> set[str]:
        return {c for d in descendants(widget) for c in getattr(d, "_dom_classes", ())}

    assert {"rfnb-sessions-refresh", "rfnb-sessions-disconnect", "rfnb-sessions-confirm"} <= classes(table)
    assert {"rfnb-session-row", "rfnb-session-cell", "rfnb-sessions-all-columns"} <= classes(table)
    assert "rfnb-privileges-of" in classes(matrix)
    assert dict(matrix._of.options)["My session"] == "session"
