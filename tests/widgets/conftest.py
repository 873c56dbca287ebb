"""Fixtures for the widget tests: widgets are driven headlessly (ipywidgets needs no kernel for this)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets
import pytest


@pytest.fixture(autouse=True)
def _close_widgets() -> Iterator[None]:
    """Close every widget a test made (LoginPanel.close() also logs out, so no session outlives its test)."""
    yield
    ipywidgets.Widget.close_all()


@pytest.fixture
def admin_panel(mock_bmc: Any) -> Iterator[Any]:
    """A LoginPanel logged in to the mock as admin."""
    from widget_helpers import log_in

    from redfishnb.widgets import LoginPanel

    panel = LoginPanel(mock_bmc)
    log_in(panel, "admin", "password")
    assert panel.state == "connected", panel.status_text
    yield panel
    panel.logout()
