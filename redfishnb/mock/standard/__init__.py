"""DMTF-standard behaviour for the ``openbmc`` mock flavour, one rule per module, each usable and testable alone.

The modules here know nothing about HTTP servers or the mock's routing: they take plain values (a clock reading,
a certificate, a set of privileges) and answer plain values, so the rules a bmcweb-like BMC enforces —
lockout, TOTP, password-change gate, client-certificate mapping, Basic policy, the privilege registry — can be
read and tested one at a time, and wired into the mock through its flavour hooks.
"""
