"""Appointments and tasks as the user edits them in the CRM; sync carries them to Exchange."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.crm.models import Appointment, SystemUser, Task

COMPLETED = "Completed"


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


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskEdit(ActivityEdit):
    due: datetime | None
    status: str = "NotStarted"


def save_appointment(
    session: Session, owner: SystemUser, activity_id: int | None, edit: AppointmentEdit
) -> Appointment:
    """Change the appointment `activity_id`, or create one for `owner` when there is none."""
    appointment = session.get(Appointment, activity_id) if activity_id is not None else None
    if appointment is None:
        appointment = Appointment(owner_id=owner.id, is_all_day=False)
        session.add(appointment)
    _apply_common(appointment, edit)
    appointment.start, appointment.end = edit.start, edit.end
    appointment.location = edit.location or None
    session.flush()
    return appointment


def save_task(session: Session, owner: SystemUser, activity_id: int | None, edit: TaskEdit) -> Task:
    """Change the task `activity_id`, or create one for `owner` when there is none. A task
    marked Completed is 100% done, as Exchange and Outlook count it."""
    task = session.get(Task, activity_id) if activity_id is not None else None
    if task is None:
        task = Task(owner_id=owner.id)
        session.add(task)
    _apply_common(task, edit)
    task.due = edit.due
    task.status = edit.status
    if edit.status == COMPLETED:
        task.percent_complete = 100
        task.completed_at = task.completed_at or datetime.now(UTC)
    session.flush()
    return task


def _apply_common(activity: Appointment | Task, edit: ActivityEdit) -> None:
    activity.subject = edit.subject
    activity.body = edit.body or None
    activity.regarding_id = edit.regarding_id
