"""Connecting to the sandbox as exchangelib does: version detection, credentials, access."""

from __future__ import annotations

import time

import pytest
from exchangelib import (
    DELEGATE,
    NTLM,
    Account,
    Configuration,
    OAuth2AuthorizationCodeCredentials,
)
from exchangelib.errors import ErrorAccessDenied, ErrorNonExistentMailbox, UnauthorizedError
from exchangelib.folders import Inbox

from exchange_sandbox import SandboxServer, ServerVersion
from tests.support.sandbox import Sandbox, SandboxUser, make_account


def test_version_detection_reads_the_exchange_2016_build_from_server_version_info(
    account: Account,
) -> None:
    version = account.version

    assert str(version.build) == "15.1.2507.6"
    assert version.api_version == "Exchange2016"


@pytest.mark.end_to_end  # it starts a sandbox server of its own
def test_a_configured_exchange_2019_build_is_what_clients_detect() -> None:
    exchange_2019 = ServerVersion(major=15, minor=2, build=1544, revision=4)
    with SandboxServer(version=exchange_2019) as server:
        server.add_mailbox("lena.schmidt@spedition-nord.example", "Winter-2024")
        account = make_account(server.url, "lena.schmidt@spedition-nord.example", "Winter-2024")

        assert str(account.version.build) == "15.2.1544.4"
        account.protocol.close()


def test_a_wrong_password_fails_fast_with_unauthorized_error(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user, password="not-the-password")
    started = time.monotonic()

    with pytest.raises(UnauthorizedError):
        account.inbox.total_count  # noqa: B018 - the property access is the request

    assert time.monotonic() - started < 5


def test_an_unknown_user_is_refused_like_a_wrong_password(sandbox: Sandbox) -> None:
    ghost = SandboxUser("nobody@kowalski-logistik.example", "whatever", "Nobody")

    with pytest.raises(UnauthorizedError):
        sandbox.account(ghost).inbox.total_count  # noqa: B018


def test_a_bearer_token_opens_its_own_mailbox(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # oauthlib refuses plain http unless told otherwise; the sandbox is http on loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    address = "oauth.user.1@kowalski-logistik.example"
    sandbox.server.add_mailbox(address, display_name="Olga Wiśniewska", tokens=("token-olga-1",))
    credentials = OAuth2AuthorizationCodeCredentials(
        access_token={"access_token": "token-olga-1", "token_type": "Bearer"}
    )
    config = Configuration(
        service_endpoint=sandbox.url, credentials=credentials, auth_type="OAuth 2.0"
    )
    account = Account(address, config=config, autodiscover=False, access_type=DELEGATE)

    assert account.inbox.name == "Inbox"
    account.protocol.close()


def test_a_user_cannot_open_a_colleagues_inbox(sandbox: Sandbox, user: SandboxUser) -> None:
    colleague = sandbox.new_user("Jan Nowak")
    intruding = make_account(sandbox.url, user.address, user.password)
    intruding.identity.primary_smtp_address = colleague.address
    sandbox.accounts.append(intruding)

    with pytest.raises(ErrorAccessDenied):
        Inbox.get_distinguished(root=intruding.root)


def test_a_mailbox_that_does_not_exist_is_reported_as_such(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user)
    root = account.root
    account.identity.primary_smtp_address = "no.such.person@kowalski-logistik.example"

    with pytest.raises(ErrorNonExistentMailbox):
        Inbox.get_distinguished(root=root)


def _ntlm_account(sandbox: Sandbox, user: SandboxUser, password: str) -> Account:
    account = make_account(sandbox.url, user.address, password, auth_type=NTLM)
    sandbox.accounts.append(account)
    return account


def test_ntlm_v2_opens_the_mailbox_and_authenticates_the_connection(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = _ntlm_account(sandbox, user, user.password)
    assert account.inbox.name == "Inbox"
    before = sandbox.server.faults.requests_seen

    account.inbox.refresh()

    # The handshake was done once for the connection; the next request needs none.
    assert sandbox.server.faults.requests_seen - before == 1


def test_ntlm_with_a_wrong_password_is_unauthorized(sandbox: Sandbox, user: SandboxUser) -> None:
    account = _ntlm_account(sandbox, user, "nie-to-haslo")

    with pytest.raises(UnauthorizedError):
        account.inbox.total_count  # noqa: B018 - the property access is the request
