"""Appointments and tasks as the user edits them in the CRM; sync carries them to Exchange.

The vocabulary is Exchange's, so a value goes both ways unchanged: task statuses and
priorities, an appointment's show-as (LegacyFreeBusyStatus) and its attendees' responses.
An all-day appointment runs from midnight UTC of its first day to midnight UTC after its last.
A recurring appointment is one series: its recurrence (app.sync.activity_fields describes the
value) keeps the occurrences changed or deleted one by one, keyed by their original start.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from app.crm.models import ActivityParty, Appointment, EmailAddress, SystemUser, Task
from app.crm.records import records_with_address
from app.tracking.addresses import normalise_email

COMPLETED = "Completed"
NOT_STARTED = "NotStarted"
IN_PROGRESS = "InProgress"
TASK_STATUSES = (NOT_STARTED, IN_PROGRESS, "WaitingOnOthers", "Deferred", COMPLETED)
PRIORITIES = ("Low", "Normal", "High")
SHOW_AS = ("Free", "Tentative", "Busy", "OOF", "WorkingElsewhere")
BUSY = "Busy"
NO_RESPONSE = "Unknown"
# Exchange's ResponseType values an attendee can have.
RESPONSES = (NO_RESPONSE, "Organizer", "Tentative", "Accept", "Decline", "NoResponseReceived")


class AttendeeType(enum.StrEnum):
    """Dynamics' required and optional attendees; resources are rooms and equipment."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    RESOURCE = "resource"


ATTENDEE_ROLES = frozenset(kind.value for kind in AttendeeType)
_Kind = TypeVar("_Kind", Appointment, Task)


@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    name: str = ""
    type: AttendeeType = AttendeeType.REQUIRED
    response: str = NO_RESPONSE  # as Exchange reports it; Liaison never sets it
    record_id: int | None = None  # the CRM record the address resolves to


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityEdit:
    """What a user sets on an appointment or a task, whichever it is."""

    subject: str
    body: str = ""
    regarding_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentEdit(ActivityEdit):
    start: datetime
    end: datetime
    location: str = ""
    is_all_day: bool = False
    time_zone: str | None = None
    recurrence: dict[str, Any] | None = None
    reminder_minutes: int | None = None
    show_as: str = BUSY
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskEdit(ActivityEdit):
    due: datetime | None
    start: datetime | None = None
    status: str = NOT_STARTED
    priority: str = "Normal"
    percent_complete: int = 0
    reminder_at: datetime | None = None


def save_appointment(
    session: Session, owner: SystemUser, activity_id: int | None, edit: AppointmentEdit
) -> Appointment:
    """Change the appointment `activity_id`, or create one for `owner` when there is none."""
    appointment = session.get(Appointment, activity_id) if activity_id is not None else None
    if appointment is None:
        appointment = Appointment(owner_id=owner.id)
        session.add(appointment)
    _apply_common(appointment, edit)
    appointment.start, appointment.end = edit.start, edit.end
    appointment.is_all_day = edit.is_all_day
    appointment.time_zone = edit.time_zone
    appointment.location = edit.location or None
    appointment.recurrence = edit.recurrence or None
    appointment.reminder_minutes = edit.reminder_minutes
    appointment.show_as = edit.show_as
    with session.no_autoflush:
        set_attendees(session, appointment, edit.attendees)
    session.flush()
    return appointment


def save_task(session: Session, owner: SystemUser, activity_id: int | None, edit: TaskEdit) -> Task:
    """Change the task `activity_id`, or create one for `owner` when there is none."""
    task = session.get(Task, activity_id) if activity_id is not None else None
    if task is None:
        task = Task(owner_id=owner.id)
        session.add(task)
    _apply_common(task, edit)
    task.start, task.due = edit.start, edit.due
    task.priority = edit.priority
    task.reminder_at = edit.reminder_at
    _set_progress(task, edit.status, edit.percent_complete)
    session.flush()
    return task


def complete_task(session: Session, task_id: int, done: bool) -> Task:
    """Tick or untick a task in the list: done is Completed and 100%; undone starts over."""
    task = session.get(Task, task_id)
    if task is None:
        raise LookupError(f"There is no task {task_id} in the CRM")
    _set_progress(task, COMPLETED if done else NOT_STARTED, 100 if done else 0)
    session.flush()
    return task


def task_progress(status: str, percent: int) -> tuple[str, int]:
    """Status and % complete kept coherent as Exchange and Outlook keep them: Completed is 100%
    and 100% is Completed; work begun on a task not started puts it in progress."""
    percent = max(0, min(100, int(percent)))
    if status == COMPLETED or percent == 100:
        return COMPLETED, 100
    if status == NOT_STARTED and percent > 0:
        return IN_PROGRESS, percent
    return status, percent


def _set_progress(task: Task, status: str, percent: int) -> None:
    task.status, task.percent_complete = task_progress(status, percent)
    if task.status == COMPLETED:
        task.completed_at = task.completed_at or datetime.now(UTC)
    else:
        task.completed_at = None


def _apply_common(activity: Appointment | Task, edit: ActivityEdit) -> None:
    activity.subject = edit.subject
    activity.body = edit.body or None
    activity.regarding_id = edit.regarding_id


# Attendees


def attendees_of(appointment: Appointment) -> list[Attendee]:
    return [
        Attendee(
            party.email,
            party.display_name,
            AttendeeType(party.role),
            party.response or NO_RESPONSE,
            party.record_id,
        )
        for party in appointment.parties
        if party.role in ATTENDEE_ROLES
    ]


def set_attendees(
    session: Session | None, appointment: Appointment, wanted: Sequence[Attendee]
) -> None:
    """Make the appointment's attendee parties these: a party kept keeps its row (and its
    record), a new address is resolved to the CRM record that has it (given a session)."""
    current = {
        party.normalized: party for party in appointment.parties if party.role in ATTENDEE_ROLES
    }
    seen: set[str] = set()
    for attendee in wanted:
        normalized = normalise_email(attendee.email)
        if not normalized or normalized in seen:
            continue
        seen.add(normalized)
        party = current.get(normalized)
        if party is None:
            party = ActivityParty(
                email=attendee.email,
                normalized=normalized,
                record_id=attendee.record_id or _record_for(session, attendee.email),
            )
            appointment.parties.append(party)
        elif attendee.record_id is not None:
            party.record_id = attendee.record_id
        party.role = AttendeeType(attendee.type).value
        party.display_name = attendee.name or ""
        party.response = attendee.response or NO_RESPONSE
    for normalized, party in current.items():
        if normalized not in seen:
            appointment.parties.remove(party)


def _record_for(session: Session | None, email: str) -> int | None:
    if session is None:
        return None
    found = records_with_address(session, email)
    return found[0].id if found else None


# One occurrence of a series


def changed_occurrence(
    recurrence: dict[str, Any],
    original_start: str,
    start: str,
    end: str,
    subject: str,
    location: str,
) -> dict[str, Any]:
    """The series with the occurrence that was due at `original_start` (ISO, UTC) moved or
    renamed; subject and location as the occurrence shows them."""
    modified = [
        entry
        for entry in recurrence.get("modified") or []
        if entry.get("original_start") != original_start
    ]
    modified.append(
        {
            "original_start": original_start,
            "start": start,
            "end": end,
            "subject": subject,
            "location": location,
        }
    )
    modified.sort(key=lambda entry: entry["original_start"])
    return {**recurrence, "modified": modified}


def without_occurrence(recurrence: dict[str, Any], original_start: str) -> dict[str, Any]:
    """The series with the occurrence that was due at `original_start` deleted."""
    modified = [
        entry
        for entry in recurrence.get("modified") or []
        if entry.get("original_start") != original_start
    ]
    deleted = sorted({*(recurrence.get("deleted") or []), original_start})
    return {**recurrence, "modified": modified, "deleted": deleted}


def first_addresses(session: Session, record_ids: Sequence[int]) -> dict[int, str]:
    """Each record's first address (the one an invitation goes to), for records that have one."""
    found: dict[int, str] = {}
    statement = (
        select(EmailAddress.record_id, EmailAddress.email)
        .where(EmailAddress.record_id.in_(list(record_ids)))
        .order_by(EmailAddress.record_id, EmailAddress.position)
    )
    for record_id, email in session.execute(statement):
        found.setdefault(record_id, email)
    return found


def owned_by(model: type[_Kind], owner_id: int) -> tuple[ColumnElement[bool], ...]:
    """Which of the owner's activities are of this model, as the index on (owner, type) finds
    them: by owner alone SQLite walks all the owner's activities, a tracked mailbox's thousands
    of emails (the type is implied by the model's table, but the index needs it said)."""
    return (model.owner_id == owner_id, model.type == model.__mapper__.polymorphic_identity)


def owned_activities(session: Session, owner_id: int, model: type[_Kind]) -> list[_Kind]:
    """The owner's appointments or tasks, with their regarding record and parties loaded."""
    statement = (
        select(model)
        .where(*owned_by(model, owner_id))
        .options(selectinload(model.regarding), selectinload(model.parties))
        .order_by(model.id)
    )
    return list(session.scalars(statement))
