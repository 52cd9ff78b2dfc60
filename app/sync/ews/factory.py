"""The EWS backend factory: what the sync engine is given to reach an Exchange server over EWS.

The options that only EWS has live here, not in the engine: the retry budget and HTTP timeout
(RetrySettings) and the DNS resolver autodiscover asks for an account without a server URL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import dns.resolver

from app.accounts import AccountSettings
from app.sync.backend import BackOffListener, Check, CheckListener, Connected, SecretSource
from app.sync.ews.backend import EwsBackend
from app.sync.ews.connect import RetrySettings, connect, first_contact
from app.sync.ews.diagnose import run_checks


@dataclass(frozen=True)
class EwsFactory:
    """app.sync.backend.BackendFactory over EWS; `resolver` None asks the system's DNS."""

    retry: RetrySettings = field(default_factory=RetrySettings)
    resolver: dns.resolver.Resolver | None = None

    def connect(
        self,
        account: AccountSettings,
        secret: SecretSource,
        cancel: threading.Event,
        on_back_off: BackOffListener,
    ) -> Connected:
        """A connection that sends no request when the server URL and build are known; else
        the first contact asks for the build (failing fast, which checks the credentials) and
        the account it returns carries it."""
        connection = connect(
            account,
            secret,
            self.retry,
            cancel=cancel,
            on_back_off=on_back_off,
            resolver=self.resolver,
        )
        try:
            if not account.server_build:
                account = replace(account, server_build=first_contact(connection))
        except BaseException:
            connection.close()
            raise
        return Connected(EwsBackend(connection), account)

    def diagnose(
        self, account: AccountSettings, secret: SecretSource, on_check: CheckListener | None
    ) -> tuple[list[Check], str | None]:
        """DNS, TLS, the credentials, the mailbox and the server version (app.sync.ews.diagnose)."""
        return run_checks(account, secret, on_check, self.resolver)
