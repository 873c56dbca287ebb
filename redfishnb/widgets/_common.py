"""What every redfishnb widget shares: error display, busy state, redaction, static rendering, the client source.

Widget callbacks run in the kernel, and JupyterLab shows nothing they print or raise: an exception in a button
handler simply vanishes. So every handler here catches its own errors and puts a one-paragraph message (the typed
error's ``friendly`` text) in a status line. Nothing shown may carry a secret, so text that could contain one passes
through :func:`redact` on its way to the screen.
"""

from __future__ import annotations

import contextlib
import html
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import ipywidgets as w

from ..errors import RedfishError
from ..redaction import redact
from ._theme import STATIC_NOTE, WRAP, css, one_line, static_note_html, style_block

__all__ = [
    "ClientSource",
    "ClosesSourceMixin",
    "SourceUnavailable",
    "StaticRenderMixin",
    "busy",
    "friendly_error",
    "on_enter",
    "redact",
    "status_html",
    "status_text",
    "tagged",
]


def friendly_error(exc: BaseException, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """What a user should read about an error: the typed error's message and hint, never a traceback."""
    if isinstance(exc, RedfishError):
        text = exc.friendly
    elif isinstance(exc, ValueError | FileNotFoundError | PermissionError):
        text = str(exc)
    else:
        text = f"Unexpected {type(exc).__name__}: {exc}"
    return redact(text, secrets)


_STATUS_ROLES = {"ok": "ok", "error": "error", "warning": "error", "busy": "muted", "info": "text"}


def status_html(text: str, kind: str = "info") -> str:
    """A status line: escaped text, line breaks kept, coloured by kind (ok, error, warning, busy, info).

    Colours come from the theme pairs (inline, so a saved output keeps them) and the line wraps only between
    words: a hint such as ``reauth=True`` is never split in the middle.
    """
    role = _STATUS_ROLES.get(kind, "text")
    body = "<br>".join(html.escape(line) for line in text.splitlines()) if text else ""
    if not body:
        return ""
    return f'<div class="rfnb-status rfnb-status-{kind}" style="{css(role)};{WRAP}">{body}</div>'


def status_text(markup: str) -> str:
    """A status line as plain text (line breaks kept), for tests and scripts that read what the user sees."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("<br>", "\n")))


def on_enter(widget: w.Text, action: Callable[[], Any]) -> None:
    """Run ``action`` when Enter is pressed in a text field.

    The front end sends a ``submit`` message on Enter; listening to it directly (rather than to value changes with
    ``continuous_update=False``) means leaving the field with Tab or a click triggers nothing.
    """

    def handler(_widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, Mapping) and content.get("event") == "submit":
            action()

    widget.on_msg(handler)


W = TypeVar("W", bound=w.DOMWidget)


def tagged(widget: W, css_class: str) -> W:
    """The widget with a stable CSS class: the hook browser tests and custom stylesheets select on."""
    widget.add_class(css_class)
    return widget


@contextlib.contextmanager
def busy(*widgets: w.DOMWidget) -> Iterator[None]:
    """Disable the given widgets while a request runs, and restore their previous state whatever happens."""
    before = [bool(getattr(x, "disabled", False)) for x in widgets]
    for x in widgets:
        x.disabled = True
    try:
        yield
    finally:
        for x, was in zip(widgets, before, strict=True):
            x.disabled = was


PLAIN_CLOSED = (
    "This client is logged out (a later cell closed it) — re-run the cell that created it, "
    "or give the widget the lab target `bmc` so it can log in again."
)
PANEL_LOGGED_OUT = "Log in with the panel above first."
PANEL_CLOSED = (
    "The panel's session was closed (a later cell logged it out) — log in with the panel above again."
)
NO_SOURCE = "Not logged in: give the widget a client, a LoginPanel or the lab target `bmc`."


class SourceUnavailable(ValueError):
    """The source has no logged-in client right now; the message is one line saying what to do."""


def is_closed(client: Any) -> bool:
    """True for a client that has logged out (``RedfishClient.closed``): every request on it would fail."""
    return bool(getattr(client, "closed", False))


class ClientSource:
    """Where a widget gets its client: a client, a LoginPanel, or a target with a ``connect()`` method.

    - a client (``RedfishClient``): used as is; once closed, the widget says so instead of failing obscurely;
    - a LoginPanel: followed through its ``client`` trait (widgets refresh on log-in, clear on log-out);
    - a target (``lab.Target``, anything whose ``connect()`` returns a client): the widget logs in through it when
      it first needs a client, and again whenever that client has been closed (a notebook's last cell logs out
      everything it opened), saying so once in its status line. All widgets given the same target share that
      one client (one session slot on the BMC); :meth:`close` (called by a widget's ``close()``) logs it out, and
      the other widgets log in again when next used.
    """

    def __init__(self, source: Any) -> None:
        self._source = source
        self._own: Any = None
        self._lock = threading.Lock()
        self.notice: str | None = None

    @property
    def kind(self) -> str:
        """ "panel", "target", "client" or "none"."""
        src = self._source
        if src is None:
            return "none"
        if _is_panel(src):
            return "panel"
        if _is_target(src):
            return "target"
        return "client"

    def _current(self) -> Any:
        kind = self.kind
        if kind == "panel":
            return self._source.client
        if kind == "target":
            return self._own
        return self._source

    @property
    def current(self) -> Any:
        """The client the source holds now, even a closed one (its exchange log is still worth reading)."""
        return self._current()

    @property
    def client(self) -> Any:
        """The logged-in client as it is now (None when there is none or it is closed); never logs in."""
        current = self._current()
        return None if current is None or is_closed(current) else current

    @property
    def stale(self) -> bool:
        """True when the widget's client exists but has been closed since (what it shows is no longer live)."""
        current = self._current()
        return current is not None and is_closed(current)

    def get(self) -> Any:
        """A logged-in client, logging in through a target when needed.

        Raises :class:`SourceUnavailable` with one line that names the real cause (panel logged out, client
        closed by a later cell, the target's own error such as a stopped mock) — never a traceback.
        """
        kind = self.kind
        if kind == "target":
            return self._login_through_target()
        current = self._current()
        if kind == "panel":
            if current is None:
                raise SourceUnavailable(PANEL_LOGGED_OUT)
            if is_closed(current):
                raise SourceUnavailable(PANEL_CLOSED)
            return current
        if current is None:
            raise SourceUnavailable(NO_SOURCE)
        if is_closed(current):
            raise SourceUnavailable(PLAIN_CLOSED)
        return current

    def _login_through_target(self) -> Any:
        with self._lock:
            previous = self._own
            if previous is not None and not is_closed(previous):
                return previous
            client = _shared_client(self._source)
            self._own = client
            if previous is not None:
                who = getattr(client, "username", None) or "the target's user"
                self.notice = f"Logged in again as {who} (the previous session had been logged out)."
            return client

    def take_notice(self) -> str | None:
        """The re-login notice, once (the widget shows it in its status line)."""
        notice, self.notice = self.notice, None
        return notice

    @property
    def panel(self) -> Any:
        """The LoginPanel followed, or None when the source is not a panel."""
        return self._source if _is_panel(self._source) else None

    def on_change(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(client_or_None)`` whenever the panel logs in or out (no-op for other sources)."""
        if _is_panel(self._source):
            self._source.observe(lambda change: callback(change["new"]), names="client")

    def close(self) -> None:
        """Log out the client this source logged in through a target (a client or panel is left alone)."""
        with self._lock:
            own, self._own = self._own, None
        if own is not None:
            with contextlib.suppress(Exception):  # already gone on the BMC, or the BMC is unreachable
                own.close()


# One client per target for all the widgets given it: each login would take one of the BMC's few session slots,
# and the SessionTable would list the other widgets' sessions as someone else's.
_SHARED: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def _shared_client(target: Any) -> Any:
    """The target's widget client, logging in through ``target.connect()`` when there is none or it was closed."""
    with _SHARED_LOCK:
        try:
            client = _SHARED.get(target)
        except TypeError:  # not weakly referenceable or not hashable: a client of its own, unshared
            client = None
        if client is not None and not is_closed(client):
            return client
        try:
            client = target.connect()
        except Exception as exc:  # noqa: BLE001 - e.g. LabSetupError: the embedded mock was stopped
            raise SourceUnavailable(one_line(friendly_error(exc))) from None
        with contextlib.suppress(TypeError):
            _SHARED[target] = client
        return client


def _is_panel(obj: Any) -> bool:
    has_trait = getattr(obj, "has_trait", None)
    return callable(has_trait) and has_trait("client")


def _is_target(obj: Any) -> bool:
    """A target logs in (``connect()``); a client already is logged in (it has an exchange log)."""
    return callable(getattr(obj, "connect", None)) and not hasattr(obj, "exchanges")


def source_status(source: ClientSource, text: str, kind: str = "ok") -> str:
    """A status line, preceded by the source's re-login notice when there is one."""
    notice = source.take_notice()
    if notice:
        text = f"{notice}\n{text}" if text else notice
    return status_html(text, kind) if text else ""


def not_logged_in_html() -> str:
    """The table area of a widget whose source has no logged-in client."""
    return f'<div class="rfnb-empty rfnb-status" style="{css("muted")}">Not logged in.</div>'


def unavailable_html(source: ClientSource, exc: SourceUnavailable) -> str:
    """The status line for a source without a client: a hint for a panel not logged in yet, else an error."""
    return status_html(str(exc), "info" if source.kind == "panel" else "error")


class ClosesSourceMixin:
    """For widgets reading through :attr:`source`: closing the widget logs out the client the source made from a
    target (a client or panel given to the widget is left alone)."""

    source: ClientSource

    def close(self) -> None:
        """Log out the client made through a target (a client or panel is left alone), then close."""
        self.source.close()
        super().close()  # type: ignore[misc]  # the widget class after this mixin


class StaticRenderMixin:
    """Deterministic ``text/plain`` and a static ``text/html`` next to the live widget view.

    JupyterLab renders the live widget; a saved notebook viewed without a kernel (nbconvert, GitHub) falls back
    to the HTML, and nbval compares the text, which therefore carries no object address and no secret. Both end
    with a note that the widget is interactive and needs the notebook run from the top. Subclasses implement
    ``_text_summary()`` and ``_static_html()``.
    """

    def _text_summary(self) -> str:  # pragma: no cover - overridden
        return type(self).__name__

    def _static_html(self) -> str:  # pragma: no cover - overridden
        return ""

    def __repr__(self) -> str:
        return self._text_summary()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        data["text/plain"] = f"{self._text_summary()}\n({STATIC_NOTE})"
        data["text/html"] = f"{style_block()}{self._static_html()}{static_note_html()}"
        return data
