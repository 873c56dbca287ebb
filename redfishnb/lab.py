"""The BMC a notebook talks to: the embedded mock by default, a real BMC when the environment says so.

Every tutorial and runbook starts with ``bmc = lab.target(...)``. With nothing configured that starts an in-kernel
:class:`~redfishnb.mock.MockBMC` in its seeded mode, so tokens, session ids and clocks are the same on every run
(nbval compares saved outputs) and a student needs no lab hardware. With ``REDFISH_URL`` set (or the notebook's
``bmc_url`` parameter, e.g. from papermill) the same cells run against a real BMC instead.

Secrets stay out of notebooks: a real BMC's password is read from an environment variable whose *name* is the
parameter (papermill writes parameter values into the saved notebook), or asked for with ``getpass`` when a person
is at the keyboard. ``getpass`` is never called when the kernel cannot read stdin (nbval, papermill, nbclient):
there a missing password is a :class:`LabSetupError` that says which variable to set.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import RedfishError
from .lab_checks import check, curl, find_secrets
from .lab_kernel import (
    DEFAULT_SEED,
    ENV,
    LabSetupError,
    MockStopped,
    log_out_everything,
    read_password,
    show_errors_briefly,
    standalone_mock,
    stdin_available,
    workdir,
)
from .lab_real import check_real, real_verify
from .mock.state import DEFAULT_ACCOUNTS
from .urls import base_url

if TYPE_CHECKING:  # pragma: no cover
    from .client import RedfishClient
    from .mock import MockBMC

__all__ = [
    "ENV",
    "LAB_FLEET_SESSIONS",
    "FleetTargets",
    "LabSetupError",
    "MockStopped",
    "finish",
    "standalone_mock",
    "workdir",
    "Target",
    "check",
    "curl",
    "find_secrets",
    "fleet_targets",
    "leftover_sessions",
    "mock_target",
    "read_password",
    "sessions_opened_here",
    "stdin_available",
    "target",
    "target_for",
]


# The embedded mock's default accounts, user -> password (public, hence the mock binds to loopback only).
MOCK_ACCOUNTS: Mapping[str, str] = {user: password for user, password, _role in DEFAULT_ACCOUNTS}


_started: list[tuple[str, MockBMC]] = []  # (url while it ran, mock): a stopped mock no longer has its port
_planted: dict[int, set[str]] = {}  # id(mock) -> ids of the sessions an instructor tool opened
_started_lock = threading.Lock()
# Base URLs (as RedfishClient.url names them) of every BMC a Target or the lab fleet was made for in this kernel.
_notebook_bmcs: set[str] = set()


def _clean(value: Any) -> str:
    """Parameters arrive as '' when unset (papermill-friendly defaults); treat blanks as unset."""
    return str(value).strip() if value is not None else ""


class Target:
    """One BMC to talk to, with what is needed to trust it and to log in; never holds a real password.

    Build it with :func:`target`. ``verify`` is what :func:`redfishnb.connect` takes: the path of the CA that
    signed the BMC's certificate, or ``"sha256:<hex>"`` to pin the certificate.
    """

    def __init__(
        self,
        url: str,
        username: str,
        verify: str | bool,
        *,
        mock: MockBMC | None = None,
        password_env: str = ENV["password"],
        seed: int | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.username = username
        self.verify = verify
        self.mock = mock
        self.password_env = password_env
        self.seed = seed
        self._mock_passwords: dict[str, str] = dict(MOCK_ACCOUNTS) if mock is not None else {}
        with _started_lock:
            _notebook_bmcs.add(base_url(self.url))
        self._own_mock = mock  # kept after close(): a stopped mock must be reported as stopped, not as "real"

    # -- what kind of BMC -------------------------------------------------------------------------------------
    @property
    def is_mock(self) -> bool:
        """True for the embedded mock, which also offers the instructor tools (plant sessions, move the clock)."""
        return self.mock is not None

    @property
    def ca_file(self) -> str | None:
        """The CA file the target is verified with (None when pinned or using the system CAs)."""
        return self.verify if isinstance(self.verify, str) and not self.verify.startswith("sha256:") else None

    @property
    def fingerprint(self) -> str | None:
        """The pinned ``sha256:<hex>`` certificate fingerprint, if the target is pinned."""
        return self.verify if isinstance(self.verify, str) and self.verify.startswith("sha256:") else None

    def __repr__(self) -> str:
        if self.mock is not None:
            flavor = getattr(self.mock, "flavor", "ilo6")
            kind = f"embedded mock BMC ({getattr(flavor, 'name', flavor)}, seed {self.seed})"
        else:
            kind = "BMC"
        if self.fingerprint:
            trust = "TLS pinned to a certificate fingerprint"
        elif self.ca_file:
            trust = (
                "TLS verified with the mock's CA"
                if self.mock is not None
                else "TLS verified with the given CA"
            )
        elif self.verify is False:
            trust = "TLS NOT verified"
        else:
            trust = "TLS verified (system CAs)"
        return f"<Target {kind} at {self.url}, user {self.username!r}, {trust}>"

    # -- credentials ------------------------------------------------------------------------------------------
    def _password(self, username: str) -> str:
        if self.mock is not None:
            try:
                return self._mock_passwords[username]
            except KeyError:
                raise LabSetupError(
                    f"The embedded mock has no account {username!r} known to this notebook.",
                    hint="Use admin, operator or student, or create one with bmc.add_account(name, password, role).",
                ) from None
        if username != self.username:
            raise LabSetupError(
                f"This notebook only has a password for {self.username!r} on {self.url}, not for {username!r}.",
                hint="Run the cells that log in as other users against the embedded mock (unset REDFISH_URL).",
            )
        return read_password(username, self.url, self.password_env)

    def add_account(
        self, username: str, password: str | None = None, role: str = "ReadOnly", **kwargs: Any
    ) -> None:
        """Create an account on the embedded mock (an instructor step; a real BMC's accounts are its admin's).

        Without ``password`` a random one is made and kept here for :meth:`connect`, so the notebook never
        holds it. ``kwargs`` go to :meth:`MockBMC.add_account` (``otp_email`` makes it a two-factor account).
        """
        mock = self._require_mock("add_account")
        secret = password or secrets.token_urlsafe(12)
        mock.add_account(username, secret, role=role, **kwargs)
        self._mock_passwords[username] = secret

    def connect(self, username: str | None = None, *, auth: str = "session", **kwargs: Any) -> RedfishClient:
        """Log in as ``username`` (default: the target's user) and return the client; use it in a ``with`` block.

        The password is looked up here and passed straight to :func:`redfishnb.connect`, so it never becomes a
        notebook variable. ``auth="none"`` and ``auth="certificate"`` need no password.
        """
        from .client import connect

        self.require_running()
        user = username or self.username
        kwargs.setdefault("verify", self.verify)
        if auth in ("none", "certificate"):
            return connect(self.url, auth=auth, **kwargs)
        return connect(self.url, user, self._password(user), auth=auth, **kwargs)

    def library_login(self, username: str | None = None) -> dict[str, Any]:
        """Keyword arguments for DMTF's ``redfish_client`` or HPE's ``RedfishClient``, password included.

        For library cells only: keep the result in a variable and never display it.
        """
        user = username or self.username
        return {"base_url": self.url, "username": user, "password": self._password(user)}

    def require_running(self) -> None:
        """Raise :class:`MockStopped` when this target was an embedded mock that has been stopped.

        Without this check a stopped mock shows up as whatever fails first: a CA file that is gone with the mock's
        temporary folder, a refused connection. Neither names the cause, and neither says how to get going again.
        """
        if self._own_mock is not None and not self._own_mock.running:
            raise MockStopped(
                f"The embedded mock BMC that was at {self.url} has been stopped (bmc.close() ran, or the kernel is "
                "shutting down), so there is nothing to connect to.",
                hint="Re-run the notebook from its Setup cell (the one with lab.target()) to start a new mock BMC.",
            )

    def wait_for_reset(self, timeout: float = 180.0, interval: float = 0.5) -> None:
        """After an iLO reset was requested: wait until the BMC goes away, then until it answers again.

        A BMC answers the reset request first and restarts just after, so "it answers" right after the POST proves
        nothing; this waits for the silence, then polls ``GET /redfish/v1/`` without credentials until it answers
        (about a minute on a real iLO, a few seconds on the mock). Raises the last error after ``timeout`` s.
        """
        self.require_running()
        deadline = time.monotonic() + timeout
        while self._answers(deadline):  # still up: the restart has not begun yet
            time.sleep(interval)
        while not self._answers(deadline, raise_at_deadline=True):
            time.sleep(interval)

    def _answers(self, deadline: float, *, raise_at_deadline: bool = False) -> bool:
        from .client import connect

        try:
            with connect(self.url, auth="none", verify=self.verify, timeout=5.0):
                pass
        except RedfishError:
            if raise_at_deadline and time.monotonic() >= deadline:
                raise
            return False
        if not raise_at_deadline and time.monotonic() >= deadline:
            raise LabSetupError(
                f"{self.url} kept answering: it did not restart.",
                hint="Check that the reset request was accepted (HTTP 200) and try again.",
            )
        return True

    # -- instructor tools (embedded mock only) ----------------------------------------------------------------
    def _require_mock(self, what: str) -> MockBMC:
        self.require_running()
        if self.mock is None:
            raise LabSetupError(
                f"{what}() is an instructor tool of the embedded mock BMC; {self.url} is a real BMC.",
                hint="Run this part of the notebook against the mock (unset REDFISH_URL), or skip the cell.",
            )
        return self.mock

    def plant_session(self, username: str, user_tag: str = "REST", **kwargs: Any) -> dict[str, Any]:
        """Open a session for another user directly inside the mock, as if they had logged in elsewhere.

        Returns the mock's view of it (``id``, ``uri``, ``username`` ...; never the token). Planted sessions are
        the lesson's material, so :func:`leftover_sessions` does not count them as the notebook's leaks.
        """
        mock = self._require_mock("plant_session")
        return _plant(mock, username, user_tag, **kwargs)

    def advance_clock(self, seconds: float) -> None:
        """Move the mock's clock forward (idle sessions expire without waiting)."""
        self._require_mock("advance_clock").advance_clock(seconds)

    def last_otp(self, username: str) -> str | None:
        """The one-time passcode the mock last mailed to ``username`` (its two-factor mailbox)."""
        return self._require_mock("last_otp").last_otp(username)

    def sessions_left(self) -> int | None:
        """Sessions open on the mock right now (None for a real BMC: there, other people's sessions count too)."""
        return None if self.mock is None else int(self.mock.session_count)

    def close(self) -> None:
        """Stop the embedded mock (a real BMC is left alone). Also runs at interpreter exit.

        Tutorials do not call this: their mock lives as long as the kernel, so the widgets still work after
        "Run All". It is for the extra mocks a notebook starts to compare with (an RMC, an unlicensed iLO).
        """
        mock, self.mock = self.mock, None
        if mock is not None:
            _stop(mock)


def _plant(mock: MockBMC, username: str, user_tag: str, **kwargs: Any) -> dict[str, Any]:
    session = mock.create_session(username, user_tag=user_tag, **kwargs)
    with _started_lock:
        _planted.setdefault(id(mock), set()).add(session["id"])
    return session


def _stop(mock: MockBMC) -> None:
    # best effort at shutdown: the mock is loopback-only and dies with the interpreter anyway
    with contextlib.suppress(Exception):
        mock.stop()


def target(
    url: str | None = None,
    username: str | None = None,
    *,
    password_env: str | None = None,
    ca: str | None = None,
    fingerprint: str | None = None,
    seed: int | None = DEFAULT_SEED,
    env: Mapping[str, str] | None = None,
    **mock_options: Any,
) -> Target:
    """The BMC this notebook uses.

    Arguments win over the environment (``REDFISH_URL``, ``REDFISH_USERNAME``, ``REDFISH_CA``,
    ``REDFISH_FINGERPRINT``); blank strings count as unset, which suits papermill parameters. With no URL from
    either, an embedded :class:`~redfishnb.mock.MockBMC` starts on loopback with ``seed`` (reproducible tokens,
    ids and clock) and ``mock_options`` (``flavor``, ``session_limit``, ``session_timeout``, ``licensed`` ...).

    A real BMC must be trusted explicitly: ``ca`` (the CA file that signed its certificate) or ``fingerprint``
    (``sha256:<hex>``). Without either, the system CAs are used, as for any HTTPS site.
    """
    show_errors_briefly()
    environ = os.environ if env is None else env
    password_env = _clean(password_env) or ENV["password"]
    real_url = _clean(url) or _clean(environ.get(ENV["url"]))
    user = _clean(username) or _clean(environ.get(ENV["username"]))
    if not real_url:
        return _mock_target(user or "admin", password_env, seed, mock_options)
    check_real(real_url, user, mock_options)
    verify = real_verify(
        _clean(ca) or _clean(environ.get(ENV["ca"])),
        _clean(fingerprint) or _clean(environ.get(ENV["fingerprint"])),
    )
    return Target(real_url, str(user), verify, password_env=password_env)


def _start_mock(seed: int | None, options: dict[str, Any]) -> MockBMC:
    from .mock import MockBMC

    mock = MockBMC(seed=seed, **options).start()
    with _started_lock:
        _started.append((mock.url, mock))
        _notebook_bmcs.add(base_url(mock.url))
    return mock


def mock_target(username: str = "admin", *, seed: int | None = DEFAULT_SEED, **options: Any) -> Target:
    """An embedded mock whatever the environment says: for a cell that compares with another kind of BMC
    (an RMC, an unlicensed iLO) next to the notebook's own target. ``options`` go to :class:`MockBMC`."""
    return _mock_target(username, ENV["password"], seed, options)


def _mock_target(username: str, password_env: str, seed: int | None, options: dict[str, Any]) -> Target:
    mock = _start_mock(seed, options)
    return Target(mock.url, username, mock.ca_file, mock=mock, password_env=password_env, seed=seed)


def target_for(mock: MockBMC, username: str = "admin") -> Target:
    """A target for a mock started elsewhere (a test, a script's ``with MockBMC(...)``): widgets given it log in
    as ``username`` with the mock's known password, and :meth:`Target.close` is not needed (the mock's owner
    stops it)."""
    return Target(mock.url, username, mock.ca_file, mock=mock, seed=mock.seed)


def leftover_sessions() -> dict[str, int]:
    """Sessions the notebook itself left open, on every mock started here (url -> count).

    Sessions planted with the instructor tools are not counted: they stand for other people. The notebook tests
    run this in the kernel after the last cell, so a tutorial that forgets to log out fails.
    """
    with _started_lock:
        mocks, planted = list(_started), {key: set(ids) for key, ids in _planted.items()}
    return {
        url: sum(1 for s in mock.sessions() if s["id"] not in planted.get(id(mock), ()))
        for url, mock in mocks
    }


def sessions_opened_here() -> int | None:
    """How many sessions this notebook opened on its mocks and left open: the last line of every tutorial.

    None when no mock was started (a real BMC's session list also holds other people's sessions).
    """
    leftovers = leftover_sessions()
    return sum(leftovers.values()) if leftovers else None


LEFT_OPEN = "sessions this notebook left open:"


def finish() -> None:
    """The last cell of every notebook: log out what the notebook opened and prove nothing is left open.

    Every client of this kernel on one of the notebook's BMCs is closed (its session deleted), then the notebook's
    own sessions still on its mocks are counted — planted ones stand for other people and do not count. The mocks
    keep running until the kernel stops, so the widgets above still work after "Run All": those given the lab
    target log in again.
    Prints two lines (and returns nothing, so the cell shows no ``Out``). On a real BMC, whose session list is not
    the notebook's alone, the count is the logouts that failed (those sessions stay until the idle timeout).
    """
    with _started_lock:
        urls = set(_notebook_bmcs)
    closed, failed = log_out_everything(urls)
    on_mocks = sessions_opened_here()
    left = failed if on_mocks is None else on_mocks
    noun = "client" if closed == 1 else "clients"
    print(f"logged out {closed} {noun} this notebook still had open")
    print(LEFT_OPEN, left)


@atexit.register
def _stop_all() -> None:
    with _started_lock:
        mocks = [mock for _, mock in _started]
    for mock in mocks:
        _stop(mock)


# Last: lab_fleet builds on the names above (a runbook's many BMCs), and this module re-exports it.
from .lab_fleet import LAB_FLEET_SESSIONS, FleetTargets, fleet_targets  # noqa: E402
