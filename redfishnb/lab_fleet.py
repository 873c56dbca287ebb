"""The lab's fleet of embedded mocks for the stale-session runbook, or a real inventory with its user.

Split from :mod:`redfishnb.lab` (which re-exports it) because a runbook's targets are many BMCs with one set of
credentials, while a tutorial's target is one BMC with the mock's public accounts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .lab_kernel import DEFAULT_SEED, show_errors_briefly

if TYPE_CHECKING:  # pragma: no cover
    from .mock import MockBMC

__all__ = ["LAB_FLEET_SESSIONS", "FleetTargets", "fleet_targets"]


def _lab() -> Any:
    """:mod:`redfishnb.lab`, imported when first needed: it re-exports this module, so a module-level import here
    would make ``import redfishnb.lab_fleet`` (before ``redfishnb.lab``) a circular import."""
    from . import lab

    return lab


# The lab fleet's story: (user, tag, minutes idle) per BMC. Sessions idle past the runbook's threshold are "stale".
LAB_FLEET_SESSIONS: tuple[tuple[tuple[str, str, int], ...], ...] = (
    (("student", "Web UI", 95), ("operator", "REST", 55), ("operator", "REST", 5)),
    (("operator", "REST", 180), ("student", "Web UI", 12)),
    (("student", "Web UI", 3),),
)


class FleetTargets:
    """The BMCs a runbook works on: an inventory file and a user, or a small lab fleet of embedded mocks.

    The lab fleet's mocks keep idle sessions for 4 hours (``session_timeout=14400``), as BMCs configured with a
    long timeout do: that is when stale sessions pile up and a runbook is needed.
    """

    def __init__(self, inventory: Any, username: str, password_env: str, mocks: list[MockBMC] | None = None):
        self.inventory = inventory
        self.username = username
        self.password_env = password_env
        self.mocks = mocks or []

    @property
    def is_mock(self) -> bool:
        return bool(self.mocks)

    @property
    def credentials(self) -> Any:
        """A :class:`redfishnb.fleet.Credentials`, built when asked (the password is not kept on this object)."""
        from .fleet import Credentials

        if self.mocks:
            return Credentials(self.username, _lab().MOCK_ACCOUNTS[self.username])
        return Credentials(self.username, _lab().read_password(self.username, "the fleet", self.password_env))

    def __repr__(self) -> str:
        if self.mocks:
            return f"<FleetTargets lab fleet of {len(self.mocks)} embedded mock BMCs, user {self.username!r}>"
        return f"<FleetTargets {len(self.inventory)} BMCs from the inventory, user {self.username!r}>"

    def sessions_left(self) -> dict[str, int]:
        """Per lab BMC, the sessions open now, planted ones included (empty for a real inventory)."""
        return {mock.url: int(mock.session_count) for mock in self.mocks}

    def close(self) -> None:
        """Stop the lab fleet's mocks; a real fleet is left as the runbook found it."""
        mocks, self.mocks = self.mocks, []
        for mock in mocks:
            _lab()._stop(mock)


def fleet_targets(
    inventory: str | None = None,
    username: str | None = None,
    *,
    password_env: str | None = None,
    seed: int | None = DEFAULT_SEED,
    env: Mapping[str, str] | None = None,
) -> FleetTargets:
    """The runbook's BMCs: ``inventory`` (a CSV or YAML file for :func:`redfishnb.fleet.load_inventory`) with
    ``username`` (or ``REDFISH_USERNAME``) and the password in the variable named ``password_env``; or, with no
    inventory, three embedded mocks (seeds ``seed``, ``seed + 1`` ...) with the sessions of :data:`LAB_FLEET_SESSIONS`.
    """
    show_errors_briefly()
    lab = _lab()
    environ = os.environ if env is None else env
    password_env = lab._clean(password_env) or lab.ENV["password"]
    user = lab._clean(username) or lab._clean(environ.get(lab.ENV["username"]))
    path = lab._clean(inventory)
    if path:
        from .fleet import load_inventory

        if not user:
            raise lab.LabSetupError(
                f"No user name for the BMCs of {path!r}.",
                hint=f"Set {lab.ENV['username']} or pass the runbook's username parameter.",
            )
        return FleetTargets(load_inventory(path), user, password_env)
    mocks = []
    for index, story in enumerate(LAB_FLEET_SESSIONS):
        mock = lab._start_mock(None if seed is None else seed + index, {"session_timeout": 14400})
        mocks.append(mock)
        _play(mock, story)
    rows = [{"name": f"bmc-{i + 1:02d}", "url": m.url, "verify": m.ca_file} for i, m in enumerate(mocks)]
    return FleetTargets(rows, user or "admin", password_env, mocks)


def _play(mock: MockBMC, story: tuple[tuple[str, str, int], ...]) -> None:
    """Open the story's sessions oldest first, moving the mock's clock so each ends up idle for its minutes."""
    ordered = sorted(story, key=lambda item: -item[2])
    for (user_name, tag, minutes), following in zip(ordered, [*ordered[1:], None], strict=True):
        _lab()._plant(mock, user_name, tag)
        mock.advance_clock(60 * (minutes - (following[2] if following else 0)))
