"""The fleet's lean HTTP for Basic authentication: shared TLS contexts, one connection per BMC, typed errors.

An audit over Basic needs one GET per BMC, so what the client does around each request starts to matter at a
few hundred BMCs: building an ``ssl.SSLContext`` (and loading its CA file) per BMC, and the exchange log that
a notebook wants but a cron job does not. Here a run builds one TLS policy per distinct ``verify`` setting
with :func:`redfishnb.transport.build_ssl_context` and shares it across the targets that use it (a context is
safe to share between threads); each visit mounts it on its own keep-alive session
(:func:`redfishnb.transport.make_http_session`), so TLS policy, proxy handling and failure mapping are the
transport's, unchanged. Sessions (login, token, logout, re-login) stay with :class:`redfishnb.RedfishClient`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
import urllib3

from ..auth import BasicAuth, basic_login_refused
from ..errors import RedfishError, error_from_response
from ..response import parse_body
from ..transport import TLSPolicy, build_ssl_context, make_http_session, translate_exception, warn_insecure
from .deadline import Deadline

__all__ = ["TrustStore", "Answer", "BasicChannel"]


class TrustStore:
    """One TLS policy per distinct ``verify`` setting of a run, built on first use and shared by its targets.

    A setting that cannot be built (a missing CA file, a malformed pin) fails every target that uses it with
    the same typed error; the other targets are not affected.
    """

    def __init__(self) -> None:
        self._policies: dict[bool | str, TLSPolicy | Exception] = {}
        self._lock = threading.Lock()

    def policy(self, verify: bool | str) -> TLSPolicy:
        with self._lock:
            if verify not in self._policies:
                try:
                    self._policies[verify] = build_ssl_context(verify)
                except (RedfishError, ValueError, TypeError, OSError) as exc:
                    self._policies[verify] = exc
            found = self._policies[verify]
        if isinstance(found, Exception):
            raise found
        return found

    def __len__(self) -> int:
        return len(self._policies)


@dataclass(frozen=True)
class Answer:
    """A BMC's answer in the shape the kit's error builders read (``status``, ``json``, ``headers``, ``url``)."""

    method: str
    path: str
    status: int
    json: Any
    headers: Mapping[str, str]
    url: str

    @property
    def challenges_basic(self) -> bool:
        """Whether a 401 invites Basic credentials (RFC 7235): then Basic is on and the credentials were wrong."""
        return "basic" in str(self.headers.get("WWW-Authenticate", "")).lower()


class BasicChannel:
    """Requests to one BMC with Basic credentials, each bounded by the request timeout and the visit's deadline.

    ``requests`` counts what was sent (the report's ``requests`` column). Redirects are not followed: a Redfish
    GET or DELETE has no reason to be redirected, and credentials must not follow one.
    """

    def __init__(
        self, url: str, username: str, password: str, policy: TLSPolicy, *, timeout: float, deadline: Deadline
    ) -> None:
        self.url = url
        self.username = username
        self.policy = policy
        self.timeout = timeout
        self.deadline = deadline
        self.requests = 0
        #: a DMTF-standard service (as its Sessions answer or root says): a 401 without a Basic challenge is then
        #: its HTTPBasicAuth not Enabled
        self.standard = False
        self._auth = BasicAuth(username, password)
        self._http = make_http_session(policy, url)
        if policy.mode == "insecure":
            warn_insecure(url)

    def send(self, method: str, path: str, *, authenticated: bool = True) -> Answer:
        """One request; transport failures (and the deadline) raise typed errors, HTTP statuses do not.

        ``authenticated=False`` sends no credentials: the service root, which every client may read."""
        wait = self.deadline.wait(self.timeout)
        url = self.url + path
        self.requests += 1
        auth = self._auth if authenticated else None
        try:
            raw = self._http.request(method, url, auth=auth, timeout=(wait, wait), allow_redirects=False)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if self.deadline.expired:
                raise self.deadline.exceeded(f"waiting for {method} {path.split('?')[0]}") from None
            raise translate_exception(exc, url=url, timeout=wait, policy=self.policy) from None
        return Answer(method, path, raw.status_code, _json_body(raw, method, path), raw.headers, raw.url)

    def error(self, answer: Answer) -> RedfishError:
        """The typed error of an answer >= 400; a 401 says the Basic credentials were refused."""
        bare = answer.path.split("?")[0]
        if answer.status == 401:
            return basic_login_refused(
                answer, bare, self.username, method=answer.method, standard=self.standard
            )
        return error_from_response(
            answer.status, answer.json, method=answer.method, url=bare, response=answer
        )

    def close(self) -> None:
        self._http.close()


def _json_body(raw: requests.Response, method: str, path: str) -> Any:
    """The body as the client parses it (:func:`redfishnb.response.parse_body`): one rule for what is JSON."""
    return parse_body(raw, method, path.split("?")[0])[0]
