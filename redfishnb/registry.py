"""Message registry texts for the MessageIds that matter to authentication and sessions.

Redfish errors carry MessageIds such as ``Base.1.12.NoValidSession``. The Superdome Flex 280 RMC sends the full
message, severity and resolution with each id; iLO sends only the id (its "terse" form) and expects clients to
look the text up in the registry it serves. One table serves both sides of this kit: the mock BMC expands ids
into full messages for the RMC flavour, and the client turns iLO's terse ids into readable errors.

Texts follow the DMTF Base registry and HPE's iLO registry; ``%1``, ``%2`` are replaced by ``MessageArgs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MessageDef", "lookup", "split_message_id", "format_message", "BASE", "ILO"]


@dataclass(frozen=True)
class MessageDef:
    """One registry entry: the message pattern, its severity and what the user should do about it."""

    message: str
    severity: str
    resolution: str

    @property
    def arg_count(self) -> int:
        return sum(1 for i in range(1, 10) if f"%{i}" in self.message)


_C, _W, _OK = "Critical", "Warning", "OK"

BASE: dict[str, MessageDef] = {
    "Success": MessageDef("The request completed successfully.", _OK, "None."),
    "Created": MessageDef("The resource was created successfully.", _OK, "None."),
    "GeneralError": MessageDef(
        "A general error has occurred. See Resolution for information on how to resolve the error.",
        _C,
        "None.",
    ),
    "NoValidSession": MessageDef(
        "There is no valid session established with the implementation.",
        _C,
        "Establish a session before attempting any operations.",
    ),
    "ResourceAtUriUnauthorized": MessageDef(
        "While accessing the resource at '%1', the service received an authorization error '%2'.",
        _C,
        "Ensure that the appropriate access is provided for the service in order for it to access the URI.",
    ),
    "InsufficientPrivilege": MessageDef(
        "There are insufficient privileges for the account or credentials associated with the current session "
        "to perform the requested operation.",
        _C,
        "Either abandon the operation or change the associated access rights and resubmit the request if the "
        "operation failed.",
    ),
    "AccessDenied": MessageDef(
        "While attempting to establish a connection to '%1', the service denied access.",
        _C,
        "Attempt to ensure that the URI is correct and that the service has the appropriate credentials.",
    ),
    "SessionLimitExceeded": MessageDef(
        "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the "
        "implementation.",
        _C,
        "Reduce the number of other sessions before trying to establish the session or increase the limit of "
        "simultaneous sessions, if supported.",
    ),
    "CreateLimitReachedForResource": MessageDef(
        "The create operation failed because the resource has reached the limit of possible resources.",
        _C,
        "Either delete resources and resubmit the request if the operation failed or do not resubmit the request.",
    ),
    "SessionTerminated": MessageDef("The session was successfully terminated.", _OK, "None."),
    "OneTimePasscodeSent": MessageDef(
        "A one-time passcode was sent to: %1. Supply the one-time passcode as part of the authentication "
        "request.",
        _OK,
        "Supply the one-time passcode in the Token property of the session creation request.",
    ),
    "PasswordChangeRequired": MessageDef(
        "The password provided for this account must be changed before access is granted. PATCH the Password "
        "property for this account located at the target URI '%1' to complete this process.",
        _C,
        "Change the password for this account using a PATCH to the Password property at the URI provided.",
    ),
    "AuthenticationTokenRequired": MessageDef(
        "The request could not be performed because an authentication token was not provided.",
        _C,
        "Obtain an authentication token and resubmit the request.",
    ),
    "AccountForSessionNoLongerExists": MessageDef(
        "The account for the current session was removed, and so the current session was removed as well.",
        _OK,
        "Attempt to connect with a valid account.",
    ),
    "ResourceMissingAtURI": MessageDef(
        "The resource at the URI '%1' was not found.",
        _C,
        "Place a valid resource at the URI or correct the URI and resubmit the request.",
    ),
    "ResourceNotFound": MessageDef(
        "The requested resource of type %1 named '%2' was not found.",
        _C,
        "Provide a valid resource identifier and resubmit the request.",
    ),
    "ResourceAlreadyExists": MessageDef(
        "The requested resource of type %1 with the property %2 with the value '%3' already exists.",
        _C,
        "Do not repeat the create operation as the resource was already created.",
    ),
    "OperationNotAllowed": MessageDef(
        "The HTTP method is not allowed on this resource.",
        _C,
        "None.",
    ),
    "ActionNotSupported": MessageDef(
        "The action %1 is not supported by the resource.",
        _C,
        "The action supplied cannot be resubmitted to the implementation. Perhaps the action was invalid, the "
        "wrong resource was the target or the implementation documentation may be of assistance.",
    ),
    "MalformedJSON": MessageDef(
        "The request body submitted was malformed JSON and could not be parsed by the receiving service.",
        _C,
        "Ensure that the request body is valid JSON and resubmit the request.",
    ),
    "PropertyMissing": MessageDef(
        "The property %1 is a required property and must be included in the request.",
        _W,
        "Ensure that the property is in the request body and has a valid value and resubmit the request if the "
        "operation failed.",
    ),
    "PropertyUnknown": MessageDef(
        "The property %1 is not in the list of valid properties for the resource.",
        _W,
        "Remove the unknown property from the request body and resubmit the request if the operation failed.",
    ),
    "PropertyNotWritable": MessageDef(
        "The property %1 is a read only property and cannot be assigned a value.",
        _W,
        "Remove the property from the request body and resubmit the request if the operation failed.",
    ),
    "PropertyValueTypeError": MessageDef(
        "The value '%1' for the property %2 is not a type that the property can accept.",
        _W,
        "Correct the value for the property in the request body and resubmit the request if the operation failed.",
    ),
    "PropertyValueFormatError": MessageDef(
        "The value '%1' for the property %2 is not a format that the property can accept.",
        _W,
        "Correct the value for the property in the request body and resubmit the request if the operation failed.",
    ),
    "PropertyValueNotInList": MessageDef(
        "The value '%1' for the property %2 is not in the list of acceptable values.",
        _W,
        "Choose a value from the enumeration list that the implementation can support and resubmit the request "
        "if the operation failed.",
    ),
    "PropertyValueOutOfRange": MessageDef(
        "The value '%1' for the property %2 is not in the supported range of acceptable values.",
        _W,
        "Correct the value for the property in the request body and resubmit the request if the operation failed.",
    ),
    "ActionParameterMissing": MessageDef(
        "The action %1 requires the parameter %2 to be present in the request body.",
        _C,
        "Supply the action with the required parameter in the request body when the request is resubmitted.",
    ),
    "ActionParameterValueFormatError": MessageDef(
        "The value '%1' for the parameter %2 in the action %3 is not a format that the parameter can accept.",
        _W,
        "Correct the value for the parameter in the request body and resubmit the request if the operation failed.",
    ),
    "QueryNotSupported": MessageDef(
        "Querying is not supported by the implementation.",
        _W,
        "Remove the query parameters and resubmit the request if the operation failed.",
    ),
    "QueryParameterUnsupported": MessageDef(
        "Query parameter '%1' is not supported.",
        _W,
        "Correct or remove the query parameter and resubmit the request.",
    ),
    "QueryParameterValueFormatError": MessageDef(
        "The value '%1' for the parameter %2 is not a format that the parameter can accept.",
        _W,
        "Correct the value for the query parameter in the request and resubmit the request if the operation "
        "failed.",
    ),
    "QueryParameterValueError": MessageDef(
        "The value for the parameter %1 is invalid.",
        _W,
        "Correct the value for the query parameter in the request and resubmit the request if the operation "
        "failed.",
    ),
    "PreconditionFailed": MessageDef(
        "The ETag supplied did not match the ETag required to change this resource.",
        _C,
        "Try the operation again using the appropriate ETag.",
    ),
    "PreconditionRequired": MessageDef(
        "A precondition header or annotation is required to change this resource.",
        _C,
        "Try the operation again using an If-Match or If-None-Match header and appropriate ETag.",
    ),
    "HeaderInvalid": MessageDef(
        "The request specified a header '%1' that is not valid.",
        _C,
        "Resubmit the request with a valid header value.",
    ),
    "InternalError": MessageDef(
        "The request failed due to an internal service error.  The service is still operational.",
        _C,
        "Resubmit the request.  If the problem persists, consider resetting the service.",
    ),
    "ServiceTemporarilyUnavailable": MessageDef(
        "The service is temporarily unavailable.  Retry in %1 seconds.",
        _C,
        "Wait for the indicated retry duration and retry the operation.",
    ),
    "LicenseRequired": MessageDef(
        "A license is required for this operation: %1.",
        _C,
        "Install the requested license and resubmit the request.",
    ),
    "StringValueTooLong": MessageDef(
        "The string '%1' exceeds the length limit %2.",
        _W,
        "Resubmit the request with an appropriate string length.",
    ),
    "UnsupportedMediaType": MessageDef(
        "The request specified a Content-Type header that is not supported.",
        _C,
        "Resubmit the request with a supported media type, such as application/json.",
    ),
}

# HPE iLO registry (iLO.2.x): the entries a login, license or certificate-login workflow can meet.
ILO: dict[str, MessageDef] = {
    "UnauthorizedLoginAttempt": MessageDef(
        "The login was not successful, because the supplied credentials could not be authorized.",
        _W,
        "Log in with authorized user name and password credentials.",
    ),
    "LoginAttemptDelayed": MessageDef(
        "The login was not successful, so the service enforces a delay before another login is allowed.",
        _W,
        "Wait for the delay time to expire before attempting another login.",
    ),
    "LoginAttemptDelayedSeconds": MessageDef(
        "The login was not successful, so the service enforces a %1 second delay before another login is "
        "allowed.",
        _W,
        "Wait %1 seconds before attempting another login.",
    ),
    "LicenseKeyRequired": MessageDef(
        "A license key is required to use this operation or feature.",
        _C,
        "Install a license key that enables the feature (iLO Advanced for certificate login).",
    ),
    "AuthenticationTokenExpired": MessageDef(
        "The one-time passcode has expired.",
        _W,
        "Log in again to receive a new one-time passcode.",
    ),
    "MailNotConfigured": MessageDef(
        "The user's e-mail address or the SMTP settings needed to send a one-time passcode are not configured.",
        _C,
        "Configure the user's e-mail address and SMTP for two-factor authentication.",
    ),
    "CertificateLoginDisabled": MessageDef(
        "Certificate (CAC/Smartcard) login is disabled.",
        _C,
        "PATCH CertificateLoginEnabled to true at /redfish/v1/Managers/1/SecurityService/CertificateAuthentication.",
    ),
    "InvalidClientCertificate": MessageDef(
        "The client certificate could not be authenticated: %1.",
        _C,
        "Import the certificate authority that signed the client certificate and map the certificate to a user.",
    ),
    "UserAlreadyExist": MessageDef(
        "The user or login user name already exists.",
        _W,
        "Try a different user or login user name.",
    ),
    "ResetRequired": MessageDef(
        "One or more properties were changed and will not take effect until the device is reset.",
        _W,
        "Reset the management processor to apply the change.",
    ),
    "ImportCertSuccessfuliLOResetinProgress": MessageDef(
        "The certificate was imported successfully and the management processor web server is restarting.",
        _OK,
        "Reconnect after the web server restarts.",
    ),
}

_REGISTRIES = {"Base": BASE, "iLO": ILO}


def split_message_id(message_id: str) -> tuple[str, str, str]:
    """Split ``Base.1.12.NoValidSession`` into (``"Base"``, ``"1.12"``, ``"NoValidSession"``).

    Ids without a version (``NoValidSession``) give an empty registry and version.
    """
    parts = message_id.split(".")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], ".".join(parts[1:-1]), parts[-1]


def lookup(message_id: str) -> MessageDef | None:
    """The registry entry for a MessageId, whatever the registry version in it (iLO and RMC differ)."""
    registry, _version, key = split_message_id(message_id)
    if registry:
        table = _REGISTRIES.get(registry)
        return table.get(key) if table else None
    return BASE.get(key) or ILO.get(key)


def format_message(message_id: str, args: list[Any] | tuple[Any, ...] = ()) -> str | None:
    """The human text for a MessageId with its arguments substituted, or None for an unknown id."""
    entry = lookup(message_id)
    if entry is None:
        return None
    text = entry.message
    for i, arg in enumerate(args, start=1):
        text = text.replace(f"%{i}", str(arg))
    return text
