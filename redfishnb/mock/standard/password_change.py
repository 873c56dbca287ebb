"""The gate for an account whose password must change first (``ManagerAccount.PasswordChangeRequired``).

DSP0266's "password change required handling", as DMTF's protocol validator restates it: the login succeeds
(with a ``PasswordChangeRequired`` message in the Session body), the account may read its own
``ManagerAccount`` and PATCH its ``Password``, and every other request is refused with 403 and the
``PasswordChangeRequired`` message whose argument is the account URI. The rule applies to Basic-authenticated
requests as much as to sessions. bmcweb implements it by reducing the caller to ConfigureSelf, which also
leaves it able to read and delete its own session — the mock keeps that, so a client can always log out.
"""

from __future__ import annotations

from collections.abc import Iterable

ACCOUNT = "ManagerAccount"
SESSION = "Session"
_READ = frozenset({"GET", "HEAD"})


def permits(entity: str, method: str, *, own: bool, properties: Iterable[str] = ()) -> bool:
    """May a caller whose password must change do ``method`` on ``entity``?

    ``own`` is True when the target is the caller's own account or session; ``properties`` are the keys of a
    PATCH body (only ``Password`` may be written).
    """
    method = method.upper()
    if not own:
        return False
    if entity == ACCOUNT:
        return method in _READ or (method == "PATCH" and set(properties) == {"Password"})
    if entity == SESSION:
        return method in _READ or method == "DELETE"
    return False


def clears_requirement(properties: Iterable[str]) -> bool:
    """A successful write of ``Password`` is what lifts the requirement (the schema says the service resets it)."""
    return "Password" in set(properties)
