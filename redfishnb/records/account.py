"""A Redfish ManagerAccount as one typed record.

iLO keeps the display name (``Oem.Hpe.LoginName``; its ``UserName`` is what one logs in with) and the ten
privileges (``Oem.Hpe.Privileges``) beside the standard ``RoleId``, ``Enabled``, ``Locked``,
``PasswordChangeRequired`` and ``AccountTypes``. ``Password`` is never read: services answer null anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..privileges import role_of
from .fields import Record, redfish

__all__ = ["Account"]


@dataclass(frozen=True)
class Account(Record):
    """One account as the service reports it; a field the service does not give is None."""

    uri: str | None = redfish("@odata.id", column="URI")
    id: str | None = redfish("Id", column="Id")
    username: str | None = redfish("UserName", column="UserName")
    login_name: str | None = redfish("Oem/Hpe/LoginName", column="LoginName")
    role_id: str | None = redfish("RoleId")
    enabled: bool | None = redfish("Enabled", kind="bool", column="Enabled")
    locked: bool | None = redfish("Locked", kind="bool", column="Locked")
    password_change_required: bool | None = redfish(
        "PasswordChangeRequired", kind="bool", column="PasswordChangeRequired"
    )
    account_types: tuple[str, ...] | None = redfish("AccountTypes", kind="texts", column="AccountTypes")
    role_link: str | None = redfish("Links/Role/@odata.id")
    privileges: Mapping[str, bool] | None = redfish("Oem/Hpe/Privileges", kind="flags")

    @property
    def role(self) -> str | None:
        """``RoleId``, else the role iLO synthesises from the privileges (None when neither is known)."""
        return self.role_id or role_of(self.privileges)
