"""A Redfish Session as one typed record, and the BMC clock its idle time is measured on.

iLO 6 reports who, from where, since when and how recently under ``Oem.Hpe`` (``LoginTime``, ``AccessTime``,
``UserIP``, ``UserTag``, ``MySession``, ``Privileges``); DSP0266's Session v1_7 has ``CreatedTime``,
``ClientOriginIPAddress``, ``SessionType``, ``Context`` and ``Roles`` but no access time; the Superdome Flex RMC
adds ``Oem.Hpe.InitialRole``. One :class:`Session` holds them all, the preferred spelling first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..privileges import role_of
from .fields import Record, redfish
from .links import same_uri

__all__ = ["Session", "age", "bmc_now", "idle"]


@dataclass(frozen=True)
class Session(Record):
    """One session as the service reports it; a field the service does not give is None, never a guess."""

    uri: str | None = redfish("@odata.id", column="URI")
    id: str | None = redfish("Id", column="Id")
    username: str | None = redfish("UserName", column="UserName")
    # The facts, each from wherever this service keeps it (iLO's OEM spelling first): what code reads.
    #: where the client connected from (iLO's UserIP, else the standard ClientOriginIPAddress)
    user_ip: str | None = redfish("Oem/Hpe/UserIP", "ClientOriginIPAddress")
    #: the kind of client (iLO's UserTag: REST, Web UI ...; else the standard SessionType)
    user_tag: str | None = redfish("Oem/Hpe/UserTag", "SessionType")
    user_type: str | None = redfish("Oem/Hpe/UserType", column="UserType")
    user_account: str | None = redfish("Oem/Hpe/UserAccount")
    context: str | None = redfish("Context", column="Context")
    initial_role: str | None = redfish("Oem/Hpe/InitialRole")
    roles: tuple[str, ...] | None = redfish("Roles", kind="texts", column="Roles")
    login_time: datetime | None = redfish("Oem/Hpe/LoginTime", "CreatedTime", kind="datetime")
    #: the last request on the session; standard sessions have none, so their idle time is unknown
    access_time: datetime | None = redfish("Oem/Hpe/AccessTime", kind="datetime", column="AccessTime")
    expires: datetime | None = redfish("Oem/Hpe/UserExpires", "ExpirationTime", kind="datetime")
    my_session: bool | None = redfish("Oem/Hpe/MySession", kind="bool")
    #: iLO's ``{privilege: granted}`` of the session's account
    privileges: Mapping[str, bool] | None = redfish("Oem/Hpe/Privileges", kind="flags")
    # Each spelling on its own, for tables that show where a service keeps what (an absent one stays empty).
    oem_user_ip: str | None = redfish("Oem/Hpe/UserIP", column="UserIP")
    oem_user_tag: str | None = redfish("Oem/Hpe/UserTag", column="UserTag")
    oem_login_time: datetime | None = redfish("Oem/Hpe/LoginTime", kind="datetime", column="LoginTime")
    oem_expires: datetime | None = redfish("Oem/Hpe/UserExpires", kind="datetime", column="UserExpires")
    client_origin_ip: str | None = redfish("ClientOriginIPAddress", column="ClientOriginIPAddress")
    session_type: str | None = redfish("SessionType", column="SessionType")
    created_time: datetime | None = redfish("CreatedTime", kind="datetime", column="CreatedTime")
    expiration_time: datetime | None = redfish("ExpirationTime", kind="datetime", column="ExpirationTime")

    @property
    def keeps_oem(self) -> bool:
        """Whether the body carries iLO's ``Oem.Hpe`` session details (iLO, the RMC)."""
        texts = (self.oem_user_ip, self.oem_user_tag, self.user_type, self.user_account, self.initial_role)
        others = (self.oem_login_time, self.access_time, self.oem_expires, self.my_session, self.privileges)
        return any(value is not None for value in (*texts, *others))

    @property
    def keeps_standard(self) -> bool:
        """Whether the body carries Session v1_2+ details (``ClientOriginIPAddress``, ``CreatedTime`` ...)."""
        standard = (self.client_origin_ip, self.session_type, self.created_time, self.expiration_time)
        return any(value is not None for value in (*standard, self.context, self.roles))

    @property
    def role(self) -> str | None:
        """The session's role: the RMC's InitialRole, the first standard Role, or what iLO's privileges make."""
        if self.initial_role:
            return self.initial_role
        if self.roles:
            return self.roles[0]
        return role_of(self.privileges)

    @property
    def granted(self) -> tuple[str, ...] | None:
        """The granted iLO privileges, sorted; None when the service does not say."""
        if self.privileges is None:
            return None
        return tuple(sorted(name for name, value in self.privileges.items() if value))

    def is_mine(self, my_uri: str | None = None) -> bool | None:
        """Whether this is the caller's session: the service's MySession flag, or the URI the caller holds.

        None when neither is known (a standard service asked without the caller's session URI)."""
        if my_uri and same_uri(self.uri, my_uri):
            return True
        if self.my_session is not None:
            return self.my_session
        return False if my_uri else None


def idle(session: Session, now: datetime) -> timedelta | None:
    """How long the session has been idle at ``now`` (the BMC's clock); None when the service gives no AccessTime.

    A clock a little behind the AccessTime gives zero, not a negative idle time."""
    if session.access_time is None:
        return None
    return max(now - session.access_time, timedelta(0))


def age(session: Session, now: datetime) -> tuple[timedelta | None, str | None]:
    """How long ago the session was opened at ``now``, and the property that says so; (None, None) when unknown.

    DSP0266's ``CreatedTime`` comes first, since it is the one every standard service may carry; iLO's
    ``Oem.Hpe.LoginTime`` where it is absent. The Superdome Flex RMC has neither, so its sessions have no age."""
    for started, source in (
        (session.created_time, "CreatedTime"),
        (session.oem_login_time, "Oem.Hpe.LoginTime"),
    ):
        if started is not None:
            return max(now - started, timedelta(0)), source
    return None, None


def bmc_now(date: datetime | None, sessions: Iterable[Session]) -> datetime | None:
    """The BMC's "now": the later of its ``Date`` header and the newest AccessTime it reports.

    The request that read the sessions has just touched the caller's own session, so its AccessTime is the BMC's
    clock to the second even when the Date header lags it (HTTP dates have whole seconds) or is missing; idle
    times are then measured on one clock, whatever the kernel's clock says."""
    candidates = [date] if date is not None else []
    candidates += [s.access_time for s in sessions if s.access_time is not None]
    return max(candidates) if candidates else None
