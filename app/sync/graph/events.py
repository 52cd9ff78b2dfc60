"""Graph's events as appointments in app.sync.activity_fields' neutral values, and back.

Pure: JSON in, plain data out, so the engine sees from Graph exactly what it sees from EWS.
Graph gives times as a dateTime with a time zone (UTC unless asked otherwise), keeps the zone
an event was made in as a Windows name (originalStartTimeZone), and spells a recurrence as
{pattern, range}; an all-day event is midnight of its days. Modified occurrences come from a
series' instances (type "exception"); v1.0 lists no deleted ones, so a deleted occurrence is
one the pattern has that the instances leave out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.crm.schedule import BUSY, NO_RESPONSE, AttendeeType
from app.mailbox.recurrence import WEEKDAYS, occurrences, series_zone
from app.mailbox.remote import ItemKind, RemoteItem
from app.sync.activity_fields import WHEN_CONTEXT, iso, parse_iso
from app.sync.graph.convert import mark_of
from app.sync.windows_zone_table import IANA_BY_WINDOWS, WINDOWS_BY_IANA
from app.sync.zones import crm_zone
from app.tracking.model import Address

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_INDEXES = ("First", "Second", "Third", "Fourth", "Last")
# Exchange's one word for a set of days in a relative pattern, and Graph's list for it.
_DAY_SETS = {"Day": WEEKDAYS, "Weekday": WEEKDAYS[:5], "WeekendDay": WEEKDAYS[5:]}
_PATTERNS = {
    "daily": "daily",
    "weekly": "weekly",
    "absoluteMonthly": "monthly",
    "relativeMonthly": "relative-monthly",
    "absoluteYearly": "yearly",
    "relativeYearly": "relative-yearly",
}
_GRAPH_PATTERNS = {neutral: graph for graph, neutral in _PATTERNS.items()}
# Graph's showAs and Exchange's LegacyFreeBusyStatus (what activity_fields keeps).
SHOW_AS = {
    "free": "Free",
    "tentative": "Tentative",
    "busy": BUSY,
    "oof": "OOF",
    "workingElsewhere": "WorkingElsewhere",
}
_GRAPH_SHOW_AS = {legacy: graph for graph, legacy in SHOW_AS.items()}
# Graph's response status and Exchange's ResponseType.
_RESPONSES = {
    "none": NO_RESPONSE,
    "organizer": "Organizer",
    "tentativelyAccepted": "Tentative",
    "accepted": "Accept",
    "declined": "Decline",
    "notResponded": "NoResponseReceived",
}
_TYPES = {
    "singleInstance": "Single",
    "seriesMaster": "RecurringMaster",
    "occurrence": "Occurrence",
    "exception": "Exception",
}
_UTC = "UTC"


# --- reading ------------------------------------------------------------------------------


def iana_zone(name: Any) -> str | None:
    """The IANA name of a zone Graph names (Windows, or IANA for an event made so); None for
    UTC or no zone."""
    if not isinstance(name, str) or not name:
        return None
    return crm_zone(IANA_BY_WINDOWS.get(name, name if name in WINDOWS_BY_IANA else None))


def moment(value: Any) -> datetime | None:
    """A dateTimeTimeZone as an aware time (Graph answers in UTC unless asked otherwise); None
    for none or one that cannot be read."""
    if not isinstance(value, dict) or not value.get("dateTime"):
        return None
    try:
        local = datetime.fromisoformat(str(value["dateTime"]).rstrip("Z")[:26])
    except ValueError:
        return None
    zone = iana_zone(value.get("timeZone"))
    try:
        return local.replace(tzinfo=ZoneInfo(zone) if zone else UTC).astimezone(UTC)
    except ZoneInfoNotFoundError:
        return local.replace(tzinfo=UTC)


def original_key(all_day: bool, zone: str | None) -> Callable[[Any], str | None]:
    """How an instance's originalStart (a DateTimeOffset, "2026-10-05T08:00:00Z") names its
    occurrence in activity_fields' recurrence: the moment in UTC, or for an all-day series
    midnight UTC of its day in the series' zone (all-day times are days, as EWS reads them)."""
    where = series_zone(zone)

    def key(text: Any) -> str | None:
        if not isinstance(text, str) or not text:
            return None
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if all_day:
            when = datetime.combine(when.astimezone(where).date(), time(0), UTC)
        return iso(when)

    return key


def _weekday(days: Any) -> str:
    named = tuple(str(day).capitalize() for day in days or ())
    for word, members in _DAY_SETS.items():
        if set(named) == set(members):
            return word
    return named[0] if named else WEEKDAYS[0]


def pattern_fields(recurrence: dict[str, Any]) -> dict[str, Any]:
    """Graph's pattern and range as activity_fields' recurrence, without its exceptions."""
    pattern, bounds = recurrence.get("pattern") or {}, recurrence.get("range") or {}
    kind = _PATTERNS.get(str(pattern.get("type")))
    if kind is None:
        raise ValueError(f"unsupported recurrence pattern {pattern.get('type')!r}")
    data: dict[str, Any] = {"pattern": kind}
    if kind in ("daily", "weekly", "monthly", "relative-monthly"):
        data["interval"] = int(pattern.get("interval") or 1)
    if kind == "weekly":
        data["weekdays"] = [str(day).capitalize() for day in pattern.get("daysOfWeek") or ()]
        data["first_day_of_week"] = str(pattern.get("firstDayOfWeek") or "sunday").capitalize()
    if kind in ("monthly", "yearly"):
        data["day_of_month"] = int(pattern.get("dayOfMonth") or 1)
    if kind in ("relative-monthly", "relative-yearly"):
        data["weekday"] = _weekday(pattern.get("daysOfWeek"))
        data["week_number"] = str(pattern.get("index") or "first").capitalize()
    if kind in ("yearly", "relative-yearly"):
        data["month"] = MONTHS[int(pattern.get("month") or 1) - 1]
    data["start"] = str(bounds.get("startDate") or "")[:10] or None
    data["end"] = str(bounds["endDate"])[:10] if bounds.get("type") == "endDate" else None
    numbered = bounds.get("type") == "numbered"
    data["count"] = int(bounds.get("numberOfOccurrences") or 0) if numbered else None
    return data


def _exceptions(
    series: dict[str, Any], details: dict[str, Any], instances: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The series' modified and deleted occurrences, from its instances."""
    key = original_key(details["is_all_day"], details["time_zone"])
    listed = {found: i for i in instances if (found := key(i.get("originalStart")))}
    modified = [
        {
            "original_start": original,
            "start": iso(moment(value.get("start"))),
            "end": iso(moment(value.get("end"))),
            "subject": str(value.get("subject") or ""),
            "location": str((value.get("location") or {}).get("displayName") or ""),
        }
        for original, value in listed.items()
        if value.get("type") == "exception"
    ]
    first, last = parse_iso(details["start"]), parse_iso(details["end"])
    latest = max((m for text in listed if (m := parse_iso(text)) is not None), default=None)
    if first is None or last is None or latest is None:
        return modified, []
    # After the last instance listed, a missing occurrence cannot be told from the series'
    # end: only gaps before it are deleted occurrences.
    zone = UTC if details["is_all_day"] else series_zone(details["time_zone"])
    due = occurrences(series, first, last, latest + timedelta(seconds=1), zone)
    deleted = [iso(span.original_start) for span in due if iso(span.original_start) not in listed]
    return modified, [text for text in deleted if text]


def appointment_details(
    value: dict[str, Any], instances: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """activity_fields' values of an event (a series with the instances Graph listed)."""
    organizer = ((value.get("organizer") or {}).get("emailAddress") or {}).get("address")
    details: dict[str, Any] = {
        "subject": str(value.get("subject") or ""),
        "start": iso(moment(value.get("start"))),
        "end": iso(moment(value.get("end"))),
        "is_all_day": bool(value.get("isAllDay")),
        "time_zone": iana_zone(value.get("originalStartTimeZone")),
        "location": str((value.get("location") or {}).get("displayName") or ""),
        "body": str((value.get("body") or {}).get("content") or "").strip(),
        "recurrence": None,
        "reminder": value.get("reminderMinutesBeforeStart") if value.get("isReminderOn") else None,
        "show_as": SHOW_AS.get(str(value.get("showAs")), BUSY),
        "attendees": [
            {
                "email": str(attendee["emailAddress"]["address"]),
                "name": str(attendee["emailAddress"].get("name") or ""),
                "type": str(attendee.get("type") or AttendeeType.REQUIRED.value),
                "response": _RESPONSES.get(
                    str((attendee.get("status") or {}).get("response")), NO_RESPONSE
                ),
            }
            for attendee in value.get("attendees") or ()
            if (attendee.get("emailAddress") or {}).get("address")
        ],
        "organizer": organizer,
        "calendar_type": _TYPES.get(str(value.get("type")), "Single"),
    }
    if value.get("recurrence"):
        series = pattern_fields(value["recurrence"])
        modified, deleted = _exceptions(series, details, instances or [])
        details["recurrence"] = {**series, "modified": modified, "deleted": deleted}
    return details


def appointment(value: dict[str, Any], instances: list[dict[str, Any]] | None = None) -> RemoteItem:
    organizer = (value.get("organizer") or {}).get("emailAddress") or {}
    created = value.get("createdDateTime")
    return RemoteItem(
        id=str(value["id"]),
        change_key=value.get("changeKey"),
        kind=ItemKind.APPOINTMENT,
        item_class="IPM.Appointment",
        subject=str(value.get("subject") or ""),
        sender=Address(str(organizer["address"]), str(organizer.get("name") or ""))
        if organizer.get("address")
        else None,
        received_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
        modified_at=datetime.fromisoformat(value["lastModifiedDateTime"].replace("Z", "+00:00"))
        if value.get("lastModifiedDateTime")
        else None,
        sensitivity=str(value.get("sensitivity") or "normal"),
        importance=str(value.get("importance") or "normal").capitalize(),
        categories=tuple(value.get("categories") or ()),
        has_attachments=bool(value.get("hasAttachments")),
        mark=mark_of(value.get("singleValueExtendedProperties")),
        details=appointment_details(value, instances),
    )


# --- writing ------------------------------------------------------------------------------


def windows_zone(name: str | None) -> str:
    """The Windows name Graph is given for a zone (UTC for none)."""
    return WINDOWS_BY_IANA.get(name, _UTC) if name else _UTC


def date_time(text: str | None, all_day: bool, zone: str | None) -> dict[str, str] | None:
    """A neutral time as Graph's dateTimeTimeZone, in the appointment's zone (so Exchange
    expands a series there); an all-day time is midnight of its day, wherever it is."""
    when = parse_iso(text)
    if when is None:
        return None
    # A zone Exchange does not know is written as UTC, time and zone alike.
    known = zone if zone in WINDOWS_BY_IANA else None
    if all_day:
        local = datetime.combine(when.astimezone(UTC).date(), datetime.min.time())
    else:
        local = when.astimezone(ZoneInfo(known) if known else UTC).replace(tzinfo=None)
    return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": windows_zone(known)}


def recurrence_json(data: dict[str, Any], zone: str | None) -> dict[str, Any]:
    """activity_fields' recurrence (its pattern and range) as Graph's."""
    kind = str(data["pattern"])
    pattern: dict[str, Any] = {
        "type": _GRAPH_PATTERNS[kind],
        "interval": int(data.get("interval") or 1),
    }
    if kind == "weekly":
        pattern["daysOfWeek"] = [str(day).lower() for day in data.get("weekdays") or ()]
        pattern["firstDayOfWeek"] = str(data.get("first_day_of_week") or "Monday").lower()
    if kind in ("monthly", "yearly"):
        pattern["dayOfMonth"] = int(data["day_of_month"])
    if kind in ("relative-monthly", "relative-yearly"):
        weekday = str(data["weekday"])
        pattern["daysOfWeek"] = [day.lower() for day in _DAY_SETS.get(weekday, (weekday,))]
        pattern["index"] = str(data["week_number"]).lower()
    if kind in ("yearly", "relative-yearly"):
        pattern["month"] = MONTHS.index(str(data["month"])) + 1
    bounds: dict[str, Any] = {
        "type": "noEnd",
        "startDate": str(data["start"])[:10],
        "recurrenceTimeZone": windows_zone(zone),
    }
    if data.get("end"):
        bounds.update(type="endDate", endDate=str(data["end"])[:10])
    elif data.get("count"):
        bounds.update(type="numbered", numberOfOccurrences=int(data["count"]))
    return {"pattern": pattern, "range": bounds}


def event_json(fields: dict[str, Any]) -> dict[str, Any]:
    """The Graph event properties for (some of) an appointment's fields; give is_all_day and
    time_zone with start and end (activity_fields.WHEN_CONTEXT). Exceptions of a series are
    written occurrence by occurrence, not here."""
    all_day = bool(fields.get("is_all_day"))
    zone = fields.get("time_zone") or None
    body: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("start", "end"):
            body[name] = date_time(value, all_day, zone)
        elif name == "is_all_day":
            body["isAllDay"] = bool(value)
        elif name == "subject":
            body["subject"] = value or ""
        elif name == "location":
            body["location"] = {"displayName": value or ""}
        elif name == "body":
            body["body"] = {"contentType": "text", "content": value or ""}
        elif name == "recurrence":
            body["recurrence"] = recurrence_json(value, zone) if value else None
        elif name == "reminder":
            body["isReminderOn"] = value is not None
            body["reminderMinutesBeforeStart"] = int(value or 0)
        elif name == "show_as":
            body["showAs"] = _GRAPH_SHOW_AS.get(value or BUSY, "busy")
        elif name == "attendees":
            body["attendees"] = [
                {
                    "type": entry.get("type") or AttendeeType.REQUIRED.value,
                    "emailAddress": {"address": entry["email"], "name": entry.get("name") or ""},
                }
                for entry in value or []
            ]
    return body


def occurrence_json(values: dict[str, Any]) -> dict[str, Any]:
    """What one occurrence of a series changes: its times, subject and location."""
    return event_json(
        {name: values[name] for name in ("start", "end", "subject", "location", *WHEN_CONTEXT)}
    )
