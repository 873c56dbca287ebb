"""Everything the mock BMC remembers: accounts, sessions, policy settings, license, and its sources of chance.

One lock guards it all, so the session limit holds under any number of concurrent logins. In seeded mode the
tokens, session ids and one-time passcodes come from a seeded generator and the clock is frozen, so a notebook
run twice shows the same outputs; otherwise tokens come from :mod:`secrets` as on a real BMC.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
from dataclasses import dataclass, field

from .clock import MockClock, iso
from .flavors import Flavor
from .privileges import ROLE_PRIVILEGES, role_for
from .standard.privilege_registry import STANDARD_LOGIN
from .standard.privilege_registry import load as standard_privileges
from .standard.session_resource import ID_LENGTH, TOKEN_LENGTH, alphanumeric

# iLO allows 39 characters; session ids embed the name, so it must be safe in a URI path segment.
_USERNAME = re.compile(r"[^\s/?#%\\]{1,39}")

DEFAULT_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("admin", "password", "Administrator"),
    ("operator", "operator", "Operator"),
    ("student", "student", "ReadOnly"),
)


def valid_username(name: object) -> bool:
    return isinstance(name, str) and _USERNAME.fullmatch(name) is not None


class Entropy:
    """Random hex strings and passcodes: :mod:`secrets` normally, a seeded generator in seeded mode."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed) if seed is not None else None
        self._lock = threading.Lock()

    @property
    def seeded(self) -> bool:
        return self._rng is not None

    def hex(self, nbytes: int) -> str:
        if self._rng is None:
            return secrets.token_hex(nbytes)
        with self._lock:
            return f"{self._rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"

    def alphanumeric(self, n: int) -> str:
        """``[A-Za-z0-9]`` characters, as bmcweb's session ids and tokens."""
        return alphanumeric(n, self._rng)

    def digits(self, n: int) -> str:
        if self._rng is None:
            return "".join(secrets.choice("0123456789") for _ in range(n))
        with self._lock:
            return "".join(self._rng.choice("0123456789") for _ in range(n))


@dataclass
class Account:
    id: str
    username: str
    password: str = field(repr=False)
    privileges: frozenset[str]
    enabled: bool = True
    password_change_required: bool = False
    otp_email: str | None = None  # two-factor: where the one-time passcode is "sent"
    directory: bool = False  # stands for a directory user: two-factor login applies to these (twofactor.py)
    login_name: str = ""
    generation: int = 0  # bumped on every change; part of the ETag

    @property
    def role(self) -> str:
        if STANDARD_LOGIN in self.privileges:  # DMTF privilege names (openbmc flavour), not iLO's
            return standard_privileges().role_of(self.privileges)
        return role_for(self.privileges)

    def public(self) -> dict[str, object]:
        """What the instructor API shows: never the password."""
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "privileges": sorted(self.privileges),
            "enabled": self.enabled,
            "password_change_required": self.password_change_required,
            "two_factor": self.otp_email is not None,
        }


@dataclass
class FailureRecord:
    """Failed logins for one user name (known or not, so refusals reveal nothing about which names exist)."""

    failures: int = 0
    last_failure: float = 0.0
    delayed_until: float = 0.0
    locked_until: float = 0.0


@dataclass
class Session:
    id: str
    token: str = field(repr=False)
    username: str
    account_id: str
    user_tag: str
    user_ip: str
    login_time: float
    access_time: float
    initial_role: str
    user_type: str = "Local"

    def public(self, path: str) -> dict[str, object]:
        """The instructor view of a session: no token."""
        return {
            "id": self.id,
            "uri": path,
            "username": self.username,
            "user_tag": self.user_tag,
            "user_ip": self.user_ip,
            "login_time": iso(self.login_time),
            "access_time": iso(self.access_time),
            "role": self.initial_role,
        }


@dataclass
class Policy:
    """Settings an instructor or a test may change while the BMC runs."""

    session_limit: int = 8
    session_timeout: int = 1800  # idle seconds; 0 = never
    limit_status: int = 503  # 503 SessionLimitExceeded, or 400 CreateLimitReachedForResource
    latency_ms: float = 0.0
    login_failure_delay: int = 0  # iLO's AuthFailureDelayTimeSeconds (iLO default 10); 0 = off
    failures_before_delay: int = 1  # iLO's AuthFailuresBeforeDelay: the delay starts after this many failures
    lockout_threshold: int = 0  # AccountLockoutThreshold; 0 = never lock
    lockout_duration: int = 300  # AccountLockoutDuration (s)
    lockout_reset_after: int = 300  # AccountLockoutCounterResetAfter (s)
    bad_login_status: int = 401  # 401, or 400 as older iLO firmware answered
    www_authenticate: bool = True  # send "WWW-Authenticate: Basic" with 401s (HTTPBasicAuth "Enabled")
    otp_lifetime: int = 300


def policy_for(flavor: Flavor, **given: object) -> Policy:
    """The BMC's starting policy: the settings given, the flavour's defaults for those left at None.

    ``limit_status`` must be 503 (SessionLimitExceeded) or 400 (CreateLimitReachedForResource)."""
    if given.get("limit_status") not in (None, 400, 503):
        raise ValueError(
            "limit_status must be 503 (SessionLimitExceeded) or 400 (CreateLimitReachedForResource)"
        )
    values = {k: flavor.defaults.get(k) if v is None else v for k, v in given.items()}
    return Policy(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


class BMCState:
    """Accounts, sessions, license and policy of one mock BMC."""

    def __init__(self, flavor: Flavor, clock: MockClock, entropy: Entropy, policy: Policy) -> None:
        self.flavor = flavor
        self.clock = clock
        self.entropy = entropy
        self.policy = policy
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}
        self._by_token: dict[str, Session] = {}
        self.licensed = True
        self.license_key_tail = "LAB42"
        self.otp_mailbox: dict[str, tuple[str, float]] = {}  # username -> (code, expires)
        self.login_failures: dict[str, FailureRecord] = {}
        self._next_account = 1
        # Documented iLO settings no handler models, as PATCHed: concrete path -> dotted property -> value.
        self.overrides: dict[str, dict[str, object]] = {}
        self.power_state = "On"
        self.ntp_enabled = True
        self.ntp_servers: list[str] = []
        # iLO: DHCPv4/v6 supply the SNTP settings (then HpeiLODateTime's static ones are read-only); the lab's are static
        self.sntp_from_dhcp = False
        self.min_password_length = 8  # enforced on Redfish writes; the built-in lab accounts predate it
        self.two_factor = False  # AccountService Oem.Hpe.TwoFactorAuth (twofactor.py)
        self.smtp_for_tfa = False  # ManagerNetworkProtocol Oem.Hpe.SMTPForTFAEnabled
        # What a flavour's own modules keep (e.g. iLO 7's application accounts), by module-chosen key.
        self.extras: dict[str, object] = {}

    # --- accounts -------------------------------------------------------------------------------------------

    def add_account(
        self,
        username: str,
        password: str,
        role: str = "ReadOnly",
        *,
        privileges: set[str] | frozenset[str] | None = None,
        enabled: bool = True,
        password_change_required: bool = False,
        otp_email: str | None = None,
        login_name: str | None = None,
        directory: bool = False,
    ) -> Account:
        if not valid_username(username):
            raise ValueError("a user name has 1 to 39 characters, without spaces or / ? # % \\")
        if role not in ROLE_PRIVILEGES:
            raise ValueError(f"role must be one of {sorted(ROLE_PRIVILEGES)}, not {role!r}")
        with self.lock:
            if self.find_account(username):
                raise ValueError(f"an account named {username!r} already exists")
            acc = Account(
                id=str(self._next_account),
                username=username,
                password=password,
                privileges=frozenset(privileges)
                if privileges is not None
                else self.flavor.hook("role_privileges")(role),
                enabled=enabled,
                password_change_required=password_change_required,
                otp_email=otp_email,
                directory=directory or otp_email is not None,
                login_name=login_name or username,
            )
            self._next_account += 1
            self.accounts[acc.id] = acc
            return acc

    def find_account(self, username: str) -> Account | None:
        with self.lock:
            for acc in self.accounts.values():
                if acc.username == username:
                    return acc
        return None

    def remove_account(self, account_id: str) -> Account | None:
        with self.lock:
            acc = self.accounts.pop(account_id, None)
            if acc:
                for s in [s for s in self.sessions.values() if s.account_id == account_id]:
                    self._drop(s)
            return acc

    # --- sessions -------------------------------------------------------------------------------------------

    def new_session_id(self, username: str, now: float) -> str:
        if self.flavor.session_id_style == "ilo":  # iLO: user name + 16-hex login epoch + short random hex
            return f"{username}{int(now):016x}{self.entropy.hex(4)[:7]}"
        if self.flavor.session_id_style == "bmcweb":  # 10 alphanumerics, token 20 (bmcweb sessions.hpp)
            return self.entropy.alphanumeric(ID_LENGTH)
        return f"{username}{self.entropy.hex(16)}"

    def _new_token(self) -> str:
        if self.flavor.session_id_style == "bmcweb":
            return self.entropy.alphanumeric(TOKEN_LENGTH)
        return self.entropy.hex(16)

    def create_session(self, account: Account, user_tag: str, user_ip: str) -> Session | None:
        """Open a session, or return None when the limit is reached (checked and applied under one lock)."""
        with self.lock:
            self.expire_sessions()
            limit = self.policy.session_limit
            if limit and len(self.sessions) >= limit:  # 0: no limit (bmcweb has none)
                return None
            now = self.clock.now()
            token = self._new_token()
            while token in self._by_token:  # pragma: no cover - 119 bits or more
                token = self._new_token()
            sid = self.new_session_id(account.username, now)
            while sid in self.sessions:  # pragma: no cover - 28 random bits within one second
                sid = self.new_session_id(account.username, now)
            session = Session(
                id=sid,
                token=token,
                username=account.username,
                account_id=account.id,
                user_tag=user_tag,
                user_ip=user_ip,
                login_time=now,
                access_time=now,
                initial_role=account.role,
                user_type="Directory" if account.directory else "Local",
            )
            self.sessions[sid] = session
            self._by_token[token] = session
            return session

    def session_for_token(self, token: str) -> Session | None:
        """The live session holding ``token``, touched (idle timer restarted); expired sessions vanish first."""
        with self.lock:
            self.expire_sessions()
            session = self._by_token.get(token)
            if session is not None:
                session.access_time = self.clock.now()
            return session

    def expires_at(self, session: Session) -> float | None:
        timeout = self.policy.session_timeout
        return session.access_time + timeout if timeout else None

    def expire_sessions(self) -> int:
        with self.lock:
            if not self.policy.session_timeout:
                return 0
            now = self.clock.now()
            dead = [s for s in self.sessions.values() if now >= s.access_time + self.policy.session_timeout]
            for s in dead:
                self._drop(s)
            return len(dead)

    def delete_session(self, session_id: str) -> Session | None:
        with self.lock:
            s = self.sessions.get(session_id)
            if s:
                self._drop(s)
            return s

    def clear_sessions(self) -> int:
        with self.lock:
            n = len(self.sessions)
            self.sessions.clear()
            self._by_token.clear()
            return n

    def _drop(self, session: Session) -> None:
        self.sessions.pop(session.id, None)
        self._by_token.pop(session.token, None)

    def find_session(self, session_id: str) -> Session | None:
        with self.lock:
            self.expire_sessions()
            s = self.sessions.get(session_id)
            if s is None:  # iLO paths are case-insensitive
                low = session_id.lower()
                s = next((x for x in self.sessions.values() if x.id.lower() == low), None)
            return s
