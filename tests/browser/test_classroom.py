"""What a class does first, in a real browser at 1280×720, in JupyterLab's Light and Dark themes.

Every notebook is opened in a JupyterLab whose kernels have no ``REDFISH_*`` variables (so each notebook starts its
own embedded mock, as in a classroom), run with Run All, and then used: the widgets of notebooks 02 and 03 are
clicked through (LoginPanel, SessionTable Refresh / select / Disconnect, three ResourceBrowser links, an ExchangeLog
entry, PrivilegeMatrix "My session"), and each notebook's exercise is answered and checked. After each step:
no error output, no traceback, no error text in the kit's widgets; every text element inside the kit's widgets
has a contrast ratio of at least 4.5:1 against its background; the SessionTable fits its cell or scrolls.
Screenshots of each step go to ``artifacts/browser/``.

Two more checks a class notices: a kernel restart leaves widgets that say "run the notebook from the top" (after
a click on Log in), and opening the committed notebooks with autosave on leaves them byte-for-byte unchanged.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from classroom_helpers import (
    AUTOSAVE_SECONDS,
    THEMES,
    clipped_widgets,
    low_contrast,
    output_problems,
    set_theme,
)
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
# The kit's widgets and styled outputs: what the contrast rule is about (JupyterLab's own chrome is not ours).
KIT_ROOTS = (
    ".rfnb-login, .rfnb-session-table, .rfnb-privilege-matrix, .rfnb-exchanges, .rfnb-browser, "
    ".rfnb-timeline, .rfnb-frame, .rfnb-static, .rfnb-standard-vs-oem"
)
ERROR_TEXT = ".rfnb-status-error, .rfnb-status.rfnb-error, .rfnb-error"
# The right answer to each notebook's exercises, as a student would type them into the answers cell.
ANSWERS = {
    "00-start-here.ipynb": 'answer_1 = "1.13.0"',
    "01-basic-auth.ipynb": 'answer_1 = 401\nanswer_2 = "InvalidCredentials"',
    "02-session-auth.ipynb": 'answer_1 = 404\nanswer_2 = "UserExpires"',
    "03-managing-sessions.ipynb": 'answer_1 = 1\nanswer_2 = "UserConfigPriv"',
    "04-certificate-auth.ipynb": 'answer_1 = "UserConfigPriv"\nanswer_2 = "CertificateNotMapped"',
    "05-runbook-stale-sessions.ipynb": "answer_1 = 3",
    "06-ilo-two-factor.ipynb": 'answer_1 = "OneTimePasscodeSent"',
    "07-the-standard-way.ipynb": 'answer_1 = "Location"\nanswer_2 = "HTTPBasicAuth"\nanswer_3 = "ClientOriginIPAddress"',
}

_JS_CELL_INDEX = """(prefix) => {
    const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets.findIndex((c) => c.model.type === 'code'
        && c.model.sharedModel.getSource().startsWith(prefix));
}"""
_JS_RUN_CELLS = """async ([first, source]) => {
    const app = window.jupyterapp;
    const w = app.shell.currentWidget;
    w.content.widgets[first].model.sharedModel.setSource(source);
    w.content.activeCellIndex = first;
    await app.commands.execute('notebook:run-cell-and-select-next');
    await app.commands.execute('notebook:run-cell-and-select-next');
}"""
_JS_CELL_TEXT = """(index) => {
    const w = window.jupyterapp.shell.currentWidget;
    const cell = w.content.widgets[index];
    return {count: cell.model.executionCount, text: cell.node.querySelector('.jp-Cell-outputWrapper').innerText};
}"""
_JS_RESTART_KERNEL = """async () => {
    const w = window.jupyterapp.shell.currentWidget;
    await w.sessionContext.session.kernel.restart();
}"""
_JS_BROKEN_LINK_ICONS = """(root) => {
    const views = [...document.querySelectorAll(`${root}.jupyter-widgets-disconnected, `
        + `${root} .jupyter-widgets-disconnected`)];
    const shown = views.filter((el) => !['none', 'normal', ''].includes(getComputedStyle(el, '::before').content));
    return {disconnected: views.length, shown: shown.length};
}"""
_JS_DIRTY = """() => window.jupyterapp.shell.currentWidget.context.model.dirty"""


def assert_healthy(page: Any, where: str) -> None:
    """No error output, traceback or widget error text; readable kit text; a SessionTable that fits or scrolls."""
    problems = output_problems(page)
    assert not problems, f"{where}: " + "; ".join(problems[:5])
    errors = [t for t in page.locator(ERROR_TEXT).all_inner_texts() if t.strip()]
    assert not errors, f"{where}: a widget shows an error: {errors[:3]}"
    measured, low = low_contrast(page, KIT_ROOTS)
    assert not low, f"{where}: {len(low)} of {measured} text elements below 4.5:1, e.g. {low[:4]}"
    for selector in (".rfnb-session-table", ".rfnb-standard-vs-oem"):
        _, clipped = clipped_widgets(page, selector)
        assert not clipped, f"{where}: a {selector} is wider than its cell and does not scroll: {clipped}"


def answer_exercises(page: Any, name: str) -> None:
    first = page.evaluate(_JS_CELL_INDEX, "answer_1 = ...")
    assert first >= 0, f"{name} has no answers cell starting with 'answer_1 = ...'"
    page.evaluate(_JS_RUN_CELLS, [first, ANSWERS[name]])
    deadline = time.monotonic() + 30
    while True:
        state = page.evaluate(_JS_CELL_TEXT, first + 1)
        if state["text"].strip() and "✓" in state["text"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    lines = [line for line in state["text"].splitlines() if "Exercise" in line]
    assert lines and all(line.startswith("✓") for line in lines), f"the check cell says: {state['text']!r}"


def settled(locator: Any, quiet: float = 0.8, timeout: float = 20.0) -> str:
    """The locator's text once it has stopped changing (a widget's refresh runs in the kernel, asynchronously)."""
    deadline = time.monotonic() + timeout
    last, since = locator.inner_text(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = locator.inner_text()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"still changing after {timeout:.0f} s: {last[:200]!r}")


def disconnect_other(table: Any, row_text: str | None = None) -> None:
    """Refresh, select another session's row (optionally one showing ``row_text``), Disconnect, confirm."""
    table.locator("button.rfnb-sessions-refresh").click()
    settled(table.locator(".rfnb-session-scroll"))
    rows = table.locator(".rfnb-session-row")
    before = rows.count()
    other = table.locator(".rfnb-session-row:not(.rfnb-my-session)")
    if row_text:
        other = other.filter(has_text=row_text)
    other = other.first
    other.click()
    expect(other).to_have_class(_has("rfnb-row-selected"))
    selection = table.locator(".rfnb-sessions-selection")
    expect(selection).not_to_contain_text("your own session")
    table.locator("button.rfnb-sessions-disconnect").click()
    table.locator("button.rfnb-sessions-confirm").click()
    expect(rows).to_have_count(before - 1)


def use_notebook_02(page: Any, steps: Any, user: str = "admin", password: str = "password") -> None:
    """ResourceBrowser links, an ExchangeLog entry, LoginPanel, SessionTable Refresh / select / Disconnect."""
    browser = page.locator(".rfnb-browser").first
    with steps.step("ResourceBrowser: follow three links"):
        for name in ("SessionService", "Sessions", "AccountService"):
            link = browser.locator(".rfnb-browser-link", has_text=name).first
            if not link.count():
                link = browser.locator(".rfnb-browser-link").first
            link.click()
            expect(browser.locator(".rfnb-browser-status, .rfnb-status").first).to_contain_text("200")
    steps.screenshot("browser-links")
    with steps.step("ExchangeLog: open an entry and see the Location header"):
        log = page.locator(".rfnb-exchanges").first
        log.locator(".rfnb-exchange-summary").first.click()
        expect(log).to_contain_text("Location")
    panel = page.locator(".rfnb-login").first
    with steps.step("LoginPanel: log in"):
        panel.locator(".rfnb-login-user input").fill(user)
        panel.locator(".rfnb-login-password input").fill(password)
        panel.locator("button.rfnb-login-button").click()
        expect(panel.locator(".rfnb-login-status")).to_contain_text(f"as {user}")
    table = page.locator(".rfnb-session-table").first
    with steps.step("SessionTable: Refresh shows my session and the ResourceBrowser's"):
        table.locator("button.rfnb-sessions-refresh").click()
        settled(table.locator(".rfnb-session-scroll"))
        expect(table.locator(".rfnb-my-session")).to_have_count(1)
        expect(table.locator(".rfnb-session-row")).to_have_count(2)
    with steps.step("SessionTable: select the other session and Disconnect it (confirmed)"):
        disconnect_other(table)
        expect(table.locator(".rfnb-my-session")).to_have_count(1)
    steps.screenshot("disconnected")
    with steps.step("LoginPanel: log out"):
        panel.locator("button.rfnb-logout-button").click()
        expect(panel.locator(".rfnb-login-status")).to_contain_text("Logged out")


def use_notebook_03(page: Any, steps: Any) -> None:
    """SessionTable Refresh / select / Disconnect on a planted session, PrivilegeMatrix "My session"."""
    table = page.locator(".rfnb-session-table").first
    with steps.step("SessionTable: Refresh, select the student's planted session, Disconnect it"):
        disconnect_other(table, "student")
        expect(table.locator(".rfnb-session-row", has_text="student")).to_have_count(0)
    with steps.step('PrivilegeMatrix: "My session"'):
        matrix = page.locator(".rfnb-privilege-matrix").first
        matrix.locator(".rfnb-privileges-of").get_by_text("My session").click()
        expect(matrix).to_contain_text("Configure iLO")
    steps.screenshot("widgets-used")


def use_notebook_07(page: Any, steps: Any) -> None:
    """StandardVsOem: Refresh reads the standard BMC's own session again and lines the facts up."""
    view = page.locator(".rfnb-standard-vs-oem").first
    with steps.step("StandardVsOem: Refresh"):
        view.locator("button.rfnb-svo-refresh").click()
        settled(view.locator(".rfnb-svo-table"))
        expect(view.locator(".rfnb-svo-table")).to_contain_text("ClientOriginIPAddress")
        expect(view.locator(".rfnb-svo-table")).to_contain_text("Oem.Hpe.UserIP")
    steps.screenshot("widgets-used")


def _has(cls: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(cls)}(\s|$)")


WIDGET_USE = {
    "02-session-auth.ipynb": use_notebook_02,
    "03-managing-sessions.ipynb": use_notebook_03,
    "07-the-standard-way.ipynb": use_notebook_07,
}


@pytest.mark.parametrize("theme", THEMES, ids=["light", "dark"])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_then_use_every_widget(classroom: Any, name: str, theme: str) -> None:
    page, notebook, steps = classroom
    served = Path(notebook.lab.root, "notebooks", name)
    shutil.copyfile(
        ROOT / "notebooks" / name, served
    )  # as committed: an earlier run's autosave is not the start
    with steps.step(f"open notebooks/{name}"):
        notebook.open(f"notebooks/{name}")
    with steps.step(f"switch to {theme}"):
        set_theme(page, theme)
    with steps.step("wait for the kernel, then Run All"):
        notebook.wait_for_kernel()
        notebook.run_all(timeout=90)
    steps.screenshot("ran-all")
    with steps.step("after Run All: no error, readable widgets, a table that fits"):
        assert_healthy(page, "after Run All")
    use = WIDGET_USE.get(name)
    if use is not None:
        use(page, steps)
        with steps.step("after using the widgets: no error, readable widgets"):
            assert_healthy(page, "after using the widgets")
    with steps.step("answer the exercises and check them"):
        answer_exercises(page, name)
    steps.screenshot("exercises-checked")


def test_a_kernel_restart_leaves_widgets_that_say_run_from_the_top(classroom: Any) -> None:
    page, notebook, steps = classroom
    with steps.step("open notebook 02 and Run All"):
        notebook.open("notebooks/02-session-auth.ipynb")
        set_theme(page, THEMES[0])
        notebook.wait_for_kernel()
        notebook.run_all(timeout=90)
    with steps.step("restart the kernel"):
        page.evaluate(_JS_RESTART_KERNEL)
        notebook.wait_for_kernel()
    panel = page.locator(".rfnb-login").first
    with steps.step('click "Log in": the widget says to run the notebook from the top'):
        panel.locator(".rfnb-login-user input").fill("admin")
        panel.locator("button.rfnb-login-button").click()
        note = panel.locator(".rfnb-restart-note")
        expect(note).to_be_visible()
        expect(note).to_contain_text("run the notebook from the top")
    with steps.step("the note replaces ipywidgets' broken-link icons inside the kit's widgets"):
        icons = page.evaluate(_JS_BROKEN_LINK_ICONS, ".rfnb-login")
        assert icons["disconnected"] > 0, "no view was marked disconnected: the restart was not seen"
        assert icons["shown"] == 0, f"{icons['shown']} broken-link icons still drawn in the LoginPanel"
    steps.screenshot("after-restart")


def test_opening_the_committed_notebooks_changes_nothing(autosave_page: Any, autosave_lab: Any) -> None:
    page, notebook, steps = autosave_page
    for name in NOTEBOOKS:
        with steps.step(f"open {name}, wait for its kernel and an autosave interval"):
            notebook.open(f"notebooks/{name}")
            notebook.wait_for_kernel()
            time.sleep(AUTOSAVE_SECONDS + 2)
            assert not page.evaluate(_JS_DIRTY), f"JupyterLab marks {name} modified as soon as it is opened"
        steps.screenshot(f"opened-{name[:2]}")
        with steps.step(f"{name} on disk is byte-for-byte the committed one"):
            served = Path(autosave_lab.root, "notebooks", name).read_bytes()
            assert served == (ROOT / "notebooks" / name).read_bytes(), f"autosave rewrote {name}"
        with steps.step(f"{name}: saved widgets show their static view, not 'model not found'"):
            text = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.node.innerText")
            assert "model not found" not in text, "a saved widget view points at a model no kernel has"
