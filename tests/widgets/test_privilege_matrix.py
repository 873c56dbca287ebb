"""PrivilegeMatrix against the mock: accounts grouped by role, own session, errors shown."""

from __future__ import annotations

import re
from typing import Any

from widget_helpers import log_in

import redfishnb
from redfishnb.errors import InsufficientPrivilege
from redfishnb.widgets import LoginPanel, PrivilegeMatrix
from redfishnb.widgets._common import PLAIN_CLOSED, status_text


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


def test_headers_are_short_human_names_with_the_raw_name_as_tooltip(admin_panel: LoginPanel) -> None:
    html = PrivilegeMatrix(admin_panel)._table.value
    for raw, label in [
        ("LoginPriv", "Login"),
        ("RemoteConsolePriv", "Remote console"),
        ("VirtualMediaPriv", "Virtual media"),
        ("VirtualPowerAndResetPriv", "Power &amp; reset"),
        ("iLOConfigPriv", "Configure iLO"),
        ("UserConfigPriv", "Administer users"),
        ("HostBIOSConfigPriv", "Host BIOS"),
        ("HostNICConfigPriv", "Host NIC"),
        ("HostStorageConfigPriv", "Host storage"),
        ("SystemRecoveryConfigPriv", "Recovery set"),
    ]:
        assert f'<span title="{raw}">{label}</span>' in html
    assert "<wbr>" not in html  # no header broken inside a word
    assert "word-break: normal" in html and "max-width: 8em" in html
    # Role and UserName are ordinary columns: one header row, no row of index names
    assert "index_name" not in html and "row_heading" not in html
    assert html.count("<tr>", 0, html.index("<tbody>")) == 1
    heads = re.findall(
        r'<th id="T_rfnb-privileges_level0_col(\d+)" class="col_heading[^"]*" >(.*?)</th>', html
    )
    assert [label for _, label in heads[:2]] == ["Role", '<span title="UserName">User</span>']


def test_a_closed_client_is_explained_in_one_line(mock_bmc: Any) -> None:
    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    client.close()  # what a later cell's logout does
    for of in ("accounts", "session"):
        matrix = PrivilegeMatrix(client, of=of)
        assert matrix.frame is None
        assert status_text(matrix._status.value) == PLAIN_CLOSED  # not "creates no session", not a traceback


def test_a_session_less_client_gets_the_real_cause(mock_bmc: Any) -> None:
    with redfishnb.connect(
        mock_bmc.url, "admin", "password", auth="basic", verify=mock_bmc.ca_file
    ) as client:
        matrix = PrivilegeMatrix(client, of="session")
        assert "basic authentication, which creates no session" in matrix._status.value


def test_errors_go_to_the_status_line_with_the_my_session_hint() -> None:
    class Refusing:
        """A client the BMC refuses to show the accounts to."""

        root: dict[str, Any] = {}
        exchanges: list[Any] = []
        closed = False

        def get(self, uri: str, **_kwargs: Any) -> Any:
            raise InsufficientPrivilege("Forbidden", privilege="UserConfigPriv", status=403)

    matrix = PrivilegeMatrix(Refusing())
    assert matrix.frame is None
    text = status_text(matrix._status.value)
    assert "UserConfigPriv" in text and "My session" in text and "Traceback" not in text
