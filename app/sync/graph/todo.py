"""Microsoft To Do's todoTask as sync's plain data, and back: pure functions.

A task's fields come out in the flat form of app.sync.activity_fields, as the EWS backend gives
them. Where To Do and an Outlook task differ:

- To Do has no percentage. Its status says 0 (not started) and 100 (completed); for the
  statuses between, the percentage is the one Liaison last wrote, kept in an open extension of
  its own (PROGRESS): a percentage set in another client through EWS is not seen over Graph.
- A todoTask has no singleValueExtendedProperties, so Liaison's mark is an open extension
  (MARK) holding the five values RemoteMark has. The tracking category is the task's
  `categories`, Outlook's. An open extension is not the MAPI named properties EWS writes: a
  mark written over one protocol is not read over the other (the category is).
- Dates: start, due and completion are days (Exchange keeps them so), written and read as
  midnight UTC; the reminder is a moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.mailbox.remote import ItemKind, LinkState, RemoteItem, RemoteMark
from app.sync.activity_fields import iso, parse_iso
from app.sync.graph.events import moment
from app.sync.html_text import html_to_text

MARK = "com.liaison.mark"
PROGRESS = "com.liaison.progress"
# $expand of Liaison's two extensions, as a task read asks for them.
EXTENSIONS_EXPAND = f"extensions($filter=id eq '{MARK}' or id eq '{PROGRESS}')"
_OPEN_TYPE = "microsoft.graph.openTypeExtension"
_STATUSES = ("NotStarted", "InProgress", "Completed", "WaitingOnOthers", "Deferred")
_DAYS = {"start": "startDateTime", "due": "dueDateTime", "completed_at": "completedDateTime"}


def graph_status(status: str) -> str:
    """Exchange's task status (NotStarted...) as To Do spells it (notStarted...)."""
    return status[:1].lower() + status[1:]


def exchange_status(status: Any) -> str:
    wanted = str(status or "").casefold()
    return next((s for s in _STATUSES if s.casefold() == wanted), "NotStarted")


def _date_time(when: datetime) -> dict[str, str]:
    return {"dateTime": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def _completion_day(value: Any) -> str | None:
    """The UTC day of the completion, which Exchange stamps with the moment (as EWS reads it)."""
    completed = moment(value)
    return iso(datetime.combine(completed.date(), time(0), UTC)) if completed else None


def _day(value: Any) -> str | None:
    """The day of a todoTask's start or due date. To Do keeps a day; Graph gives
    it as that day's midnight where it was set, in the zone the request names or, as often,
    converted to UTC (a day set in Warsaw reads as 22:00 or 23:00 UTC the evening before, one
    set in New York as 04:00 or 05:00 UTC that day). So the time as given, in its own zone, is
    taken to the nearest midnight: right wherever the day was set from UTC-11 to UTC+12."""
    if moment(value) is None:
        return None
    wall = datetime.fromisoformat(str(value["dateTime"])[:19])
    return iso(datetime.combine((wall + timedelta(hours=12)).date(), time(0), UTC))


def _extension(extensions: Any, name: str) -> dict[str, Any]:
    for entry in extensions or ():
        if isinstance(entry, dict) and name.casefold() in (
            str(entry.get("extensionName", "")).casefold(),
            str(entry.get("id", "")).casefold(),
        ):
            return entry
    return {}


def mark_of(extensions: Any) -> RemoteMark:
    """Liaison's mark from a task's extensions (all None without one)."""
    found = _extension(extensions, MARK)
    state, activity = found.get("linkState"), found.get("activityId")
    return RemoteMark(
        link_state=LinkState(state) if state in (0, 1, 2) else None,
        activity_id=activity if isinstance(activity, int) else None,
        regarding=found.get("regarding") or None,
        category=found.get("trackCategory") or None,
        client_id=found.get("clientId") or None,
    )


def mark_extension(mark: RemoteMark) -> dict[str, Any]:
    """The mark as its open extension; an extension's update replaces all of its data, so a
    value the mark leaves out is simply not written."""
    values = {
        "linkState": int(mark.link_state) if mark.link_state is not None else None,
        "activityId": mark.activity_id,
        "regarding": mark.regarding,
        "trackCategory": mark.category,
        "clientId": mark.client_id,
    }
    return {
        "@odata.type": _OPEN_TYPE,
        "extensionName": MARK,
        **{name: value for name, value in values.items() if value is not None},
    }


def progress_extension(percent: int) -> dict[str, Any]:
    return {"@odata.type": _OPEN_TYPE, "extensionName": PROGRESS, "percentComplete": percent}


def _percent(status: str, extensions: Any) -> int:
    if status == "Completed":
        return 100
    kept = _extension(extensions, PROGRESS).get("percentComplete")
    if status == "NotStarted" or not isinstance(kept, int) or not 0 < kept < 100:
        return 0
    return kept


def task_details(value: dict[str, Any], extensions: Any = None) -> dict[str, Any]:
    """A todoTask's fields as app.sync.activity_fields has them (TASK_FIELDS)."""
    status = exchange_status(value.get("status"))
    body = value.get("body") or {}
    content = str(body.get("content") or "")
    reminder = moment(value.get("reminderDateTime")) if value.get("isReminderOn") else None
    return {
        "subject": str(value.get("title") or ""),
        "start": _day(value.get("startDateTime")),
        "due": _day(value.get("dueDateTime")),
        "completed_at": _completion_day(value.get("completedDateTime")),
        "status": status,
        "percent_complete": _percent(status, extensions),
        "priority": str(value.get("importance") or "normal").capitalize(),
        "reminder": iso(reminder),
        "body": (
            html_to_text(content)
            if str(body.get("contentType")).casefold() == "html"
            else content.strip()
        ),
    }


def task_item(value: dict[str, Any], extensions: Any = None) -> RemoteItem:
    details = task_details(value, extensions)
    return RemoteItem(
        id=str(value["id"]),
        change_key=change_key(value),
        kind=ItemKind.TASK,
        item_class="IPM.Task",
        subject=details["subject"],
        importance=details["priority"],
        categories=tuple(value.get("categories") or ()),
        modified_at=moment({"dateTime": value.get("lastModifiedDateTime"), "timeZone": "UTC"}),
        mark=mark_of(extensions),
        details=details,
    )


def change_key(value: dict[str, Any]) -> str | None:
    """A todoTask has no changeKey property; its etag (W/"...") carries the item's change key."""
    etag = value.get("@odata.etag")
    if not isinstance(etag, str):
        return None
    return etag.removeprefix("W/").strip('"') or None


def task_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The todoTask properties that write (some of) a task's fields. The completion date is
    the server's (it sets one when the status becomes completed); a percentage goes with the
    status it implies and, for the statuses between, in PROGRESS (see task_extensions)."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("start", "due"):
            when = parse_iso(value)
            day = datetime.combine(when.date(), time(0), UTC) if when else None
            values[_DAYS[name]] = _date_time(day) if day else None
        elif name == "subject":
            values["title"] = value or ""
        elif name == "status":
            values["status"] = graph_status(exchange_status(value))
        elif name == "priority":
            values["importance"] = str(value or "Normal").lower()
        elif name == "reminder":
            moment = parse_iso(value)
            values["isReminderOn"] = moment is not None
            values["reminderDateTime"] = _date_time(moment) if moment else None
        elif name == "body":
            values["body"] = {"content": value or "", "contentType": "text"}
    if fields.get("percent_complete") == 100:
        values["status"] = "completed"
    return values


def task_extensions(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """The extensions a write of these fields sets besides the task's own properties."""
    if "percent_complete" not in fields:
        return []
    return [progress_extension(int(fields["percent_complete"] or 0))]
