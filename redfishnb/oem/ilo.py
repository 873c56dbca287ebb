"""HPE iLO OEM helpers: license, clock, certificate-login setup, the BMC's HTTPS certificate, MySession.

Certificate login on iLO is a chain of prerequisites, each failing in its own way: an "iLO Advanced" license, a
BMC clock that agrees with the certificates' validity, ``CertificateLoginEnabled``, the CA imported into
``CACertificates``, and the user certificate mapped to an iLO user (``UserCertificateMapping``, with the whole PEM
in a property called ``Fingerprint``). Each step here is one call that checks its prerequisite first and raises
the kit's typed error with a hint, instead of a bare 403 from the BMC.

Privileges, as iLO documents them: importing trusted CAs, the CAC/Smartcard settings and the HTTPS certificate
need "Configure iLO Settings" (``iLOConfigPriv``); user accounts and certificate mappings need "Administer User
Accounts" (``UserConfigPriv``). The caller's privileges are read from its own session
(``Oem.Hpe.Privileges``) and a missing one is reported before the request is sent.

Every function takes a connected client (:func:`redfishnb.connect`) and works against a real iLO 5/6 or the
embedded mock. Action targets are read from each resource's ``Actions``, never assumed.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
import time
import warnings
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from .. import certs
from .._json import dig, odata_id
from ..errors import (
    CertificateExpired,
    CertificateLoginDisabled,
    CertificateNotMapped,
    CertificateNotTrusted,
    ClockSkew,
    InsufficientPrivilege,
    LicenseRequired,
    RedfishError,
    ResourceNotFound,
    ServiceError,
    TLSVerificationFailed,
)
from ..wording import format_duration

__all__ = [
    "MANAGER",
    "License",
    "ClockReport",
    "ClockSkewWarning",
    "read_license",
    "require_advanced_license",
    "install_license",
    "bmc_clock",
    "check_clock",
    "caller_privileges",
    "require_privilege",
    "certificate_login_settings",
    "enable_certificate_login",
    "disable_certificate_login",
    "import_ca_certificate",
    "list_ca_certificates",
    "remove_ca_certificate",
    "map_user_certificate",
    "list_user_certificate_mappings",
    "remove_user_certificate_mapping",
    "find_account",
    "ensure_user",
    "https_certificate",
    "replace_https_certificate",
    "certificate_login_problems",
    "setup_certificate_login",
    "whoami",
]

MANAGER = "/redfish/v1/Managers/1"
_LICENSE = f"{MANAGER}/LicenseService/"
_CERT_AUTH = f"{MANAGER}/SecurityService/CertificateAuthentication"
_HTTPS_CERT = f"{MANAGER}/SecurityService/HttpsCert"
_ACCOUNT_SERVICE = "/redfish/v1/AccountService"
_ACCOUNTS = f"{_ACCOUNT_SERVICE}/Accounts"
_MAPPINGS = f"{_ACCOUNT_SERVICE}/UserCertificateMapping"

# What each operation needs on iLO (user guide: "Prerequisites" of each page).
_ILO_CONFIG = "iLOConfigPriv"
_USER_CONFIG = "UserConfigPriv"
_ADVANCED_TIERS = {"ADV", "BLADV", "APSE"}

CertLike = certs.Source | x509.Certificate | certs.KeyPair


def _body(response: Any) -> dict[str, Any]:
    body = getattr(response, "json", response)
    return dict(body) if isinstance(body, Mapping) else {}


def _link(body: Mapping[str, Any], fallback: str, *paths: tuple[str, ...]) -> str:
    """The first ``@odata.id`` found at one of ``paths`` in ``body``, else the documented fallback URI."""
    for path in paths:
        found = odata_id(dig(body, *path))
        if found:
            return found
    return fallback


def _action_target(body: Mapping[str, Any], action: str, resource: str) -> str:
    """``Actions["#<action>"].target``: iLO versions differ (``HpHttpsCert`` vs ``HpeHttpsCert``), so read it."""
    actions = body.get("Actions") if isinstance(body.get("Actions"), Mapping) else {}
    short = action.split(".", 1)[1]
    for name, spec in actions.items():
        if name.lstrip("#") == action or name.endswith(f".{short}"):
            target = spec.get("target") if isinstance(spec, Mapping) else None
            if target:
                return target
    raise ServiceError(
        f"{resource} offers no {action} action (Actions: {sorted(actions) or 'none'}).",
        hint="This firmware does not support the operation through Redfish: update the iLO firmware or use its web UI.",
    )


def _members(client: Any, uri: str) -> list[dict[str, Any]]:
    """The members of a collection, read with ``$expand`` where iLO offers it (see redfishnb.tables)."""
    from ..tables import read_collection

    return [dict(m) for m in read_collection(client, uri).members]


def _uri(member: Mapping[str, Any]) -> str:
    return str(member.get("@odata.id") or "")


def _path_of(uri: str | None) -> str:
    """A ``Location`` (iLO makes it absolute) as the path the rest of the kit uses."""
    return urlsplit(uri).path if uri else ""


# ---------------------------------------------------------------------------------------------------------------
# License


@dataclass(frozen=True)
class License:
    """The installed iLO license (``HpeiLOLicense``). ``key`` is masked by iLO itself (``XXXXX-…-KL562``)."""

    name: str
    tier: str | None
    type: str | None
    key: str | None
    features: Mapping[str, Any]

    @property
    def advanced(self) -> bool:
        """True for the tiers that include certificate (CAC/Smartcard) login: Advanced and its editions."""
        if (self.type or "").lower() in {"expired", "unlicensed"}:
            return False
        return (self.tier or "").upper() in _ADVANCED_TIERS or "advanced" in self.name.lower()


def read_license(client: Any) -> License:
    """The license, read as HPE documents it: ``GET /redfish/v1/Managers/1/LicenseService/?only``.

    ``?only`` returns the collection's single member in place of the collection; a service that ignores it
    returns the collection, whose first member is read instead.
    """
    body = _body(client.get(f"{_LICENSE}?only"))
    if "Members" in body:
        members = body.get("Members") or []
        if not members:
            return License(name="", tier=None, type="Unlicensed", key=None, features={})
        body = _body(client.get(odata_id(members[0]) or ""))
    return License(
        name=str(body.get("License") or ""),
        tier=body.get("LicenseTier"),
        type=body.get("LicenseType"),
        key=body.get("LicenseKey"),
        features=body.get("LicenseFeatures") or {},
    )


def require_advanced_license(client: Any, feature: str = "Certificate (CAC/Smartcard) login") -> License:
    """The license, or :class:`~redfishnb.errors.LicenseRequired` unless it is iLO Advanced (or an edition of it)."""
    lic = read_license(client)
    if not lic.advanced:
        shown = lic.name or "no license"
        raise LicenseRequired(
            f"{feature} needs an iLO Advanced license; this iLO has {shown!r} (type {lic.type})."
        )
    return lic


_LICENSE_KEY = re.compile(r"^[0-9A-Za-z]{5}(?:-[0-9A-Za-z]{5}){4}$")


def install_license(client: Any, key: str) -> License:
    """Install a license key as the seed shows: ``POST /redfish/v1/Managers/1/LicenseService/ {"LicenseKey": ...}``.

    The key's shape (five groups of five characters) is checked first, and iLOConfigPriv. Returns the license
    the BMC reports afterwards.
    """
    if not isinstance(key, str) or not _LICENSE_KEY.match(key.strip()):
        raise ValueError(
            "an iLO license key is five groups of five letters or digits: XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
        )
    require_privilege(client, _ILO_CONFIG, "install a license")
    client.post(_LICENSE, json={"LicenseKey": key.strip()})
    return read_license(client)


# ---------------------------------------------------------------------------------------------------------------
# Clock


class ClockSkewWarning(UserWarning):
    """The BMC's clock differs from this machine's by more than the tolerance."""


@dataclass(frozen=True)
class ClockReport:
    """The BMC's time and this machine's at the same moment. ``skew`` is BMC minus local."""

    bmc: _dt.datetime
    local: _dt.datetime
    source: str

    @property
    def skew(self) -> _dt.timedelta:
        return self.bmc - self.local

    def __str__(self) -> str:
        seconds = self.skew.total_seconds()
        shown = f"BMC clock {self.bmc:%Y-%m-%d %H:%M:%S} UTC"
        if abs(seconds) < 0.5:
            return f"{shown} agrees with the local clock to the second ({self.source})."
        way = "ahead of" if seconds > 0 else "behind"
        return f"{shown} is {format_duration(seconds)} {way} the local clock ({self.source})."


def _parse_time(value: Any) -> _dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)).astimezone(_dt.timezone.utc)


def bmc_clock(client: Any) -> ClockReport:
    """The BMC's time: the manager's ``DateTime`` (Redfish standard), else the ``Date`` header of the answer.

    The local time is taken half-way through the request, so the network's round trip does not count as skew.
    """
    before = _dt.datetime.now(_dt.timezone.utc)
    response = client.get(MANAGER)
    after = _dt.datetime.now(_dt.timezone.utc)
    local = before + (after - before) / 2
    bmc = _parse_time(_body(response).get("DateTime"))
    source = "Manager DateTime"
    if bmc is None:
        header = (getattr(response, "headers", None) or {}).get("Date")
        bmc = email.utils.parsedate_to_datetime(header) if header else None
        source = "Date header"
    if bmc is None:
        raise ServiceError(
            f"{MANAGER} shows no DateTime and the answer has no Date header: the BMC's clock cannot be read.",
            hint="Check the date and time on the BMC's web page (iLO: Information > iLO Overview).",
        )
    return ClockReport(bmc=bmc, local=local, source=source)


def check_clock(
    client: Any,
    *,
    cert: CertLike | None = None,
    warn_after: float = 60.0,
    fail_after: float | None = None,
) -> ClockReport:
    """Compare the BMC's clock with this machine's; certificate validity depends on the BMC's.

    Warns (:class:`ClockSkewWarning`) beyond ``warn_after`` seconds and raises
    :class:`~redfishnb.errors.ClockSkew` beyond ``fail_after``. With ``cert``, the certificate is judged by the
    BMC's clock: valid here but not there raises ``ClockSkew`` (fix the BMC's time: NTP); invalid on both
    clocks raises :class:`~redfishnb.errors.CertificateExpired` (issue a new certificate).
    """
    report = bmc_clock(client)
    seconds = abs(report.skew.total_seconds())
    if cert is not None:
        c = certs.load_certificate(cert)
        at_bmc = certs.validity_status(c, report.bmc)
        if at_bmc != "valid":
            if certs.validity_status(c, report.local) == "valid":
                raise ClockSkew(
                    f"The certificate is {at_bmc} by the BMC's clock but valid by the local clock. {report}"
                )
            certs.check_validity(c, report.bmc, clock="BMC")  # wrong by both clocks: the certificate's fault
    if fail_after is not None and seconds > fail_after:
        raise ClockSkew(str(report))
    if seconds > warn_after:
        warnings.warn(f"{report} Configure NTP on the BMC.", ClockSkewWarning, stacklevel=2)
    return report


# ---------------------------------------------------------------------------------------------------------------
# The caller's privileges


def _session_body(client: Any) -> dict[str, Any]:
    try:
        return _body(client.my_session())
    except RedfishError:
        return {}


# Set while one multi-step call runs, so its steps read the caller's privileges once, not once per step.
_KNOWN_PRIVILEGES: ContextVar[tuple[Any, dict[str, bool] | None] | None] = ContextVar(
    "_KNOWN_PRIVILEGES", default=None
)


def caller_privileges(client: Any) -> dict[str, bool] | None:
    """The caller's iLO privileges: its session's ``Oem.Hpe.Privileges``, else its account's.

    None when the service shows neither (a non-HPE BMC): the BMC then decides alone.
    """
    known = _KNOWN_PRIVILEGES.get()
    if known is not None and known[0] is client:
        return known[1]
    privileges = dig(_session_body(client), "Oem", "Hpe", "Privileges")
    if not isinstance(privileges, Mapping) and getattr(client, "username", None):
        account = find_account(client, client.username)
        privileges = dig(account, "Oem", "Hpe", "Privileges") if account else None
    return {str(k): bool(v) for k, v in privileges.items()} if isinstance(privileges, Mapping) else None


def require_privilege(client: Any, privilege: str, action: str) -> None:
    """Raise :class:`~redfishnb.errors.InsufficientPrivilege` now if the caller lacks ``privilege``.

    The BMC would refuse too, with a bare 403; saying which privilege and why before sending is kinder.
    """
    privileges = caller_privileges(client)
    if privileges is not None and not privileges.get(privilege, False):
        user = getattr(client, "username", None) or "this account"
        raise InsufficientPrivilege(
            f"{user!r} cannot {action}: iLO requires the {privilege} privilege.", privilege=privilege
        )


# ---------------------------------------------------------------------------------------------------------------
# Certificate login: settings, trusted CAs, user mappings


def certificate_login_settings(client: Any) -> dict[str, Any]:
    """The ``HpeCertAuth`` resource: ``CertificateLoginEnabled``, ``StrictCACModeEnabled``, links and actions."""
    return _body(client.get(_CERT_AUTH))


def enable_certificate_login(client: Any, enabled: bool = True) -> dict[str, Any]:
    """``PATCH {"CertificateLoginEnabled": true}``; checks the license and iLOConfigPriv first.

    Returns the settings as the BMC shows them afterwards. Already in the wanted state: no request is sent.
    """
    require_privilege(client, _ILO_CONFIG, "change the certificate login settings")
    if enabled:
        require_advanced_license(client)
    settings = certificate_login_settings(client)
    if settings.get("CertificateLoginEnabled") is not enabled:
        client.patch(_CERT_AUTH, json={"CertificateLoginEnabled": enabled})
        settings = certificate_login_settings(client)
    return settings


def disable_certificate_login(client: Any) -> dict[str, Any]:
    """``PATCH {"CertificateLoginEnabled": false}``."""
    return enable_certificate_login(client, False)


def _ca_collection(client: Any, settings: Mapping[str, Any] | None = None) -> str:
    settings = certificate_login_settings(client) if settings is None else settings
    return _link(settings, f"{_CERT_AUTH}/CACertificates", ("CACertificates",), ("Links", "CACertificates"))


def list_ca_certificates(client: Any) -> list[dict[str, Any]]:
    """The trusted CAs for certificate login (``HpeCertificate``: Subject, Issuer, SerialNumber, validity)."""
    return _members(client, _ca_collection(client))


def _serial_matches(text: Any, serial: int) -> bool:
    """iLO's ``SerialNumber`` as hex (with or without colons) or decimal."""
    if text is None:
        return False
    digits = str(text).replace(":", "").replace(" ", "").strip()
    candidates = []
    if re.fullmatch(r"[0-9a-fA-F]+", digits):
        candidates.append(int(digits, 16))
    if digits.isdigit():
        candidates.append(int(digits))
    return serial in candidates


def _cn_of(text: Any) -> str | None:
    match = re.search(r"(?:^|[,/]\s*)CN\s*=\s*([^,/]+)", str(text or ""))
    return match.group(1).strip() if match else None


def _find_ca(members: list[dict[str, Any]], ca_cert: x509.Certificate) -> dict[str, Any] | None:
    cn = certs.cn_of(ca_cert)
    for member in members:
        if _serial_matches(member.get("SerialNumber"), ca_cert.serial_number) and _cn_of(
            member.get("Subject")
        ) in (
            cn,
            None,
        ):
            return member
    return None


def import_ca_certificate(client: Any, ca: CertLike) -> str:
    """Import the CA that signed the user certificates (``HpeCertAuth.ImportCACertificate``).

    The action target comes from the resource's ``Actions``. Already imported (same serial number): nothing is
    sent. Returns the URI of the CA in ``CACertificates`` when the BMC lists it.
    """
    require_privilege(client, _ILO_CONFIG, "import a trusted CA certificate")
    ca_cert = certs.load_certificate(ca)
    settings = certificate_login_settings(client)
    collection = _ca_collection(client, settings)
    existing = _find_ca(_members(client, collection), ca_cert)
    if existing:
        return _uri(existing)
    target = _action_target(settings, "HpeCertAuth.ImportCACertificate", _CERT_AUTH)
    pem = certs.certificate_public_bytes(ca_cert).decode()
    response = client.post(target, json={"Action": "HpeCertAuth.ImportCACertificate", "Certificate": pem})
    found = _find_ca(_members(client, collection), ca_cert)
    return _uri(found) if found else (_path_of(getattr(response, "location", None)) or collection)


def remove_ca_certificate(client: Any, which: str | CertLike) -> bool:
    """Remove a trusted CA, given its URI in ``CACertificates`` or the CA certificate. False when not there."""
    require_privilege(client, _ILO_CONFIG, "remove a trusted CA certificate")
    if _is_uri(which):
        uri = which
    else:
        member = _find_ca(list_ca_certificates(client), certs.load_certificate(which))
        if member is None:
            return False
        uri = _uri(member)
    try:
        client.delete(uri)
    except ResourceNotFound:
        return False
    return True


def list_user_certificate_mappings(client: Any) -> list[dict[str, Any]]:
    """Certificate-to-user mappings (``HpeiLOAccountCertificateMap``: UserName, Fingerprint, digest algorithm)."""
    return _members(client, _MAPPINGS)


def _mapping_matches(member: Mapping[str, Any], cert: x509.Certificate) -> bool:
    """Does this mapping hold ``cert``? iLO may show the PEM it was given or a digest of it."""
    stored = str(member.get("Fingerprint") or "")
    if "-----BEGIN" in stored:
        try:
            return certs.load_certificate(certs.json_string_to_pem(stored)) == cert
        except RedfishError:
            return False
    algorithm = str(member.get("FingerprintDigestAlgorithm") or "").lower().replace("-", "")
    for name in ([algorithm] if algorithm in ("sha1", "sha256", "sha384", "sha512") else []) + [
        "sha256",
        "sha1",
    ]:
        if certs.fingerprints_match(stored, certs.fingerprint(cert, name)):
            return True
    return False


def map_user_certificate(client: Any, username: str, cert: CertLike) -> str:
    """Map a user certificate to an iLO user: ``POST UserCertificateMapping {"UserName", "Fingerprint": <PEM>}``.

    iLO wants the whole PEM in the property named ``Fingerprint`` (``json=`` does the escaping the seed does
    with ``sed``). Checks UserConfigPriv and that the user exists first; an existing mapping of the same
    certificate to the same user is kept. Returns the mapping's URI.
    """
    require_privilege(client, _USER_CONFIG, "map a certificate to a user")
    c = certs.load_certificate(cert)
    if find_account(client, username) is None:
        raise ResourceNotFound(
            f"There is no iLO user {username!r} to map the certificate to.",
            hint="Create it first: redfishnb.oem.ilo.ensure_user(client, username, password).",
        )
    for member in list_user_certificate_mappings(client):
        if member.get("UserName") == username and _mapping_matches(member, c):
            return _uri(member)
    pem = certs.certificate_public_bytes(c).decode()
    response = client.post(_MAPPINGS, json={"UserName": username, "Fingerprint": pem})
    location = _path_of(getattr(response, "location", None))
    if location:
        return location
    found = [m for m in list_user_certificate_mappings(client) if _mapping_matches(m, c)]
    return _uri(found[0]) if found else _MAPPINGS


def remove_user_certificate_mapping(client: Any, which: str | CertLike) -> int:
    """Remove mappings by URI, by user name (all of that user's) or by certificate. Returns how many went."""
    require_privilege(client, _USER_CONFIG, "remove a certificate mapping")
    if _is_uri(which):
        uris = [which]
    else:
        members = list_user_certificate_mappings(client)
        if isinstance(which, str) and "-----BEGIN" not in which and not _looks_like_path(which):
            uris = [_uri(m) for m in members if m.get("UserName") == which]
        else:
            c = certs.load_certificate(which)
            uris = [_uri(m) for m in members if _mapping_matches(m, c)]
    removed = 0
    for uri in uris:
        try:
            client.delete(uri)
            removed += 1
        except ResourceNotFound:
            pass
    return removed


def _is_uri(which: Any) -> bool:
    return isinstance(which, str) and which.startswith(("/redfish/", "https://", "http://"))


def _looks_like_path(text: str) -> bool:
    return text.endswith((".pem", ".crt", ".cer", ".der")) or "/" in text or "\\" in text


# ---------------------------------------------------------------------------------------------------------------
# Accounts


def find_account(client: Any, username: str) -> dict[str, Any] | None:
    """The ``ManagerAccount`` whose ``UserName`` (iLO's login name) is ``username``, or None."""
    for member in _members(client, _ACCOUNTS):
        if member.get("UserName") == username:
            return member
    return None


def ensure_user(
    client: Any, username: str, password: str | None = None, *, role: str = "ReadOnly"
) -> tuple[str, bool]:
    """The account's URI, creating it (``POST Accounts``) when missing. Returns ``(uri, created)``.

    Needs UserConfigPriv to create. ``password`` is only needed when the account does not exist yet; it is sent
    once in the request body and never shown.
    """
    existing = find_account(client, username)
    if existing:
        return _uri(existing), False
    require_privilege(client, _USER_CONFIG, "create a user account")
    if not password:
        raise ValueError(f"the iLO user {username!r} does not exist; pass password= to create it")
    response = client.post(_ACCOUNTS, json={"UserName": username, "Password": password, "RoleId": role})
    uri = _path_of(getattr(response, "location", None)) or _uri(_body(response))
    if not uri:
        created = find_account(client, username)
        uri = _uri(created) if created else _ACCOUNTS
    return uri, True


# ---------------------------------------------------------------------------------------------------------------
# The BMC's own HTTPS certificate


def https_certificate(client: Any) -> dict[str, Any]:
    """The ``HttpsCert`` resource: ``X509CertificateInformation`` of the certificate iLO serves, any pending CSR."""
    return _body(client.get(_HTTPS_CERT))


def replace_https_certificate(
    client: Any,
    ca: certs.LabCA,
    *,
    common_name: str | None = None,
    country: str = "US",
    state: str = "Lab",
    city: str = "Lab",
    org_name: str = "redfishnb lab",
    org_unit: str = "",
    include_ip: bool = True,
    days: int = 365,
    timeout: float = 120.0,
    poll: float = 1.0,
) -> x509.Certificate:
    """Give the BMC a certificate signed by ``ca``, then verify the BMC against that CA.

    The seed's "SSL Certificate Signing Request" step: ``HpeHttpsCert.GenerateCSR`` (iLO makes a new key and a
    CSR, which appears in ``CertificateSigningRequest`` when ready), sign it with the lab CA (server usage; the
    host name of the client's URL is added to the SANs), ``HpeHttpsCert.ImportCertificate``, then wait until a
    fresh TLS connection presents the new certificate and it verifies against the CA with the host name
    checked — iLO restarts its web server to switch. Afterwards connect with ``verify=<the CA file>``
    instead of trusting the old self-signed certificate. Needs iLOConfigPriv.
    """
    require_privilege(client, _ILO_CONFIG, "replace the HTTPS certificate")
    host = urlsplit(client.url).hostname or ""
    resource = https_certificate(client)
    previous_csr = resource.get("CertificateSigningRequest")
    target = _action_target(resource, "HpeHttpsCert.GenerateCSR", _HTTPS_CERT)
    body = {
        "City": city,
        "CommonName": common_name or host,
        "Country": country,
        "OrgName": org_name,
        "OrgUnit": org_unit,
        "State": state,
        "IncludeIP": include_ip,
    }
    client.post(target, json=body)
    deadline = time.monotonic() + timeout
    while True:
        resource = https_certificate(client)
        pem = resource.get("CertificateSigningRequest")
        if pem and pem != previous_csr:
            break
        if time.monotonic() > deadline:
            raise ServiceError(
                f"iLO did not publish the new CSR within {timeout:g} s.",
                hint="iLO can take a few minutes to generate a key: call again with a larger timeout=.",
            )
        time.sleep(poll)
    csr = certs.load_csr(certs.json_string_to_pem(pem))
    signed = ca.sign_csr(csr, usage="server", days=days, sans=[host] if host else ())
    import_target = _action_target(resource, "HpeHttpsCert.ImportCertificate", _HTTPS_CERT)
    client.post(import_target, json={"Certificate": certs.certificate_public_bytes(signed).decode()})
    wanted = certs.fingerprint(signed)
    seen = "nothing yet"
    while True:
        try:
            served = certs.server_certificate(client.url, ca=ca, timeout=min(10.0, timeout))
            if certs.fingerprint(served) == wanted:
                return signed
            seen = f"still the old certificate {certs.format_fingerprint(certs.fingerprint(served))[:23]}…"
        except RedfishError as exc:  # restarting, or still the old certificate (not from the lab CA)
            seen = exc.message
        if time.monotonic() > deadline:
            raise TLSVerificationFailed(
                f"The BMC does not serve the imported certificate {certs.format_fingerprint(wanted)[:23]}… "
                f"within {timeout:g} s (last seen: {seen}).",
                fingerprint=wanted,
            )
        time.sleep(poll)


# ---------------------------------------------------------------------------------------------------------------
# The whole chain


def certificate_login_problems(
    client: Any, cert: CertLike, username: str | None = None
) -> list[RedfishError]:
    """What stands between ``cert`` and a certificate login, as the typed errors a login would meet.

    Read-only (no privilege needed beyond reading): license, ``CertificateLoginEnabled``, the issuing CA among
    ``CACertificates`` (matched by the issuer's common name), the certificate's validity by the BMC's clock,
    and a mapping of this certificate (to ``username`` when given). An empty list means ready.
    """
    c = certs.load_certificate(cert)
    problems: list[RedfishError] = []
    try:
        require_advanced_license(client)
    except LicenseRequired as exc:
        problems.append(exc)
    settings = certificate_login_settings(client)
    if not settings.get("CertificateLoginEnabled"):
        problems.append(
            CertificateLoginDisabled("Certificate login (CAC/Smartcard) is disabled on this iLO.")
        )
    issuer_cn = certs.cn_of(c.issuer) or c.issuer.rfc4514_string()
    cas = _members(client, _ca_collection(client, settings))
    if not any(_cn_of(m.get("Subject")) == issuer_cn for m in cas):
        problems.append(
            CertificateNotTrusted(
                f"The CA that issued the certificate ({issuer_cn!r}) is not among the iLO's trusted CAs."
            )
        )
    try:
        check_clock(client, cert=c, warn_after=float("inf"))
    except (ClockSkew, CertificateExpired) as exc:
        problems.append(exc)
    mapped = [m for m in list_user_certificate_mappings(client) if _mapping_matches(m, c)]
    if username is not None:
        mapped = [m for m in mapped if m.get("UserName") == username]
    if not mapped:
        who = f" to {username!r}" if username else ""
        problems.append(
            CertificateNotMapped(f"The certificate is not mapped{who} in UserCertificateMapping.")
        )
    return problems


def setup_certificate_login(
    client: Any,
    *,
    ca: CertLike,
    username: str,
    cert: CertLike,
    password: str | None = None,
    role: str = "ReadOnly",
) -> list[dict[str, Any]]:
    """Every setup step of the seed's certificate-login section, in its order, each done only if needed.

    License, clock (judging ``cert`` by the BMC's clock), enable, the iLO user (created with ``password`` and
    ``role`` if missing), the mapping of ``cert`` to ``username``, the CA import. Returns one row per step
    (``step``, ``result``, ``detail``) for a table; the first failing step raises its typed error.
    """
    token = _KNOWN_PRIVILEGES.set((client, caller_privileges(client)))
    try:
        return list(_setup_steps(client, ca=ca, username=username, cert=cert, password=password, role=role))
    finally:
        _KNOWN_PRIVILEGES.reset(token)


def _setup_steps(
    client: Any, *, ca: CertLike, username: str, cert: CertLike, password: str | None, role: str
) -> Iterator[dict[str, Any]]:
    def row(step: str, changed: bool | None, detail: str) -> dict[str, Any]:
        result = "ok" if changed is None else ("changed" if changed else "already")
        return {"step": step, "result": result, "detail": detail}

    yield row("license", None, require_advanced_license(client).name)
    yield row("clock", None, str(check_clock(client, cert=cert)))
    was = certificate_login_settings(client).get("CertificateLoginEnabled")
    enable_certificate_login(client)
    yield row("enable", not was, "CertificateLoginEnabled = true")
    uri, created = ensure_user(client, username, password, role=role)
    yield row("user", created, uri)
    before = {_uri(m) for m in list_user_certificate_mappings(client)}
    mapping = map_user_certificate(client, username, cert)
    yield row("mapping", mapping not in before, mapping)
    before_ca = {_uri(m) for m in list_ca_certificates(client)}
    ca_uri = import_ca_certificate(client, ca)
    yield row("ca", ca_uri not in before_ca, ca_uri)


# ---------------------------------------------------------------------------------------------------------------
# Proof of identity


def whoami(client: Any) -> dict[str, Any]:
    """Who this session is, as the seed proves it: the ``Oem.Hpe.Links.MySession`` resource, summarised.

    ``privileges`` lists the iLO privileges the session holds (true flags only). A client without a session
    (Basic authentication) gets its user name and its account's privileges, and None for the session fields.
    """
    body = _session_body(client)
    hpe = dig(body, "Oem", "Hpe") or {}
    privileges = hpe.get("Privileges") if isinstance(hpe.get("Privileges"), Mapping) else None
    if privileges is None:
        privileges = caller_privileges(client) or {}
    return {
        "user": body.get("UserName") or getattr(client, "username", None),
        "session": body.get("@odata.id"),
        "user_tag": hpe.get("UserTag"),
        "user_type": hpe.get("UserType"),
        "my_session": hpe.get("MySession"),
        "privileges": sorted(k for k, v in privileges.items() if v),
    }
