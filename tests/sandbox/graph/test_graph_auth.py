"""Graph on the sandbox: the same server, under /v1.0, answering only requests with a bearer
token the sandbox issued, in Graph's error shape otherwise."""

from __future__ import annotations

import requests

from tests.support.sandbox import Sandbox, SandboxUser


def test_a_token_issued_for_a_mailbox_reads_that_mailbox_through_graph(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    token = sandbox.server.graph_tokens.issue(user.address)

    answer = requests.get(
        f"{sandbox.server.graph_url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )

    assert answer.status_code == 200
    assert answer.json()["mail"] == user.address


def test_a_request_without_a_token_is_refused_as_graph_refuses_it(sandbox: Sandbox) -> None:
    answer = requests.get(f"{sandbox.server.graph_url}/me", timeout=5)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_an_expired_or_revoked_token_is_refused(sandbox: Sandbox, user: SandboxUser) -> None:
    tokens = sandbox.server.graph_tokens
    expired = tokens.issue(user.address, lifetime_s=0)
    revoked = tokens.issue(user.address)
    tokens.revoke_all(user.address)

    for token in (expired, revoked):
        answer = requests.get(
            f"{sandbox.server.graph_url}/me",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert tokens.address_for(expired) is None


def test_ews_is_served_beside_graph(sandbox: Sandbox, user: SandboxUser) -> None:
    inbox = sandbox.account(user).inbox

    assert inbox.total_count == 0
