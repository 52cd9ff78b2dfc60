"""The mail account as the account dialog edits, checks and saves it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.accounts import (
    AccountError,
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
from app.sync.backends import factory_for, graph_link, microsoft_sign_in
from app.sync.errors import SyncError
from app.sync.graph_move import MoveCount, move_cache
from app.sync.profile_lock import ProfileLock
from app.sync.signin import MicrosoftSignIn, SignInFailed
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
    graph_url: str = ""  # empty: Microsoft's own (a national cloud's, or the sandbox's)


CheckCallback = Callable[[ConnectionCheck], None]
# Signs the user in with this sign-in (browser or device code); the address signed in.
SignInStep = Callable[[MicrosoftSignIn], str]


class AccountService(ProfileService):
    def microsoft_form(self) -> MicrosoftForm | None:
        """The account as the Microsoft 365 half of the dialog shows it, if it is one."""
        account = load_account(self.workspace)
        if account is None or account.backend is not BackendKind.GRAPH:
            return None
        return MicrosoftForm(
            account.address,
            account.client_id or "",
            account.tenant or "",
            account.login_url or "",
            account.server_url or "",
        )

    def sign_in_with_microsoft(
        self, form: MicrosoftForm, open_browser: Callable[[str], object], cancel: threading.Event
    ) -> str:
        """Keep the account and sign in through the browser; slow: off the window's thread.
        A profile that syncs over EWS is moved instead (move_to_microsoft_365): saving a Graph
        account over it would leave its cache, marks and links under ids Graph does not know."""
        current = load_account(self.workspace)
        if current is not None and current.backend is BackendKind.EWS:
            self.move_to_microsoft_365(form, open_browser, cancel)
            return current.address
        account = new_microsoft_365_account(
            form.address,
            form.client_id,
            form.tenant or None,
            form.login_url or None,
            form.graph_url or None,
        )
        self._own_profile(account)
        save_account(self.workspace, account, None)
        try:
            return microsoft_sign_in(account, self.workspace.paths).with_browser(
                open_browser, cancel
            )
        except SignInFailed as exc:
            raise ServiceError(str(exc)) from exc

    def move_to_microsoft_365(
        self, form: MicrosoftForm, open_browser: Callable[[str], object], cancel: threading.Event
    ) -> MoveCount:
        """move_to_graph, signing in through the browser (the window's way)."""
        return self.move_to_graph(
            form, lambda with_microsoft: with_microsoft.with_browser(open_browser, cancel), cancel
        )

    def move_to_graph(
        self,
        form: MicrosoftForm,
        sign_in: SignInStep,
        cancel: threading.Event,
        graph_url: str | None = None,
    ) -> MoveCount:
        """Move this profile's EWS account to Microsoft Graph in place (app.sync.graph_move):
        sign in, translate every stored id, rewrite the local state in one transaction, then
        keep the sign-in and the account as Graph's. Slow: off the window's thread. Running it
        again after it was cut off finishes it."""
        current = load_account(self.workspace)
        if current is None:
            raise ServiceError("This profile has no account to move")
        if current.backend is BackendKind.GRAPH:
            raise ServiceError(f"{current.address} syncs through Microsoft Graph already")
        if form.address and normalise_email(form.address) != normalise_email(current.address):
            raise ServiceError(
                f"This profile's mailbox is {current.address}; {form.address} needs a profile "
                "of its own"
            )
        try:
            account = new_microsoft_365_account(
                current.address,
                form.client_id,
                form.tenant or None,
                form.login_url or None,
                graph_url or form.graph_url or None,
            )
            link = graph_link(account)
            signed_in = sign_in(link.sign_in)
        except (AccountError, SignInFailed) as exc:
            raise ServiceError(str(exc)) from exc
        kept = link.kept_sign_in()
        if kept is None:
            raise ServiceError("Microsoft gave no sign-in to keep: sign in again")
        if signed_in and normalise_email(signed_in) != normalise_email(account.address):
            raise ServiceError(
                f"You signed in as {signed_in}, but this profile's mailbox is {account.address}: "
                "sign in as that user"
            )
        lock = ProfileLock(self.workspace.paths.data_dir, "moving the account to Microsoft 365")
        holder = lock.acquire()
        if holder is not None:
            raise ServiceError(
                f"{holder.describe()} is syncing this profile: try again when it has finished"
            )
        try:
            count = move_cache(self.workspace, account.address, link.translate, cancel)
            save_account(self.workspace, account, kept)
        except SyncError as exc:
            raise ServiceError(f"The account was not moved: {exc}") from exc
        finally:
            lock.release()
        return count

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
