"""The Graph backend factory: what the sync engine is given to reach a Microsoft 365 mailbox
through Microsoft Graph.

How a token is got is the factory's option (`token_source`): MSAL's sign-in for a real
account; by default the account's secret is taken as an access token as it is (a token handed
over by a script, and tests).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass

from app.accounts import AccountSettings
from app.sync.backend import (
    BackOffListener,
    Check,
    CheckListener,
    Connected,
    SecretSource,
)
from app.sync.errors import SignInNeeded, SyncError
from app.sync.graph.backend import GraphBackend
from app.sync.graph.client import GraphClient
from app.sync.graph.tokens import StaticTokenSource, TokenSource
from app.sync.retry import RetryBudget

GRAPH_URL = "https://graph.microsoft.com/v1.0"
CHECK_BUDGET_S = 10.0  # an account test waits out a busy server this long, not sync's budget
SIGN_IN_ADVICE = (
    "Sign in again: `liaison account signin`, or Sign in with Microsoft in the account dialog"
)


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

    def diagnose(
        self, account: AccountSettings, secret: SecretSource, on_check: CheckListener | None
    ) -> tuple[list[Check], str | None]:
        """The sign-in (a token from it), the mailbox (/me) and its Inbox, up to the first
        failure. Graph names no server build."""
        checks: list[Check] = []
        for check in self._checks(account, secret):
            checks.append(check)
            if on_check is not None:
                on_check(check)
            if not check.ok:
                break
        return checks, None

    def _checks(self, account: AccountSettings, secret: SecretSource) -> Iterator[Check]:
        try:
            tokens = self.token_source(account, secret)
            tokens.access_token()
        except SyncError as exc:
            yield _failed("Sign-in", exc)
            return
        yield Check("Sign-in", True, f"{account.address} is signed in")
        budget = RetryBudget(min(self.max_wait, CHECK_BUDGET_S), self.first_retry)
        url = account.server_url or GRAPH_URL
        with closing(GraphClient(url, tokens, budget, self.timeout, account.verify_tls)) as client:
            try:
                me = client.get("/me")
            except SyncError as exc:
                yield _failed("Mailbox", exc)
                return
            yield Check("Mailbox", True, f"{me.get('mail') or account.address} opens at {url}")
            try:
                inbox = client.get("/me/mailFolders/inbox")
            except SyncError as exc:
                yield _failed("Mail folders", exc)
                return
            yield Check("Mail folders", True, f"Inbox holds {inbox.get('totalItemCount', 0)}")


def _failed(name: str, exc: SyncError) -> Check:
    advice = SIGN_IN_ADVICE if isinstance(exc, SignInNeeded) else str(exc)
    return Check(name, False, str(exc), advice)
