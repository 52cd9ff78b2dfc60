"""Appointments and tasks between the CRM and Exchange, both ways, recurrence and conflicts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from exchangelib import UTC as EWS_UTC
from exchangelib import Account, CalendarItem, EWSDate, EWSDateTime
from exchangelib.recurrence import Recurrence, WeeklyPattern

from app.crm.models import Appointment, Task
from app.mailbox.models import SyncLogEntry
from app.sync import activity_fields as fields
from app.sync.backend import ItemKind
from app.sync.calendar import crm_state
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import (
    APPOINTMENTS_EVERYWHERE,
    BOTH,
    OVER_EWS_AND_GRAPH,
    statements_run,
)

CATEGORY = "Tracked to Liaison"


def when(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


def iso(day: int, hour: int) -> str:
    """A moment as appointment fields carry it (app.sync.activity_fields)."""
    return when(day, hour).isoformat()


def utc(day: int, hour: int) -> EWSDateTime:
    return EWSDateTime(2026, 10, day, hour, 0, tzinfo=EWS_UTC)


def crm_appointment(workspace: Workspace, **fields: Any) -> int:
    with workspace.crm.sessions.begin() as session:
        owner = workspace.owner(session)
        appointment = Appointment(owner_id=owner.id, **{"is_all_day": False, **fields})
        session.add(appointment)
        session.flush()
        return appointment.id


def crm_task(workspace: Workspace, **fields: Any) -> int:
    with workspace.crm.sessions.begin() as session:
        owner = workspace.owner(session)
        task = Task(owner_id=owner.id, **fields)
        session.add(task)
        session.flush()
        return task.id


def crm_get(workspace: Workspace, model: type[Any], activity_id: int) -> Any:
    with workspace.crm.sessions() as session:
        found = session.get(model, activity_id)
        session.expunge(found)
        return found


def exchange(sandbox: Sandbox, mailbox: SandboxUser) -> Account:
    return sandbox.account(mailbox)


@APPOINTMENTS_EVERYWHERE
def test_an_appointment_made_in_the_crm_appears_in_exchange_once(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    crm_appointment(
        workspace,
        subject="Przegląd umowy – Acme Logistics",
        start=when(6, 8),
        end=when(6, 9),
        location="Sala Wisła",
    )

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    items = remote.items("calendar")
    assert len(items) == 1
    (item,) = items
    assert item.fields == {
        "subject": "Przegląd umowy – Acme Logistics",
        "start": iso(6, 8),
        "end": iso(6, 9),
        "location": "Sala Wisła",
    }
    assert item.categories == (CATEGORY,)


@OVER_EWS_AND_GRAPH
def test_a_weekly_meeting_from_the_crm_keeps_its_recurrence(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    crm_appointment(
        workspace,
        subject="Status projektu Müller",
        start=when(5, 9),
        end=when(5, 10),
        recurrence={
            "pattern": "weekly",
            "interval": 1,
            "weekdays": ["Monday", "Wednesday"],
            "first_day_of_week": "Monday",
            "start": "2026-10-05",
            "end": None,
            "count": 10,
        },
    )

    assert engine.sync_once().ok

    (item,) = list(exchange(sandbox, mailbox).calendar.all())
    assert isinstance(item.recurrence.pattern, WeeklyPattern)
    assert item.recurrence.boundary.number == 10


@APPOINTMENTS_EVERYWHERE
def test_an_appointment_tracked_in_outlook_is_created_in_the_crm(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    visit = {
        "subject": "Wizyta u klienta – Nova Retail",
        "start": iso(8, 13),
        "end": iso(8, 15),
        "location": "Poznań, ul. Półwiejska 2",
    }
    remote.create("calendar", ItemKind.APPOINTMENT, visit, [CATEGORY])
    remote.create(
        "calendar",
        ItemKind.APPOINTMENT,
        {"subject": "Dentysta", "start": iso(9, 7), "end": iso(9, 8)},
    )

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        appointments = session.query(Appointment).all()
        assert [a.subject for a in appointments] == ["Wizyta u klienta – Nova Retail"]
        assert appointments[0].location == "Poznań, ul. Półwiejska 2"
    (item,) = [i for i in remote.items("calendar") if i.subject.startswith("Wizyta")]
    assert item.categories == (CATEGORY,)


@OVER_EWS_AND_GRAPH
def test_an_exception_to_a_recurring_meeting_stays_an_exception(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    client = exchange(sandbox, mailbox)
    master = CalendarItem(
        account=client,
        folder=client.calendar,
        subject="Weekly Jour fixe",
        start=utc(5, 9),
        end=utc(5, 10),
        recurrence=Recurrence(
            pattern=WeeklyPattern(interval=1, weekdays=[1]), start=EWSDate(2026, 10, 5), number=6
        ),
        categories=[CATEGORY],
    )
    master.save()
    third = master.occurrence(index=3)
    third.refresh()
    third.start, third.end, third.location = utc(19, 11), utc(19, 12), "Online"
    third.save(update_fields=["start", "end", "location"])

    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        (appointment,) = session.query(Appointment).all()
        recurrence = appointment.recurrence
    assert recurrence["pattern"] == "weekly" and recurrence["count"] == 6
    (exception,) = recurrence["modified"]
    assert exception["original_start"] == "2026-10-19T09:00:00+00:00"
    assert exception["start"] == "2026-10-19T11:00:00+00:00"
    assert exception["location"] == "Online"


@APPOINTMENTS_EVERYWHERE
def test_changes_flow_both_ways_and_a_conflict_keeps_the_losing_value_in_the_log(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    appointment_id = crm_appointment(
        workspace,
        subject="Przegląd umowy – Acme Logistics",
        start=when(6, 8),
        end=when(6, 9),
        location="Sala Wisła",
    )
    engine.sync_once()

    # One side each: the CRM renames, Outlook moves the room.
    with workspace.crm.sessions.begin() as session:
        session.get(Appointment, appointment_id).subject = "Przegląd umowy 2027 – Acme"
    remote.edit("calendar", "Przegląd umowy – Acme Logistics", location="Sala Odra")
    assert engine.sync_once().ok
    assert crm_get(workspace, Appointment, appointment_id).location == "Sala Odra"
    (item,) = remote.items("calendar")
    assert item.subject == "Przegląd umowy 2027 – Acme"

    # Both sides change the same fields: Exchange keeps the room, the CRM the subject.
    with workspace.crm.sessions.begin() as session:
        changed = session.get(Appointment, appointment_id)
        changed.subject, changed.location = "Vertragsprüfung Acme", "Sala Bug"
    remote.edit(
        "calendar", "Przegląd umowy 2027 – Acme", subject="Acme review (moved)", location="Teams"
    )
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    merged = crm_get(workspace, Appointment, appointment_id)
    assert (merged.subject, merged.location) == ("Vertragsprüfung Acme", "Teams")
    (item,) = remote.items("calendar")
    assert (item.fields["subject"], item.fields["location"]) == ("Vertragsprüfung Acme", "Teams")
    with workspace.local.sessions() as session:
        (conflict,) = session.query(SyncLogEntry).filter_by(kind="conflict").all()
    lost = {entry["field"]: entry["lost_value"] for entry in conflict.details["lost"]}
    assert lost == {"subject": "Acme review (moved)", "location": "Sala Bug"}


@BOTH
def test_edits_on_either_side_after_syncs_with_nothing_new_are_merged(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    """A pair both sides agreed on at the last sync is not merged again while it reads the
    same; an edit on either side is a pair that no longer reads the same."""
    renamed = crm_appointment(
        workspace, subject="Wizyta serwisowa", start=when(5, 9), end=when(5, 10)
    )
    moved = crm_appointment(workspace, subject="Szkolenie BHP", start=when(7, 9), end=when(7, 12))
    task_id = crm_task(workspace, subject="Wysłać ofertę Nova Retail", due=when(9, 0))
    for _ in range(3):
        assert engine.sync_once().ok

    with workspace.crm.sessions.begin() as session:
        session.get(Appointment, renamed).subject = "Wizyta serwisowa – przeniesiona"
        session.get(Task, task_id).percent_complete = 40
    remote.edit("calendar", "Szkolenie BHP", location="Sala Odra")
    assert engine.sync_once().ok

    subjects = {item.subject for item in remote.items("calendar")}
    assert subjects == {"Wizyta serwisowa – przeniesiona", "Szkolenie BHP"}
    (task,) = remote.items("tasks")
    assert task.fields["percent_complete"] == 40
    assert crm_get(workspace, Appointment, moved).location == "Sala Odra"


NEW_VALUES: dict[ItemKind, dict[str, Any]] = {
    ItemKind.APPOINTMENT: {
        "subject": "Przegląd umowy – Acme Logistics",
        "start": iso(6, 8),
        "end": iso(6, 11),
        "is_all_day": True,
        "time_zone": "Europe/Warsaw",
        "location": "Sala Odra",
        "body": "Agenda: ceny na 2027.",
        "recurrence": {
            "pattern": "weekly",
            "interval": 1,
            "weekdays": ["Monday"],
            "first_day_of_week": "Monday",
            "start": "2026-10-05",
            "end": None,
            "count": 4,
        },
        "reminder": 30,
        "show_as": "Tentative",
        "attendees": [{"email": "jan.kowalski@acme.example", "name": "Jan Kowalski"}],
    },
    ItemKind.TASK: {
        "subject": "Oddzwonić do Nova Retail",
        "start": iso(6, 8),
        "due": iso(9, 0),
        "completed_at": iso(8, 16),
        "status": "Completed",
        "percent_complete": 100,
        "priority": "High",
        "reminder": iso(8, 9),
        "body": "Zapytać o termin dostawy.",
    },
}


@pytest.mark.parametrize("kind", [ItemKind.APPOINTMENT, ItemKind.TASK])
def test_every_field_a_merge_reads_from_the_crm_changes_what_an_agreement_compares(
    workspace: Workspace, kind: ItemKind
) -> None:
    """A pair in agreement is not merged again while its rows read the same: a field the
    merge reads but the comparison does not would be a CRM change that never reaches Exchange.
    A new field needs a value here."""
    assert set(NEW_VALUES[kind]) == set(fields.FIELDS[kind])
    if kind is ItemKind.APPOINTMENT:
        activity_id = crm_appointment(
            workspace, subject="Wizyta", start=when(5, 9), end=when(5, 10)
        )
    else:
        activity_id = crm_task(workspace, subject="Wizyta", due=when(5, 9))
    model = Appointment if kind is ItemKind.APPOINTMENT else Task

    def stored() -> tuple[Any, ...]:
        with workspace.crm.sessions() as session:
            return crm_state(session, workspace.owner(session).id)[activity_id]

    for name, value in NEW_VALUES[kind].items():
        before = stored()
        with workspace.crm.sessions.begin() as session:
            fields.apply_to_crm(session.get(model, activity_id), {name: value})
        assert stored() != before, name


@BOTH
def test_a_task_goes_to_exchange_and_its_progress_comes_back(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    task_id = crm_task(
        workspace,
        subject="Przygotować wycenę dla Müller",
        due=when(15, 0),
        status="NotStarted",
        priority="High",
    )
    assert engine.sync_once().ok
    (task,) = remote.items("tasks")
    assert task.subject == "Przygotować wycenę dla Müller"
    assert task.fields["due"] == when(15, 0).isoformat()
    assert task.fields["priority"] == "High"

    remote.edit("tasks", task.subject, status="InProgress", percent_complete=50)
    assert engine.sync_once().ok

    synced = crm_get(workspace, Task, task_id)
    assert (synced.status, synced.percent_complete) == ("InProgress", 50)
    assert len(remote.items("tasks")) == 1


def test_a_task_tracked_in_outlook_is_created_in_the_crm(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    remote.create(
        "tasks",
        ItemKind.TASK,
        {"subject": "Oddzwonić do Nova Retail", "due": when(12, 0).isoformat()},
        [CATEGORY],
    )

    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        (task,) = session.query(Task).all()
        assert task.subject == "Oddzwonić do Nova Retail"
        assert task.due is not None and task.due.date().isoformat() == "2026-10-12"


def test_a_sync_with_nothing_new_reads_the_linked_appointments_in_a_few_statements(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    """The reconcile runs at every sync: read one by one, each linked appointment cost a
    query for itself and one for its attendees, every time."""
    for day in range(5, 11):
        remote.create(
            "calendar",
            ItemKind.APPOINTMENT,
            {"subject": f"Wizyta serwisowa {day}", "start": iso(day, 9), "end": iso(day, 10)},
            [CATEGORY],
        )
    assert engine.sync_once().ok
    assert engine.sync_once().ok
    with statements_run(workspace.crm.engine) as statements:
        assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        assert session.query(Appointment).count() == 6
    reads = [s for s, _ in statements if s.lstrip().upper().startswith("SELECT")]
    assert 0 < len(reads) <= 8, reads
