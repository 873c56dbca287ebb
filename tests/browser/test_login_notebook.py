"""Notebook 02 in JupyterLab, in a real browser: log in with the LoginPanel, see your session, log out, no leak.

The notebook runs against a mock BMC started by the test session and handed to JupyterLab through the real-BMC
environment variables, so the test can watch the BMC's side directly: no session after "run all", exactly the
panel's session after "Log in", none after "Log out".
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]


def _notebook_02() -> Path:
    found = sorted((ROOT / "notebooks").glob("02-*.ipynb"))
    assert len(found) == 1, f"expected one notebooks/02-*.ipynb, found {[p.name for p in found]}"
    return found[0]


def _wait_for_sessions(bmc, count: int, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while bmc.session_count != count and time.monotonic() < deadline:
        time.sleep(0.1)
    sessions = bmc.sessions()
    assert len(sessions) == count, f"the BMC has {len(sessions)} session(s), expected {count}: {sessions}"
    return sessions


def test_notebook_02_login_panel_logs_in_shows_my_session_and_logs_out(target_bmc, jupyterlab, lab_page):
    source = _notebook_02()
    page, notebook, steps = lab_page
    user, password = jupyterlab.kernel_env["REDFISH_USERNAME"], jupyterlab.kernel_env["REDFISH_PASSWORD"]

    with steps.step(f"open notebooks/{source.name} in JupyterLab"):
        notebook.open(f"notebooks/{source.name}")
    with steps.step("wait for its kernel"):
        notebook.wait_for_kernel()
    with steps.step("run all cells"):
        notebook.run_all(timeout=45)
    steps.screenshot("ran-all")
    with steps.step("after run-all the notebook holds no session on the BMC"):
        _wait_for_sessions(target_bmc, 0, timeout=5)

    panel = page.locator(".rfnb-login").first
    with steps.step("fill the LoginPanel (URL, CA file, user, password)"):
        panel.locator(".rfnb-login-url input").fill(target_bmc.url)
        ca_field = panel.locator(".rfnb-login-ca input")
        if ca_field.count() and ca_field.is_visible():
            ca_field.fill(target_bmc.ca_file)
        panel.locator(".rfnb-login-user input").fill(user)
        panel.locator(".rfnb-login-password input").fill(password)
    with steps.step("click Log in and see the status say who is logged in"):
        panel.locator("button.rfnb-login-button").click()
        expect(panel.locator(".rfnb-login-status")).to_contain_text(f"as {user}")
        expect(panel.locator(".rfnb-login-password input")).to_have_value("")  # the secret left the widget
    with steps.step("the SessionTable shows my own session"):
        mine = page.locator(".rfnb-session-table .rfnb-my-session").first
        expect(mine).to_be_visible()
        (session,) = _wait_for_sessions(target_bmc, 1)
        assert session["username"] == user
        assert user in mine.inner_text(), mine.inner_text()
    with steps.step('"All columns" shows the session\'s Id in my row'):
        page.locator(".rfnb-session-table button.rfnb-sessions-all-columns").click()
        expect(page.locator(".rfnb-session-table .rfnb-my-session").first).to_contain_text(str(session["id"]))
    steps.screenshot("logged-in")
    with steps.step("click Log out: my session leaves the table"):
        panel.locator("button.rfnb-logout-button").click()
        expect(panel.locator(".rfnb-login-status")).to_contain_text("Logged out")
        expect(page.locator(".rfnb-session-table .rfnb-my-session")).to_have_count(0)
    with steps.step("the BMC has no session left"):
        _wait_for_sessions(target_bmc, 0)
    steps.screenshot("logged-out")
