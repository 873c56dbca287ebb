"""PrivilegeMatrix against the mock: accounts grouped by role, own session, errors shown."""

from __future__ import annotations

from typing import Any

from widget_helpers import log_in

import redfishnb
from redfishnb.widgets import LoginPanel, PrivilegeMatrix


def test_matrix_of_accounts_grouped_by_role(admin_panel: LoginPanel) -> None:
    matrix = PrivilegeMatrix(admin_panel)
    frame = matrix.frame
    assert list(frame.index.get_level_values("Role"))[:3] == ["Administrator", "Operator", "ReadOnly"]
    html = matrix._table.value
    assert "✓" in html and "✗" in html and "T_rfnb-privileges" in html
    assert "Privileges per account, by role" in html
    text = repr(matrix)
    assert text.startswith("PrivilegeMatrix(of='accounts')") and "UserConfigPriv" in text
    assert "0x" not in text


def test_my_session_view_for_a_read_only_user(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    matrix = PrivilegeMatrix(panel, of="session")
    assert "Not logged in" in matrix._table.value
    log_in(panel, "student", "student")
    assert matrix.frame.index.tolist() == [("ReadOnly", "student")]
    assert matrix.frame.loc[("ReadOnly", "student")].sum() == 1
    matrix._of.value = "accounts"  # switching re-reads (the mock lets any logged-in user read the accounts)
    assert {"admin", "operator", "student"} <= set(matrix.frame.index.get_level_values("UserName"))
    panel.logout()
    assert "Not logged in" in matrix._table.value


def test_errors_go_to_the_status_line(mock_bmc: Any) -> None:
    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    client.close()  # a closed client: every request fails with a typed error
    matrix = PrivilegeMatrix(client)
    assert matrix.frame is None
    assert "closed" in matrix._status.value and "What to do" in matrix._status.value
    assert "My session" in matrix._status.value  # the hint towards what any user may read
