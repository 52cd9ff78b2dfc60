"""Liaison's Microsoft 365 sign-in (MSAL, unchanged) against the sandbox's Entra ID: through the
browser with auth code + PKCE and a loopback redirect, or with a device code; the token cache in
the keyring only; silent refresh; and "sign in again" the moment only the user can help."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.accounts import AccountSettings, load_account_secret, new_microsoft_365_account
from app.config import ProfilePaths, profile_paths
from app.secrets import MemoryKeyring
from app.sync.backend import Connected
from app.sync.backends import factory_for
from app.sync.errors import SignInNeeded
from app.sync.graph.signin import explain, sign_in_for, token_source_for
from app.sync.signin import DeviceCodePrompt, SignInFailed
from app.workspace import Workspace
from exchange_sandbox import SandboxServer
from tests.support.entra import Browser, new_user
from tests.support.sandbox import SandboxUser

CLIENT_ID = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d"


@pytest.fixture
def user(https_sandbox: SandboxServer) -> SandboxUser:
    return new_user(https_sandbox, "Piotr Zieliński", "Sekret")


@pytest.fixture
def account(
    https_sandbox: SandboxServer, user: SandboxUser, entra_trusted: Path
) -> AccountSettings:
    return new_microsoft_365_account(user.address, CLIENT_ID, login_url=https_sandbox.base_url)


@pytest.fixture
def paths() -> ProfilePaths:
    return profile_paths().ensure()


@pytest.fixture
def policies(https_sandbox: SandboxServer) -> Iterator[object]:
    yield https_sandbox.identity.policies
    for kept in vars(https_sandbox.identity.policies).values():
        kept.clear()


def _browser_of(user: SandboxUser) -> tuple[list[str], object]:
    """The system browser: it opens the page, the user signs in, the page posts back."""
    opened: list[str] = []

    def open_browser(url: str) -> bool:
        opened.append(url)
        threading.Thread(target=Browser().sign_in_and_return, args=(url, user)).start()
        return True

    return opened, open_browser


def _device_user(user: SandboxUser) -> tuple[list[DeviceCodePrompt], object]:
    """The user reads the code on screen and enters it on the page, on another device."""
    shown: list[DeviceCodePrompt] = []

    def show(prompt: DeviceCodePrompt) -> None:
        shown.append(prompt)
        threading.Thread(
            target=Browser().enter_device_code,
            args=(prompt.verification_uri, prompt.user_code, user),
        ).start()

    return shown, show


def _me(server: SandboxServer, token: str) -> requests.Response:
    return requests.get(
        f"{server.graph_url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_signing_in_through_the_browser_keeps_the_sign_in_for_sync(
    https_sandbox: SandboxServer, account: AccountSettings, paths: ProfilePaths, user: SandboxUser
) -> None:
    opened, open_browser = _browser_of(user)

    address = sign_in_for(account, paths).with_browser(open_browser, threading.Event(), 30)
    token = token_source_for(account, paths).access_token()

    assert address == user.address
    assert "code_challenge=" in opened[0] and "code_challenge_method=S256" in opened[0]
    assert _me(https_sandbox, token).json()["mail"] == user.address


def test_signing_in_with_a_device_code_shows_the_page_and_the_code(
    https_sandbox: SandboxServer, account: AccountSettings, paths: ProfilePaths, user: SandboxUser
) -> None:
    shown, show = _device_user(user)

    address = sign_in_for(account, paths).with_device_code(show, threading.Event())

    assert address == user.address
    assert shown[0].user_code in shown[0].message
    assert shown[0].verification_uri.startswith(https_sandbox.base_url)
    assert _me(https_sandbox, token_source_for(account, paths).access_token()).status_code == 200


def test_the_keyring_keeps_the_refresh_token_and_no_file_holds_it(
    account: AccountSettings,
    paths: ProfilePaths,
    user: SandboxUser,
    memory_keyring: MemoryKeyring,
    liaison_home: Path,
) -> None:
    _opened, open_browser = _browser_of(user)
    sign_in_for(account, paths).with_browser(open_browser, threading.Event(), 30)

    [kept] = memory_keyring.secrets.values()
    cache = json.loads(kept)
    assert set(cache) <= {"Account", "RefreshToken", "AppMetadata"}
    [refresh_token] = [entry["secret"] for entry in cache["RefreshToken"].values()]
    for file in liaison_home.rglob("*"):
        if file.is_file():
            assert refresh_token.encode() not in file.read_bytes(), file


def test_a_revoked_sign_in_stops_at_once_with_sign_in_again(
    https_sandbox: SandboxServer, account: AccountSettings, paths: ProfilePaths, user: SandboxUser
) -> None:
    _opened, open_browser = _browser_of(user)
    sign_in_for(account, paths).with_browser(open_browser, threading.Event(), 30)

    https_sandbox.identity.revoke_sign_ins(user.address)

    with pytest.raises(SignInNeeded, match="Sign in again"):
        token_source_for(account, paths).access_token()


def test_no_sign_in_kept_means_sign_in_again(account: AccountSettings, paths: ProfilePaths) -> None:
    with pytest.raises(SignInNeeded, match="Sign in again"):
        token_source_for(account, paths).access_token()


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        ("disabled", "account is disabled"),
        ("blocked_by_conditional_access", "conditional access"),
        ("unconsented_apps", "consent"),
    ],
)
def test_a_refused_sign_in_says_why_in_words_the_user_can_act_on(
    account: AccountSettings,
    paths: ProfilePaths,
    user: SandboxUser,
    policies: object,
    policy: str,
    words: str,
) -> None:
    getattr(policies, policy).add(CLIENT_ID if policy == "unconsented_apps" else user.address)
    _shown, show = _device_user(user)

    with pytest.raises(SignInFailed, match=words):
        sign_in_for(account, paths).with_device_code(show, threading.Event())


def test_a_refusal_in_the_browser_is_worded_too(
    account: AccountSettings, paths: ProfilePaths, user: SandboxUser, policies: object
) -> None:
    policies.blocked_by_conditional_access.add(user.address)  # type: ignore[attr-defined]
    _opened, open_browser = _browser_of(user)

    with pytest.raises(SignInFailed, match="conditional access"):
        sign_in_for(account, paths).with_browser(open_browser, threading.Event(), 30)


def test_a_browser_sign_in_nobody_finishes_can_be_cancelled(
    account: AccountSettings, paths: ProfilePaths
) -> None:
    cancel = threading.Event()
    cancel.set()

    with pytest.raises(SignInFailed, match="not finished"):
        sign_in_for(account, paths).with_browser(lambda url: True, cancel, 30)


def test_an_unknown_entra_error_is_given_without_its_trace_ids() -> None:
    said = explain(
        {
            "error": "invalid_request",
            "error_description": "AADSTS900144: The request body must contain client_id. "
            "Trace ID: 1 Correlation ID: 2 Timestamp: 3",
        }
    )

    assert said == "AADSTS900144: The request body must contain client_id."


def _connect(account: AccountSettings, paths: ProfilePaths) -> Connected:
    """What sync does first: the account's backend, connected with the kept sign-in."""
    with Workspace.open() as workspace:
        return factory_for(account, paths).connect(
            account,
            lambda: load_account_secret(workspace, account),
            threading.Event(),
            lambda seconds, why: None,
        )


def test_sync_reaches_the_mailbox_through_graph_with_the_kept_sign_in(
    https_sandbox: SandboxServer, user: SandboxUser, paths: ProfilePaths, entra_trusted: Path
) -> None:
    account = new_microsoft_365_account(
        user.address, CLIENT_ID, login_url=https_sandbox.base_url, graph_url=https_sandbox.graph_url
    )
    _shown, show = _device_user(user)
    sign_in_for(account, paths).with_device_code(show, threading.Event())

    connected = _connect(account, paths)

    try:
        assert connected.backend.distinguished_folders()
    finally:
        connected.backend.close()


def test_sync_stops_at_once_with_sign_in_again_when_the_sign_in_is_revoked(
    https_sandbox: SandboxServer, user: SandboxUser, paths: ProfilePaths, entra_trusted: Path
) -> None:
    account = new_microsoft_365_account(
        user.address, CLIENT_ID, login_url=https_sandbox.base_url, graph_url=https_sandbox.graph_url
    )
    _shown, show = _device_user(user)
    sign_in_for(account, paths).with_device_code(show, threading.Event())
    https_sandbox.identity.revoke_sign_ins(user.address)

    with pytest.raises(SignInNeeded, match="Sign in again"):
        _connect(account, paths)
