"""Typed records of the Redfish objects the kit reads, and where a service keeps them."""

from __future__ import annotations

from .links import STANDARD_SESSIONS_URI, my_session_uri, sessions_uri

__all__ = ["STANDARD_SESSIONS_URI", "my_session_uri", "sessions_uri"]
