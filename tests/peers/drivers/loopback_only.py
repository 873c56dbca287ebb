"""Refuse any socket traffic that would leave the machine, in a peer client's own process.

The peer clients are third-party code. DMTF's protocol validator multicasts SSDP probes, DMTF's library can be
asked to, and a client that follows a ``Location`` header could be steered to another host. The tests must only
ever talk to the mock BMC on loopback, so each driver installs this guard before importing its client: a connect
or send to anything but a loopback address or a Unix socket raises ``PermissionError`` naming the destination.
"""

from __future__ import annotations

import ipaddress
import socket

_ALLOWED_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and abstract sockets stay on the machine
    host = str(address[0]).split("%", 1)[0]
    if host.lower() in _ALLOWED_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name we would have to resolve: not provably local


def _guard(method_name: str) -> None:
    original = getattr(socket.socket, method_name)

    def checked(self, *args, **kwargs):
        # connect(address), connect_ex(address), sendto(data, address), sendto(data, flags, address)
        address = args[-1] if args else kwargs.get("address")
        if not _is_loopback(address):
            raise PermissionError(f"peer tests talk to loopback only; refused {method_name} to {address!r}")
        return original(self, *args, **kwargs)

    checked.__name__ = method_name
    setattr(socket.socket, method_name, checked)


def install() -> None:
    """Patch ``socket.socket`` so connect/connect_ex/sendto only reach loopback."""
    for name in ("connect", "connect_ex", "sendto"):
        _guard(name)
