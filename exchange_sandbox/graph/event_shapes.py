"""Calendar items as Graph's event JSON, and event JSON written back onto them.

An event is the store's CalendarItem (one store behind EWS and Graph): its Recurrence element
is Graph's recurrence {pattern, range}, its StartTimeZone Graph's originalStartTimeZone, and
its times are answered in UTC (Graph's default without a Prefer: outlook.timezone). An
all-day event is answered as midnight of its days, as Graph shows one in any zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import ids
from ..bodies import plain_text
from ..calendar import WEEKDAYS, Occurrence, zone_of
from ..extended import ExtendedKey, ExtendedValue
from ..model import Item, Mailbox
from ..values import UTC, Address, Attendee, Body
from ..xmlkit import child, child_text, escape_attr, local_name, parse_fragment
from ..zones import WINDOWS_ZONES
from . import resources, shapes
from .wire import GraphError, bad_request

SHOW_AS = {
    "free": "Free",
    "tentative": "Tentative",
    "busy": "Busy",
    "oof": "OOF",
    "workingElsewhere": "WorkingElsewhere",
}
_RESPONSES = {
    "Unknown": "none",
    "Organizer": "organizer",
    "Tentative": "tentativelyAccepted",
    "Accept": "accepted",
    "Decline": "declined",
    "NoResponseReceived": "notResponded",
}
ATTENDEE_LISTS = {
    "required": "RequiredAttendees",
    "optional": "OptionalAttendees",
    "resource": "Resources",
}
_PATTERNS = {
    "daily": "DailyRecurrence",
    "weekly": "WeeklyRecurrence",
    "absoluteMonthly": "AbsoluteMonthlyRecurrence",
    "relativeMonthly": "RelativeMonthlyRecurrence",
    "absoluteYearly": "AbsoluteYearlyRecurrence",
    "relativeYearly": "RelativeYearlyRecurrence",
}
_RANGES = {
    "noEnd": "NoEndRecurrence",
    "endDate": "EndDateRecurrence",
    "numbered": "NumberedRecurrence",
}
_INDEXES = ("first", "second", "third", "fourth", "last")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# Exchange names these sets of days in a relative pattern by one word.
_DAY_SETS = {
    frozenset(WEEKDAYS): "Day",
    frozenset(WEEKDAYS[:5]): "Weekday",
    frozenset(WEEKDAYS[5:]): "WeekendDay",
}
_NO_DATE = "0001-01-01"
_WINDOWS_BY_IANA = {iana: windows for windows, iana in WINDOWS_ZONES.items()}
_WINDOWS_BY_IANA.update({"UTC": "UTC", "Etc/UTC": "UTC"})
WRITABLE = frozenset(
    {
        "subject",
        "body",
        "start",
        "end",
        "isAllDay",
        "location",
        "categories",
        "reminderMinutesBeforeStart",
        "isReminderOn",
        "showAs",
        "attendees",
        "recurrence",
        "singleValueExtendedProperties",
        "importance",
        "sensitivity",
    }
)
_IGNORED = frozenset({"@odata.type", "@odata.etag", "id", "changeKey"})


def date_time(value: dt.datetime) -> dict[str, str]:
    text = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000")
    return {"dateTime": text, "timeZone": "UTC"}


def windows_zone(raw: str | None) -> str:
    """The Windows id a StartTimeZone element names; UTC without one."""
    if not raw:
        return "UTC"
    return parse_fragment(raw).get("Id") or "UTC"


def _when(item: Item, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    if item.props.get("IsAllDayEvent"):
        zone = zone_of(item.props.get("StartTimeZone"))
        first = dt.datetime.combine(start.astimezone(zone).date(), dt.time(), UTC)
        last = dt.datetime.combine(end.astimezone(zone).date(), dt.time(), UTC)
        return {"start": date_time(first), "end": date_time(last)}
    return {"start": date_time(start), "end": date_time(end)}


def _attendees(item: Item) -> list[dict[str, Any]]:
    return [
        {
            "type": kind,
            "status": {"response": _RESPONSES.get(attendee.response_type, "none"), "time": None},
            "emailAddress": {
                "name": attendee.address.name or attendee.address.email,
                "address": attendee.address.email,
            },
        }
        for kind, name in ATTENDEE_LISTS.items()
        for attendee in item.props.get(name, [])
    ]


def event_json(
    mailbox: Mailbox,
    item: Item,
    extended: list[ExtendedKey] | None = None,
    select: set[str] | None = None,
    occurrence: Occurrence | None = None,
    view: Item | None = None,
    body_type: str = "html",
) -> dict[str, Any]:
    """A single event or series master; with `occurrence` (and its `view`), that occurrence."""
    shown = view or item
    props = shown.props
    organizer: Address | None = props.get("Organizer")
    start, end = props.get("Start"), props.get("End")
    body = props.get("Body") or Body("Text", "")
    if occurrence is None:
        kind = "seriesMaster" if props.get("CalendarItemType") == "RecurringMaster" else None
        identity = resources.item_rest_id(mailbox, item)
    else:
        kind = "exception" if occurrence.exception else "occurrence"
        identity = occurrence_rest_id(mailbox, item, occurrence)
    value: dict[str, Any] = {
        "createdDateTime": shapes.moment(props.get("DateTimeCreated")),
        "lastModifiedDateTime": shapes.moment(props.get("LastModifiedTime")),
        "changeKey": resources.change_key(shown),
        "categories": list(props.get("Categories", [])),
        "originalStartTimeZone": windows_zone(props.get("StartTimeZone")),
        "originalEndTimeZone": windows_zone(props.get("EndTimeZone")),
        "iCalUId": props.get("UID"),
        "reminderMinutesBeforeStart": int(props.get("ReminderMinutesBeforeStart", 15)),
        "isReminderOn": bool(props.get("ReminderIsSet")),
        "hasAttachments": any(not a.is_inline for a in item.attachments),
        "subject": props.get("Subject", ""),
        "bodyPreview": plain_text(body)[:255],
        "importance": str(props.get("Importance", "Normal")).lower(),
        "sensitivity": str(props.get("Sensitivity", "Normal")).lower(),
        "isAllDay": bool(props.get("IsAllDayEvent")),
        "isCancelled": bool(props.get("IsCancelled")),
        "isOrganizer": organizer is None or organizer.key == mailbox.address.casefold(),
        "seriesMasterId": resources.item_rest_id(mailbox, item) if occurrence else None,
        "showAs": {v: k for k, v in SHOW_AS.items()}.get(props.get("LegacyFreeBusyStatus", ""))
        or "unknown",
        "type": kind or "singleInstance",
        "body": shapes.body_json(shown, body_type),
        "location": {"displayName": props.get("Location", ""), "locationType": "default"},
        "recurrence": recurrence_json(props) if kind == "seriesMaster" else None,
        "attendees": _attendees(shown),
        "organizer": shapes.recipient(organizer) if organizer else None,
    }
    if start is not None and end is not None:
        value.update(_when(shown, start, end))
    if occurrence is not None:
        value["originalStart"] = shapes.moment(occurrence.original_start)
    if select is not None:
        value = {name: v for name, v in value.items() if name in select}
    answer: dict[str, Any] = {"@odata.etag": resources.etag(shown), "id": identity}
    answer.update(value)
    if extended is not None:
        answer["singleValueExtendedProperties"] = shapes.extended_json(item, extended)
    return answer


def occurrence_rest_id(mailbox: Mailbox, master: Item, occurrence: Occurrence) -> str:
    key = int(occurrence.original_start.timestamp())
    return resources.rest_id(ids.occurrence_id(mailbox.guid, master.uuid, key))


# --- recurrence ---------------------------------------------------------------------------


def _days(text: str | None) -> list[str]:
    days: list[str] = []
    for word in (text or "").split():
        named = {"Day": WEEKDAYS, "Weekday": WEEKDAYS[:5], "WeekendDay": WEEKDAYS[5:]}
        days.extend(day.lower() for day in named.get(word, (word,)) if day in WEEKDAYS)
    return days


def recurrence_json(props: dict[str, Any]) -> dict[str, Any] | None:
    raw = props.get("Recurrence")
    if not raw:
        return None
    recurrence = parse_fragment(raw)
    pattern_elem = next(
        sub
        for sub in recurrence
        if isinstance(sub.tag, str) and local_name(sub) in _PATTERNS.values()
    )
    kind = {v: k for k, v in _PATTERNS.items()}[local_name(pattern_elem)]
    month = child_text(pattern_elem, "Month")
    index = (child_text(pattern_elem, "DayOfWeekIndex") or "First").lower()
    pattern = {
        "type": kind,
        "interval": int(child_text(pattern_elem, "Interval") or 1),
        "month": _MONTHS.index(month) + 1 if month in _MONTHS else 0,
        "dayOfMonth": int(child_text(pattern_elem, "DayOfMonth") or 0),
        "daysOfWeek": _days(child_text(pattern_elem, "DaysOfWeek")),
        "firstDayOfWeek": (child_text(pattern_elem, "FirstDayOfWeek") or "Sunday").lower(),
        "index": index if index in _INDEXES else "first",
    }
    range_json: dict[str, Any] = {}
    for range_kind, name in _RANGES.items():
        range_elem = child(recurrence, name)
        if range_elem is None:
            continue
        range_json = {
            "type": range_kind,
            "startDate": (child_text(range_elem, "StartDate") or "")[:10],
            "endDate": (child_text(range_elem, "EndDate") or _NO_DATE)[:10],
            "recurrenceTimeZone": windows_zone(props.get("StartTimeZone")),
            "numberOfOccurrences": int(child_text(range_elem, "NumberOfOccurrences") or 0),
        }
    return {"pattern": pattern, "range": range_json}


def _tag(name: str, text: object) -> str:
    return f"<t:{name}>{text}</t:{name}>"


def recurrence_xml(value: Any) -> str:
    """The Recurrence element a Graph recurrence stands for; 400 for one Graph would refuse."""
    try:
        pattern, range_json = value["pattern"], value["range"]
        element = _PATTERNS[pattern["type"]]
        range_element = _RANGES[range_json["type"]]
        start_date = dt.date.fromisoformat(range_json["startDate"])
    except (KeyError, TypeError, ValueError) as error:
        raise bad_request(
            "The recurrence pattern or range is invalid.", "ErrorPropertyValidationFailure"
        ) from error
    kind = pattern["type"]
    days = [str(day).capitalize() for day in pattern.get("daysOfWeek") or ()]
    if any(day not in WEEKDAYS for day in days):
        raise bad_request("daysOfWeek names days of the week.", "ErrorPropertyValidationFailure")
    inner = ""
    if kind in ("daily", "weekly", "absoluteMonthly", "relativeMonthly"):
        inner += _tag("Interval", max(1, int(pattern.get("interval") or 1)))
    if kind == "weekly":
        inner += _tag("DaysOfWeek", " ".join(days or [WEEKDAYS[start_date.weekday()]]))
        inner += _tag("FirstDayOfWeek", str(pattern.get("firstDayOfWeek") or "sunday").title())
    if kind in ("relativeMonthly", "relativeYearly"):
        inner += _tag("DaysOfWeek", _DAY_SETS.get(frozenset(days)) or (days or ["Monday"])[0])
        inner += _tag("DayOfWeekIndex", str(pattern.get("index") or "first").capitalize())
    if kind in ("absoluteMonthly", "absoluteYearly"):
        inner += _tag("DayOfMonth", int(pattern.get("dayOfMonth") or start_date.day))
    if kind in ("absoluteYearly", "relativeYearly"):
        inner += _tag("Month", _MONTHS[int(pattern.get("month") or start_date.month) - 1])
    bounds = _tag("StartDate", f"{start_date.isoformat()}Z")
    if range_element == "EndDateRecurrence":
        bounds += _tag("EndDate", f"{str(range_json.get('endDate'))[:10]}Z")
    if range_element == "NumberedRecurrence":
        bounds += _tag("NumberOfOccurrences", int(range_json.get("numberOfOccurrences") or 1))
    return f"<t:Recurrence>{_tag(element, inner)}{_tag(range_element, bounds)}</t:Recurrence>"


# --- writing ------------------------------------------------------------------------------


def _zone_element(name: str, zone: str) -> str:
    return f'<t:{name} Id="{escape_attr(zone)}"/>'


def _moment(value: Any, field: str) -> tuple[dt.datetime, str]:
    """A dateTimeTimeZone as UTC and the Windows zone it was given in (Graph takes Windows
    and IANA names)."""
    try:
        local = dt.datetime.fromisoformat(str(value["dateTime"]).rstrip("Z")[:26])
        zone_name = str(value.get("timeZone") or "UTC")
    except (KeyError, TypeError, ValueError) as error:
        raise bad_request(f"'{field}' is not a dateTimeTimeZone.") from error
    windows = zone_name if zone_name in WINDOWS_ZONES else _WINDOWS_BY_IANA.get(zone_name)
    if windows is None:
        raise GraphError(
            400,
            "TimeZoneNotSupportedException",
            f"A valid TimeZone value must be specified. "
            f"The following TimeZone value is not supported: '{zone_name}'.",
        )
    try:
        zone = ZoneInfo(WINDOWS_ZONES.get(windows, "UTC"))
    except ZoneInfoNotFoundError:
        zone = ZoneInfo("UTC")
    return local.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC), windows


def _attendee_lists(value: Any, current: dict[str, Any]) -> dict[str, list[Attendee] | None]:
    """The attendee lists an attendees value sets; the answers already in are kept (an
    organizer does not write them)."""
    known = {
        attendee.address.key: attendee
        for name in ATTENDEE_LISTS.values()
        for attendee in current.get(name, [])
    }
    lists: dict[str, list[Attendee]] = {name: [] for name in ATTENDEE_LISTS.values()}
    for entry in value or []:
        address = shapes.address_of(entry)
        kind = str((entry or {}).get("type") or "required")
        if kind not in ATTENDEE_LISTS:
            raise bad_request(f"'{kind}' is not an attendee type.")
        previous = known.get(address.key)
        lists[ATTENDEE_LISTS[kind]].append(
            Attendee(address, previous.response_type if previous else "Unknown")
        )
    return {name: found or None for name, found in lists.items()}


def writes(
    values: dict[str, Any], current: dict[str, Any]
) -> tuple[dict[str, Any], dict[ExtendedKey, ExtendedValue]]:
    """What an event body writes: store properties (None deletes one) and extended ones."""
    props: dict[str, Any] = {}
    extended: dict[ExtendedKey, ExtendedValue] = {}
    for name, value in values.items():
        if name in _IGNORED:
            continue
        if name not in WRITABLE:
            raise bad_request(
                f"Could not find a property named '{name}' on type 'microsoft.graph.event'.",
                "RequestBodyRead",
            )
        if name == "subject":
            props["Subject"] = str(value or "")
        elif name == "body":
            kind = "HTML" if str((value or {}).get("contentType", "")).lower() == "html" else "Text"
            props["Body"] = Body(kind, str((value or {}).get("content") or ""))
        elif name in ("start", "end"):
            moment, zone = _moment(value, name)
            props[name.capitalize()] = moment
            props[f"{name.capitalize()}TimeZone"] = _zone_element(
                f"{name.capitalize()}TimeZone", zone
            )
        elif name == "isAllDay":
            props["IsAllDayEvent"] = bool(value)
        elif name == "location":
            props["Location"] = str((value or {}).get("displayName") or "") or None
        elif name == "categories":
            props["Categories"] = list(dict.fromkeys(str(v) for v in value or [])) or None
        elif name == "reminderMinutesBeforeStart":
            props["ReminderMinutesBeforeStart"] = int(value or 0)
        elif name == "isReminderOn":
            props["ReminderIsSet"] = bool(value)
        elif name == "showAs":
            if value not in SHOW_AS:
                raise bad_request(f"'{value}' is not a freeBusyStatus.")
            props["LegacyFreeBusyStatus"] = SHOW_AS[value]
        elif name == "attendees":
            props.update(_attendee_lists(value, current))
        elif name == "recurrence":
            props["Recurrence"] = recurrence_xml(value) if value else None
        elif name in ("importance", "sensitivity"):
            props[name.capitalize()] = str(value or "normal").capitalize()
        else:
            for entry in value or []:
                found = shapes.extended_value(entry)
                extended[found.field.key] = found
    return props, extended


def apply(item: Item, props: dict[str, Any], extended: dict[ExtendedKey, ExtendedValue]) -> None:
    for name, value in props.items():
        if value is None:
            item.props.pop(name, None)
        else:
            item.props[name] = value
    item.extended.update(extended)
