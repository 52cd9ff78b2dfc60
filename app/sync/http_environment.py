"""The environment's proxy and certificate settings, read once per HTTP session.

requests reads HTTPS_PROXY, NO_PROXY and REQUESTS_CA_BUNDLE again at every request, walking the
whole environment each time: in a sync with nothing new, about a twentieth of the client's time.
A sync's sessions each talk to one server (and, with OAuth, its token endpoint), so Liaison
reads these settings once, when a session is made; a connection made after the environment
changed sees the change, as the README's proxy and company-authority steps expect.
"""

from __future__ import annotations

import os

import requests


def settle(session: requests.Session, *urls: str) -> None:
    """Fix on `session` the proxies and CA bundle the environment gives the servers at `urls`,
    and stop requests from reading the environment at each request. Left to requests when the
    environment treats those servers differently (one of them named in NO_PROXY)."""
    if not session.trust_env or not urls:
        return
    proxies = [requests.utils.get_environ_proxies(url) for url in urls]
    if any(found != proxies[0] for found in proxies[1:]):
        return
    session.proxies.update(proxies[0])
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle and session.verify is True:
        session.verify = bundle
    session.trust_env = False
