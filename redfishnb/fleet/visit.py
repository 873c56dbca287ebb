"""One BMC's visit: authenticate as cheaply as the BMC allows, read its sessions, act on the selected ones.

Cost per BMC is what a fleet run is made of. Over Basic authentication (``auth="basic"``, or ``"auto"`` where
the BMC accepts it) an audit is one request: ``GET /redfish/v1/SessionService/Sessions/?$expand=.`` — the
standard location DSP0266 gives the collection. What kind of service answered (iLO or standard) and which rule
its sessions allow are judged from that answer (:mod:`.service`, :mod:`.selection`); the service root is read
only when a BMC keeps its sessions elsewhere (a 404 there: the root's ``Links.Sessions`` is then remembered for
that base URL for the rest of the process). Basic opens no session on the BMC, so the audit can never leave one
behind and never selects its own. A session is used only where it must be: the inventory asks for one, or
``"auto"`` met a BMC that refuses Basic (a 401 without a Basic challenge: on a DMTF-standard service, its
``HTTPBasicAuth`` is not Enabled). Then the visit goes through :class:`redfishnb.RedfishClient` (root, login, one
expanded GET, logout), which guarantees the logout and whose root says what the BMC is; a BMC at its session
limit — the one most in need of a clean-up — refuses that login, and the visit switches to Basic.

Whatever goes wrong is kept on the :class:`Visit` (a row of the report), never raised: one BMC's failure must
not stop the run — that includes a selection this BMC's sessions cannot answer (:class:`.UnsupportedSelection`).
Disconnects always act on a fresh read of the sessions, so a session someone came back to since the audit is
kept.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import (
    HTTPStatusError,
    InvalidCredentials,
    InventoryError,
    MalformedResponse,
    RedfishError,
    ResourceNotFound,
    SessionLimitReached,
    TransportError,
)
from ..records import (
    STANDARD_SESSIONS_URI,
    Collection,
    Session,
    age,
    bmc_now,
    idle,
    read_collection,
    same_uri,
    service_root,
)
from ..records.links import sessions_uri
from .credentials import Credentials
from .deadline import Deadline, DeadlineExceeded
from .inventory import Target
from .selection import DONE, FAILED, GONE, OWN, Selection, UnsupportedSelection, mark
from .service import BASIC_EXPAND, Service
from .wire import Answer, BasicChannel, TrustStore

if TYPE_CHECKING:  # pragma: no cover
    from ..client import RedfishClient

__all__ = ["Plan", "Visit", "visit", "rejudge", "one_line"]

_ROOT = "/redfish/v1/"
# Base URL -> the service of a BMC that keeps its sessions elsewhere than the standard location, as its root said:
# read once per process, later visits go straight to its Links.Sessions.
_SESSIONS_ELSEWHERE: dict[str, Service] = {}
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
    """What one worker learnt about one BMC: what it is (``service``), how it was read (``auth``), its sessions
    (``rows``), the selection rule as it applied there (``rule``), and its failure, if any (``error``)."""

    target: Target
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None
    requests: int | None = None
    elapsed_ms: float = 0.0
    privileges: list[str] | None = None
    auth: str | None = None
    service: Service | None = None
    rule: str | None = None

    def count(self, sent: int) -> None:
        self.requests = (self.requests or 0) + sent


class _BasicRefused(Exception):
    """A 401 to Basic credentials; ``challenged`` when the BMC invited Basic (so the credentials were wrong)."""

    def __init__(self, error: RedfishError, answer: Answer) -> None:
        super().__init__(error.message)
        self.error = error
        self.answer = answer
        self.challenged = answer.challenges_basic


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
    result.auth = "basic"
    _over_basic(result, creds, plan, deadline, fallback=method != "basic")


# ---------------------------------------------------------------------------------------------------------------
# Basic: one GET to audit, one DELETE per stale session


def _over_basic(result: Visit, creds: Credentials, plan: Plan, deadline: Deadline, *, fallback: bool) -> None:
    """Read (and act) over Basic; a 401 without a Basic challenge makes it a session visit where ``fallback``."""
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
        try:
            _basic_visit(result, channel, plan)
        except _BasicRefused as refused:
            if refused.challenged or not isinstance(refused.error, InvalidCredentials):
                raise refused.error from None
            if not fallback:
                raise _refusal(result, channel, refused) from None
            _session_instead(result, channel, creds, plan, deadline)
    finally:
        result.count(channel.requests)
        channel.close()


def _basic_visit(result: Visit, channel: BasicChannel, plan: Plan) -> None:
    collection = _read_sessions(channel, result)
    if result.service is None:
        result.service = Service.from_sessions(collection)
    channel.standard = result.service.standard
    acting = _judge(result, collection, None, plan.selection) and plan.act
    for row in result.rows if acting else ():
        if row["selected"]:
            _delete_over_basic(channel, row)


class _BasicReader:
    """The channel as :func:`redfishnb.records.read_collection` reads through: GETs on the visited BMC whose
    error statuses raise the kit's typed errors, so the collection is read exactly as over a session."""

    def __init__(self, channel: BasicChannel) -> None:
        self.channel = channel

    def get(self, path: str, *, params: Mapping[str, str] | None = None) -> Answer:
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        return _checked(self.channel, self.channel.send("GET", _path(path) + query))


def _read_sessions(channel: BasicChannel, result: Visit) -> Collection:
    """The Sessions members in full: one ``$expand`` GET at the standard location, or where the root of a BMC
    that answered 404 there names them (that root is then the visit's :class:`.Service`, and remembered)."""
    with _SESSIONS_LOCK:
        known = _SESSIONS_ELSEWHERE.get(channel.url)
    if known is not None:
        result.service = known
        return _collection(channel, known.sessions_uri, known.expand)
    try:
        return _collection(channel, STANDARD_SESSIONS_URI, BASIC_EXPAND)
    except ResourceNotFound:
        root = _root(channel, authenticated=True)  # with credentials: a few services protect their root
        elsewhere = Service.from_root(root) if root is not None else None
        if elsewhere is None or same_uri(elsewhere.sessions_uri, STANDARD_SESSIONS_URI):
            raise
    with _SESSIONS_LOCK:
        _SESSIONS_ELSEWHERE[channel.url] = elsewhere
    result.service = elsewhere
    return _collection(channel, elsewhere.sessions_uri, elsewhere.expand)


def _collection(channel: BasicChannel, uri: str, expand: str | None) -> Collection:
    # root={}: the query to try is decided, so the reader never asks the root for it
    collection = read_collection(_BasicReader(channel), uri, root={}, expand=expand, workers=1)
    if not collection.body:
        raise MalformedResponse(f"GET {uri} answered without a JSON collection.")
    return collection


def _root(channel: BasicChannel, *, authenticated: bool) -> Mapping[str, Any] | None:
    """The service root; None when it is not a JSON object (``authenticated``: its refusal raises)."""
    answer = channel.send("GET", _ROOT, authenticated=authenticated)
    if authenticated:
        _checked(channel, answer)
    return answer.json if answer.status == 200 and isinstance(answer.json, Mapping) else None


def _identify(result: Visit, channel: BasicChannel) -> None:
    """Read the root (no credentials: anyone may) to say what a BMC is whose Sessions could not be read. Its
    own failure is dropped: the visit is already failing, and with the error that matters."""
    if result.service is None or not result.service.root_read:
        with contextlib.suppress(RedfishError):
            root = _root(channel, authenticated=False)
            if root is not None:
                result.service = Service.from_root(root)


def _refusal(result: Visit, channel: BasicChannel, refused: _BasicRefused) -> RedfishError:
    """The typed error of a Basic 401 without a challenge that no session visit follows. What it means depends on
    the kind of service, and with no Sessions answer only the root says (one GET on a failing BMC): on a
    standard service its HTTPBasicAuth is not Enabled (:class:`~redfishnb.errors.BasicAuthDisabled`)."""
    _identify(result, channel)
    channel.standard = result.service is not None and result.service.standard
    return channel.error(refused.answer)


def _session_instead(
    result: Visit, channel: BasicChannel, creds: Credentials, plan: Plan, deadline: Deadline
) -> None:
    """The session visit of a BMC that refused Basic without a challenge. ``auth`` says which refusal it was, by
    the root the client read: Basic disabled on a standard service, else refused. A refused login takes the
    client's root with it, so the root is then read here (one GET on a failing BMC)."""
    try:
        _client_visit(result, creds, plan, deadline, method="session", fallback=False)
    except HTTPStatusError:
        _identify(result, channel)
        raise
    finally:
        standard = result.service is not None and result.service.standard
        result.auth = "session (Basic disabled)" if standard else "session (Basic refused)"


def _checked(channel: BasicChannel, answer: Answer) -> Answer:
    if answer.status == 401:
        raise _BasicRefused(channel.error(answer), answer)
    if answer.status >= 400:
        raise channel.error(answer)
    return answer


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
    except HTTPStatusError as refused:
        result.count(2)  # the root and the refused login
        basic_next = fallback and method == "session" and target.url.startswith("https://")
        if not basic_next or not isinstance(refused, SessionLimitReached):
            raise
        result.auth = "basic (session limit reached)"
        _over_basic(result, creds, plan, deadline, fallback=False)
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
    client.timeout = deadline.wait(timeout)
    root = service_root(client)  # the client's cached root: no request
    result.service = Service.from_root(root)
    sessions = read_collection(client, sessions_uri(root), root=root, workers=1)
    acting = _judge(result, sessions, client.session_uri, plan.selection) and plan.act
    result.privileges = next((r["privileges"] for r in result.rows if r["mine"]), None)
    for row in result.rows if acting else ():
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


def _judge(result: Visit, collection: Collection, my_uri: str | None, selection: Selection | None) -> bool:
    """Fill the visit's rows and rule; True when the selection may be acted on. A selection this BMC's sessions
    cannot answer is the visit's error (its rows stay in the report, none selected)."""
    result.rows = _rows(collection, my_uri)
    result.rule, refusal = mark(result.rows, result.target.name, selection)
    if refusal is not None:
        result.error = refusal
    return refusal is None


def rejudge(done: Visit, selection: Selection) -> Visit:
    """The same visit under another selection, with no request (``FleetReport.select``). A BMC that could not be
    read stays failed; one refused by the earlier selection is judged again."""
    if done.error is not None and not isinstance(done.error, UnsupportedSelection):
        return done
    rows = [{**row, "error": None} for row in done.rows]
    again = replace(done, rows=rows, error=None)
    again.rule, refusal = mark(rows, done.target.name, selection)
    again.error = refusal
    return again


def _rows(collection: Collection, my_uri: str | None) -> list[dict[str, Any]]:
    """The report's row for each session, built once with exactly the report's columns (``selected`` and
    ``action`` are set by :func:`.selection.mark`).

    Idle times and ages are measured on the BMC's clock (:func:`redfishnb.records.bmc_now`, as the tables do); a
    session without AccessTime has an unknown idle time (None), one without CreatedTime or LoginTime an unknown
    age, and ``age_from`` names the property the age was measured by."""
    sessions = [Session.from_json(body) for body in collection.members if body]
    now = bmc_now(collection.date, sessions) or datetime.now(timezone.utc)
    rows = []
    for session in sessions:
        opened, opened_by = age(session, now)
        rows.append(
            {
                "username": session.username,
                "user_tag": session.user_tag,
                "user_ip": session.user_ip,
                "login_time": session.login_time,
                "access_time": session.access_time,
                "idle": idle(session, now),
                "age": opened,
                "age_from": opened_by,
                "privileges": list(session.granted) if session.granted is not None else None,
                "mine": bool(
                    session.is_mine(my_uri)
                ),  # unknown ownership (None) is treated as someone else's
                "uri": session.uri,
                "error": None,
            }
        )
    return rows


def _path(uri: str) -> str:
    """A member URI as a path on the visited BMC (credentials never go to a host a body names)."""
    return urlsplit(uri).path or uri


def one_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message).strip().splitlines()[0]
