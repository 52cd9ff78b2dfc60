"""Appointments and tasks as one flat dictionary of JSON values, the same on both sides.

The CRM (app.crm.models.Appointment, Task), the Exchange item (app.sync.ews) and the snapshot
of the last agreement (app.mailbox.models.ActivityLink) all meet here, so conflict rules compare
like with like. Times are ISO 8601 strings in UTC; an all-day appointment runs from midnight of
its first day to midnight after its last, as Exchange stores it.

- `time_zone`: the IANA zone the appointment's times were set in (None: UTC); a series keeps
  its wall-clock time there across daylight-saving changes.
- `reminder`: an appointment's minutes before start, a task's moment (None: no reminder).
- `show_as`: Exchange's LegacyFreeBusyStatus.
- `attendees`: [{"email", "name", "type" (required | optional | resource), "response"}] in a
  fixed order; the response is Exchange's (Liaison never writes one).
- `recurrence`: {"pattern", "interval", pattern-specific keys, "start", "end", "count",
  "modified": [{"original_start", "start", "end", "subject", "location"}], "deleted":
  [original_start, ...]}. Modified and deleted occurrences travel with the master, so an
  exception stays an exception; an exception's subject or location "" is the master's.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy.orm import object_session

from app.crm.models import Appointment, Task
from app.crm.schedule import (
    BUSY,
    NO_RESPONSE,
    NOT_STARTED,
    Attendee,
    AttendeeType,
    attendees_of,
    set_attendees,
)
from app.mailbox.remote import ItemKind

APPOINTMENT_FIELDS: tuple[str, ...] = (
    "subject",
    "start",
    "end",
    "is_all_day",
    "time_zone",
    "location",
    "body",
    "recurrence",
    "reminder",
    "show_as",
    "attendees",
)
TASK_FIELDS: tuple[str, ...] = (
    "subject",
    "start",
    "due",
    "completed_at",
    "status",
    "percent_complete",
    "priority",
    "reminder",
    "body",
)
FIELDS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.APPOINTMENT: APPOINTMENT_FIELDS,
    ItemKind.TASK: TASK_FIELDS,
}
# The CRM columns crm_fields reads (an appointment's attendees are rows of their own): what
# tells whether a CRM activity changed since the last merge (app.sync.calendar.crm_state).
CRM_COLUMNS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.APPOINTMENT: (
        *(name for name in APPOINTMENT_FIELDS if name not in ("reminder", "attendees")),
        "reminder_minutes",
    ),
    ItemKind.TASK: (*(name for name in TASK_FIELDS if name != "reminder"), "reminder_at"),
}
# Written with start and end whenever either is: they say how to read them.
WHEN_CONTEXT = ("is_all_day", "time_zone")
_TIMES = ("start", "end", "due", "completed_at", "reminder")
_TASK_DAYS = ("start", "due", "completed_at")  # Exchange keeps these task dates as days
_ATTENDEE_ORDER = {kind.value: position for position, kind in enumerate(AttendeeType)}
_PATTERN_KEYS: dict[str, tuple[str, ...]] = {
    "daily": ("interval",),
    "weekly": ("interval", "weekdays", "first_day_of_week"),
    "monthly": ("interval", "day_of_month"),
    "relative-monthly": ("interval", "weekday", "week_number"),
    "yearly": ("day_of_month", "month"),
    "relative-yearly": ("weekday", "week_number", "month"),
}


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
            "time_zone": activity.time_zone or None,
            "location": activity.location or "",
            "body": activity.body or "",
            "recurrence": activity.recurrence or None,
            "reminder": activity.reminder_minutes,
            "show_as": activity.show_as or BUSY,
            "attendees": [
                {
                    "email": attendee.email,
                    "name": attendee.name,
                    "type": attendee.type.value,
                    "response": attendee.response,
                }
                for attendee in attendees_of(activity)
            ],
        }
    return {
        "subject": activity.subject or "",
        "start": iso(activity.start),
        "due": iso(activity.due),
        "completed_at": iso(activity.completed_at),
        "status": activity.status or NOT_STARTED,
        "percent_complete": int(activity.percent_complete or 0),
        "priority": activity.priority or "Normal",
        "reminder": iso(activity.reminder_at),
        "body": activity.body or "",
    }


def apply_to_crm(activity: Appointment | Task, values: dict[str, Any]) -> None:
    """Write field values (a subset is fine) onto a CRM appointment or task. Attendees new to
    the appointment are resolved to CRM records when the activity is in a session."""
    for name, value in values.items():
        if name == "reminder" and isinstance(activity, Appointment):
            activity.reminder_minutes = value
        elif name == "reminder":
            activity.reminder_at = parse_iso(value)
        elif name in _TIMES:
            setattr(activity, name, parse_iso(value))
        elif name == "subject":
            activity.subject = (value or "")[:255]
        elif name == "location":
            activity.location = (value or None) and value[:255]
        elif name in ("recurrence", "time_zone"):
            setattr(activity, name, value or None)
        elif name == "attendees" and isinstance(activity, Appointment):
            session = object_session(activity)
            wanted = [_attendee(entry) for entry in value or []]
            if session is None:
                set_attendees(None, activity, wanted)
            else:
                with session.no_autoflush:
                    set_attendees(session, activity, wanted)
        else:
            setattr(activity, name, value)


def _attendee(entry: dict[str, Any]) -> Attendee:
    return Attendee(
        str(entry.get("email") or ""),
        str(entry.get("name") or ""),
        AttendeeType(entry.get("type") or AttendeeType.REQUIRED),
        str(entry.get("response") or NO_RESPONSE),
    )


def kind_of(activity: Appointment | Task) -> ItemKind:
    return ItemKind.APPOINTMENT if isinstance(activity, Appointment) else ItemKind.TASK


def normalised(kind: ItemKind, values: dict[str, Any]) -> dict[str, Any]:
    """Exactly the kind's fields, with absent ones filled the way the CRM would read them."""
    defaults: dict[str, Any] = {
        "subject": "",
        "location": "",
        "body": "",
        "is_all_day": False,
        "status": NOT_STARTED,
        "percent_complete": 0,
        "priority": "Normal",
        "show_as": BUSY,
        "attendees": [],
    }
    clean = {
        name: _clean(kind, name, values.get(name, defaults.get(name))) for name in FIELDS[kind]
    }
    if kind is ItemKind.APPOINTMENT and clean["recurrence"] is not None:
        clean["recurrence"] = _clean_recurrence(clean)
    return clean


def _clean(kind: ItemKind, name: str, value: Any) -> Any:
    if name == "body" and isinstance(value, str):
        # Exchange adds a trailing line break to plain bodies; it is not a change.
        return value.strip()
    if name in _TIMES and isinstance(value, str):
        moment = parse_iso(value)
        if kind is ItemKind.TASK and name in _TASK_DAYS and moment is not None:
            # Exchange keeps task dates as days; a time of day in the CRM is no difference.
            moment = datetime.combine(moment.astimezone(UTC).date(), time(0), UTC)
        return iso(moment)
    if name in ("recurrence", "time_zone") and not value:
        return None
    if name == "attendees":
        return _clean_attendees(value)
    return value


def _clean_attendees(value: Any) -> list[dict[str, str]]:
    """One entry per address (case does not matter in addresses), in a fixed order."""
    found: dict[str, dict[str, str]] = {}
    for entry in value or []:
        email = str(entry.get("email") or "").strip().lower()
        if not email or email in found:
            continue
        kind = entry.get("type") or AttendeeType.REQUIRED.value
        found[email] = {
            "email": email,
            "name": str(entry.get("name") or ""),
            "type": kind if kind in _ATTENDEE_ORDER else AttendeeType.REQUIRED.value,
            "response": str(entry.get("response") or NO_RESPONSE),
        }
    return sorted(
        found.values(), key=lambda entry: (_ATTENDEE_ORDER[entry["type"]], entry["email"])
    )


def _clean_recurrence(values: dict[str, Any]) -> dict[str, Any]:
    """The pattern's own keys only, and the exceptions as both sides would write them: an
    exception's subject or location equal to the series' is "" (the series'), and one that
    changes nothing is no exception."""
    recurrence: dict[str, Any] = values["recurrence"]
    pattern = str(recurrence.get("pattern") or "")
    clean: dict[str, Any] = {"pattern": pattern}
    for key in _PATTERN_KEYS.get(pattern, ()):
        clean[key] = recurrence.get(key)
    if "interval" in clean:
        clean["interval"] = int(clean["interval"] or 1)
    if pattern == "weekly":
        clean["first_day_of_week"] = clean["first_day_of_week"] or "Monday"
        clean["weekdays"] = list(clean["weekdays"] or [])
    clean["start"] = recurrence.get("start")
    clean["end"] = recurrence.get("end") or None
    clean["count"] = None if clean["end"] else recurrence.get("count") or None
    first_start, first_end = parse_iso(values.get("start")), parse_iso(values.get("end"))
    duration = first_end - first_start if first_start and first_end else None
    modified = []
    for entry in recurrence.get("modified") or []:
        original = iso(parse_iso(entry.get("original_start")))
        start = iso(parse_iso(entry.get("start"))) or original
        moved_end = parse_iso(start) + duration if start and duration is not None else None
        end = iso(parse_iso(entry.get("end"))) or iso(moved_end)
        subject = entry.get("subject") or ""
        location = entry.get("location") or ""
        cleaned = {
            "original_start": original,
            "start": start,
            "end": end,
            "subject": "" if subject == values.get("subject") else subject,
            "location": "" if location == values.get("location") else location,
        }
        unchanged = (
            start == original
            and end == iso(moved_end)
            and not (cleaned["subject"] or cleaned["location"])
        )
        if original and not unchanged:
            modified.append(cleaned)
    deleted = {iso(parse_iso(text)) for text in recurrence.get("deleted") or []}
    clean["modified"] = sorted(modified, key=lambda entry: entry["original_start"])
    clean["deleted"] = sorted(text for text in deleted if text)
    return clean
