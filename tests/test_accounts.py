"""The caller's own account (redfishnb.accounts): found in the order a restricted login may look, its password
changed by PATCH or by the ChangePassword action, and its TOTP secret generated and cleared.

A fake client answers from a table of paths; the end-to-end cases run against the openbmc mock in
tests/standard/test_openbmc.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from redfishnb import accounts, auth, errors

ACCOUNTS = "/redfish/v1/AccountService/Accounts"


class _Answer:
    def __init__(self, status: int, json: Any = None, etag: str | None = None) -> None:
        self.status, self.json, self.etag = status, json, etag


class FakeClient:
    """What the account helpers use of a client: root, username, the auth object, get/patch/post."""

    def __init__(self, answers: dict[str, Any], username: str | None = "student", root: Any = None) -> None:
        self.answers, self.username, self.sent = answers, username, []
        self.root = root or {"AccountService": {"@odata.id": "/redfish/v1/AccountService"}}
        self._auth = auth.BasicAuth(username or "", "old-Passw0rd")

    def _answer(self, method: str, path: str, **kwargs: Any) -> _Answer:
        self.sent.append((method, path, kwargs.get("json"), kwargs.get("etag")))
        answer = self.answers.get((method, path)) or _Answer(404, {})
        if kwargs.get("check", True) and answer.status >= 400:
            raise errors.ResourceNotFound(f"{method} {path}: {answer.status}")
        return answer

    def get(self, path: str, **kwargs: Any) -> _Answer:
        return self._answer("GET", path, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> _Answer:
        return self._answer("PATCH", path, json=json, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> _Answer:
        return self._answer("POST", path, json=json, **kwargs)


def _account(name: str, ident: str | None = None, **extra: Any) -> _Answer:
    uri = f"{ACCOUNTS}/{ident or name}"
    return _Answer(200, {"@odata.id": uri, "UserName": name, **extra}, etag='"e1"')


def test_the_account_the_login_named_is_used_without_looking_further():
    client = FakeClient({})
    client._auth.password_change_uri = "/redfish/v1/AccountService/Accounts/7"
    assert accounts.account_uri(client) == "/redfish/v1/AccountService/Accounts/7" and client.sent == []


def test_bmcwebs_account_id_is_the_user_name():
    client = FakeClient({("GET", f"{ACCOUNTS}/student"): _account("student")})
    assert accounts.account_uri(client) == f"{ACCOUNTS}/student"
    assert [s[:2] for s in client.sent] == [("GET", f"{ACCOUNTS}/student")], "no listing needed"


def test_numeric_ids_are_found_by_listing_the_members():
    members = {"Members": [{"@odata.id": f"{ACCOUNTS}/1"}, {"@odata.id": f"{ACCOUNTS}/2"}]}
    client = FakeClient(
        {
            ("GET", ACCOUNTS): _Answer(200, members),
            ("GET", f"{ACCOUNTS}/1"): _account("admin", "1"),
            ("GET", f"{ACCOUNTS}/2"): _account("student", "2"),
        }
    )
    assert accounts.account_uri(client) == f"{ACCOUNTS}/2"
    with pytest.raises(errors.ResourceNotFound, match="No account named 'nobody'"):
        accounts.account_uri(client, "nobody")


def test_an_ilo_root_keeps_its_trailing_slashes_and_a_uri_is_taken_as_given():
    client = FakeClient({}, root={"AccountService": {"@odata.id": "/redfish/v1/AccountService/"}})
    client.answers[("GET", f"{ACCOUNTS}/")] = _Answer(200, {"Members": []})
    with pytest.raises(errors.ResourceNotFound):
        accounts.account_uri(client)
    assert [s[1] for s in client.sent] == [f"{ACCOUNTS}/student", f"{ACCOUNTS}/"]
    assert accounts.account_uri(client, "/x/3") == "/x/3"
    with pytest.raises(errors.RedfishError, match="does not know its user name"):
        accounts.account_uri(FakeClient({}, username=None))


def test_change_password_patches_with_the_etag_and_the_credentials_follow():
    client = FakeClient(
        {("GET", f"{ACCOUNTS}/student"): _account("student"), ("PATCH", f"{ACCOUNTS}/student"): _Answer(204)}
    )
    client._auth.password_change_uri = ""  # restricted, account not named
    assert accounts.change_password(client, "n3w-Passw0rd") == f"{ACCOUNTS}/student"
    assert client.sent[-1] == ("PATCH", f"{ACCOUNTS}/student", {"Password": "n3w-Passw0rd"}, '"e1"')
    assert client._auth.password == "n3w-Passw0rd" and client._auth.password_change_uri is None


def test_change_password_uses_the_change_password_action_when_given_the_old_password():
    action = f"{ACCOUNTS}/student/Actions/ManagerAccount.ChangePassword"
    offered = _account("student", Actions={"#ManagerAccount.ChangePassword": {"target": action}})
    client = FakeClient({("GET", f"{ACCOUNTS}/student"): offered, ("POST", action): _Answer(204)})
    accounts.change_password(client, "n3w-Passw0rd", old_password="old-Passw0rd")
    assert client.sent[-1][:3] == (
        "POST",
        action,
        {"SessionAccountPassword": "old-Passw0rd", "NewPassword": "n3w-Passw0rd"},
    )
    without_old = FakeClient(
        {("GET", f"{ACCOUNTS}/student"): offered, ("PATCH", f"{ACCOUNTS}/student"): _Answer(200)}
    )
    accounts.change_password(without_old, "n3w-Passw0rd")
    assert without_old.sent[-1][0] == "PATCH", "no old password: the standard PATCH"


def test_generate_and_clear_totp_secret_call_the_account_actions():
    base = f"{ACCOUNTS}/student/Actions/ManagerAccount"
    offered = _account(
        "student",
        Actions={
            "#ManagerAccount.GenerateSecretKey": {"target": f"{base}.GenerateSecretKey"},
            "#ManagerAccount.ClearSecretKey": {"target": f"{base}.ClearSecretKey"},
        },
    )
    client = FakeClient(
        {
            ("GET", f"{ACCOUNTS}/student"): offered,
            ("POST", f"{base}.GenerateSecretKey"): _Answer(200, {"SecretKey": "JBSWY3DPEHPK3PXP"}),
            ("POST", f"{base}.ClearSecretKey"): _Answer(200, {}),
        }
    )
    secret = accounts.generate_totp_secret(client)
    assert isinstance(secret, auth.TotpSecret) and secret.reveal() == "JBSWY3DPEHPK3PXP"
    assert "JBSWY3DPEHPK3PXP" not in repr(secret)
    accounts.clear_totp_secret(client, "student")
    assert client.sent[-1][:2] == ("POST", f"{base}.ClearSecretKey")


def test_an_account_without_the_totp_actions_says_so():
    client = FakeClient({("GET", f"{ACCOUNTS}/student"): _account("student")})
    with pytest.raises(errors.RedfishError, match="no #ManagerAccount.GenerateSecretKey action") as info:
        accounts.generate_totp_secret(client)
    assert "otp=" in info.value.hint
    empty = FakeClient(
        {
            ("GET", f"{ACCOUNTS}/student"): _account(
                "student", Actions={"#ManagerAccount.GenerateSecretKey": {"target": "/g"}}
            ),
            ("POST", "/g"): _Answer(200, {}),
        }
    )
    with pytest.raises(errors.RedfishError, match="without a SecretKey"):
        accounts.generate_totp_secret(empty)
