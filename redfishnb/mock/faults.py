"""Faults real BMCs produce, as switches on a running mock: ``bmc.faults.omit_location = True``.

Why: a client is only as good as its handling of the BMC that misbehaves, and real ones do — some firmware
answers a login without a ``Location`` header, a BMC whose session table was wiped answers a logout 404, a web
server restarting resets connections mid-answer, and a hung one accepts connections and never replies. Each
switch reproduces one of these on demand, so every client path for it has a test (``tests/test_faults.py``).

The app and the HTTP server look at :attr:`Faults.armed` (one attribute read) before anything here: with no
switch set, a request takes exactly the path it took before this module existed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

from .resources import SESSIONS
from .routing import normalize
from .wire import Problem, Request, Response

__all__ = ["Faults", "cut_off", "hold"]

_SWITCHES = ("omit_location", "gone_logout_status", "reset_next_answers", "stall")


class Faults:
    """The mock's fault switches; all off by default, :meth:`clear` turns them off again.

    ``omit_location``: a login (password or certificate) answers 201 without ``Location`` (and without ``Link``),
    as some firmware does: the session's URI is only in the body's ``@odata.id``.

    ``gone_logout_status``: a logout (``DELETE`` of a session URI) whose session is already gone is answered
    with this status — 404 ``ResourceMissingAtURI``, as BMCs that look the URI up before the token do —
    instead of 401 ``NoValidSession``. None: the normal 401.

    ``reset_next_answers``: the next N answers (any method) are cut off by a connection reset (TCP RST) halfway
    through their body, after the request was handled, as when a BMC's web server dies while answering.
    Counts down to 0.

    ``stall``: requests are read and never answered, as by a hung BMC; the connection stays open until the
    client gives up (or the mock stops).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.armed = False
        self.omit_location = False
        self.gone_logout_status: int | None = None
        self.reset_next_answers = 0
        self.stall = False

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in _SWITCHES:  # keep ``armed`` a plain attribute: the hot path reads it on every request
            armed = any(getattr(self, switch, None) for switch in _SWITCHES)
            object.__setattr__(self, "armed", armed)

    def clear(self) -> None:
        """Every switch off: the mock behaves again."""
        self.omit_location = False
        self.gone_logout_status = None
        self.reset_next_answers = 0
        self.stall = False

    def __repr__(self) -> str:
        on = [f"{name}={getattr(self, name)!r}" for name in _SWITCHES if getattr(self, name)]
        return f"<Faults {' '.join(on) or 'none'}>"

    # --- hooks for the app (redfishnb.mock.app) -----------------------------------------------------------------

    def answer(self, app: Any, request: Request, handle: Callable[[Request], Response]) -> Response:
        """The app's answer to ``request`` with the HTTP-level faults applied (``handle`` gives the real one)."""
        if self.gone_logout_status is not None and self._logout_of_gone_session(app, request):
            gone: Response = app.problem_response(
                Problem(self.gone_logout_status, "ResourceMissingAtURI", request.path)
            )
            return gone
        response = handle(request)
        if self.omit_location and response.status == 201 and "X-Auth-Token" in response.headers:
            response.headers.pop("Location", None)
            response.headers.pop("Link", None)
        return response

    @staticmethod
    def _logout_of_gone_session(app: Any, request: Request) -> bool:
        token = (request.headers.get("x-auth-token") or "").strip()
        path = normalize(request.path)
        if request.method.upper() != "DELETE" or not token or not path.startswith(SESSIONS + "/"):
            return False
        return app.state.session_for_token(token) is None

    # --- hooks for the HTTP server (redfishnb.mock.server) ------------------------------------------------------

    def take_reset(self) -> bool:
        """True when this answer is to be cut off (and one fewer of the next answers will be)."""
        with self._lock:
            if self.reset_next_answers <= 0:
                return False
            self.reset_next_answers -= 1
            return True


def cut_off(sock: Any, blob: bytes) -> None:
    """Send the headers and half the body of an answer, then reset the connection (RST, not FIN); an answer
    without a body is reset before its first byte (a client cannot tell headers cut short from complete ones).

    The descriptor is closed at once, detached from ``sock``: a plain ``close()`` waits for the handler's
    reader to close, and http.server's ``shutdown(SHUT_WR)`` before that would end the connection with a FIN.
    """
    head, sep, payload = blob.partition(b"\r\n\r\n")
    try:
        if payload:
            sock.sendall(head + sep + payload[: len(payload) // 2])
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    with contextlib.suppress(OSError):
        os.close(sock.detach())


def hold(sock: Any, faults: Faults) -> None:
    """Keep the connection open without answering, until the client closes it, the stall is switched off, or the
    mock stops (which shuts every connection down); bytes the client sends meanwhile are read and dropped."""
    while faults.stall:
        try:
            if not sock.recv(4096):
                return
        except TimeoutError:
            continue  # the socket's read timeout: look at the switch again
        except (OSError, ValueError):
            return
