"""The Graph backend factory: what the sync engine is given to reach a Microsoft 365 mailbox
through Microsoft Graph.

How a token is got is the factory's option (`token_source`): MSAL's sign-in for a real
account; by default the account's secret is taken as an access token as it is (a token handed
over by a script, and tests).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.accounts import AccountSettings
from app.sync.backend import BackOffListener, Connected, SecretSource
from app.sync.graph.backend import GraphBackend
from app.sync.graph.client import GraphClient
from app.sync.graph.tokens import StaticTokenSource, TokenSource
from app.sync.retry import RetryBudget

GRAPH_URL = "https://graph.microsoft.com/v1.0"


def secret_as_token(account: AccountSettings, secret: SecretSource) -> TokenSource:
    return StaticTokenSource(secret())


@dataclass(frozen=True)
class GraphFactory:
    """app.sync.backend.BackendFactory over Microsoft Graph. `max_wait` and `first_retry` are
    the retry budget (app.sync.retry); the account's server_url, when set, replaces Graph's."""

    token_source: Callable[[AccountSettings, SecretSource], TokenSource] = secret_as_token
    max_wait: float = 120.0
    first_retry: float = 1.0
    timeout: float = 60.0

    def connect(
        self,
        account: AccountSettings,
        secret: SecretSource,
        cancel: threading.Event,
        on_back_off: BackOffListener,
    ) -> Connected:
        """A backend whose first request (/me) checks the token: SignInNeeded when refused."""
        budget = RetryBudget(self.max_wait, self.first_retry, cancel, on_back_off)
        client = GraphClient(
            account.server_url or GRAPH_URL,
            self.token_source(account, secret),
            budget,
            self.timeout,
            account.verify_tls,
        )
        try:
            me = client.get("/me")
        except BaseException:
            client.close()
            raise
        return Connected(GraphBackend(client, me), account)
