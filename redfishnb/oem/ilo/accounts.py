"""Who the caller is on iLO: its privileges (read once per multi-step helper), the accounts, ``whoami``.

iLO documents a privilege per operation ("Configure iLO Settings" = ``iLOConfigPriv``, "Administer User
Accounts" = ``UserConfigPriv``). The caller's privileges are read from its own session (``Oem.Hpe.Privileges``),
else from its account, so a missing one is reported before the request is sent instead of as a bare 403.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from ...errors import InsufficientPrivilege, RedfishError
from ...records import Account, Session
from ._resources import _ACCOUNTS, _USER_CONFIG, _body, _members, _path_of, _uri

__all__ = [
    "IloFacts",
    "facts_for",
    "caller_privileges",
    "require_privilege",
    "remembered_privileges",
    "find_account",
    "ensure_user",
    "whoami",
]


class IloFacts:
    """What a multi-step helper has already read about one client, so that its steps do not ask the BMC again.

    One per client (:func:`facts_for`), held in a weak mapping: it goes when the client goes, and two clients
    (two users of the same BMC) never share one. Privileges are kept only while a :func:`remembered_privileges`
    block runs on the client (threads included): outside it every call reads them fresh, because an
    administrator may change a role between two calls.
    """

    __slots__ = ("_holders", "_lock", "privileges")

    def __init__(self) -> None:
        self.privileges: dict[str, bool] | None = None
        self._holders = 0
        self._lock = threading.Lock()

    @property
    def holding(self) -> bool:
        """True while a multi-step helper runs: :attr:`privileges` is then the caller's, read at its start."""
        return self._holders > 0

    def hold(self, read: Callable[[], dict[str, bool] | None]) -> None:
        """Start one holder; the first reads the privileges with ``read()`` (outside the lock: it is a request)."""
        if self.holding:
            with self._lock:
                if self._holders:
                    self._holders += 1
                    return
        privileges = read()
        with self._lock:
            if not self._holders:
                self.privileges = privileges
            self._holders += 1

    def release(self) -> None:
        """End one holder; the last one forgets the privileges."""
        with self._lock:
            self._holders = max(0, self._holders - 1)
            if not self._holders:
                self.privileges = None

    def __repr__(self) -> str:
        state = f"holding {len(self.privileges or {})} privileges" if self.holding else "idle"
        return f"<{type(self).__name__} {state}>"


_FACTS: weakref.WeakKeyDictionary[Any, IloFacts] = weakref.WeakKeyDictionary()
_FACTS_LOCK = threading.Lock()


def facts_for(client: Any) -> IloFacts | None:
    """The client's :class:`IloFacts`, made on first use; None for an object a weak mapping cannot key
    (no weak references, or unhashable: a test double), which then simply gets nothing cached."""
    try:
        with _FACTS_LOCK:
            facts = _FACTS.get(client)
            if facts is None:
                facts = _FACTS[client] = IloFacts()
            return facts
    except TypeError:
        return None


@contextlib.contextmanager
def remembered_privileges(client: Any) -> Iterator[None]:
    """Inside the block, the caller's privileges are read once: each step's check reuses what the first read."""
    facts = facts_for(client)
    if facts is None:
        yield
        return
    facts.hold(lambda: _read_privileges(client))
    try:
        yield
    finally:
        facts.release()


def _session_body(client: Any) -> dict[str, Any]:
    try:
        return _body(client.my_session())
    except RedfishError:
        return {}


def caller_privileges(client: Any) -> dict[str, bool] | None:
    """The caller's iLO privileges: its session's ``Oem.Hpe.Privileges``, else its account's.

    None when the service shows neither (a non-HPE BMC): the BMC then decides alone. Inside
    :func:`remembered_privileges` the answer read at the block's start is reused.
    """
    facts = facts_for(client)
    if facts is not None and facts.holding:
        return facts.privileges
    return _read_privileges(client)


def _read_privileges(client: Any) -> dict[str, bool] | None:
    privileges = Session.from_json(_session_body(client)).privileges
    if privileges is None and getattr(client, "username", None):
        account = find_account(client, client.username)
        privileges = Account.from_json(account).privileges if account else None
    return dict(privileges) if privileges is not None else None


def require_privilege(client: Any, privilege: str, action: str) -> None:
    """Raise :class:`~redfishnb.errors.InsufficientPrivilege` now if the caller lacks ``privilege``.

    The BMC would refuse too, with a bare 403; saying which privilege and why before sending is kinder.
    """
    privileges = caller_privileges(client)
    if privileges is not None and not privileges.get(privilege, False):
        user = getattr(client, "username", None) or "this account"
        raise InsufficientPrivilege(
            f"{user!r} cannot {action}: iLO requires the {privilege} privilege.", privilege=privilege
        )


def find_account(client: Any, username: str) -> dict[str, Any] | None:
    """The ``ManagerAccount`` whose ``UserName`` (iLO's login name) is ``username``, or None."""
    for member in _members(client, _ACCOUNTS):
        if member.get("UserName") == username:
            return member
    return None


def ensure_user(
    client: Any, username: str, password: str | None = None, *, role: str = "ReadOnly"
) -> tuple[str, bool]:
    """The account's URI, creating it (``POST Accounts``) when missing. Returns ``(uri, created)``.

    Needs UserConfigPriv to create. ``password`` is only needed when the account does not exist yet; it is sent
    once in the request body and never shown.
    """
    existing = find_account(client, username)
    if existing:
        return _uri(existing), False
    require_privilege(client, _USER_CONFIG, "create a user account")
    if not password:
        raise ValueError(f"the iLO user {username!r} does not exist; pass password= to create it")
    response = client.post(_ACCOUNTS, json={"UserName": username, "Password": password, "RoleId": role})
    uri = _path_of(getattr(response, "location", None)) or _uri(_body(response))
    if not uri:
        created = find_account(client, username)
        uri = _uri(created) if created else _ACCOUNTS
    return uri, True


def whoami(client: Any) -> dict[str, Any]:
    """Who this session is, as the seed proves it: the ``Oem.Hpe.Links.MySession`` resource, summarised.

    ``privileges`` lists the iLO privileges the session holds (true flags only). A client without a session
    (Basic authentication) gets its user name and its account's privileges, and None for the session fields.
    """
    session = Session.from_json(_session_body(client))
    privileges = session.privileges if session.privileges is not None else caller_privileges(client) or {}
    return {
        "user": session.username or getattr(client, "username", None),
        "session": session.uri,
        "user_tag": session.user_tag,
        "user_type": session.user_type,
        "my_session": session.my_session,
        "privileges": sorted(k for k, v in privileges.items() if v),
    }
