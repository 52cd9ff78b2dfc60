"""The mail account as the account dialog edits, checks and saves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.accounts import (
    AccountSettings,
    load_account,
    load_account_secret,
    new_account,
    save_account,
)
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.sync.backend import Check
from app.sync.backends import factory_for
from app.tracking.addresses import normalise_email


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    name: str  # DNS, TLS, Credentials, Mailbox, Server version
    passed: bool
    detail: str
    advice: str  # what to do, for a failed check


@dataclass(frozen=True, slots=True)
class AccountForm:
    address: str
    server: str | None  # None: find it by autodiscover
    username: str
    auth: str  # basic | ntlm | oauth
    secret: str  # a password, or an OAuth access token
    verify_tls: bool = True


CheckCallback = Callable[[ConnectionCheck], None]


class AccountService(ProfileService):
    def account_form(self) -> AccountForm | None:
        account = load_account(self.workspace)
        if account is None:
            return None
        return AccountForm(
            address=account.address,
            server=account.server_url,
            username=account.username,
            auth=account.auth.value,
            secret="",
            verify_tls=account.verify_tls,
        )

    def test_account(self, form: AccountForm, on_check: CheckCallback) -> list[ConnectionCheck]:
        """Each check in order, up to the first failure; slow: called off the window's thread."""

        def relay(check: Check) -> None:
            on_check(ConnectionCheck(check.name, check.ok, check.detail, check.advice))

        account = self._account_settings(form)
        factory = factory_for(account)
        results, _build = factory.diagnose(account, self._secret_source(form, account), relay)
        return [ConnectionCheck(c.name, c.ok, c.detail, c.advice) for c in results]

    def save_account(self, form: AccountForm) -> None:
        """Keep the account (the secret in the keyring); the profile's owner is its address."""
        account = self._account_settings(form)
        owner = self.workspace.owner_address
        if not owner:
            self.workspace.initialise(account.address, None)
        elif normalise_email(owner) != normalise_email(account.address):
            raise ServiceError(
                f"This profile belongs to {owner}; a second mailbox needs a profile of its own"
            )
        existing = load_account(self.workspace)
        keep_secret = not form.secret and existing is not None
        save_account(self.workspace, account, None if keep_secret else form.secret)

    def _account_settings(self, form: AccountForm) -> AccountSettings:
        return new_account(
            form.address, form.server or None, form.username or None, form.auth, form.verify_tls
        )

    def _secret_source(self, form: AccountForm, account: AccountSettings) -> Callable[[], str]:
        """The typed secret, or (left empty when editing) the one in the keyring."""
        if form.secret:
            return lambda: form.secret
        return lambda: load_account_secret(self.workspace, account)
