"""Appointments between the CRM and Exchange over Microsoft Graph, end to end: the engine on the
sandbox's Graph endpoint, and "Outlook" another client of the same mailbox through EWS."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from exchangelib import UTC as EWS_UTC
from exchangelib import CalendarItem, EWSDate, EWSDateTime
from exchangelib.recurrence import AbsoluteYearlyPattern, Recurrence, WeeklyPattern
from sqlalchemy import select

from app.crm.models import Appointment
from app.mailbox.models import ActivityLink
from app.sync.activity_deletion import delete_activity
from app.sync.backend import DistinguishedFolder, ItemKind, LinkState, MailBackend, RemoteItem
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.remote import GraphRemote, SandboxRemote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_GRAPH
from tests.sync.engine.test_appointments_and_tasks import CATEGORY, crm_appointment, crm_get

pytestmark = OVER_GRAPH
REVIEW = "Przegląd umowy – Acme Logistics"
SYNCS_AFTER = 3


def soon(days: int, hour: int = 9) -> datetime:
    day = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return day + timedelta(days=days)


@pytest.fixture
def outlook(remote: GraphRemote) -> Iterator[MailBackend]:
    """The mailbox as an EWS client reads it (Liaison's mark included)."""
    ews = SandboxRemote(remote.sandbox, remote.user)
    connected = ews.backends().connect(
        ews.account(), lambda: remote.user.password, threading.Event(), lambda *_: None
    )
    yield connected.backend
    connected.backend.close()


def calendar_over_ews(backend: MailBackend) -> list[RemoteItem]:
    calendar = backend.distinguished_folders()[DistinguishedFolder.CALENDAR].id
    return backend.item_changes(calendar, ItemKind.APPOINTMENT, None, 100).created


def review(workspace: Workspace) -> int:
    return crm_appointment(
        workspace, subject=REVIEW, start=soon(3, 8), end=soon(3, 9), location="Sala Wisła"
    )


def link_of(workspace: Workspace, appointment_id: int) -> ActivityLink:
    with workspace.local.sessions() as session:
        return session.scalars(
            select(ActivityLink).where(ActivityLink.activity_id == appointment_id)
        ).one()


def test_an_appointment_made_in_the_crm_reaches_the_exchange_calendar_with_its_mark(
    engine: SyncEngine, workspace: Workspace, outlook: MailBackend
) -> None:
    appointment_id = review(workspace)

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    (item,) = calendar_over_ews(outlook)
    assert (item.subject, item.categories) == (REVIEW, (CATEGORY,))
    assert (item.details or {})["location"] == "Sala Wisła"
    assert (item.mark.link_state, item.mark.activity_id) == (LinkState.TRACKED, appointment_id)


def test_an_appointment_moved_in_outlook_comes_back_to_the_crm(
    engine: SyncEngine, workspace: Workspace, remote: GraphRemote
) -> None:
    appointment_id = review(workspace)
    assert engine.sync_once().ok

    remote.edit(
        "calendar",
        REVIEW,
        start=soon(4, 12).isoformat(),
        end=soon(4, 13).isoformat(),
        location="Sala Odra",
    )
    assert engine.sync_once().ok

    moved = crm_get(workspace, Appointment, appointment_id)
    assert moved.location == "Sala Odra"
    assert moved.start.replace(tzinfo=UTC) == soon(4, 12)


def test_an_appointment_deleted_in_outlook_stays_deleted_and_its_activity_is_unlinked(
    engine: SyncEngine, workspace: Workspace, remote: GraphRemote
) -> None:
    appointment_id = review(workspace)
    assert engine.sync_once().ok

    remote.delete("calendar", REVIEW)
    for _ in range(SYNCS_AFTER):
        assert engine.sync_once().ok

    assert remote.items("calendar") == []
    assert crm_get(workspace, Appointment, appointment_id).subject == REVIEW
    assert link_of(workspace, appointment_id).unlinked_reason == "deleted-in-exchange"


def test_a_coming_appointment_deleted_in_liaison_goes_to_deleted_items_once(
    engine: SyncEngine, workspace: Workspace, remote: GraphRemote
) -> None:
    appointment_id = review(workspace)
    assert engine.sync_once().ok

    delete_activity(workspace, remote.user.address, appointment_id)
    for _ in range(SYNCS_AFTER):
        assert engine.sync_once().ok

    assert remote.items("calendar") == []
    assert [item.subject for item in remote.items("deleteditems")] == [REVIEW]


def test_a_weekly_meeting_from_the_crm_keeps_its_pattern_and_a_deleted_occurrence(
    engine: SyncEngine, workspace: Workspace, outlook: MailBackend
) -> None:
    weekly = {
        "pattern": "weekly",
        "interval": 1,
        "weekdays": ["Monday", "Wednesday"],
        "first_day_of_week": "Monday",
        "start": "2026-10-05",
        "end": None,
        "count": 10,
        "modified": [],
        "deleted": ["2026-10-07T07:00:00+00:00"],
    }
    crm_appointment(
        workspace,
        subject="Status projektu Müller",
        start=datetime(2026, 10, 5, 7, tzinfo=UTC),
        end=datetime(2026, 10, 5, 8, tzinfo=UTC),
        time_zone="Europe/Warsaw",
        recurrence=weekly,
    )

    assert engine.sync_once().ok

    (item,) = calendar_over_ews(outlook)
    recurrence = (item.details or {})["recurrence"]
    assert {key: recurrence[key] for key in ("pattern", "weekdays", "count")} == {
        "pattern": "weekly",
        "weekdays": ["Monday", "Wednesday"],
        "count": 10,
    }
    assert recurrence["deleted"] == ["2026-10-07T07:00:00+00:00"]
    assert (item.details or {})["time_zone"] == "Europe/Warsaw"


def test_an_occurrence_deleted_in_outlook_is_deleted_from_the_crms_series(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    """Graph's delta names only the occurrence removed, not its series."""
    outlook = sandbox.account(mailbox)
    master = CalendarItem(
        account=outlook,
        folder=outlook.calendar,
        subject="Weekly Jour fixe",
        start=EWSDateTime(2026, 10, 5, 9, tzinfo=EWS_UTC),
        end=EWSDateTime(2026, 10, 5, 10, tzinfo=EWS_UTC),
        recurrence=Recurrence(
            pattern=WeeklyPattern(interval=1, weekdays=[1]), start=EWSDate(2026, 10, 5), number=4
        ),
        categories=[CATEGORY],
    )
    master.save()
    assert engine.sync_once().ok

    master.occurrence(index=2).delete()
    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        (appointment,) = session.query(Appointment).all()
        assert appointment.recurrence["deleted"] == ["2026-10-12T09:00:00+00:00"]


def test_an_all_day_series_from_the_crm_keeps_its_days_and_a_deleted_one(
    engine: SyncEngine, workspace: Workspace, outlook: MailBackend
) -> None:
    crm_appointment(
        workspace,
        subject="Targi logistyczne Poznań",
        start=datetime(2026, 10, 6, tzinfo=UTC),
        end=datetime(2026, 10, 7, tzinfo=UTC),
        is_all_day=True,
        time_zone="Europe/Warsaw",
        recurrence={
            "pattern": "daily",
            "interval": 1,
            "start": "2026-10-06",
            "end": None,
            "count": 3,
            "modified": [],
            "deleted": ["2026-10-07T00:00:00+00:00"],
        },
    )

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    (item,) = calendar_over_ews(outlook)
    details = item.details or {}
    assert (details["start"], details["end"]) == (
        "2026-10-06T00:00:00+00:00",
        "2026-10-07T00:00:00+00:00",
    )
    assert details["recurrence"]["deleted"] == ["2026-10-07T00:00:00+00:00"]


def test_a_series_older_than_the_longest_calendar_view_keeps_its_exceptions(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    """Exchange Online answers five years of instances at most: a yearly series begun long ago
    is read in several views, and its first years' changes come along."""
    outlook = sandbox.account(mailbox)
    master = CalendarItem(
        account=outlook,
        folder=outlook.calendar,
        subject="Rocznica firmy Nova Retail",
        start=EWSDateTime(2016, 3, 14, 10, tzinfo=EWS_UTC),
        end=EWSDateTime(2016, 3, 14, 11, tzinfo=EWS_UTC),
        recurrence=Recurrence(
            pattern=AbsoluteYearlyPattern(day_of_month=14, month=3), start=EWSDate(2016, 3, 14)
        ),
        categories=[CATEGORY],
    )
    master.save()
    second = master.occurrence(index=2)
    second.refresh()
    second.location = "Hotel Bazar, Poznań"
    second.save(update_fields=["location"])
    master.occurrence(index=3).delete()

    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        (appointment,) = session.query(Appointment).all()
        recurrence = appointment.recurrence
    assert [m["location"] for m in recurrence["modified"]] == ["Hotel Bazar, Poznań"]
    assert recurrence["deleted"] == ["2018-03-14T10:00:00+00:00"]
