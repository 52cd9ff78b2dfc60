"""A Graph client as bare HTTP, for tests that speak to the sandbox's Graph endpoint as any
client would (To Do, Outlook on the web): a token for the user, then plain requests."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.sandbox import Sandbox, SandboxUser


class Graph:
    def __init__(self, sandbox: Sandbox, user: SandboxUser) -> None:
        self.root = sandbox.server.graph_url
        token = sandbox.server.graph_tokens.issue(user.address)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, url: str, **options: Any) -> requests.Response:
        target = url if url.startswith("http") else self.root + url
        return self.session.request(method, target, timeout=10, **options)
