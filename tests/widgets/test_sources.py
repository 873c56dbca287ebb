"""Sources that come and go: a lab target that logs in (again), a client a later cell closed, a panel logged out."""

from __future__ import annotations

from typing import Any

from widget_helpers import log_in

import redfishnb
from redfishnb.lab import LabSetupError, Target
from redfishnb.widgets import ExchangeLog, LoginPanel, PrivilegeMatrix, ResourceBrowser, SessionTable
from redfishnb.widgets._common import PANEL_LOGGED_OUT, PLAIN_CLOSED, status_text


def _target(mock_bmc: Any) -> Target:
    """The notebooks' ``bmc``: the lab target of an embedded mock (never closed here: that would stop the mock)."""
    return Target(mock_bmc.url, "admin", mock_bmc.ca_file, mock=mock_bmc)


def _status(widget: Any) -> str:
    return status_text(widget._status.value)


def test_a_target_source_logs_in_and_logs_in_again_after_a_logout(mock_bmc: Any) -> None:
    table = SessionTable(_target(mock_bmc))
    assert list(table.frame["UserName"]) == ["admin"] and mock_bmc.session_count == 1
    assert _status(table) == ""  # the first log-in is not news

    table.controller.source.current.close()  # the notebook's last cell logs out everything it opened
    assert mock_bmc.session_count == 0
    assert table.refresh() is True
    assert _status(table) == "Logged in again as admin (the previous session had been logged out)."
    assert mock_bmc.session_count == 1
    table.refresh()
    assert _status(table) == ""  # said once

    table.close()  # the widget's own session goes with it
    assert mock_bmc.session_count == 0


def test_every_widget_works_on_a_target(mock_bmc: Any) -> None:
    bmc = _target(mock_bmc)
    matrix = PrivilegeMatrix(bmc, of="session")
    browser = ResourceBrowser(bmc)
    log = ExchangeLog(bmc)
    assert matrix.frame.index.tolist() == [("Administrator", "admin")]
    assert browser.view is not None and browser.view.status == 200 and browser._links.children
    assert any(e.method == "POST" for e in log.items())  # the shared client's log-in
    assert mock_bmc.session_count == 1  # one client for the three widgets: one session slot

    matrix.source.current.close()
    matrix._refresh_button.click()
    assert "Logged in again as admin" in _status(matrix) and matrix.frame is not None
    log.source.current.close()
    log._refresh_button.click()
    assert "Logged in again as admin" in _status(log)
    assert log.source.current is not None and log._followed is log.source.current  # the new client's log
    assert log.source.current is matrix.source.current  # the client the matrix logged in again with
    assert any(e.method == "POST" for e in log.items())

    for widget in (matrix, browser, log):
        widget.close()
    assert mock_bmc.session_count == 0


class _StoppedMock:
    """A target whose embedded mock was stopped: ``connect()`` raises the lab's typed error."""

    def connect(self) -> Any:
        raise LabSetupError(
            "The embedded mock BMC of this notebook has been stopped.",
            hint="Run the notebook from the top (Run ▸ Run All Cells).",
        )


def test_a_failing_target_is_one_line_of_its_friendly_text() -> None:
    expected = (
        "The embedded mock BMC of this notebook has been stopped. "
        "What to do: Run the notebook from the top (Run ▸ Run All Cells)."
    )
    for widget in (
        SessionTable(_StoppedMock()),
        PrivilegeMatrix(_StoppedMock(), of="session"),
        ResourceBrowser(_StoppedMock()),
        ExchangeLog(_StoppedMock()),
    ):
        assert _status(widget) == expected, type(widget).__name__


def test_a_closed_client_is_explained_by_every_widget(mock_bmc: Any) -> None:
    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    client.close()
    for widget in (
        SessionTable(client),
        PrivilegeMatrix(client),
        PrivilegeMatrix(client, of="session"),
        ResourceBrowser(client),
    ):
        assert _status(widget) == PLAIN_CLOSED, type(widget).__name__
    assert "\n" not in PLAIN_CLOSED


def test_a_closed_clients_log_is_history_not_an_error(mock_bmc: Any) -> None:
    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    client.close()
    log = ExchangeLog(client)
    assert "rfnb-status-error" not in log._status.value
    assert "has logged out" in _status(log)
    assert [e.method for e in log.items()][-1] == "DELETE"  # the logout is the last entry shown


def test_a_logged_out_panel_asks_to_log_in(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    table, browser = SessionTable(panel), ResourceBrowser(panel)
    assert table.refresh() is False and _status(table) == PANEL_LOGGED_OUT
    assert _status(browser) == PANEL_LOGGED_OUT
    log_in(panel, "admin", "password")
    assert table.frame is not None and browser.view is not None and _status(table) == ""
    panel.logout()


def test_the_browser_does_not_show_a_dead_clients_page_as_live(mock_bmc: Any) -> None:
    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    browser = ResourceBrowser(client)
    assert browser._links.children and "ServiceRoot" in browser._detail.value
    client.close()  # a later cell
    assert "logged out since: not live" in repr(browser)
    assert "not live" in browser._repr_mimebundle_()["text/html"]
    browser._links.children[0].click()
    assert browser.view is None and browser._links.children == () and browser._detail.value == ""
    assert _status(browser) == PLAIN_CLOSED


def test_widgets_given_one_target_share_one_session(mock_bmc: Any) -> None:
    bmc = _target(mock_bmc)
    table, matrix, browser = SessionTable(bmc), PrivilegeMatrix(bmc, of="session"), ResourceBrowser(bmc)
    assert mock_bmc.session_count == 1, mock_bmc.sessions()
    assert len(table.frame) == 1 and table.frame["MySession"].all()  # no other widget's session to disconnect
    for widget in (table, matrix, browser):
        widget.close()
    assert mock_bmc.session_count == 0
