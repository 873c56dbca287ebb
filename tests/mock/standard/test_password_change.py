"""The PasswordChangeRequired gate: own account read and Password PATCH, own session read/logout, nothing else."""

from __future__ import annotations

import pytest

from redfishnb.mock.standard.password_change import clears_requirement, permits


@pytest.mark.parametrize(
    ("entity", "method", "own", "props", "ok"),
    [
        ("ManagerAccount", "GET", True, (), True),
        ("ManagerAccount", "HEAD", True, (), True),
        ("ManagerAccount", "PATCH", True, ("Password",), True),
        ("ManagerAccount", "PATCH", True, ("Password", "Enabled"), False),
        ("ManagerAccount", "PATCH", True, ("RoleId",), False),
        ("ManagerAccount", "DELETE", True, (), False),
        ("ManagerAccount", "POST", True, (), False),
        ("ManagerAccount", "GET", False, (), False),
        ("Session", "DELETE", True, (), True),
        ("Session", "GET", True, (), True),
        ("Session", "GET", False, (), False),
        ("SessionCollection", "GET", True, (), False),
        ("ComputerSystem", "GET", False, (), False),
        ("ServiceRoot", "HEAD", False, (), False),
    ],
)
def test_gate(entity: str, method: str, own: bool, props: tuple[str, ...], ok: bool) -> None:
    assert permits(entity, method, own=own, properties=props) is ok


def test_password_write_clears() -> None:
    assert clears_requirement(["Password"])
    assert not clears_requirement(["Enabled"])
