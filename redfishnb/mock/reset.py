"""An iLO reset: every session ends, open connections drop, the BMC refuses connections for a while, then serves.

Why: the seed's last-resort remedy for a BMC at its session limit is an iLO reset (besides DELETE and the idle
timeout, nothing else frees sessions). A reset keeps what iLO keeps in flash — accounts, trusted CAs, certificate
mappings, license, settings — and loses what it keeps in RAM: sessions and the login-failure counters. While it
restarts, its web server is gone: a client's connection is refused, as on a real iLO reboot (HPE documents about a
minute; the lab default is a few seconds, tests use half a second).

The controller is transport-agnostic: the BMC hands it two callables, one that closes the listening socket and
every open connection, one that listens again on the same port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .state import BMCState

DEFAULT_DOWN_SECONDS = 3.0
# When the reset comes from the Manager.Reset action, its 200 reply must leave before the server goes away.
REPLY_GRACE_SECONDS = 0.2


class ResetController:
    """Runs one reset at a time; a BMC stopped during the down time stays stopped."""

    def __init__(
        self, state: BMCState, stop_listening: Callable[[], None], listen: Callable[[], None]
    ) -> None:
        self._state = state
        self._stop_listening = stop_listening
        self._listen = listen
        self._lock = threading.Lock()
        self._up = threading.Event()
        self._up.set()
        self._cancelled = False
        self.count = 0  # resets so far (instructor API, tests)

    @property
    def down(self) -> bool:
        return not self._up.is_set()

    def reset(
        self, down_seconds: float = DEFAULT_DOWN_SECONDS, *, wait: bool = True, grace: float = 0.0
    ) -> None:
        """Start a reset; with ``wait`` return once the BMC serves again."""
        if down_seconds < 0:
            raise ValueError("down_seconds must be >= 0")
        with self._lock:
            if self.down or self._cancelled:
                return  # already resetting (a second Manager.Reset during the first), or stopped
            self._up.clear()
        worker = threading.Thread(
            target=self._run, args=(down_seconds, grace), name="mock-bmc-reset", daemon=True
        )
        worker.start()
        if wait:
            worker.join()

    def wait_until_up(self, timeout: float | None = None) -> bool:
        return self._up.wait(timeout)

    def cancel(self) -> None:
        """The BMC is stopping: a reset in progress must not bring it back."""
        with self._lock:
            self._cancelled = True
        self._up.set()

    def _run(self, down_seconds: float, grace: float) -> None:
        try:
            if grace:
                time.sleep(grace)
            with self._state.lock:
                self._state.clear_sessions()
                self._state.login_failures.clear()
                self._state.otp_mailbox.clear()
            self._stop_listening()
            time.sleep(down_seconds)
            with self._lock:
                if not self._cancelled:
                    self._listen()
                    self.count += 1
        finally:
            self._up.set()
