"""Appointments and tasks as one flat dictionary of JSON values, the same on both sides.

The CRM (app.crm.models.Appointment, Task), the Exchange item (app.sync.ews) and the snapshot
of the last agreement (app.mailbox.models.ActivityLink) all meet here, so conflict rules compare
like with like. Times are ISO 8601 strings in UTC; an all-day appointment keeps midnight times.

Recurrence is one value: {"pattern", "interval", pattern-specific keys, "start", "end",
"count", "modified": [{"original_start", "start", "end", "subject", "location"}], "deleted":
[original_start, ...]}. Modified and deleted occurrences travel with the master, so an exception
stays an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from app.crm.models import Appointment, Task
from app.mailbox.remote import ItemKind

APPOINTMENT_FIELDS: tuple[str, ...] = (
    "subject",
    "start",
    "end",
    "is_all_day",
    "location",
    "body",
    "recurrence",
)
TASK_FIELDS: tuple[str, ...] = (
    "subject",
    "start",
    "due",
    "completed_at",
    "status",
    "percent_complete",
    "priority",
    "body",
)
FIELDS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.APPOINTMENT: APPOINTMENT_FIELDS,
    ItemKind.TASK: TASK_FIELDS,
}
TASK_STATUSES = ("NotStarted", "InProgress", "WaitingOnOthers", "Deferred", "Completed")
PRIORITIES = ("Low", "Normal", "High")


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        # SQLite hands back naive times; the CRM stores UTC.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def crm_fields(activity: Appointment | Task) -> dict[str, Any]:
    if isinstance(activity, Appointment):
        return {
            "subject": activity.subject or "",
            "start": iso(activity.start),
            "end": iso(activity.end),
            "is_all_day": bool(activity.is_all_day),
            "location": activity.location or "",
            "body": activity.body or "",
            "recurrence": activity.recurrence or None,
        }
    return {
        "subject": activity.subject or "",
        "start": iso(activity.start),
        "due": iso(activity.due),
        "completed_at": iso(activity.completed_at),
        "status": activity.status or "NotStarted",
        "percent_complete": int(activity.percent_complete or 0),
        "priority": activity.priority or "Normal",
        "body": activity.body or "",
    }


def apply_to_crm(activity: Appointment | Task, values: dict[str, Any]) -> None:
    """Write field values (a subset is fine) onto a CRM appointment or task."""
    for name, value in values.items():
        if name in ("start", "end", "due", "completed_at"):
            setattr(activity, name, parse_iso(value))
        elif name == "subject":
            activity.subject = (value or "")[:255]
        elif name == "location":
            activity.location = (value or None) and value[:255]
        elif name == "recurrence":
            activity.recurrence = value or None
        else:
            setattr(activity, name, value)


def kind_of(activity: Appointment | Task) -> ItemKind:
    return ItemKind.APPOINTMENT if isinstance(activity, Appointment) else ItemKind.TASK


def normalised(kind: ItemKind, values: dict[str, Any]) -> dict[str, Any]:
    """Exactly the kind's fields, with absent ones filled the way the CRM would read them."""
    defaults: dict[str, Any] = {
        "subject": "",
        "location": "",
        "body": "",
        "is_all_day": False,
        "status": "NotStarted",
        "percent_complete": 0,
        "priority": "Normal",
    }
    return {name: _clean(kind, name, values.get(name, defaults.get(name))) for name in FIELDS[kind]}


def _clean(kind: ItemKind, name: str, value: Any) -> Any:
    if name == "body" and isinstance(value, str):
        # Exchange adds a trailing line break to plain bodies; it is not a change.
        return value.strip()
    if name in ("start", "end", "due", "completed_at") and isinstance(value, str):
        moment = parse_iso(value)
        if kind is ItemKind.TASK and moment is not None:
            # Exchange keeps task dates as days; a time of day in the CRM is no difference.
            moment = datetime.combine(moment.astimezone(UTC).date(), time(0), UTC)
        return iso(moment)
    if name == "recurrence" and not value:
        return None
    return value
