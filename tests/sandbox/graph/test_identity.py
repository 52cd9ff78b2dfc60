"""The sandbox's Entra ID: Microsoft's own MSAL signs in against it unchanged, with device code
and with auth code + PKCE, refreshes silently, and hears Entra's errors (AADSTS codes)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import msal
import pytest
import requests

from exchange_sandbox import SandboxServer
from tests.support.entra import Browser, new_user
from tests.support.sandbox import SandboxUser

SCOPES = ["https://graph.microsoft.com/Mail.ReadWrite"]
CLIENT_ID = "2f3b8c1a-7d6e-4b9f-a1c2-3e4d5f6a7b8c"
REDIRECT = "http://localhost:53682"


@pytest.fixture
def user(https_sandbox: SandboxServer) -> SandboxUser:
    return new_user(https_sandbox, "Marta Wiśniewska")


@pytest.fixture
def client(https_sandbox: SandboxServer, entra_trusted: Path) -> msal.PublicClientApplication:
    return msal.PublicClientApplication(
        CLIENT_ID,
        authority=f"{https_sandbox.base_url}/organizations",
        # The sandbox is not one of Microsoft's hosts: MSAL's documented switch for that.
        instance_discovery=False,
    )


@pytest.fixture
def browser(entra_trusted: Path) -> Browser:
    return Browser()


def _graph_me(server: SandboxServer, token: str) -> requests.Response:
    return requests.get(
        f"{server.graph_url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def _auth_code_sign_in(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> dict[str, Any]:
    flow = client.initiate_auth_code_flow(
        SCOPES, redirect_uri=REDIRECT, response_mode="form_post", login_hint=user.address
    )
    _action, answer = Browser.posted_answer(browser.sign_in(flow["auth_uri"], user))
    return client.acquire_token_by_auth_code_flow(flow, answer)


def test_msal_signs_in_with_auth_code_and_pkce_and_the_token_reads_the_mailbox(
    https_sandbox: SandboxServer,
    client: msal.PublicClientApplication,
    browser: Browser,
    user: SandboxUser,
) -> None:
    result = _auth_code_sign_in(client, browser, user)

    assert "access_token" in result, result
    assert result["id_token_claims"]["preferred_username"] == user.address
    assert _graph_me(https_sandbox, result["access_token"]).json()["mail"] == user.address


def test_the_answer_goes_back_to_the_loopback_redirect_the_app_named(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> None:
    flow = client.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, response_mode="form_post")

    action, answer = Browser.posted_answer(browser.sign_in(flow["auth_uri"], user))

    assert action == REDIRECT
    assert answer["state"] == flow["state"]
    assert answer["code"]


def test_a_code_verifier_that_does_not_match_the_challenge_is_refused(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> None:
    flow = client.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, response_mode="form_post")
    _action, answer = Browser.posted_answer(browser.sign_in(flow["auth_uri"], user))

    result = client.acquire_token_by_auth_code_flow({**flow, "code_verifier": "x" * 43}, answer)

    assert result["error"] == "invalid_grant"
    assert result["error_codes"] == [501481]


def test_a_code_is_redeemed_once(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> None:
    flow = client.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, response_mode="form_post")
    _action, answer = Browser.posted_answer(browser.sign_in(flow["auth_uri"], user))
    assert "access_token" in client.acquire_token_by_auth_code_flow(dict(flow), answer)

    again = client.acquire_token_by_auth_code_flow(dict(flow), answer)

    assert again["error"] == "invalid_grant"
    assert again["error_codes"] == [54005]


def test_a_wrong_password_shows_the_sign_in_form_again_with_the_reason(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> None:
    flow = client.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, response_mode="form_post")

    page = browser.sign_in(flow["auth_uri"], user, password="nie-to-haslo")

    assert "AADSTS50126" in page
    assert 'name="passwd"' in page


def test_msal_signs_in_with_a_device_code_entered_in_a_browser(
    https_sandbox: SandboxServer,
    client: msal.PublicClientApplication,
    browser: Browser,
    user: SandboxUser,
) -> None:
    flow = client.initiate_device_flow(SCOPES)
    assert flow["verification_uri"] in flow["message"]
    assert flow["user_code"] in flow["message"]
    polled: dict[str, Any] = {}
    polling = threading.Thread(
        target=lambda: polled.update(client.acquire_token_by_device_flow(flow))
    )
    polling.start()

    browser.enter_device_code(flow["verification_uri"], flow["user_code"], user)
    polling.join(timeout=30)

    assert "access_token" in polled, polled
    assert _graph_me(https_sandbox, polled["access_token"]).status_code == 200


def test_a_device_code_nobody_entered_is_pending_then_expires(
    client: msal.PublicClientApplication,
) -> None:
    flow = client.initiate_device_flow(SCOPES)

    pending = client.acquire_token_by_device_flow(flow, exit_condition=lambda flow: True)

    assert pending["error"] == "authorization_pending"
    assert pending["error_codes"] == [70016]


def test_a_device_code_expires(
    https_sandbox: SandboxServer, client: msal.PublicClientApplication
) -> None:
    flow = client.initiate_device_flow(SCOPES)
    clock = https_sandbox.identity._clock
    https_sandbox.identity._clock = lambda: clock() + 901
    try:
        expired = client.acquire_token_by_device_flow(flow, exit_condition=lambda flow: True)
    finally:
        https_sandbox.identity._clock = clock

    assert expired["error"] == "expired_token"


def test_msal_refreshes_silently_with_the_refresh_token(
    client: msal.PublicClientApplication, browser: Browser, user: SandboxUser
) -> None:
    first = _auth_code_sign_in(client, browser, user)
    account = client.get_accounts(username=user.address)[0]

    refreshed = client.acquire_token_silent(SCOPES, account, force_refresh=True)

    assert refreshed is not None and "access_token" in refreshed, refreshed
    assert refreshed["access_token"] != first["access_token"]


def test_revoked_sign_ins_refuse_the_refresh_token(
    https_sandbox: SandboxServer,
    client: msal.PublicClientApplication,
    browser: Browser,
    user: SandboxUser,
) -> None:
    first = _auth_code_sign_in(client, browser, user)
    account = client.get_accounts(username=user.address)[0]

    https_sandbox.identity.revoke_sign_ins(user.address)
    refreshed = client.acquire_token_silent_with_error(SCOPES, account, force_refresh=True)

    assert refreshed is not None and refreshed["error"] == "invalid_grant"
    assert refreshed["error_codes"] == [50173]
    assert _graph_me(https_sandbox, first["access_token"]).status_code == 401


@pytest.mark.parametrize(
    ("policy", "code", "suberror"),
    [
        ("disabled", 50057, None),
        ("blocked_by_conditional_access", 53003, "message_only"),
        ("unconsented_apps", 65001, "consent_required"),
    ],
)
def test_an_administrators_policy_refuses_the_token_with_its_aadsts_code(
    https_sandbox: SandboxServer,
    client: msal.PublicClientApplication,
    browser: Browser,
    user: SandboxUser,
    policy: str,
    code: int,
    suberror: str | None,
) -> None:
    flow = client.initiate_device_flow(SCOPES)
    browser.enter_device_code(flow["verification_uri"], flow["user_code"], user)
    policies = https_sandbox.identity.policies
    getattr(policies, policy).add(CLIENT_ID if policy == "unconsented_apps" else user.address)
    try:
        result = client.acquire_token_by_device_flow(flow, exit_condition=lambda flow: True)
    finally:
        getattr(policies, policy).clear()

    assert result["error"] == "invalid_grant"
    assert result["error_codes"] == [code]
    assert result.get("suberror") == suberror


def test_an_unknown_tenant_is_refused_as_entra_refuses_it(
    https_sandbox: SandboxServer, entra_trusted: Path
) -> None:
    metadata = f"{https_sandbox.base_url}/nowhere.example/v2.0/.well-known/openid-configuration"

    answer = requests.get(metadata, timeout=5)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_tenant"
    assert answer.json()["error_codes"] == [90002]
    with pytest.raises(ValueError, match="double check your tenant name"):
        msal.PublicClientApplication(
            CLIENT_ID,
            authority=f"{https_sandbox.base_url}/nowhere.example",
            instance_discovery=False,
        )


def test_instance_discovery_names_the_tenant_discovery_endpoint(
    https_sandbox: SandboxServer, entra_trusted: Path
) -> None:
    authorize = f"{https_sandbox.base_url}/organizations/oauth2/v2.0/authorize"
    answer = requests.get(
        f"{https_sandbox.base_url}/common/discovery/instance",
        params={"api-version": "1.1", "authorization_endpoint": authorize},
        timeout=5,
    ).json()

    assert answer["tenant_discovery_endpoint"] == (
        f"{https_sandbox.base_url}/organizations/v2.0/.well-known/openid-configuration"
    )
    assert answer["metadata"][0]["aliases"]
