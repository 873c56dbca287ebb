"""Helpers shared by the widget tests (imported by name: pytest puts this directory on sys.path)."""

from __future__ import annotations

import json
from typing import Any

from ipywidgets.widgets.widget import _instances


def log_in(panel: Any, username: str, password: str) -> None:
    """Fill the panel as a user would and click Log in."""
    panel._user.value = username
    panel._password.value = password
    panel._login_button.click()


def _plain(value: Any) -> str:
    if isinstance(value, memoryview | bytes):  # FileUpload contents: look at the bytes themselves
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def all_widget_state() -> str:
    """Every live widget's synced state as JSON text: what the front end, and a saved notebook, could hold."""
    return "\n".join(
        json.dumps(w.get_state(), default=_plain, ensure_ascii=False) for w in list(_instances.values())
    )
