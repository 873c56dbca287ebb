"""SessionTable against the mock: own session highlighted, disconnect with confirmation, privileges, auto-refresh."""

from __future__ import annotations

import time
from typing import Any

from widget_helpers import log_in

import redfishnb
from redfishnb.widgets import LoginPanel, SessionTable


def _uri_of(table: SessionTable, username: str) -> str:
    frame = table.frame
    return str(frame.loc[frame["UserName"] == username, "URI"].iloc[0])


def test_table_follows_the_login_panel(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    table = SessionTable(panel, limit=8)
    assert "Not logged in" in table._table.value and table.frame is None

    log_in(panel, "admin", "password")
    assert "rfnb-my-session" in table._table.value
    assert table._table.value.count("rfnb-my-session") == len(
        table.frame.columns.intersection(
            [
                "UserName",
                "Role",
                "UserIP",
                "UserTag",
                "UserType",
                "LoginTime",
                "AccessTime",
                "Idle",
                "UserExpires",
                "MySession",
                "Id",
            ]
        )
    )
    assert "1 of 8 sessions in use" in table._usage.value
    assert repr(table) == "SessionTable(1 sessions, 1 yours, limit 8)"

    panel.logout()
    assert "rfnb-my-session" not in table._table.value and table.frame is None
    assert mock_bmc.session_count == 0


def test_disconnect_needs_confirmation_and_deletes_the_session(
    admin_panel: LoginPanel, mock_bmc: Any
) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    table = SessionTable(admin_panel)
    assert sorted(table.frame["UserName"]) == ["admin", "student"]
    student = _uri_of(table, "student")
    assert table._select.value == student  # someone else's session is preselected, never silently ours
    assert [label.endswith("— you") for label, _ in table._select.options].count(True) == 1

    table._select.value = student
    table._disconnect_button.click()
    assert table._confirm_box.layout.display == "flex"
    assert "student" in table._question.value and mock_bmc.session_count == 2

    table._cancel_button.click()
    assert table._confirm_box.layout.display == "none" and mock_bmc.session_count == 2

    table._select.value = student
    table._disconnect_button.click()
    table._confirm_button.click()
    assert [s["username"] for s in mock_bmc.sessions()] == ["admin"]
    assert "Disconnected the session of student" in table.status_text
    assert list(table.frame["UserName"]) == ["admin"]


def test_operator_cannot_disconnect_others_and_is_told_why(mock_bmc: Any) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    with redfishnb.connect(mock_bmc.url, "operator", "operator", verify=mock_bmc.ca_file) as client:
        table = SessionTable(client)
        if table.frame is None:  # the BMC refused the listing itself: that must be explained too
            assert "UserConfigPriv" in table.status_text
        else:
            table.ask_disconnect(_uri_of(table, "student"))
            assert table.confirm_disconnect() is False
            assert "UserConfigPriv" in table.status_text and "Traceback" not in table.status_text
        assert mock_bmc.session_count == 2
    mock_bmc.clear_sessions()


def test_disconnecting_your_own_session_logs_the_panel_out(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    table = SessionTable(admin_panel)
    mine = _uri_of(table, "admin")
    table.ask_disconnect(mine)
    assert "your own session" in table._question.value
    assert table.confirm_disconnect() is True
    assert admin_panel.state == "disconnected" and admin_panel.client is None
    assert mock_bmc.session_count == 0
    assert "Not logged in" in table._table.value


def test_expired_sessions_disappear_on_refresh(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    table = SessionTable(admin_panel)
    assert len(table.frame) == 2
    mock_bmc.advance_clock(25 * 60)
    admin_panel.client.get("/redfish/v1/SessionService/")  # an authenticated request keeps ours alive
    mock_bmc.advance_clock(10 * 60)  # the student's 30-minute idle timeout has now passed
    table._refresh_button.click()
    assert list(table.frame["UserName"]) == ["admin"]


def test_auto_refresh_runs_in_a_thread_and_stops_cleanly(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    table = SessionTable(admin_panel)
    table.interval = 0.05
    table._auto.value = True
    assert table.auto_refreshing
    mock_bmc.create_session("student", user_tag="Web UI")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "student" not in set(table.frame["UserName"]):
        time.sleep(0.02)
    assert "student" in set(table.frame["UserName"])
    table._auto.value = False
    assert not table.auto_refreshing
    threads = [t for t in __import__("threading").enumerate() if t.name == "rfnb-sessions-auto-refresh"]
    assert threads == []
    mock_bmc.clear_sessions()
    admin_panel.client = None  # the session is gone on the BMC; the fixture's logout must not fail the test


def test_close_stops_auto_refresh(admin_panel: LoginPanel) -> None:
    table = SessionTable(admin_panel, auto_refresh=True, interval=60)
    assert table.auto_refreshing
    table.close()
    assert not table.auto_refreshing


def test_own_session_timed_out_is_explained(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    table = SessionTable(admin_panel)
    mock_bmc.advance_clock(31 * 60)  # past the 30-minute idle timeout: the BMC deleted our session
    assert table.refresh() is False
    assert "Log in again" in table.status_text and "Traceback" not in table.status_text
    assert mock_bmc.session_count == 0
