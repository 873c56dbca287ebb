"""The named hook points a flavour may override in its ``flavor.json`` ``"hooks"`` (``"name": "module:function"``).

Why hooks and not subclasses: the generic pipeline (:mod:`..app`, :mod:`..auth`, the handlers) calls each hook
by name through ``flavor.hook(name)``; a flavour that differs in behaviour points the name at its own function,
and nothing generic changes. The defaults below are what the HPE flavours (iLO 6, iLO 7, RMC) do.

=================  =============================================================  ===============================
hook               signature                                                      what it decides
=================  =============================================================  ===============================
authenticate       ``(state, request) -> Principal`` (raise a 401 Problem)        which schemes a request may use
                                                                                  (token, Basic when
                                                                                  ``flavor.allows("basic")``)
unauthorized       ``(state) -> Problem``                                         how a 401 looks (challenge or
                                                                                  not)
check_password     ``(state, username, password) -> Account``                     delay/lockout counting; raise
                   (raise ``auth.LoginRefused``)                                  ``LoginRefused``
account_gate       ``(app, route, method, params, principal) -> None``            e.g. PasswordChangeRequired:
                   (raise a Problem to refuse)                                    what a flagged account may do
authorize          ``(principal, route, method, privilege) -> bool``              the privilege model per
                                                                                  operation
role_privileges    ``(role) -> frozenset[str]``                                   role -> privileges
session_body       ``(ctx, session, *, mine) -> dict``                            the Session resource (schema)
error_body         ``(flavor, items) -> dict``                                    the ``{"error": ...}`` envelope
=================  =============================================================  ===============================

Extra routes: ``flavor.json`` ``"route_modules"`` lists modules with ``routes(flavor) -> list[Route]``; they are
added after the generic ones (a flavour folder may hold such small modules itself, e.g. ``ilo7/appaccounts.py``).
"""

from __future__ import annotations

HOOK_DEFAULTS: dict[str, str] = {
    "authenticate": "redfishnb.mock.auth:authenticate",
    "unauthorized": "redfishnb.mock.auth:unauthorized",
    "check_password": "redfishnb.mock.auth:check_password",
    "account_gate": "redfishnb.mock.policy:password_change_gate",
    "authorize": "redfishnb.mock.policy:has_privilege",
    "role_privileges": "redfishnb.mock.policy:role_privileges",
    "session_body": "redfishnb.mock.handlers.session_shapes:ilo_session",
    "error_body": "redfishnb.mock.messages:hpe_error_body",
}
