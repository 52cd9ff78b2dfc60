"""The mail account as the account dialog edits, checks and saves it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.accounts import (
    AccountSettings,
    BackendKind,
    load_account,
    load_account_secret,
    new_account,
    new_microsoft_365_account,
    save_account,
)
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.sync.backend import Check
from app.sync.backends import factory_for, microsoft_sign_in
from app.sync.signin import SignInFailed
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


@dataclass(frozen=True, slots=True)
class MicrosoftForm:
    """A Microsoft 365 account (Graph), signing in with Microsoft."""

    address: str
    client_id: str
    tenant: str = ""  # empty: any organisation's directory
    login_url: str = ""  # empty: Microsoft's own


CheckCallback = Callable[[ConnectionCheck], None]


class AccountService(ProfileService):
    def microsoft_form(self) -> MicrosoftForm | None:
        """The account as the Microsoft 365 half of the dialog shows it, if it is one."""
        account = load_account(self.workspace)
        if account is None or account.backend is not BackendKind.GRAPH:
            return None
        return MicrosoftForm(
            account.address, account.client_id or "", account.tenant or "", account.login_url or ""
        )

    def sign_in_with_microsoft(
        self, form: MicrosoftForm, open_browser: Callable[[str], object], cancel: threading.Event
    ) -> str:
        """Keep the account and sign in through the browser; slow: off the window's thread."""
        account = new_microsoft_365_account(
            form.address, form.client_id, form.tenant or None, form.login_url or None
        )
        self._own_profile(account)
        save_account(self.workspace, account, None)
        try:
            return microsoft_sign_in(account, self.workspace.paths).with_browser(
                open_browser, cancel
            )
        except SignInFailed as exc:
            raise ServiceError(str(exc)) from exc

    def account_form(self) -> AccountForm | None:
        account = load_account(self.workspace)
        if account is None or account.backend is BackendKind.GRAPH:
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
        factory = factory_for(account, self.workspace.paths)
        results, _build = factory.diagnose(account, self._secret_source(form, account), relay)
        return [ConnectionCheck(c.name, c.ok, c.detail, c.advice) for c in results]

    def save_account(self, form: AccountForm) -> None:
        """Keep the account (the secret in the keyring); the profile's owner is its address."""
        account = self._account_settings(form)
        self._own_profile(account)
        existing = load_account(self.workspace)
        keep_secret = not form.secret and existing is not None
        save_account(self.workspace, account, None if keep_secret else form.secret)

    def _own_profile(self, account: AccountSettings) -> None:
        owner = self.workspace.owner_address
        if not owner:
            self.workspace.initialise(account.address, None)
        elif normalise_email(owner) != normalise_email(account.address):
            raise ServiceError(
                f"This profile belongs to {owner}; a second mailbox needs a profile of its own"
            )

    def _account_settings(self, form: AccountForm) -> AccountSettings:
        return new_account(
            form.address, form.server or None, form.username or None, form.auth, form.verify_tls
        )

    def _secret_source(self, form: AccountForm, account: AccountSettings) -> Callable[[], str]:
        """The typed secret, or (left empty when editing) the one in the keyring."""
        if form.secret:
            return lambda: form.secret
        return lambda: load_account_secret(self.workspace, account)
