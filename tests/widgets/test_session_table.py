"""SessionTable against the mock: own session highlighted, disconnect with confirmation, privileges, auto-refresh."""

from __future__ import annotations

import re
import time
from typing import Any

from widget_helpers import log_in

import redfishnb
from redfishnb.widgets import LoginPanel, SessionTable
from redfishnb.widgets._session_rows import SELECTED_CLASS, WIDTHS
from redfishnb.widgets._styles import MY_SESSION_CLASS, SESSION_COMPACT


def _uri_of(table: SessionTable, username: str) -> str:
    frame = table.frame
    return str(frame.loc[frame["UserName"] == username, "URI"].iloc[0])


def _rows(table: SessionTable) -> list[list[str]]:
    """What the rows show, cell by cell (the button texts)."""
    return [[cell.description for cell in row.cells] for row in table._grid.rows]


def _row_of(table: SessionTable, username: str) -> Any:
    return next(row for row in table._grid.rows if row.cells[1].description == username)


def _selected_rows(table: SessionTable) -> list[str]:
    return [r.cells[1].description for r in table._grid.rows if SELECTED_CLASS in r.box._dom_classes]


def test_table_follows_the_login_panel(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    table = SessionTable(panel, limit=8)
    assert "Not logged in" in table._empty.value and table.frame is None and table._grid.rows == []

    log_in(panel, "admin", "password")
    assert _rows(table) == [["● you", "admin", "Administrator", "REST", "127.0.0.1", "0:00:00"]]
    assert table._grid.rows[0].box._dom_classes == ("rfnb-session-row", MY_SESSION_CLASS)
    assert "1 of 8 sessions in use" in table._usage.value
    assert repr(table) == "SessionTable(1 sessions, 1 yours, limit 8)"

    panel.logout()
    assert table._grid.rows == [] and table.frame is None and "Not logged in" in table._empty.value
    assert mock_bmc.session_count == 0


def test_compact_columns_by_default_and_all_columns_in_a_scroll_box(admin_panel: LoginPanel) -> None:
    table = SessionTable(admin_panel)
    heads = [re.sub(r"<[^>]+>", "", h.value) for h in table._grid._head.children]
    assert heads == ["You", "User", "Role", "Client", "From IP", "Idle"]
    assert sum(WIDTHS[c] for c in SESSION_COMPACT) <= 900  # fits a 1280 px wide JupyterLab cell
    assert "rfnb-session-scroll" in table._grid._dom_classes and table._grid.layout.overflow == "auto hidden"
    assert table._all.description == "All columns" and "rfnb-sessions-all-columns" in table._all._dom_classes

    table._all.value = True
    heads = [re.sub(r"<[^>]+>", "", h.value) for h in table._grid._head.children]
    assert heads[-5:] == ["Logged in", "Last access", "Expires", "Type", "Id"]
    assert _rows(table)[0][-1] == str(table.frame["Id"].iloc[0])
    assert sum(WIDTHS[c] for c in table.columns) > 900  # hence the horizontal scrollbar
    table._all.value = False
    assert len(_rows(table)[0]) == len(SESSION_COMPACT)


def test_every_visible_user_has_a_role(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    mock_bmc.create_session("operator", user_tag="REST")
    table = SessionTable(admin_panel)
    roles = dict(zip(table.frame["UserName"], table.frame["Role"], strict=True))
    assert roles == {"admin": "Administrator", "student": "ReadOnly", "operator": "Operator"}
    assert _row_of(table, "student").cells[2].description == "ReadOnly"
    mock_bmc.clear_sessions()
    admin_panel.client = None  # our session went with the others


def test_clicking_a_row_selects_it_and_arms_disconnect(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    table = SessionTable(admin_panel)
    assert table._disconnect_button.disabled  # only our own session: nothing to disconnect
    mock_bmc.create_session("student", user_tag="Web UI")
    table._refresh_button.click()
    assert table.selected is None and table._disconnect_button.disabled and _selected_rows(table) == []

    _row_of(table, "student").cells[3].click()  # any cell of the row
    assert table.selected == _uri_of(table, "student")
    assert _selected_rows(table) == ["student"] and not table._disconnect_button.disabled
    assert "Selected: student" in table._selection.value

    _row_of(table, "admin").cells[0].click()
    assert _selected_rows(table) == ["admin"] and table._disconnect_button.disabled
    assert "your own session" in table._selection.value
    table._disconnect_button.click()  # disabled: nothing happens
    assert table._confirm_box.layout.display == "none" and mock_bmc.session_count == 2

    _row_of(table, "student").cells[1].click()
    table.refresh()
    assert _selected_rows(table) == ["student"]  # the selection survives a refresh
    mock_bmc.clear_sessions()
    admin_panel.client = None


def test_disconnect_needs_confirmation_and_deletes_the_session(
    admin_panel: LoginPanel, mock_bmc: Any
) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    table = SessionTable(admin_panel)
    assert sorted(table.frame["UserName"]) == ["admin", "student"]
    _row_of(table, "student").cells[1].click()
    table._disconnect_button.click()
    assert table._confirm_box.layout.display == "flex"
    assert "student" in table._question.value and mock_bmc.session_count == 2

    table._cancel_button.click()
    assert table._confirm_box.layout.display == "none" and mock_bmc.session_count == 2

    table._disconnect_button.click()
    table._confirm_button.click()
    assert [s["username"] for s in mock_bmc.sessions()] == ["admin"]
    assert "Disconnected the session of student" in table.status_text
    assert list(table.frame["UserName"]) == ["admin"]
    assert table.selected is None and table._disconnect_button.disabled


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
    table.ask_disconnect(mine)  # scripts may; the button stays disabled for your own row
    assert "your own session" in table._question.value
    assert table.confirm_disconnect() is True
    assert admin_panel.state == "disconnected" and admin_panel.client is None
    assert mock_bmc.session_count == 0
    assert "Not logged in" in table._empty.value and table._grid.rows == []


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


def test_a_reused_row_never_keeps_the_you_marker_of_its_previous_session() -> None:
    # The browser redraws a Button only for a non-empty description: an emptied "● you" cell would stay "● you".
    import pandas as pd

    from redfishnb.widgets._session_rows import SessionGrid

    grid = SessionGrid(on_select=lambda _uri: None)
    columns = ("MySession", "UserName")
    mine = pd.DataFrame(
        {"URI": ["/s/1", "/s/2"], "MySession": [True, False], "UserName": ["admin", "student"]}
    )
    grid.show(mine, columns, selected=None)
    assert [[c.description for c in r.cells] for r in grid.rows] == [
        ["● you", "admin"],
        ["\u00a0", "student"],
    ]
    assert MY_SESSION_CLASS in grid.rows[0].box._dom_classes
    others = pd.DataFrame({"URI": ["/s/2"], "MySession": [False], "UserName": ["student"]})
    grid.show(others, columns, selected=None)  # the first row's widgets now show another session
    assert [c.description for c in grid.rows[0].cells] == ["\u00a0", "student"]
    assert MY_SESSION_CLASS not in grid.rows[0].box._dom_classes
    grid.close()


def test_a_user_with_no_local_account_does_not_re_read_the_accounts_every_refresh(
    mock_bmc: Any, monkeypatch: Any
) -> None:
    from redfishnb.widgets import session_table

    reads: list[int] = []
    real = session_table.read_accounts

    def without_student(
        client: Any,
    ) -> Any:  # as for a directory user: the session's user has no local account
        reads.append(1)
        return [account for account in real(client) if account.username != "student"]

    monkeypatch.setattr(session_table, "read_accounts", without_student)
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        mock_bmc.create_session("student", user_tag="Web UI")
        table = SessionTable(client)
        assert (
            len(reads) == 1 and _row_of(table, "student").cells[2].description == "—"
        )  # unknown, not guessed
        table.refresh()
        table.refresh()
        assert len(reads) == 1  # the accounts were read for student once; not again on every refresh
        mock_bmc.create_session("operator")
        table.refresh()
        assert len(reads) == 2  # a user not seen before: read again
        mock_bmc.clear_sessions()
