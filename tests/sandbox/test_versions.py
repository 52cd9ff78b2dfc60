"""RequestServerVersion and ServerVersionInfo as Exchange answers them: every schema version a
build knows is served, newer ones are refused so that clients step down, and a client that
detects an Exchange Online build works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from exchangelib import BASIC, DELEGATE, Account, Configuration, Credentials, Message, Version
from exchangelib.errors import ErrorSchemaValidation
from exchangelib.protocol import FailFast
from exchangelib.version import Build

from exchange_sandbox import EXCHANGE_2010_SP2, EXCHANGE_ONLINE, SandboxServer
from tests.support.sandbox import Sandbox, SandboxUser, make_account

# Every test here reaches a sandbox server over HTTP.
pytestmark = pytest.mark.end_to_end

EXCHANGE_2016_SCHEMAS = [
    "Exchange2007",
    "Exchange2007_SP1",
    "Exchange2009",
    "Exchange2010",
    "Exchange2010_SP1",
    "Exchange2010_SP2",
    "Exchange2012",
    "Exchange2013",
    "Exchange2013_SP1",
    "Exchange2015",
    "Exchange2015_SP1",
    "Exchange2016",
    "V2015_10_05",
    "V2016_01_06",
    "V2016_04_13",
    "V2016_07_13",
    "V2016_10_10",
    "V2017_01_07",
    "V2017_04_14",
    "V2017_07_11",
]


def _pinned_account(url: str, user: SandboxUser, api_version: str) -> Account:
    """A client that sends one RequestServerVersion and does not negotiate."""
    config = Configuration(
        service_endpoint=url,
        credentials=Credentials(user.address, user.password),
        auth_type=BASIC,
        version=Version(build=Build(15, 1, 2507, 6), api_version=api_version),
        retry_policy=FailFast(),
    )
    return Account(user.address, config=config, autodiscover=False, access_type=DELEGATE)


@pytest.fixture
def online() -> Iterator[tuple[SandboxServer, SandboxUser]]:
    with SandboxServer(version=EXCHANGE_ONLINE) as server:
        user = SandboxUser(
            "marta.wisniewska@brightwave.example", "Chmura-2026!", "Marta Wiśniewska"
        )
        server.add_mailbox(user.address, user.password, user.display_name)
        yield server, user


@pytest.mark.parametrize("api_version", EXCHANGE_2016_SCHEMAS)
def test_exchange_2016_serves_every_request_version_its_schema_knows(
    sandbox: Sandbox, user: SandboxUser, api_version: str
) -> None:
    account = _pinned_account(sandbox.url, user, api_version)

    assert account.inbox.total_count == 0
    account.protocol.close()


def test_a_request_version_no_schema_knows_is_a_schema_violation(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = _pinned_account(sandbox.url, user, "Exchange2099")

    with pytest.raises(ErrorSchemaValidation):
        account.inbox.total_count  # noqa: B018 - the property access is the request
    account.protocol.close()


def test_exchange_2010_refuses_newer_versions_and_the_client_steps_down_to_its_own() -> None:
    with SandboxServer(version=EXCHANGE_2010_SP2) as server:
        server.add_mailbox("piotr.nowak@spedition-nord.example", "Alt-Server-2010")
        account = make_account(server.url, "piotr.nowak@spedition-nord.example", "Alt-Server-2010")

        assert str(account.version.build) == "14.2.247.5"
        assert account.version.api_version == "Exchange2010_SP2"
        assert account.inbox.unread_count == 0
        account.protocol.close()


def test_an_exchange_online_build_is_detected_and_the_mailbox_works(
    online: tuple[SandboxServer, SandboxUser],
) -> None:
    server, user = online
    account = make_account(server.url, user.address, user.password)

    Message(
        account=account,
        folder=account.drafts,
        subject="Angebot Kühlcontainer – Rückfrage",
        body="Bitte um Rückruf.",
    ).save()

    assert str(account.version.build) == "15.20.8769.21"
    # Exchange Online reports V2018_01_08, which clients do not send back; they keep the
    # version that worked.
    assert account.version.api_version == "Exchange2016"
    assert [m.subject for m in account.drafts.all()] == ["Angebot Kühlcontainer – Rückfrage"]
    account.protocol.close()


def test_exchange_online_serves_its_newest_request_version(
    online: tuple[SandboxServer, SandboxUser],
) -> None:
    server, user = online
    account = _pinned_account(server.url, user, "V2018_01_08")

    assert account.drafts.total_count == 0
    account.protocol.close()
