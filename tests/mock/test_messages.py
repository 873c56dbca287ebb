"""Message items and envelopes in both flavours, straight from the module (no server)."""

from __future__ import annotations

import pytest

from redfishnb.mock.flavors import ILO6, RMC, get_flavor
from redfishnb.mock.messages import error_body, message, success_body


def test_ilo_items_are_terse_with_args_only_when_parameterised() -> None:
    assert message(ILO6, "NoValidSession") == {"MessageId": "Base.1.12.NoValidSession"}
    assert message(ILO6, "LoginAttemptDelayedSeconds", 10) == {
        "MessageId": "iLO.2.34.LoginAttemptDelayedSeconds",
        "MessageArgs": ["10"],
    }
    assert message(ILO6, "PropertyUnknown", "Foo", related=["#/Foo"])["RelatedProperties"] == ["#/Foo"]


def test_rmc_items_are_expanded_from_the_registry() -> None:
    item = message(RMC, "PropertyValueOutOfRange", 5, "SessionTimeout")
    assert item["MessageId"] == "Base.1.8.PropertyValueOutOfRange"
    assert (
        item["Message"]
        == "The value '5' for the property SessionTimeout is not in the supported range of acceptable values."
    )
    assert item["Severity"] == item["MessageSeverity"] == "Warning"
    assert item["Resolution"]


def test_ilo_only_conditions_map_to_base_messages_on_the_rmc() -> None:
    item = message(RMC, "UnauthorizedLoginAttempt")
    assert item["MessageId"] == "Base.1.8.ResourceAtUriUnauthorized"
    assert len(item["MessageArgs"]) == 2 and "%" not in item["Message"]
    assert message(RMC, "NoOperation")["Message"].startswith("The request body submitted contain no data")


def test_envelopes() -> None:
    ilo = error_body(ILO6, [message(ILO6, "InsufficientPrivilege")])
    assert ilo["error"]["code"] == "iLO.0.10.ExtendedInfo"
    rmc = error_body(RMC, [message(RMC, "InsufficientPrivilege")])
    assert rmc["error"]["code"] == "Base.1.8.GeneralError" and rmc["error"]["message"].startswith(
        "A general error"
    )
    assert success_body(ILO6)["error"]["@Message.ExtendedInfo"] == [{"MessageId": "Base.1.12.Success"}]
    assert success_body(RMC)["@Message.ExtendedInfo"][0]["Message"] == "The request completed successfully."


def test_flavor_lookup() -> None:
    assert get_flavor("ILO6") is ILO6 and get_flavor(RMC) is RMC
    with pytest.raises(ValueError, match="ilo6"):
        get_flavor("ilo5")
