"""The overall time one call may take, whatever number of requests it sends.

A timeout bounds each wait for the BMC; it does not bound a call that sends several requests (a read sent again
after a dropped connection, a re-login and its retry, a fleet visit's five clean-up requests). A BMC answering
every request just before the timeout would hold the caller for requests x timeout. A :class:`Deadline` is
started once per call: each wait is cut to what is left of it, and nothing more is sent once it has passed.
The client (:meth:`redfishnb.RedfishClient.request`) and the fleet (one per BMC visit) both use it.
"""

from __future__ import annotations

import time

from .errors import DeadlineExceeded

__all__ = ["Deadline"]


class Deadline:
    """The clock of one call: ``seconds`` from now, for ``what`` (named in the error when it runs out)."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = float(seconds)
        self.what = what
        self._ends = time.monotonic() + self.seconds

    def remaining(self) -> float:
        """Seconds left; zero or less once the deadline has passed."""
        return self._ends - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self) -> float:
        """The seconds left; raise :class:`DeadlineExceeded` when there are none, so nothing more is sent."""
        left = self.remaining()
        if left <= 0:
            raise self.exceeded()
        return left

    def wait(self, timeout: float) -> float:
        """The timeout for the next request: ``timeout``, or less when the deadline is nearer; raise
        :class:`DeadlineExceeded` when no time is left to send it."""
        return min(timeout, self.check())

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"{self.what} did not finish within its deadline of {self.seconds:g} s.", deadline=self.seconds
        )
