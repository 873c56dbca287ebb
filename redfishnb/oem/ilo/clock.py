"""The BMC's clock next to this machine's: iLO judges certificate validity by its own clock, not the caller's."""

from __future__ import annotations

import datetime as _dt
import email.utils
import warnings
from dataclasses import dataclass
from typing import Any

from ... import certs
from ...errors import ClockSkew, ServiceError
from ...wording import format_duration
from ._resources import MANAGER, CertLike, _body

__all__ = ["ClockReport", "ClockSkewWarning", "bmc_clock", "check_clock"]


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
