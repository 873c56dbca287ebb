"""Attaching to a session another program opened: a token (and its URI) handed over, checked before use.

``RedfishClient.detach`` hands a session over; ``connect(..., token=, session_uri=)`` takes it up. The token
may have expired since, so "login" here reads the session with it: a 401 fails at ``connect()``, not at the
first real request. Without a URI the session is found through iLO's ``MySession`` link (a standard service has
none: there the URI is required). There is no password
to log in again with, so an attached session cannot be refreshed; closing the client deletes it (it is now
this client's), unless it is detached again.
"""

from __future__ import annotations

from ..errors import RedfishError
from ..records.links import my_session_uri
from .base import Wire
from .session import SessionAuth

__all__ = ["AttachedSession"]


class AttachedSession(SessionAuth):
    """An existing session: ``token``, and ``uri`` when known (else iLO's ``MySession`` says which it is)."""

    def __init__(self, token: str, uri: str | None = None, username: str | None = None) -> None:
        super().__init__(username)
        self._hold(token, uri)

    def login(self, wire: Wire) -> None:
        """Check the token is still valid by reading the session (its ``UserName`` names the user)."""
        if self.session_uri is None and self.standard:
            raise RedfishError(
                "A DMTF-standard service does not say which session is the caller's, and no session_uri= was given.",
                hint="Pass the session's URI too: connect(url, token=..., session_uri=...) (detach() returns both).",
            )
        if self.session_uri is None:
            collection = wire.send("GET", wire.login_uri).raise_for_error().json
            self._uri = my_session_uri(collection)
        if self.session_uri is not None:
            body = wire.send("GET", self.session_uri).raise_for_error().json or {}
            self.username = body.get("UserName") or self.username
