"""exchangelib items to plain data and back: messages, appointments (with recurrence), tasks;
and what a folder class says a folder holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from exchangelib import CalendarItem, EWSDate, EWSDateTime, EWSTimeZone, HTMLBody, Task
from exchangelib.fields import MONTHS, WEEK_NUMBERS, WEEKDAY_NAMES, WEEKDAYS
from exchangelib.items import Item
from exchangelib.properties import Attendee, Mailbox
from exchangelib.recurrence import (
    AbsoluteMonthlyPattern,
    AbsoluteYearlyPattern,
    DailyPattern,
    EndDatePattern,
    NoEndPattern,
    NumberedPattern,
    Recurrence,
    RelativeMonthlyPattern,
    RelativeYearlyPattern,
    WeeklyPattern,
)

from app.crm.schedule import BUSY, NO_RESPONSE, RESPONSES, AttendeeType
from app.sync.activity_fields import iso, parse_iso
from app.sync.backend import Body, FolderContent, ItemKind, LinkState, RemoteItem, RemoteMark
from app.sync.html_text import html_to_text
from app.sync.zones import crm_zone
from app.tracking.model import Address

_SENSITIVITY = {
    "Normal": "normal",
    "Personal": "personal",
    "Private": "private",
    "Confidential": "confidential",
}


_CONTENT_BY_CLASS = {
    "IPF.Note": FolderContent.MAIL,
    "IPF.Appointment": FolderContent.CALENDAR,
    "IPF.Task": FolderContent.TASKS,
    "IPF.Contact": FolderContent.CONTACTS,
    "IPF.StickyNote": FolderContent.NOTES,
    "IPF.Journal": FolderContent.JOURNAL,
}


def folder_content(folder_class: str | None) -> FolderContent:
    """What a folder of this class holds: "IPF.Note.X" holds what "IPF.Note" holds, and a
    folder without a class holds mail (Outlook treats it so)."""
    if not folder_class:
        return FolderContent.MAIL
    base = next(
        (ipf for ipf in _CONTENT_BY_CLASS if folder_class.startswith(f"{ipf}.")), folder_class
    )
    return _CONTENT_BY_CLASS.get(base, FolderContent.OTHER)


def utc(moment: datetime | date | None) -> datetime | None:
    """A plain aware datetime in UTC (EWSDateTime is a subclass the database need not know)."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(0), UTC)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.fromtimestamp(aware.timestamp(), UTC)


def address(mailbox: Mailbox | None) -> Address | None:
    if mailbox is None or not mailbox.email_address:
        return None
    return Address(email=mailbox.email_address, name=mailbox.name or "")


def addresses(mailboxes: list[Mailbox] | None) -> tuple[Address, ...]:
    found = (address(getattr(m, "mailbox", m)) for m in mailboxes or ())
    return tuple(a for a in found if a is not None)


def remote_mark(item: Item) -> RemoteMark:
    state = getattr(item, "liaison_link_state", None)
    activity = getattr(item, "liaison_activity_id", None)
    return RemoteMark(
        link_state=LinkState(int(state)) if state in (0, 1, 2) else None,
        activity_id=int(activity) if activity and str(activity).isdigit() else None,
        regarding=getattr(item, "liaison_regarding", None) or None,
        category=getattr(item, "liaison_category", None) or None,
        client_id=getattr(item, "liaison_client_id", None) or None,
    )


def mark_values(mark: RemoteMark) -> dict[str, Any]:
    """The exchangelib attribute values that write a mark."""
    return {
        "liaison_link_state": int(mark.link_state) if mark.link_state is not None else None,
        "liaison_activity_id": str(mark.activity_id) if mark.activity_id is not None else None,
        "liaison_regarding": mark.regarding,
        "liaison_category": mark.category,
        "liaison_client_id": mark.client_id,
    }


def kind_of(item: Item) -> ItemKind:
    if isinstance(item, CalendarItem):
        return ItemKind.APPOINTMENT
    if isinstance(item, Task):
        return ItemKind.TASK
    return ItemKind.MESSAGE


def remote_item(item: Item, exceptions: dict[str, dict[str, Any]] | None = None) -> RemoteItem:
    kind = kind_of(item)
    common: dict[str, Any] = {
        "id": item.id,
        "change_key": item.changekey,
        "kind": kind,
        "item_class": getattr(item, "item_class", None) or _default_class(kind),
        "subject": getattr(item, "subject", None) or "",
        "categories": tuple(getattr(item, "categories", None) or ()),
        "sensitivity": _SENSITIVITY.get(getattr(item, "sensitivity", None) or "", "normal"),
        "importance": getattr(item, "importance", None) or "Normal",
        "received_at": utc(getattr(item, "datetime_received", None)),
        "has_attachments": bool(getattr(item, "has_attachments", False)),
        "mark": remote_mark(item),
    }
    if kind is ItemKind.APPOINTMENT:
        return RemoteItem(
            **common,
            sender=address(getattr(item, "organizer", None)),
            details=appointment_details(item, exceptions or {}),
        )
    if kind is ItemKind.TASK:
        return RemoteItem(**common, details=task_details(item))
    conversation = getattr(item, "conversation_id", None)
    index = getattr(item, "conversation_index", None)
    return RemoteItem(
        **common,
        sender=address(getattr(item, "author", None) or getattr(item, "sender", None)),
        to=addresses(getattr(item, "to_recipients", None)),
        cc=addresses(getattr(item, "cc_recipients", None)),
        sent_at=utc(getattr(item, "datetime_sent", None)),
        is_read=bool(getattr(item, "is_read", False)),
        is_draft=bool(getattr(item, "is_draft", False)),
        conversation_id=conversation.id if conversation is not None else None,
        conversation_index=index.hex() if isinstance(index, bytes) and index else None,
        message_id=getattr(item, "message_id", None) or None,
        in_reply_to=getattr(item, "in_reply_to", None) or None,
        references=tuple((getattr(item, "references", None) or "").split()),
    )


def _default_class(kind: ItemKind) -> str:
    return {
        ItemKind.MESSAGE: "IPM.Note",
        ItemKind.APPOINTMENT: "IPM.Appointment",
        ItemKind.TASK: "IPM.Task",
    }[kind]


def body_of(item: Item) -> Body:
    body = getattr(item, "body", None)
    text = getattr(item, "text_body", None)
    if isinstance(body, HTMLBody):
        return Body(text=str(text) if text is not None else html_to_text(str(body)), html=str(body))
    return Body(text=str(text if text is not None else body or ""), html=None)


def plain_body(item: Item) -> str:
    return (body_of(item).text or "").strip()


# Appointments


_ATTENDEE_LISTS = {
    AttendeeType.REQUIRED: "required_attendees",
    AttendeeType.OPTIONAL: "optional_attendees",
    AttendeeType.RESOURCE: "resources",
}


def appointment_details(
    item: CalendarItem, exceptions: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    end = item.end
    if item.is_all_day and isinstance(end, date) and not isinstance(end, datetime):
        # exchangelib hands an all-day event's last day; Exchange (and Liaison) keep the
        # midnight after it.
        end = end + timedelta(days=1)
    return {
        "subject": item.subject or "",
        "start": iso(utc(item.start)),
        "end": iso(utc(end)),
        "is_all_day": bool(item.is_all_day),
        "time_zone": zone_name(getattr(item, "_start_timezone", None)),
        "location": item.location or "",
        "body": plain_body(item),
        "recurrence": recurrence_json(item, exceptions),
        "reminder": item.reminder_minutes_before_start if item.reminder_is_set else None,
        "show_as": item.legacy_free_busy_status or BUSY,
        "attendees": [
            {
                "email": attendee.mailbox.email_address,
                "name": attendee.mailbox.name or "",
                "type": kind.value,
                "response": attendee.response_type or NO_RESPONSE,
            }
            for kind, name in _ATTENDEE_LISTS.items()
            for attendee in getattr(item, name, None) or ()
            if attendee.mailbox is not None and attendee.mailbox.email_address
        ],
        "organizer": item.organizer.email_address if item.organizer else None,
        "calendar_type": item.type,
    }


def zone_name(zone: EWSTimeZone | None) -> str | None:
    """The IANA name of an Exchange time zone; None for UTC."""
    return crm_zone(getattr(zone, "key", None))


def recurrence_json(
    item: CalendarItem, exceptions: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    recurrence = item.recurrence
    if recurrence is None:
        return None
    data = pattern_json(recurrence.pattern)
    boundary = recurrence.boundary
    data["start"] = _date_text(boundary.start)
    data["end"] = _date_text(boundary.end) if isinstance(boundary, EndDatePattern) else None
    data["count"] = boundary.number if isinstance(boundary, NumberedPattern) else None
    when = _series_moment(item)
    modified = []
    for occurrence in item.modified_occurrences or ():
        entry = {
            "original_start": when(occurrence.original_start),
            "start": when(occurrence.start),
            "end": when(occurrence.end),
        }
        entry.update(exceptions.get(occurrence.id, {}))
        modified.append(entry)
    data["modified"] = sorted(modified, key=lambda entry: entry["original_start"] or "")
    data["deleted"] = sorted(when(d.start) or "" for d in item.deleted_occurrences or ())
    return data


def _series_moment(item: CalendarItem) -> Callable[[datetime | None], str | None]:
    """How an occurrence's time is kept: in UTC, or for an all-day series as midnight UTC of
    its day in the series' zone (all-day times are days, wherever they are read)."""
    zone = getattr(item, "_start_timezone", None)
    if not item.is_all_day or zone is None:
        return lambda moment: iso(utc(moment))

    def day(moment: datetime | None) -> str | None:
        if moment is None:
            return None
        return iso(datetime.combine(moment.astimezone(zone).date(), time(0), UTC))

    return day


def exception_details(item: CalendarItem) -> dict[str, Any]:
    """What an exception changed beyond its time, as recurrence["modified"] keeps it."""
    return {"subject": item.subject or "", "location": item.location or ""}


def _date_text(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = utc(value).date()  # type: ignore[union-attr]
    return value.isoformat()


def _name(value: int | str, names: tuple[str, ...]) -> str:
    return names[value - 1] if isinstance(value, int) else str(value)


def _number(value: int | str, names: tuple[str, ...]) -> int:
    return value if isinstance(value, int) else names.index(value) + 1


def pattern_json(pattern: Any) -> dict[str, Any]:
    if isinstance(pattern, DailyPattern):
        return {"pattern": "daily", "interval": pattern.interval}
    if isinstance(pattern, WeeklyPattern):
        return {
            "pattern": "weekly",
            "interval": pattern.interval,
            "weekdays": [_name(day, WEEKDAY_NAMES) for day in pattern.weekdays],
            "first_day_of_week": _name(pattern.first_day_of_week or 1, WEEKDAY_NAMES),
        }
    if isinstance(pattern, AbsoluteMonthlyPattern):
        return {
            "pattern": "monthly",
            "interval": pattern.interval,
            "day_of_month": pattern.day_of_month,
        }
    if isinstance(pattern, RelativeMonthlyPattern):
        return {
            "pattern": "relative-monthly",
            "interval": pattern.interval,
            "weekday": _name(pattern.weekday, WEEKDAYS),
            "week_number": _name(pattern.week_number, WEEK_NUMBERS),
        }
    if isinstance(pattern, AbsoluteYearlyPattern):
        return {
            "pattern": "yearly",
            "day_of_month": pattern.day_of_month,
            "month": _name(pattern.month, MONTHS),
        }
    if isinstance(pattern, RelativeYearlyPattern):
        return {
            "pattern": "relative-yearly",
            "weekday": _name(pattern.weekday, WEEKDAYS),
            "week_number": _name(pattern.week_number, WEEK_NUMBERS),
            "month": _name(pattern.month, MONTHS),
        }
    raise ValueError(f"unsupported recurrence pattern {type(pattern).__name__}")


def recurrence_from_json(data: dict[str, Any]) -> Recurrence:
    kind = data["pattern"]
    interval = int(data.get("interval") or 1)
    if kind == "daily":
        pattern: Any = DailyPattern(interval=interval)
    elif kind == "weekly":
        pattern = WeeklyPattern(
            interval=interval,
            weekdays=[_number(day, WEEKDAY_NAMES) for day in data["weekdays"]],
            first_day_of_week=_number(data.get("first_day_of_week") or "Monday", WEEKDAY_NAMES),
        )
    elif kind == "monthly":
        pattern = AbsoluteMonthlyPattern(interval=interval, day_of_month=int(data["day_of_month"]))
    elif kind == "relative-monthly":
        pattern = RelativeMonthlyPattern(
            interval=interval,
            weekday=_number(data["weekday"], WEEKDAYS),
            week_number=_number(data["week_number"], WEEK_NUMBERS),
        )
    elif kind == "yearly":
        pattern = AbsoluteYearlyPattern(
            day_of_month=int(data["day_of_month"]), month=_number(data["month"], MONTHS)
        )
    elif kind == "relative-yearly":
        pattern = RelativeYearlyPattern(
            weekday=_number(data["weekday"], WEEKDAYS),
            week_number=_number(data["week_number"], WEEK_NUMBERS),
            month=_number(data["month"], MONTHS),
        )
    else:
        raise ValueError(f"unsupported recurrence pattern {kind!r}")
    start = EWSDate.fromisoformat(data["start"])
    if data.get("end"):
        boundary: Any = EndDatePattern(start=start, end=EWSDate.fromisoformat(data["end"]))
    elif data.get("count"):
        boundary = NumberedPattern(start=start, number=int(data["count"]))
    else:
        boundary = NoEndPattern(start=start)
    return Recurrence(pattern=pattern, boundary=boundary)


def appointment_values(fields: dict[str, Any]) -> dict[str, Any]:
    """exchangelib CalendarItem attributes for (some of) an appointment's fields. Start and
    end are written in the appointment's time zone, so Exchange expands a series in it; give
    is_all_day and time_zone with them (app.sync.activity_fields.WHEN_CONTEXT)."""
    values: dict[str, Any] = {}
    all_day = bool(fields.get("is_all_day"))
    zone = EWSTimeZone(fields["time_zone"]) if fields.get("time_zone") else EWSTimeZone("UTC")
    for name, value in fields.items():
        if name in ("start", "end"):
            values[name] = _ews_moment(value, all_day, zone, name == "end")
            values[f"_{name}_timezone"] = zone
        elif name == "body":
            values["body"] = value or ""
        elif name == "recurrence":
            values["recurrence"] = recurrence_from_json(value) if value else None
        elif name == "reminder":
            values["reminder_is_set"] = value is not None
            values["reminder_minutes_before_start"] = int(value or 0)
        elif name == "show_as":
            values["legacy_free_busy_status"] = value or BUSY
        elif name == "attendees":
            values.update(attendee_values(value or []))
        elif name in ("subject", "location", "is_all_day"):
            values[name] = value
    return values


def attendee_values(attendees: list[dict[str, Any]]) -> dict[str, list[Attendee] | None]:
    """Each attendee in its list, with the response Exchange last reported, so rewriting the
    list keeps the answers already in."""
    lists: dict[str, list[Attendee]] = {name: [] for name in _ATTENDEE_LISTS.values()}
    for entry in attendees:
        response = entry.get("response")
        lists[_ATTENDEE_LISTS[AttendeeType(entry.get("type") or "required")]].append(
            Attendee(
                mailbox=Mailbox(email_address=entry["email"], name=entry.get("name") or None),
                response_type=response if response in RESPONSES else NO_RESPONSE,
            )
        )
    return {name: found or None for name, found in lists.items()}


def _ews_moment(
    text: str | None, all_day: bool, zone: EWSTimeZone, is_end: bool
) -> EWSDateTime | EWSDate | None:
    moment = parse_iso(text)
    if moment is None:
        return None
    if all_day:
        day = moment.astimezone(UTC).date()
        # exchangelib takes an all-day event's last day, not the midnight after it.
        return EWSDate.from_date(day - timedelta(days=1) if is_end else day)
    return EWSDateTime.from_datetime(moment.astimezone(UTC)).astimezone(zone)


# Tasks


def task_details(item: Task) -> dict[str, Any]:
    percent = item.percent_complete
    return {
        "subject": item.subject or "",
        "start": _task_date(item.start_date),
        "due": _task_date(item.due_date),
        "completed_at": _task_date(item.complete_date),
        "status": item.status or "NotStarted",
        "percent_complete": int(percent) if percent is not None else 0,
        "priority": item.importance or "Normal",
        "reminder": iso(utc(item.reminder_due_by)) if item.reminder_is_set else None,
        "body": plain_body(item),
    }


def _task_date(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    day = utc(value).date() if isinstance(value, datetime) else value  # type: ignore[union-attr]
    return iso(datetime.combine(day, time(0), UTC))


def task_values(fields: dict[str, Any]) -> dict[str, Any]:
    """exchangelib Task attributes for (some of) a task's fields; completion is the server's."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("start", "due"):
            moment = parse_iso(value)
            values[f"{name}_date"] = EWSDate.from_date(moment.date()) if moment else None
        elif name == "percent_complete":
            values["percent_complete"] = Decimal(int(value or 0))
        elif name == "priority":
            values["importance"] = value or "Normal"
        elif name == "reminder":
            moment = parse_iso(value)
            values["reminder_is_set"] = moment is not None
            values["reminder_due_by"] = (
                EWSDateTime.from_datetime(moment.astimezone(UTC)) if moment else None
            )
        elif name == "body":
            values["body"] = value or ""
        elif name in ("subject", "status"):
            values[name] = value
    return values
