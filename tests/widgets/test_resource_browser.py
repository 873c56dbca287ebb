"""ResourceBrowser against the mock: links from the root, query options, typed errors that are not dead ends."""

from __future__ import annotations

from typing import Any

import pytest

from redfishnb.errors import InsufficientPrivilege
from redfishnb.widgets import LoginPanel, ResourceBrowser
from redfishnb.widgets.resource_browser import find_links


def test_starts_at_the_root_and_follows_links(admin_panel: LoginPanel) -> None:
    browser = ResourceBrowser(admin_panel)
    assert browser.view.uri == "/redfish/v1/" and browser.view.status == 200
    targets = [t for _, t in browser.view.links]
    assert any("SessionService" in t for t in targets)
    buttons = {b.description: b for b in browser._links.children}
    assert buttons and all("rfnb-browser-link" in b._dom_classes for b in buttons.values())

    where = next(w for w, t in browser.view.links if t.rstrip("/").endswith("SessionService"))
    buttons[where].click()
    assert browser.view.uri.rstrip("/").endswith("SessionService") and browser.history == ["/redfish/v1/"]
    assert "curl" in browser._detail.value and "X-Auth-Token: $TOKEN" in browser._detail.value
    token = admin_panel.client._auth.token
    assert token not in browser._detail.value and token not in repr(browser._repr_mimebundle_())

    browser._back.click()
    assert browser.view.uri == "/redfish/v1/" and browser.history == []


def test_query_options_follow_protocol_features(admin_panel: LoginPanel) -> None:
    browser = ResourceBrowser(admin_panel)
    features = admin_panel.client.root.get("ProtocolFeaturesSupported", {})
    assert browser._select.disabled is (not features.get("SelectQuery"))
    assert browser._only.disabled is (not features.get("OnlyMemberQuery"))
    if not browser._select.disabled:
        browser._select.value = "Id,Name"
        assert browser.navigate("/redfish/v1/SessionService/")
        assert "$select=Id" in admin_panel.client.exchanges[-1].url
        keys = {k for k in browser.view.body if not k.startswith("@odata")}
        assert keys <= {"Id", "Name"}


def test_expired_session_shows_typed_error_and_keeps_the_page(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    browser = ResourceBrowser(admin_panel)
    links_before = list(browser.view.links)
    mock_bmc.advance_clock(31 * 60)  # idle timeout: the BMC forgets the session
    assert browser.navigate("/redfish/v1/Systems/") is False
    assert browser.last.status == 401
    status = browser._status.value
    assert "Log in again" in status and "Traceback" not in status
    assert browser.view.uri == "/redfish/v1/" and browser.view.links == links_before  # not a dead end
    admin_panel.client = None  # the session is gone on the BMC


class _Forbidden:
    """A client whose every GET is refused the way iLO refuses a missing privilege."""

    root: dict = {}
    exchanges: list = []

    def get(self, path: str, **_: Any) -> Any:
        raise InsufficientPrivilege(
            f"GET {path} failed with HTTP 403", status=403, privilege="UserConfigPriv"
        )


def test_forbidden_resource_names_the_missing_privilege() -> None:
    browser = ResourceBrowser(_Forbidden())
    assert browser.view.error is not None and browser.view.links == []
    assert "UserConfigPriv" in browser._status.value and "Missing privilege" in browser._status.value


def test_find_links_walks_nested_bodies() -> None:
    body = {
        "@odata.id": "/redfish/v1/",
        "Systems": {"@odata.id": "/redfish/v1/Systems/"},
        "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions/"}},
        "Members": [{"@odata.id": "/redfish/v1/Systems/1/"}, {"@odata.id": "/redfish/v1/Systems/1"}],
    }
    assert find_links(body, skip="/redfish/v1") == [
        ("Systems", "/redfish/v1/Systems/"),
        ("Links.Sessions", "/redfish/v1/SessionService/Sessions/"),
        ("Members[0]", "/redfish/v1/Systems/1/"),
    ]


@pytest.mark.parametrize("source", [None])
def test_not_logged_in(source: Any) -> None:
    browser = ResourceBrowser(source)
    assert "Not logged in" in browser._status.value and repr(browser) == "ResourceBrowser(not logged in)"


def test_enter_in_the_path_field_navigates(admin_panel: LoginPanel) -> None:
    browser = ResourceBrowser(admin_panel)
    browser._path.value = "/redfish/v1/SessionService/"
    browser._path._handle_custom_msg({"event": "submit"}, [])  # what the browser sends on Enter
    assert browser.view.uri == "/redfish/v1/SessionService/" and browser.view.status == 200
