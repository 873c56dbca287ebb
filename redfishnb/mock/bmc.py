"""MockBMC: one embedded BMC you can start in a test, a notebook or from the command line.

It is a real HTTPS Redfish service on loopback that enforces what its flavour (iLO 6, iLO 7, a Superdome Flex 280
RMC: :mod:`redfishnb.mock.flavors`) enforces — authentication, sessions and their limit and idle timeout, privileges, license, certificate login —
plus an instructor API that reaches behind the curtain: list or clear sessions without logging in, plant a
session, move the clock forward to expire sessions, read the two-factor "mailbox", add accounts, toggle the
license, and make it misbehave as real BMCs do (``bmc.faults``: :mod:`redfishnb.mock.faults`). None of that
API ever returns a password; only :meth:`create_session` hands out a token, to its caller.
"""

from __future__ import annotations

import os
import ssl
import tempfile
import threading
import uuid as _uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..certs import LabCA, certificate_public_bytes
from .accounts_file import load_accounts_file
from .app import App
from .certstore import CertificateStore
from .clock import MockClock, iso
from .faults import Faults
from .flavors import Flavor, get_flavor
from .pki import LOOPBACK, TLSIdentity, certificate_hosts
from .reset import DEFAULT_DOWN_SECONDS, REPLY_GRACE_SECONDS, ResetController
from .resources import SESSIONS
from .server import MockHTTPServer
from .state import DEFAULT_ACCOUNTS, BMCState, Entropy, policy_for
from .twofactor import set_up_for_lab

T = TypeVar("T")


class PlantedSession(dict[str, Any]):
    """A session made by :meth:`MockBMC.create_session`: the keys of :meth:`MockBMC.sessions`, plus ``.token``.

    The token is an attribute, not a key, so printing the session (or a list of them) never shows it.
    """

    def __init__(self, info: dict[str, Any], token: str) -> None:
        super().__init__(info)
        self.token = token

    @property
    def uri(self) -> str:
        return str(self["uri"])

    @property
    def id(self) -> str:
        return str(self["id"])


class _PolicySetting(Generic[T]):
    """A MockBMC attribute that is one field of its :class:`Policy`, converted on assignment."""

    def __init__(self, name: str, kind: Callable[[Any], T]) -> None:
        self.name, self.kind = name, kind

    def __get__(self, bmc: MockBMC | None, owner: type | None = None) -> T:
        value: T = getattr(bmc.policy, self.name) if bmc is not None else self  # type: ignore[assignment]
        return value

    def __set__(self, bmc: MockBMC, value: Any) -> None:
        setattr(bmc.policy, self.name, self.kind(value))


class MockBMC:
    """A Redfish service faithful to ``flavor`` (default iLO 6) on https://127.0.0.1:PORT; a context manager.

    ``seed`` makes tokens, session ids, ETags and the clock reproducible (the clock starts frozen at
    2026-01-01T00:00:00Z and moves only with :meth:`advance_clock`). ``port=0`` picks a free port; 443 works
    when the process may bind it. Binding anything but loopback needs ``allow_remote=True``: the default
    accounts are public knowledge.
    """

    def __init__(
        self,
        flavor: str | Flavor = "ilo6",
        *,
        seed: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        session_limit: int | None = None,
        session_timeout: int | None = None,
        latency_ms: float = 0,
        licensed: bool = True,
        accounts: Iterable[Mapping[str, Any]] | str | os.PathLike[str] | None = None,
        limit_status: int = 503,
        login_failure_delay: int | None = None,
        failures_before_delay: int | None = None,
        lockout_threshold: int | None = None,
        lockout_duration: int | None = None,
        bad_login_status: int = 401,
        www_authenticate: bool = True,
        state_dir: str | os.PathLike[str] | None = None,
        ca: LabCA | None = None,
        allow_remote: bool = False,
        hostnames: Iterable[str] = (),
    ) -> None:
        """Settings left at None take the flavour's defaults (``flavor.json`` ``"defaults"``)."""
        _check_bind(host, allow_remote)
        self.flavor = get_flavor(flavor)
        self.seed = seed
        self.host = host
        self._requested_port = port
        self.policy = policy_for(
            self.flavor,
            session_limit=session_limit,
            session_timeout=session_timeout,
            limit_status=limit_status,
            latency_ms=latency_ms,
            login_failure_delay=login_failure_delay,
            failures_before_delay=failures_before_delay,
            lockout_threshold=lockout_threshold,
            lockout_duration=lockout_duration,
            bad_login_status=bad_login_status,
            www_authenticate=www_authenticate,
        )
        self.clock = MockClock(frozen=seed is not None)
        self.state = BMCState(self.flavor, self.clock, Entropy(seed), self.policy)
        self.state.licensed = licensed
        self._load_accounts(accounts)
        self._ca = ca
        self._hostnames = tuple(hostnames)
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self.reset_seconds = DEFAULT_DOWN_SECONDS  # how long a Manager.Reset keeps the BMC unreachable
        self.faults = Faults()  # misbehaviour on demand, as real BMCs do it: see faults.py
        self._not_started()

    def _not_started(self) -> None:
        """What exists only while serving (set up by :meth:`start`)."""
        self._tmp: Any = None
        self.tls: TLSIdentity | None = None
        self.certs: CertificateStore | None = None
        self.app: App | None = None
        self._server: MockHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.ca_file: str = ""
        self._served_before = 0
        self._resets: ResetController | None = None

    # --- lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> MockBMC:
        if self._server is not None:
            return self
        ca = self._ca or LabCA.create(f"redfishnb mock BMC CA ({self.flavor.name})")
        self.ca = ca
        minimum = ssl.TLSVersion[self.flavor.tls_minimum]
        self.tls = TLSIdentity(ca, hosts=certificate_hosts(self.host, self._hostnames), minimum=minimum)
        self.certs = CertificateStore(self.state, self.tls)
        uid = str(_uuid.UUID(int=self.seed)) if self.seed is not None else str(_uuid.uuid4())
        self.app = App(self.state, self.certs, uuid=uid, port=self._requested_port, faults=self.faults)
        tls = self.tls
        # The CA file exists before the port accepts: a script waiting for the port may read it at once.
        self.ca_file = str(self._write_ca(ca))
        try:
            self._listen(self._requested_port, lambda: tls.context)
        except OSError:
            self._cleanup_files()
            raise
        self.app.port = self.port
        self._resets = ResetController(self.state, self._stop_listening, lambda: self._listen(self.port))
        self.app.on_reset = lambda: self.reset(self.reset_seconds, wait=False)
        return self

    def _listen(self, port: int, context: Any = None) -> None:
        """Serve on ``port`` (the same port again after a reset, with the same app and TLS identity)."""
        old = self._server
        if old is not None:
            self._served_before += old.request_count
            context = old.context_factory
        self._server = MockHTTPServer((self.host, port), self.app, context, self.flavor.server_header)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"mock-bmc-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def _stop_listening(self) -> None:
        """Close the listening socket and every open connection (the server object stays, for its port)."""
        server = self._server
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def stop(self) -> None:
        if self._resets is not None:
            self._resets.cancel()
        server = self._server
        if server is None:
            return
        self._stop_listening()
        self._served_before += server.request_count
        self._server = None
        self._cleanup_files()

    def reset(self, down_seconds: float = DEFAULT_DOWN_SECONDS, *, wait: bool = True) -> None:
        """Reset the iLO: sessions end, connections drop, connections are refused for ``down_seconds``, then
        the BMC serves again with the same accounts, CAs, mappings, license and settings. With ``wait=False``
        return at once (``wait_until_up()`` blocks until it is back)."""
        if self._resets is None:
            raise RuntimeError("the mock BMC is not started")
        grace = 0.0 if wait else REPLY_GRACE_SECONDS
        self._resets.reset(down_seconds, wait=wait, grace=grace)

    def wait_until_up(self, timeout: float | None = None) -> bool:
        """Block until a reset in progress is over; False if ``timeout`` ran out first."""
        return self._resets.wait_until_up(timeout) if self._resets is not None else True

    def _cleanup_files(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    close = stop

    @property
    def running(self) -> bool:
        """True between start() and stop(): what a notebook checks before blaming anything else."""
        return self._server is not None

    def __enter__(self) -> MockBMC:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server else "stopped"
        return f"<MockBMC {self.flavor.name} {where} sessions={self.session_count}>"

    def _write_ca(self, ca: LabCA) -> Path:
        if self._state_dir is not None:
            directory = self._state_dir
            directory.mkdir(parents=True, exist_ok=True)
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="redfishnb-bmc-")
            directory = Path(self._tmp.name)
        path = directory / "ca.pem"
        path.write_bytes(certificate_public_bytes(ca.cert))
        return path

    def _load_accounts(self, accounts: Iterable[Mapping[str, Any]] | str | os.PathLike[str] | None) -> None:
        if accounts is None:
            entries: list[Mapping[str, Any]] = [
                {"username": u, "password": p, "role": r}
                for u, p, r in DEFAULT_ACCOUNTS + self.flavor.extra_accounts
            ]
        elif isinstance(accounts, (str, os.PathLike)):
            entries = list(load_accounts_file(accounts))
        else:
            entries = list(accounts)
        for entry in entries:
            self.add_account(**dict(entry))

    # --- where it listens -----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            return self._requested_port
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}" if self.port == 443 else f"https://{host}:{self.port}"

    @property
    def verify(self) -> str:
        """What to pass as ``verify=`` to a client: the CA file of this BMC."""
        return self.ca_file

    is_mock = True

    @property
    def request_count(self) -> int:
        """HTTP requests served so far (read from the server side: what a client really sent)."""
        return self._served_before + (self._server.request_count if self._server is not None else 0)

    # The policy settings an instructor changes while the BMC runs (read and written through to ``policy``).
    session_limit = _PolicySetting("session_limit", int)
    session_timeout = _PolicySetting("session_timeout", int)
    latency_ms = _PolicySetting("latency_ms", float)

    @property
    def server_fingerprint(self) -> str:
        """``sha256:<hex>`` of the certificate new connections get (changes after an HTTPS certificate import)."""
        if self.tls is None:
            raise RuntimeError("the mock BMC is not started")
        return self.tls.fingerprint

    fingerprint = server_fingerprint

    # --- instructor API: sessions and clock -----------------------------------------------------------------

    def sessions(self) -> list[dict[str, Any]]:
        """Live sessions (expired ones removed first), without tokens."""
        with self.state.lock:
            self.state.expire_sessions()
            return [s.public(self.flavor.link(f"{SESSIONS}/{s.id}")) for s in self.state.sessions.values()]

    @property
    def session_count(self) -> int:
        with self.state.lock:
            self.state.expire_sessions()
            return len(self.state.sessions)

    def clear_sessions(self) -> int:
        """Delete every session, as an iLO reset does. Returns how many there were."""
        return self.state.clear_sessions()

    def create_session(
        self, username: str, *, user_tag: str = "REST", user_ip: str = "127.0.0.1"
    ) -> PlantedSession:
        """Open a session for ``username`` without HTTP (e.g. a stale session for a lesson). Obeys the limit."""
        account = self.state.find_account(username)
        if account is None:
            raise KeyError(f"no account named {username!r}")
        session = self.state.create_session(account, user_tag=user_tag, user_ip=user_ip)
        if session is None:
            raise RuntimeError(f"the session limit ({self.policy.session_limit}) is reached")
        return PlantedSession(session.public(self.flavor.link(f"{SESSIONS}/{session.id}")), session.token)

    def advance_clock(self, seconds: float) -> None:
        """Move the BMC's clock forward: sessions idle longer than the timeout expire, delays and lockouts end."""
        self.clock.advance(seconds)
        self.state.expire_sessions()

    @property
    def now(self) -> str:
        return iso(self.clock.now())

    # --- instructor API: accounts, license, two-factor, policy ----------------------------------------------

    def add_account(
        self,
        username: str,
        password: str,
        role: str = "ReadOnly",
        *,
        privileges: Iterable[str] | None = None,
        enabled: bool = True,
        password_change_required: bool = False,
        otp_email: str | None = None,
        login_name: str | None = None,
        directory: bool = False,
    ) -> dict[str, Any]:
        """Add an account; returns it without password. ``directory=True`` makes it stand for a directory user,
        ``otp_email`` for one with that mail address, and also sets up and enables iLO two-factor login as an
        administrator would (:mod:`redfishnb.mock.twofactor`)."""
        account = self.state.add_account(
            username,
            password,
            role,
            privileges=frozenset(privileges) if privileges is not None else None,
            enabled=enabled,
            password_change_required=password_change_required,
            otp_email=otp_email,
            login_name=login_name,
            directory=directory,
        )
        if otp_email is not None:
            set_up_for_lab(self.state)
        return account.public()

    def remove_account(self, username: str) -> None:
        account = self.state.find_account(username)
        if account is None:
            raise KeyError(f"no account named {username!r}")
        self.state.remove_account(account.id)

    @property
    def accounts(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return [a.public() for a in self.state.accounts.values()]

    def last_otp(self, username: str) -> str | None:
        """The one-time passcode last "mailed" to ``username`` by a two-factor login, or None."""
        entry = self.state.otp_mailbox.get(username)
        return entry[0] if entry else None

    @property
    def licensed(self) -> bool:
        return self.state.licensed

    def set_license(self, licensed: bool) -> None:
        """iLO Advanced on (True) or factory iLO Standard (False)."""
        self.state.licensed = bool(licensed)

    # --- instructor API: certificate login ---------------------------------------------------------------------

    @property
    def certificate_login_enabled(self) -> bool:
        return bool(self._started_certs().login_enabled)

    @certificate_login_enabled.setter
    def certificate_login_enabled(self, value: bool) -> None:
        self._started_certs().login_enabled = bool(value)

    def import_ca(self, pem: str | bytes) -> None:
        """Trust a CA for certificate login, as ``HpeCertAuth.ImportCACertificate`` does."""
        self._started_certs().import_ca(pem.decode() if isinstance(pem, bytes) else pem)

    def map_certificate(self, username: str, certificate: str | bytes) -> None:
        """Map a certificate (PEM, or a SHA-256 fingerprint) to ``username``, as UserCertificateMapping does."""
        account = self.state.find_account(username)
        if account is None:
            raise KeyError(f"no account named {username!r}")
        text = certificate.decode() if isinstance(certificate, bytes) else certificate
        self._started_certs().map_certificate(account, text)

    def _started_certs(self) -> CertificateStore:
        if self.certs is None:
            raise RuntimeError("start the mock BMC first (use it as a context manager)")
        return self.certs


def _check_bind(host: str, allow_remote: bool) -> None:
    if host not in LOOPBACK and not allow_remote:
        raise ValueError(
            f"refusing to bind {host!r}: the mock's default accounts are public. Pass allow_remote=True "
            "(CLI: --allow-remote) if you really want it reachable from other machines."
        )
