"""The browser harness itself: JupyterLab, Chromium and ipywidgets work together, independent of redfishnb.

When this passes and the notebook test fails, the fault is in the kit's notebook or widgets, not in the harness.
"""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

PROBE = """\
import ipywidgets as w

name = w.Text(description="Name")
name.add_class("probe-name")
greet = w.Button(description="Greet")
greet.add_class("probe-button")
answer = w.HTML()
answer.add_class("probe-answer")
greet.on_click(lambda _: setattr(answer, "value", f"Hello {name.value}"))
w.VBox([name, greet, answer])
"""


def test_widget_round_trip_through_the_kernel(jupyterlab, lab_page):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# probe"), nbformat.v4.new_code_cell(PROBE)]
    nbformat.write(nb, jupyterlab.root / "probe.ipynb")
    page, notebook, steps = lab_page

    with steps.step("open probe.ipynb in JupyterLab"):
        notebook.open("probe.ipynb")
    with steps.step("wait for its kernel"):
        notebook.wait_for_kernel()
    with steps.step("run all cells"):
        state = notebook.run_all()
        assert state["total"] == 1
    with steps.step("type into the Text widget and click the Button"):
        page.locator(".probe-name input").fill("lab")
        page.locator("button.probe-button").click()
    with steps.step("see the kernel's answer in the HTML widget"):
        expect(page.locator(".probe-answer")).to_have_text("Hello lab")
    steps.screenshot("done")
