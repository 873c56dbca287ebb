"""Certificate login on iLO: the setting, the trusted CAs, the certificate-to-user mappings, and the whole chain.

Each prerequisite fails in its own way (license, clock, ``CertificateLoginEnabled``, the CA in
``CACertificates``, the user certificate mapped with its whole PEM in a property called ``Fingerprint``), so each
step here checks its prerequisite first and raises the kit's typed error with a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from cryptography import x509

from ... import certs
from ...errors import (
    CertificateExpired,
    CertificateLoginDisabled,
    CertificateNotMapped,
    CertificateNotTrusted,
    ClockSkew,
    LicenseRequired,
    RedfishError,
    ResourceNotFound,
)
from ._resources import (
    _CERT_AUTH,
    _ILO_CONFIG,
    _MAPPINGS,
    _USER_CONFIG,
    CertLike,
    _action_target,
    _body,
    _is_uri,
    _link,
    _looks_like_path,
    _members,
    _path_of,
    _uri,
)
from .accounts import ensure_user, find_account, remembered_privileges, require_privilege
from .clock import check_clock
from .license import require_advanced_license

__all__ = [
    "certificate_login_settings",
    "enable_certificate_login",
    "disable_certificate_login",
    "import_ca_certificate",
    "list_ca_certificates",
    "remove_ca_certificate",
    "map_user_certificate",
    "list_user_certificate_mappings",
    "remove_user_certificate_mapping",
    "certificate_login_problems",
    "setup_certificate_login",
]


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
    with remembered_privileges(client):  # every step checks a privilege: read them once
        return list(_setup_steps(client, ca=ca, username=username, cert=cert, password=password, role=role))


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
