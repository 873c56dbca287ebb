"""Credentials for a fleet run: found once, before any BMC is contacted, and never shown.

They never come from the inventory (see :mod:`.inventory`): from a :class:`Credentials` argument, from
``REDFISHNB_[SET_]USERNAME``/``_PASSWORD``, or from a prompt on a terminal. A credential set that stays without
credentials fails its own targets only; the rest of the fleet still runs.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import InventoryError
from .inventory import Target

__all__ = ["ENV_PREFIX", "Credentials", "CredentialsArg", "env_names", "resolve_credentials"]

ENV_PREFIX = "REDFISHNB"


@dataclass(frozen=True)
class Credentials:
    """A user name and password, kept in memory only; the repr never shows the password."""

    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=<hidden>)"


CredentialsArg = Credentials | tuple[str, str] | Mapping[str, Credentials | tuple[str, str]] | None


def env_names(credential_set: str = "") -> tuple[str, str]:
    """The environment variables read for a credential set: ``REDFISHNB_[SET_]USERNAME`` / ``..._PASSWORD``."""
    infix = re.sub(r"[^0-9A-Za-z]+", "_", credential_set).strip("_").upper()
    stem = f"{ENV_PREFIX}_{infix}_" if infix else f"{ENV_PREFIX}_"
    return f"{stem}USERNAME", f"{stem}PASSWORD"


def resolve_credentials(
    targets: Iterable[Target],
    credentials: CredentialsArg = None,
    *,
    environ: Mapping[str, str] | None = None,
    prompt: bool | None = None,
) -> dict[str, Credentials | InventoryError]:
    """Find credentials for every credential set the targets use, before any BMC is contacted.

    Order: the ``credentials`` argument (one pair for every set, or a mapping set -> pair), then the environment,
    then a prompt (``getpass``) when ``prompt`` is true — by default only on a terminal. A set that stays without
    credentials maps to an :class:`InventoryError`; its targets fail with that error, the others still run.
    """
    environ = os.environ if environ is None else environ
    prompt = sys.stdin.isatty() if prompt is None else prompt
    resolved: dict[str, Credentials | InventoryError] = {}
    for name in sorted({t.credentials for t in targets}):
        given = credentials.get(name) if isinstance(credentials, Mapping) else credentials
        if given is not None:
            resolved[name] = given if isinstance(given, Credentials) else Credentials(*given)
            continue
        user_var, password_var = env_names(name)
        user, password = environ.get(user_var), environ.get(password_var)
        if user and password is not None:
            resolved[name] = Credentials(user, password)
        elif prompt:
            label = f" for credential set {name!r}" if name else ""
            user = user or input(f"BMC user name{label}: ").strip()
            resolved[name] = Credentials(user, getpass.getpass(f"Password for {user}{label}: "))
        else:
            resolved[name] = InventoryError(
                f"No credentials{f' for set {name!r}' if name else ''}: {user_var} and {password_var} are not set.",
                hint=f"export {user_var}=... {password_var}=..., pass credentials=, or run on a terminal to be asked.",
            )
    return resolved
