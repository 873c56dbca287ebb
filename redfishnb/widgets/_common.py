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
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import ipywidgets as w

from ..errors import RedfishError
from ..exchanges import redact_text, token_hint

__all__ = [
    "ClientSource",
    "StaticRenderMixin",
    "busy",
    "friendly_error",
    "on_enter",
    "redact",
    "status_html",
    "status_text",
    "tagged",
]

# Header values (in header blocks, cURL lines or free text), JSON members, user:password pairs and PEM keys.
_SECRET_HEADER = re.compile(
    r"(?i)((?:x-auth-token|authorization|proxy-authorization|cookie|set-cookie)\s*:\s*)((?:basic|bearer)\s+)?"
    r"([^\s'\"<]+)"
)
_SECRET_JSON = re.compile(
    r'(?i)("(?:password|token|x-auth-token|key_password|passphrase|licensekey)"\s*:\s*)"[^"]*"'
)
_SECRET_USERINFO = re.compile(r"(?i)((?:--user|-u)\s+['\"]?[^:\s'\"]+:)([^\s'\"]+)")


def _mask_header(match: re.Match[str]) -> str:
    name, scheme, value = match.group(1), match.group(2), match.group(3)
    if value.startswith("$") or set(value) <= {"*", "…"} or value.endswith("…"):
        return match.group(0)  # a shell variable, or already masked upstream
    if scheme:
        return f"{name}{scheme}***"
    return f"{name}{token_hint(value)}"


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with tokens, Authorization values, passwords and private keys masked.

    The client redacts what it records; this is the second line of defence for anything a widget displays
    (error messages, cURL lines, bodies). ``secrets`` are literal values to mask as well (a password being typed).
    """
    text = redact_text(text, tuple(secrets))  # PEM private keys and the literal secrets
    text = _SECRET_HEADER.sub(_mask_header, text)
    text = _SECRET_JSON.sub(r'\1"***"', text)
    text = _SECRET_USERINFO.sub(
        lambda m: m.group(0) if m.group(2).startswith("$") else f"{m.group(1)}***", text
    )
    return text


def friendly_error(exc: BaseException, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """What a user should read about an error: the typed error's message and hint, never a traceback."""
    if isinstance(exc, RedfishError):
        text = exc.friendly
    elif isinstance(exc, ValueError | FileNotFoundError | PermissionError):
        text = str(exc)
    else:
        text = f"Unexpected {type(exc).__name__}: {exc}"
    return redact(text, secrets)


_STATUS_COLOURS = {"ok": "#1e7e34", "error": "#b00020", "warning": "#b00020", "busy": "#555", "info": "#333"}


def status_html(text: str, kind: str = "info") -> str:
    """A status line: escaped text, line breaks kept, coloured by kind (ok, error, warning, busy, info)."""
    colour = _STATUS_COLOURS.get(kind, "#333")
    body = "<br>".join(html.escape(line) for line in text.splitlines()) if text else ""
    return f'<div class="rfnb-status-{kind}" style="color:{colour}">{body}</div>'


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


class ClientSource:
    """Where a widget gets its client: a client object, or a LoginPanel whose ``client`` trait changes.

    Widgets built on a LoginPanel follow it: they refresh on login and clear on logout, without the notebook
    wiring anything.
    """

    def __init__(self, source: Any) -> None:
        self._source = source

    @property
    def client(self) -> Any:
        src = self._source
        if src is not None and _is_panel(src):
            return src.client
        return src

    @property
    def follows_panel(self) -> bool:
        return _is_panel(self._source)

    @property
    def panel(self) -> Any:
        """The LoginPanel followed, or None when the source is a plain client."""
        return self._source if _is_panel(self._source) else None

    def on_change(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(client_or_None)`` whenever the panel logs in or out (no-op for a plain client)."""
        if _is_panel(self._source):
            self._source.observe(lambda change: callback(change["new"]), names="client")


def _is_panel(obj: Any) -> bool:
    has_trait = getattr(obj, "has_trait", None)
    return callable(has_trait) and has_trait("client")


class StaticRenderMixin:
    """Deterministic ``text/plain`` and a static ``text/html`` next to the live widget view.

    JupyterLab renders the live widget; a saved notebook viewed without a kernel (nbconvert, GitHub) falls back
    to the HTML, and nbval compares the text, which therefore carries no object address and no secret.
    Subclasses implement ``_text_summary()`` and ``_static_html()``.
    """

    def _text_summary(self) -> str:  # pragma: no cover - overridden
        return type(self).__name__

    def _static_html(self) -> str:  # pragma: no cover - overridden
        return ""

    def __repr__(self) -> str:
        return self._text_summary()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        data["text/plain"] = self._text_summary()
        data["text/html"] = self._static_html()
        return data
