"""One BMC's visit: authenticate as cheaply as the BMC allows, read its sessions, act on the selected ones.

Cost per BMC is what a fleet run is made of. Over Basic authentication (``auth="basic"``, or ``"auto"`` where
the BMC accepts it) an audit is one request: ``GET /redfish/v1/SessionService/Sessions/?$expand=.`` — the
standard location DSP0266 gives the collection, so the service root is read only when a BMC keeps its sessions
elsewhere (then the place is remembered for the rest of the process). Basic opens no session on the BMC, so the
audit can never leave one behind and never selects its own. A session is used only where it must be: the
inventory asks for one, or ``"auto"`` met a BMC that refuses Basic. Then the visit goes through
:class:`redfishnb.RedfishClient` (root, login, one expanded GET, logout), which guarantees the logout; a BMC at
its session limit — the one most in need of a clean-up — refuses that login, and the visit switches to Basic.

Whatever goes wrong is kept on the :class:`Visit` (a row of the report), never raised: one BMC's failure must
not stop the run. Disconnects always act on a fresh read of the sessions, so a session someone came back to
since the audit is kept.
"""

from __future__ import annotations

import contextlib
import email.utils
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..auth import STANDARD_SESSIONS_URI, login_uri_from_root
from ..errors import (
    InvalidCredentials,
    InventoryError,
    MalformedResponse,
    RedfishError,
    SessionLimitReached,
    TransportError,
)
from .credentials import Credentials
from .deadline import Deadline, DeadlineExceeded
from .inventory import Target
from .selection import DONE, FAILED, GONE, KEEP, OWN, WOULD, Selection
from .wire import Answer, BasicChannel, TrustStore

if TYPE_CHECKING:  # pragma: no cover
    from ..client import RedfishClient

__all__ = ["Plan", "Visit", "visit", "one_line"]

_EXPAND = "?$expand=."  # iLO's documented form; a service that ignores it returns references, read one by one
# Base URL -> Sessions URI, for BMCs that keep the collection somewhere else than the standard location.
_SESSIONS_ELSEWHERE: dict[str, str] = {}
_SESSIONS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Plan:
    """What every visit of one run shares: how to authenticate, how long to wait, what to select and do."""

    auth: str
    timeout: float
    deadline: float
    selection: Selection | None
    act: bool
    trust: TrustStore = field(default_factory=TrustStore)


@dataclass
class Visit:
    """What one worker learnt about one BMC."""

    target: Target
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None
    requests: int | None = None
    elapsed_ms: float = 0.0
    privileges: list[str] | None = None
    auth: str | None = None

    def count(self, sent: int) -> None:
        self.requests = (self.requests or 0) + sent


class _BasicRefused(Exception):
    """A 401 to Basic credentials; ``challenged`` when the BMC invited Basic (so the credentials were wrong)."""

    def __init__(self, error: RedfishError, challenged: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.challenged = challenged


def visit(target: Target, creds: Credentials | InventoryError, plan: Plan) -> Visit:
    """Visit one BMC as ``plan`` says; never raises (the failure is in ``Visit.error``)."""
    result = Visit(target)
    started = time.perf_counter()
    deadline = Deadline(plan.deadline, urlsplit(target.url).netloc)
    try:
        if isinstance(creds, InventoryError):
            raise creds
        _authenticated_visit(result, creds, plan, deadline)
    except Exception as exc:  # one BMC's failure is a row of the report, never the end of the run
        if isinstance(exc, TransportError) and not isinstance(exc, DeadlineExceeded) and deadline.expired:
            exc = deadline.exceeded()  # the request waited only for what was left of the visit
        result.error = exc
    finally:
        result.elapsed_ms = (time.perf_counter() - started) * 1000.0
    return result


def _authenticated_visit(result: Visit, creds: Credentials, plan: Plan, deadline: Deadline) -> None:
    target = result.target
    method = target.auth or plan.auth
    if method == "session" or not target.url.startswith("https://"):
        # plain http goes through the client, which reads the root first and stops before sending a password
        # to a BMC that redirects to https
        _client_visit(result, creds, plan, deadline, method="basic" if method == "basic" else "session")
        return
    try:
        result.auth = "basic"
        _basic_visit(result, creds, plan, deadline)
    except _BasicRefused as refused:
        if method == "basic" or refused.challenged or not isinstance(refused.error, InvalidCredentials):
            raise refused.error from None
        result.auth = "session (Basic refused)"
        _client_visit(result, creds, plan, deadline, method="session", fallback=False)


# ---------------------------------------------------------------------------------------------------------------
# Basic: one GET to audit, one DELETE per stale session


def _basic_visit(result: Visit, creds: Credentials, plan: Plan, deadline: Deadline) -> None:
    target = result.target
    channel = BasicChannel(
        target.url,
        creds.username,
        creds.password,
        plan.trust.policy(target.verify),
        timeout=target.timeout or plan.timeout,
        deadline=deadline,
    )
    try:
        members, answer = _read_sessions(channel)
        result.rows = _rows(members, _bmc_now(answer.headers), None, target.name, plan.selection)
        if plan.act:
            for row in result.rows:
                if row["selected"]:
                    _delete_over_basic(channel, row)
    finally:
        result.count(channel.requests)
        channel.close()


def _read_sessions(channel: BasicChannel) -> tuple[list[Mapping[str, Any]], Answer]:
    """The Sessions members in full, in one request where the BMC expands the collection."""
    uri = _SESSIONS_ELSEWHERE.get(channel.url, STANDARD_SESSIONS_URI)
    answer = _checked(channel, channel.send("GET", uri + _EXPAND), allow=(404, 400, 501))
    if answer.status == 404 and uri == STANDARD_SESSIONS_URI:
        root = _checked(channel, channel.send("GET", "/redfish/v1/"))
        uri = login_uri_from_root(root.json if isinstance(root.json, Mapping) else None)
        with _SESSIONS_LOCK:
            _SESSIONS_ELSEWHERE[channel.url] = uri
        answer = _checked(channel, channel.send("GET", uri + _EXPAND), allow=(400, 501))
    if answer.status in (400, 501):  # $expand refused: the plain collection, then each member
        answer = _checked(channel, channel.send("GET", uri))
    elif answer.status >= 400:
        raise channel.error(answer)
    body = answer.json
    if not isinstance(body, Mapping):
        raise MalformedResponse(f"GET {uri} answered HTTP {answer.status} without a JSON collection.")
    members = []
    for member in body.get("Members") or []:
        if isinstance(member, Mapping) and _is_expanded(member):
            members.append(member)
        elif isinstance(member, Mapping) and _ref(member):  # the BMC ignored $expand: read it on its own
            members.append(_member(channel, member))
    return members, answer


def _checked(channel: BasicChannel, answer: Answer, allow: Sequence[int] = ()) -> Answer:
    if answer.status == 401:
        raise _BasicRefused(channel.error(answer), answer.challenges_basic)
    if answer.status >= 400 and answer.status not in allow:
        raise channel.error(answer)
    return answer


def _member(channel: BasicChannel, reference: Mapping[str, Any]) -> Mapping[str, Any]:
    """GET one member the collection only referenced; one deleted meanwhile (it expired) is an empty body."""
    answer = _checked(channel, channel.send("GET", _path(_ref(reference))), allow=(404,))
    return answer.json if answer.status < 400 and isinstance(answer.json, Mapping) else {}


def _delete_over_basic(channel: BasicChannel, row: dict[str, Any]) -> None:
    try:
        answer = channel.send("DELETE", _path(row["uri"]))
    except DeadlineExceeded:
        raise
    except RedfishError as exc:
        row["action"], row["error"] = FAILED, one_line(exc)
        return
    _record_delete(row, answer.status, lambda: channel.error(answer))


# ---------------------------------------------------------------------------------------------------------------
# Session: the client's login, one expanded GET, DELETEs, the client's logout


def _client_visit(
    result: Visit, creds: Credentials, plan: Plan, deadline: Deadline, *, method: str, fallback: bool = True
) -> None:
    """Log in through :func:`redfishnb.connect`; on a BMC whose sessions are all taken, switch to Basic."""
    from ..client import connect

    target = result.target
    timeout = target.timeout or plan.timeout
    result.auth = result.auth or method
    try:
        client = connect(
            target.url,
            creds.username,
            creds.password,
            auth=method,
            verify=target.verify,
            timeout=deadline.wait(timeout),  # the root and the login: each waits at most what is left now
        )
    except SessionLimitReached:
        if not fallback or method != "session" or not target.url.startswith("https://"):
            raise
        result.count(2)  # the root and the refused login
        result.auth = "basic (session limit reached)"
        _basic_visit(result, creds, plan, deadline)
        return
    try:
        _read_and_act(result, client, plan, deadline, timeout)
    except BaseException:
        _close(client, result, timeout, quiet=True)
        raise
    _close(client, result, timeout, quiet=False)


def _read_and_act(
    result: Visit, client: RedfishClient, plan: Plan, deadline: Deadline, timeout: float
) -> None:
    from ..tables import read_collection, service_root

    client.timeout = deadline.wait(timeout)
    # client.login_uri is the root's Links.Sessions: the collection the login POST went to
    sessions = read_collection(client, client.login_uri, root=service_root(client), workers=1)
    now = sessions.date if sessions.date is not None else datetime.now(timezone.utc)
    result.rows = _rows(sessions.members, now, client.session_uri, result.target.name, plan.selection)
    result.privileges = next((r["privileges"] for r in result.rows if r["mine"]), None)
    if plan.act:
        for row in result.rows:
            if row["selected"]:
                client.timeout = deadline.wait(timeout)
                _delete_over_session(client, row, deadline)


def _close(client: RedfishClient, result: Visit, timeout: float, *, quiet: bool) -> None:
    """Log out with the full request timeout, even past the deadline: a session left behind is the worst outcome."""
    client.timeout = timeout
    try:
        # quiet: an error is already on its way, and a logout failure must not hide it
        with contextlib.suppress(RedfishError) if quiet else contextlib.nullcontext():
            client.close()
    finally:
        result.count(len(client.exchanges))


def _delete_over_session(client: RedfishClient, row: dict[str, Any], deadline: Deadline) -> None:
    """DELETE one session; a 404 means it ended by itself meanwhile, which is what we wanted."""
    from ..errors import error_from_response
    from ..tables import same_uri

    if row.get("mine") or same_uri(row.get("uri"), client.session_uri):
        row["action"] = OWN  # belt and braces: Selection.matches already refuses the caller's session
        return
    try:
        response = client.delete(row["uri"], check=False)
    except RedfishError as exc:
        if isinstance(exc, TransportError) and deadline.expired:
            raise deadline.exceeded("disconnecting sessions") from None
        row["action"], row["error"] = FAILED, one_line(exc)
        return
    _record_delete(
        row,
        response.status,
        lambda: error_from_response(response.status, response.json, method="DELETE", url=row["uri"]),
    )


# ---------------------------------------------------------------------------------------------------------------
# Rows


def _record_delete(row: dict[str, Any], status: int, error: Callable[[], RedfishError]) -> None:
    """The row's action after a DELETE answered ``status``; ``error`` builds the typed error of a refusal."""
    if 200 <= status < 300:
        row["action"] = DONE
    elif status == 404:
        row["action"] = GONE
    else:
        exc = error()
        row["action"], row["error"] = FAILED, f"{type(exc).__name__}: {one_line(exc)}"


def _rows(
    members: Sequence[Mapping[str, Any]],
    now: Any,
    my_uri: str | None,
    target: str,
    selection: Selection | None,
) -> list[dict[str, Any]]:
    """The report's row for each session, built once with exactly the report's columns."""
    from ..tables import session_row

    rows = []
    for body in members:
        if not body:
            continue
        facts = session_row(body, my_uri=my_uri)
        access = facts["access_time"]
        row = {
            "username": facts["username"],
            "user_tag": facts["user_tag"],
            "user_ip": facts["user_ip"],
            "login_time": facts["login_time"],
            "access_time": access,
            "idle": max(now - access, timedelta(0)) if access is not None else None,
            "privileges": facts["privileges"],
            "mine": bool(facts["mine"]),  # unknown ownership (None) is treated as someone else's
            "uri": facts["uri"],
            "error": None,
        }
        row["selected"] = selection is not None and selection.matches(target, row)
        row["action"] = OWN if row["mine"] else (WOULD if row["selected"] else KEEP)
        rows.append(row)
    return rows


def _bmc_now(headers: Mapping[str, str]) -> Any:
    """The BMC's clock from its ``Date`` header (idle times are the BMC's), else this machine's."""
    import pandas as pd

    value = headers.get("Date")
    with contextlib.suppress(TypeError, ValueError):
        if value:
            return pd.Timestamp(email.utils.parsedate_to_datetime(value)).tz_convert("UTC")
    return pd.Timestamp(datetime.now(timezone.utc))


def _is_expanded(member: Mapping[str, Any]) -> bool:
    """A member reference carries only ``@odata.id``; an expanded member carries the resource."""
    return any(not k.startswith("@odata.") for k in member)


def _ref(member: Mapping[str, Any]) -> str:
    uri = member.get("@odata.id")
    return uri if isinstance(uri, str) else ""


def _path(uri: str) -> str:
    """A member URI as a path on the visited BMC (credentials never go to a host a body names)."""
    return urlsplit(uri).path or uri


def one_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message).strip().splitlines()[0]
