"""Microsoft's own Graph SDK for Python (msgraph-sdk), unchanged, against the Graph sandbox: it
lists, reads, patches and delta-syncs a mailbox as it would Exchange Online's."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.day_of_week import DayOfWeek
from msgraph.generated.models.event import Event
from msgraph.generated.models.event_type import EventType
from msgraph.generated.models.message import Message
from msgraph.generated.models.patterned_recurrence import PatternedRecurrence
from msgraph.generated.models.recurrence_pattern import RecurrencePattern
from msgraph.generated.models.recurrence_pattern_type import RecurrencePatternType
from msgraph.generated.models.recurrence_range import RecurrenceRange
from msgraph.generated.models.recurrence_range_type import RecurrenceRangeType

from tests.support.sandbox import Sandbox, SandboxUser

# The SDK warns about its own generated classes; nothing the sandbox can change.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EML = (
    "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>\r\n"
    "To: {to}\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Dzień dobry, w załączeniu oferta.\r\n"
)


class _SandboxToken(AccessTokenProvider):
    def __init__(self, token: str) -> None:
        self.token = token

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return self.token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


@pytest.fixture
def client(sandbox: Sandbox, user: SandboxUser) -> GraphServiceClient:
    token = sandbox.server.graph_tokens.issue(user.address)
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(_SandboxToken(token)))
    adapter.base_url = sandbox.server.graph_url
    return GraphServiceClient(request_adapter=adapter)


def _deliver(sandbox: Sandbox, user: SandboxUser, subject: str) -> None:
    sandbox.server.deliver(user.address, EML.format(to=user.address, subject=subject).encode())


def test_the_sdk_lists_reads_and_patches_messages(
    sandbox: Sandbox, user: SandboxUser, client: GraphServiceClient
) -> None:
    _deliver(sandbox, user, "Oferta na Q4")
    inbox = client.me.mail_folders.by_mail_folder_id("inbox")

    async def run() -> tuple[Any, Any]:
        listed = await inbox.messages.get()
        assert listed is not None and listed.value
        message_id = listed.value[0].id
        assert message_id
        await client.me.messages.by_message_id(message_id).patch(
            Message(is_read=True, categories=["Acme Logistics"])
        )
        return listed, await client.me.messages.by_message_id(message_id).get()

    listed, read = asyncio.run(run())

    assert [m.subject for m in listed.value] == ["Oferta na Q4"]
    assert read.is_read and read.categories == ["Acme Logistics"]
    assert read.from_.email_address.address == "l.wisniewski@acme-logistics.example"
    (seen,) = sandbox.account(user).inbox.all()
    assert seen.is_read and seen.categories == ["Acme Logistics"]


def test_the_sdk_delta_syncs_a_folder_and_follows_its_delta_link(
    sandbox: Sandbox, user: SandboxUser, client: GraphServiceClient
) -> None:
    _deliver(sandbox, user, "Termin dostawy")
    delta = client.me.mail_folders.by_mail_folder_id("inbox").messages.delta

    async def run() -> tuple[Any, Any]:
        initial = await delta.get()
        _deliver(sandbox, user, "Reklamacja 4711")
        return initial, await delta.with_url(initial.odata_delta_link).get()

    initial, later = asyncio.run(run())

    assert [m.subject for m in initial.value] == ["Termin dostawy"]
    assert [m.subject for m in later.value] == ["Reklamacja 4711"]


def test_the_sdk_creates_a_weekly_event_and_delta_syncs_its_occurrences(
    client: GraphServiceClient,
) -> None:
    weekly = Event(
        subject="Jour fixe Müller GmbH",
        start=DateTimeTimeZone(date_time="2026-10-05T09:00:00", time_zone="Europe/Berlin"),
        end=DateTimeTimeZone(date_time="2026-10-05T10:00:00", time_zone="Europe/Berlin"),
        recurrence=PatternedRecurrence(
            pattern=RecurrencePattern(
                type=RecurrencePatternType.Weekly, interval=1, days_of_week=[DayOfWeek.Monday]
            ),
            range=RecurrenceRange(
                type=RecurrenceRangeType.Numbered,
                start_date=date(2026, 10, 5),
                number_of_occurrences=2,
            ),
        ),
    )
    # Imported here: the module warns of its own deprecations on import, which the filter
    # above covers only while a test runs.
    from msgraph.generated.users.item.calendar_view.delta.delta_request_builder import (
        DeltaRequestBuilder,
    )

    window = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(
        start_date_time="2026-09-01T00:00:00Z", end_date_time="2026-12-31T00:00:00Z"
    )
    config = DeltaRequestBuilder.DeltaRequestBuilderGetRequestConfiguration(query_parameters=window)

    async def run() -> tuple[Any, Any]:
        created = await client.me.events.post(weekly)
        return created, await client.me.calendar_view.delta.get(request_configuration=config)

    created, view = asyncio.run(run())

    assert created.type is EventType.SeriesMaster
    assert [(e.type, e.series_master_id) for e in view.value] == [
        (EventType.Occurrence, created.id),
        (EventType.Occurrence, created.id),
    ]
    assert view.odata_delta_link
