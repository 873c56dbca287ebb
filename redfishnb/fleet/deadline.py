"""A per-BMC deadline: one visit may not hold a worker for longer than ``deadline`` seconds.

A per-request timeout alone does not bound a visit: a BMC that answers every request just before the timeout
holds its worker for requests × timeout (a clean-up visit sends five or more), and with a few such BMCs a
run of hundreds stalls. Each request of a visit therefore waits at most for what is left of the visit's
deadline (:class:`redfishnb.deadline.Deadline`), and none is sent once it has passed. Two requests may end past
it: the login of a session visit (:func:`redfishnb.connect` sends the service root and the login with one
timeout, what was left when it started), and the logout of a session the visit opened, which is always sent
(bounded by the request timeout), because a session left behind is what this kit exists to prevent.
"""

from __future__ import annotations

from .. import deadline, errors

__all__ = ["DeadlineExceeded", "Deadline"]


class DeadlineExceeded(errors.DeadlineExceeded):
    """The BMC did not finish its visit within the per-BMC deadline (it answered too slowly, or not at all)."""

    hint_template = (
        "Check why the BMC answers slowly (load, firmware, network), or raise deadline={now} for a fleet of slow "
        "BMCs."
    )


class Deadline(deadline.Deadline):
    """The clock of one visit to ``host``; its error is the fleet's :class:`DeadlineExceeded`."""

    def __init__(self, seconds: float, host: str) -> None:
        super().__init__(seconds, host)
        self.host = host

    def exceeded(self, doing: str = "") -> DeadlineExceeded:
        what = f" while {doing}" if doing else ""
        return DeadlineExceeded(
            f"{self.host} did not finish within the per-BMC deadline of {self.seconds:g} s{what}.",
            deadline=self.seconds,
        )
