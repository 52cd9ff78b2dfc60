"""Microsoft 365 sign-in with MSAL: a public client, its token cache in the keyring.

`MsalSignIn` signs the user in (auth code + PKCE through the system browser and a loopback
redirect, or a device code); `MsalTokenSource` gives the Graph backend its access token,
refreshed silently while the refresh token lasts, and raises SignInNeeded ("sign in again") the
moment only the user can help. The token cache is kept in the keyring under the account's
secret key, never in a file; only the account and its refresh token are kept (access and ID
tokens are short-lived and come back with the next refresh), which also keeps the entry small.

Entra's refusals come back as AADSTS codes; `explain` words the ones a user can act on.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msal
import requests

from app.accounts import (
    DEFAULT_TENANT,
    MICROSOFT_LOGIN,
    NO_CLIENT_ID,
    AccountError,
    AccountSettings,
)
from app.config import ProfilePaths
from app.secrets import load_secret, store_secret
from app.sync.errors import ServerUnreachable, SignInNeeded
from app.sync.graph.loopback import LoopbackRedirect
from app.sync.signin import DeviceCodePrompt, OpenBrowser, ShowDeviceCode, SignInFailed

# What Liaison does with the mailbox through Graph (MSAL adds openid, profile, offline_access).
GRAPH_SCOPES = [
    "https://graph.microsoft.com/Mail.ReadWrite",
    "https://graph.microsoft.com/Mail.Send",
    "https://graph.microsoft.com/Calendars.ReadWrite",
    "https://graph.microsoft.com/Tasks.ReadWrite",
    "https://graph.microsoft.com/MailboxSettings.Read",
    "https://graph.microsoft.com/User.Read",
]
# Hosts MSAL knows: instance discovery is for them; any other (a sovereign cloud's own host, the
# sandbox) is taken as the account names it.
_MICROSOFT_HOSTS = frozenset({"login.microsoftonline.com", "login.microsoft.com"})
_KEPT_SECTIONS = ("Account", "RefreshToken", "AppMetadata")
_AADSTS = re.compile(r"AADSTS(\d+)")

CacheLoad = Callable[[], str | None]
CacheSave = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class SignInSettings:
    client_id: str
    tenant: str = DEFAULT_TENANT
    login_url: str = MICROSOFT_LOGIN

    @classmethod
    def of(cls, account: AccountSettings) -> SignInSettings:
        if not account.client_id:
            raise SignInFailed(NO_CLIENT_ID)
        return cls(
            account.client_id,
            account.tenant or DEFAULT_TENANT,
            account.login_url or MICROSOFT_LOGIN,
        )

    @classmethod
    def of_sync(cls, account: AccountSettings) -> SignInSettings:
        """As `of`, for sync: an account that cannot sign in needs the user."""
        try:
            return cls.of(account)
        except SignInFailed as exc:
            raise SignInNeeded(str(exc)) from exc

    @property
    def authority(self) -> str:
        return f"{self.login_url.rstrip('/')}/{self.tenant}"


def explain(result: Mapping[str, Any] | None) -> str:
    """Entra's refusal in words a user can act on."""
    if not result:
        return "Microsoft did not answer the sign-in."
    error = str(result.get("error", ""))
    description = str(result.get("error_description", ""))
    codes = [int(code) for code in result.get("error_codes") or []]
    codes += [int(found) for found in _AADSTS.findall(description)]
    if 50057 in codes:
        return "This Microsoft 365 account is disabled (AADSTS50057). Ask your administrator."
    if 53003 in codes or 53000 in codes or 53001 in codes:
        return (
            "Your organisation's conditional access policy does not allow this sign-in "
            f"(AADSTS{53003 if 53003 in codes else codes[0]}): ask your administrator which "
            "devices, places or apps may sign in."
        )
    if (
        65001 in codes
        or error == "consent_required"
        or result.get("suberror") == "consent_required"
    ):
        return (
            "Nobody has consented to Liaison reading this mailbox (AADSTS65001). Ask your "
            "administrator to grant consent to the app, or sign in in the browser to consent."
        )
    if 50126 in codes:
        return "The password is wrong (AADSTS50126)."
    if error == "expired_token":
        return "The code was not entered in time. Sign in again."
    if error == "authorization_declined":
        return "The sign-in was declined in the browser."
    if error in ("invalid_grant", "interaction_required"):
        return "The sign-in has expired or was revoked. Sign in again."
    first_line = description.split("Trace ID:")[0].strip()
    return first_line or f"Microsoft refused the sign-in ({error or 'no reason given'})."


def _compact(serialized: str) -> str:
    """The cache as kept: the account and its refresh token, nothing that expires in an hour."""
    data = json.loads(serialized)
    return json.dumps({key: data[key] for key in _KEPT_SECTIONS if key in data})


class _Client:
    """One MSAL public client over a cache loaded from, and saved back to, the keyring."""

    def __init__(self, settings: SignInSettings, load: CacheLoad, save: CacheSave) -> None:
        self.settings = settings
        self.cache = msal.SerializableTokenCache()
        kept = load()
        if kept:
            self.cache.deserialize(kept)
        self._save = save
        try:
            self.app = msal.PublicClientApplication(
                settings.client_id,
                authority=settings.authority,
                token_cache=self.cache,
                instance_discovery=urlsplit(settings.login_url).hostname in _MICROSOFT_HOSTS,
            )
        except ValueError as exc:
            raise SignInFailed(
                f"{settings.authority} is not a Microsoft sign-in the account can use: check "
                "the tenant and the sign-in URL"
            ) from exc
        except requests.RequestException as exc:
            raise ServerUnreachable(f"Microsoft's sign-in cannot be reached: {exc}") from exc

    def keep(self) -> None:
        if self.cache.has_state_changed:
            self._save(_compact(self.cache.serialize()))
            self.cache.has_state_changed = False


def _signed_in(client: _Client, result: Mapping[str, Any] | None) -> str:
    if not result or "access_token" not in result:
        raise SignInFailed(explain(result))
    client.keep()
    claims = result.get("id_token_claims") or {}
    return str(claims.get("preferred_username") or "")


class MsalSignIn:
    """Signs the user in and keeps the result with `save` (the keyring)."""

    def __init__(self, settings: SignInSettings, load: CacheLoad, save: CacheSave) -> None:
        self._settings = settings
        self._load = load
        self._save = save

    def with_browser(
        self, open_browser: OpenBrowser, cancel: threading.Event, timeout_s: float = 300
    ) -> str:
        try:
            return self._with_browser(open_browser, cancel, timeout_s)
        except requests.RequestException as exc:
            raise SignInFailed(f"Microsoft's sign-in cannot be reached: {exc}") from exc

    def with_device_code(self, show: ShowDeviceCode, cancel: threading.Event) -> str:
        try:
            return self._with_device_code(show, cancel)
        except requests.RequestException as exc:
            raise SignInFailed(f"Microsoft's sign-in cannot be reached: {exc}") from exc

    def _with_browser(
        self, open_browser: OpenBrowser, cancel: threading.Event, timeout_s: float
    ) -> str:
        client = self._client()
        with LoopbackRedirect() as loopback:
            flow = client.app.initiate_auth_code_flow(
                GRAPH_SCOPES, redirect_uri=loopback.redirect_uri, response_mode="form_post"
            )
            open_browser(flow["auth_uri"])
            answer = loopback.wait(cancel, timeout_s)
        if answer is None:
            raise SignInFailed("The sign-in in the browser was not finished. Sign in again.")
        try:
            result = client.app.acquire_token_by_auth_code_flow(flow, answer)
        except ValueError as exc:  # MSAL: the answer's state is not the flow's
            raise SignInFailed(
                f"The browser's answer does not belong to this sign-in: {exc}"
            ) from exc
        return _signed_in(client, result)

    def _with_device_code(self, show: ShowDeviceCode, cancel: threading.Event) -> str:
        client = self._client()
        flow = client.app.initiate_device_flow(GRAPH_SCOPES)
        if "user_code" not in flow:
            raise SignInFailed(explain(flow))
        show(DeviceCodePrompt(flow["message"], flow["verification_uri"], flow["user_code"]))
        result = client.app.acquire_token_by_device_flow(
            flow, exit_condition=lambda flow: cancel.is_set() or flow["expires_at"] < time.time()
        )
        if cancel.is_set() and "access_token" not in result:
            raise SignInFailed("The sign-in was cancelled.")
        return _signed_in(client, result)

    def _client(self) -> _Client:
        try:
            return _Client(self._settings, self._load, self._save)
        except ServerUnreachable as exc:
            raise SignInFailed(str(exc)) from exc


class MsalTokenSource:
    """The Graph backend's TokenSource: silent refresh, or SignInNeeded."""

    def __init__(
        self, settings: SignInSettings, address: str, load: CacheLoad, save: CacheSave
    ) -> None:
        self._address = address
        self._client = _Client(settings, load, save)
        self._lock = threading.Lock()

    def access_token(self) -> str:
        with self._lock:
            app = self._client.app
            accounts = app.get_accounts(username=self._address) or app.get_accounts()
            if not accounts:
                raise SignInNeeded(f"Liaison holds no sign-in for {self._address}.")
            try:
                result = app.acquire_token_silent_with_error(GRAPH_SCOPES, accounts[0])
            except requests.RequestException as exc:
                raise ServerUnreachable(f"Microsoft's sign-in cannot be reached: {exc}") from exc
            if not result or "access_token" not in result:
                raise SignInNeeded(explain(result))
            self._client.keep()
            return str(result["access_token"])


def keyring_cache(paths: ProfilePaths, account: AccountSettings) -> tuple[CacheLoad, CacheSave]:
    """The account's token cache in the profile's keyring entry for it (where an EWS account
    keeps its password)."""
    return (
        lambda: load_secret(paths, account.secret_key),
        lambda cache: store_secret(paths, account.secret_key, cache),
    )


def sign_in_for(account: AccountSettings, paths: ProfilePaths) -> MsalSignIn:
    return MsalSignIn(SignInSettings.of(account), *keyring_cache(paths, account))


def msal_tokens(
    paths: ProfilePaths | None,
) -> Callable[[AccountSettings, Callable[[], str]], MsalTokenSource]:
    """GraphFactory's token_source: the sign-in read from the account's secret (the keyring),
    a refreshed one written back to the profile's keyring when its paths are known."""

    def source(account: AccountSettings, secret: Callable[[], str]) -> MsalTokenSource:
        def load() -> str | None:
            try:
                return secret()
            except AccountError:  # nothing in the keyring: never signed in here
                return None

        def save(cache: str) -> None:
            if paths is not None:
                store_secret(paths, account.secret_key, cache)

        return MsalTokenSource(SignInSettings.of_sync(account), account.address, load, save)

    return source


def token_source_for(account: AccountSettings, paths: ProfilePaths) -> MsalTokenSource:
    """What the Graph backend asks for tokens, for this profile's account."""
    return MsalTokenSource(
        SignInSettings.of(account), account.address, *keyring_cache(paths, account)
    )


class HeldSignIn:
    """A sign-in kept in memory, not in the keyring: moving an EWS account to Graph signs in
    while the keyring entry still holds the EWS password, which stays until the move is done
    (a move cut off leaves the account as it was). `kept` is the token cache to store then."""

    def __init__(self, account: AccountSettings) -> None:
        self._settings = SignInSettings.of(account)
        self._address = account.address
        self.kept: str | None = None
        self.sign_in = MsalSignIn(self._settings, self._load, self._keep)

    def tokens(self) -> MsalTokenSource:
        return MsalTokenSource(self._settings, self._address, self._load, self._keep)

    def _load(self) -> str | None:
        return self.kept

    def _keep(self, cache: str) -> None:
        self.kept = cache
