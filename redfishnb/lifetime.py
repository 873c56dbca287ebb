"""The promise that a session the client opened is deleted whatever happens, and the signals that threaten it.

A client's Redfish session must go when the client does: leaving a ``with`` block (normally, by an exception or
by Ctrl-C), ``close()``, the client being garbage-collected, or the interpreter exiting with the client still
open. The last two are :func:`release`, run by a ``weakref.finalize`` per client (which also runs at exit); it
holds the client's auth object and connection pool, never the client, so the client can still be collected.
BMCs allow only a few sessions and lock out scripts that forget to log out; this is the bug users of the other
libraries hit most.

Two signals would otherwise get around that promise. Ctrl-C landing while the login POST is in flight: the BMC
has created the session but the client never reads its token, so nothing can delete it; the login therefore
defers SIGINT until the token is held (:func:`interrupt_deferred`). SIGTERM (``timeout``, cron, systemd, a killed
papermill run): its default action ends the process without running finalizers or ``atexit``; the first
session opened therefore turns SIGTERM into ``SystemExit`` when nothing else handles it
(:func:`exit_on_sigterm`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

import requests

from .auth import Auth
from .response import Response, parse_body

__all__ = ["interrupt_deferred", "exit_on_sigterm", "release"]

EXIT_LOGOUT_TIMEOUT = 5.0


@dataclass(frozen=True)
class _ExitWire:
    """The finalizer's way to the BMC: the bare connection pool, no exchange log (the client may be gone and
    logging torn down), a short timeout so a dead BMC cannot hold up the exit."""

    http: requests.Session
    url: str
    login_uri: str = ""
    login_delay: float | None = None

    def send(
        self, method: str, path: str, *, json: Any = None, auth: Auth | None = None, client_cert: bool = False
    ) -> Response:
        raw = self.http.request(method, self.url + path, json=json, auth=auth, timeout=EXIT_LOGOUT_TIMEOUT)
        return Response(raw, method, 0.0, *parse_body(raw, method, raw.url))


def release(http: requests.Session, url: str, auth: Auth) -> None:
    """Finalizer: delete the session ``auth`` still holds when its client is collected or the interpreter
    exits, then close the connections."""
    try:
        if auth.has_session:
            auth.logout(_ExitWire(http, url))
    except Exception:  # noqa: BLE001 - nothing useful can be done at interpreter exit
        pass
    finally:
        http.close()


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Hold back Ctrl-C while a login request runs; raise it once the session is held by the auth object.

    Once the login POST has left, the BMC creates the session whether or not we read the answer. A
    KeyboardInterrupt in between would lose the token and session URI, and with them any way to delete the
    session. The request is bounded by the client's timeout, so the delay is too. Only the main thread
    receives signals, and a handler the application installed itself is left alone.
    """
    if not _in_main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if pressed:
            raise KeyboardInterrupt


def _raise_system_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def exit_on_sigterm() -> None:
    """Make SIGTERM unwind the program like ``sys.exit(143)``, so open sessions are deleted on the way out.

    SIGTERM is how ``timeout``, cron, systemd and notebook runners stop a script, and its default action kills
    the process at once: no ``with`` block exits, no finalizer or ``atexit`` runs, and every open session stays on
    the BMC until its idle timeout. Raising ``SystemExit(128 + 15)`` instead keeps the exit status a shell
    expects from a SIGTERM death (143) and runs the clean-up. This is installed only from the main thread and only
    while SIGTERM has its default action: a handler the application installed is never replaced.
    """
    if not _in_main_thread():
        return
    with contextlib.suppress(ValueError, OSError):
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _raise_system_exit)
