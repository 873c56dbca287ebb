"""Accounts for a lab BMC from a JSON or YAML file (``redfishnb mock --accounts FILE``, ``MockBMC(accounts=path)``).

Why a module of its own: a file's accounts are checked before the BMC starts, so a typo in a key fails loudly
instead of silently creating an account without the property the instructor meant.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def load_accounts_file(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Accounts from a JSON or YAML file: a list of {username, password, role, ...} objects."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        import yaml

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("accounts", [])
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ValueError(f"{path}: expected a list of account objects (username, password, role)")
    allowed = {
        "username",
        "password",
        "role",
        "privileges",
        "enabled",
        "password_change_required",
        "otp_email",
        "login_name",
        "directory",
    }
    for entry in data:
        unknown = set(entry) - allowed
        if unknown or "username" not in entry or "password" not in entry:
            raise ValueError(
                f"{path}: each account needs username and password; unknown keys: {sorted(unknown)}"
            )
    return data
