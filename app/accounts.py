"""The mail account of a profile: how to reach the Exchange server, kept in the settings file.

Everything but the secret lives in the profile's settings file under "account"; the password or
OAuth token lives only in the keyring (app.secrets), keyed by the profile's id and the address.
Nothing here talks to a server: a backend factory (app.sync.backends) turns them into a
connection.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.config import SettingsError, load_settings, save_settings
from app.secrets import delete_secret, load_secret, store_secret
from app.tracking.addresses import is_valid_email, normalise_email
from app.workspace import Workspace

SETTINGS_KEY = "account"
EWS_PATH = "/EWS/Exchange.asmx"


class AccountError(ValueError):
    """The account settings are missing or cannot be used; the message says what to do."""


class AuthKind(enum.StrEnum):
    BASIC = "basic"
    NTLM = "ntlm"
    OAUTH = "oauth"


class BackendKind(enum.StrEnum):
    """How Liaison talks to the mailbox: Exchange Web Services, or Microsoft Graph (Microsoft
    365, where EWS is switched off on 1 April 2027)."""

    EWS = "ews"
    GRAPH = "graph"


MICROSOFT_LOGIN = "https://login.microsoftonline.com"
# Sign-in to any organisation's directory; an organisation may name its own tenant instead.
DEFAULT_TENANT = "organizations"
# Liaison has no application registration of its own with Microsoft yet: the organisation's
# (a public client app with the redirect URI http://localhost) is given when the account is added.
NO_CLIENT_ID = (
    "Microsoft 365 sign-in needs your organisation's application (client) id: register a "
    "public client app in Microsoft Entra ID with the redirect URI http://localhost and give "
    "its id with --client-id"
)


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """How to reach one mailbox; `server_url` None means "find it by autodiscover"."""

    address: str
    username: str
    auth: AuthKind = AuthKind.BASIC
    server_url: str | None = None
    verify_tls: bool = True
    # Remembered after the first contact so later connections skip version detection.
    server_build: str | None = None
    backend: BackendKind = BackendKind.EWS
    # Microsoft 365 sign-in (Graph): the app registration, the directory and where it signs in.
    client_id: str | None = None
    tenant: str | None = None
    login_url: str | None = None

    @property
    def secret_key(self) -> str:
        return normalise_email(self.address)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["auth"] = self.auth.value
        data["backend"] = self.backend.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccountSettings:
        try:
            return cls(
                address=str(data["address"]),
                username=str(data.get("username") or data["address"]),
                auth=AuthKind(data.get("auth", AuthKind.BASIC.value)),
                server_url=data.get("server_url") or None,
                verify_tls=bool(data.get("verify_tls", True)),
                server_build=data.get("server_build") or None,
                backend=BackendKind(data.get("backend", BackendKind.EWS.value)),
                client_id=data.get("client_id") or None,
                tenant=data.get("tenant") or None,
                login_url=data.get("login_url") or None,
            )
        except (KeyError, ValueError) as exc:
            raise AccountError(
                "The account settings are damaged: run `liaison account remove`, then "
                "`liaison account add` again"
            ) from exc


def ews_url(server: str) -> str:
    """The EWS endpoint for what a user typed: a full URL, a URL without the path, or a host."""
    text = server.strip()
    if not text:
        raise AccountError("The server is empty: give a host name or the EWS URL")
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AccountError(f"{server!r} is not a server address or an http(s) URL")
    path = parts.path.rstrip("/")
    if not path.lower().endswith(".asmx"):
        path = f"{path}{EWS_PATH}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def new_account(
    address: str,
    server: str | None = None,
    username: str | None = None,
    auth: str = AuthKind.BASIC.value,
    verify_tls: bool = True,
) -> AccountSettings:
    """Validated settings from what the user typed."""
    if not is_valid_email(address.strip()):
        raise AccountError(f"{address!r} is not an email address")
    try:
        kind = AuthKind(auth.strip().lower())
    except ValueError:
        choices = ", ".join(kind.value for kind in AuthKind)
        raise AccountError(f"Unknown authentication {auth!r}; use one of {choices}") from None
    return AccountSettings(
        address=address.strip(),
        username=(username or address).strip(),
        auth=kind,
        server_url=ews_url(server) if server else None,
        verify_tls=verify_tls,
    )


def new_microsoft_365_account(
    address: str,
    client_id: str | None = None,
    tenant: str | None = None,
    login_url: str | None = None,
    graph_url: str | None = None,
) -> AccountSettings:
    """A Microsoft 365 account reached through Graph, signing in with Microsoft; `graph_url`
    replaces https://graph.microsoft.com/v1.0 (a national cloud's Graph, the sandbox)."""
    if not is_valid_email(address.strip()):
        raise AccountError(f"{address!r} is not an email address")
    if not (client_id or "").strip():
        raise AccountError(NO_CLIENT_ID)
    if login_url is not None and urlsplit(login_url.strip()).scheme != "https":
        raise AccountError(f"{login_url!r} is not an https URL: Microsoft sign-in needs https")
    return AccountSettings(
        address=address.strip(),
        username=address.strip(),
        auth=AuthKind.OAUTH,
        backend=BackendKind.GRAPH,
        client_id=(client_id or "").strip() or None,
        tenant=(tenant or "").strip() or None,
        login_url=(login_url or "").strip().rstrip("/") or None,
        server_url=(graph_url or "").strip().rstrip("/") or None,
    )


def load_account(workspace: Workspace) -> AccountSettings | None:
    data = workspace.settings.get(SETTINGS_KEY)
    if not isinstance(data, dict):
        return None
    return AccountSettings.from_json(data)


def reload_account(workspace: Workspace) -> AccountSettings | None:
    """The account as the settings file holds it now, which another process (`liaison account
    migrate`, another window) may have changed since this profile was opened; the profile's
    settings take it, so that a later save here does not write the old account back. A file
    that cannot be read leaves the account as this profile knew it."""
    try:
        data = load_settings(workspace.paths).get(SETTINGS_KEY)
    except SettingsError:
        return load_account(workspace)
    if isinstance(data, dict):
        workspace.settings[SETTINGS_KEY] = data
    return load_account(workspace)


def require_account(workspace: Workspace) -> AccountSettings:
    account = load_account(workspace)
    if account is None:
        raise AccountError(
            "This profile has no mail account yet: run "
            "`liaison account add YOU@EXAMPLE.COM --server https://mail.example.com`"
        )
    return account


def save_account(workspace: Workspace, account: AccountSettings, secret: str | None) -> None:
    """Keep the settings, and the secret in the keyring; the keyring first, so a refusal there
    leaves no half-configured account behind."""
    if secret is not None:
        store_secret(workspace.paths, account.secret_key, secret)
    workspace.settings[SETTINGS_KEY] = account.as_json()
    save_settings(workspace.paths, workspace.settings)


def remember_server_build(workspace: Workspace, account: AccountSettings, build: str) -> None:
    if account.server_build != build:
        save_account(workspace, replace(account, server_build=build), secret=None)


def load_account_secret(workspace: Workspace, account: AccountSettings) -> str:
    secret = load_secret(workspace.paths, account.secret_key)
    if not secret:
        raise AccountError(
            f"No password for {account.address} in the system keyring: run "
            "`liaison account add` again with --password-stdin"
        )
    return secret


def remove_account(workspace: Workspace) -> AccountSettings | None:
    account = load_account(workspace)
    if account is not None:
        delete_secret(workspace.paths, account.secret_key)
    if workspace.settings.pop(SETTINGS_KEY, None) is not None:
        save_settings(workspace.paths, workspace.settings)
    return account
