"""Seeding a store from a demo directory, which the caller names (Liaison passes its demo quarter).

The directory holds mailbox.json (owner and colleagues with passwords), mail/inbox/*.eml and
mail/sentitems/*.eml (RFC 5322), calendar.json and tasks.json, as Liaison's
resources/demo/README.md describes them. Inbox messages are delivered in file order as received
mail (received when their Date says), Sent Items are filed as sent, appointments and tasks are
created in the owner's folders.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .itemwrite import finalize
from .mime import MimeError
from .model import Item, Mailbox, OccurrenceException
from .schema import RECURRENCE
from .store import Store, new_guid
from .transport import Transport
from .values import UTC, Address, Attendee, Body, now
from .xmlkit import element, parse_fragment
from .zones import WINDOWS_ZONES

UNREAD_NEWEST = 8  # the newest inbox messages stay unread, as after a weekend
_PATTERNS = {
    "daily": "DailyRecurrence",
    "weekly": "WeeklyRecurrence",
    "monthly": "AbsoluteMonthlyRecurrence",
    "yearly": "AbsoluteYearlyRecurrence",
}


class SeedError(Exception):
    """The demo directory is missing or one of its files cannot be used; the message says which."""


@dataclass(frozen=True)
class SeedSummary:
    mailboxes: tuple[Mailbox, ...]
    inbox: int
    sent: int
    appointments: int
    tasks: int


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SeedError(f"The demo file {path} is missing.") from error
    except (OSError, ValueError) as error:
        raise SeedError(f"The demo file {path} cannot be read: {error}") from error


def _people(data: Any, path: Path) -> list[dict[str, str]]:
    try:
        people = [data["owner"], *data.get("colleagues", [])]
        return [{k: str(p[k]) for k in ("name", "email", "password")} for p in people]
    except (KeyError, TypeError) as error:
        raise SeedError(
            f"{path} needs an owner and colleagues with name, email, password."
        ) from error


def _parse_moment(text: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise SeedError(f"{where}: {text!r} is not an ISO 8601 date-time.") from error
    if moment.tzinfo is None:
        raise SeedError(f"{where}: {text!r} needs a UTC offset.")
    return moment


# Zones tried, in this order, for times given only with an offset.
_LIKELY_ZONES = (
    "UTC",
    "GMT Standard Time",
    "W. Europe Standard Time",
    "Central European Standard Time",
    "Romance Standard Time",
    "FLE Standard Time",
    "GTB Standard Time",
    "Russian Standard Time",
    "Eastern Standard Time",
    "Central Standard Time",
    "Mountain Standard Time",
    "Pacific Standard Time",
    "Tokyo Standard Time",
    "China Standard Time",
    "India Standard Time",
    "AUS Eastern Standard Time",
)


def _zone_for(moments: list[dt.datetime], named: str | None) -> str:
    """The Windows zone id for an appointment: the one named, or the first well-known zone whose
    offset matches every time given (so a series keeps its local time across DST)."""
    if named:
        for windows_id, iana in WINDOWS_ZONES.items():
            if named in (windows_id, iana):
                return windows_id
        raise SeedError(
            f"Unknown time zone {named!r}; use one of {sorted(WINDOWS_ZONES.values())}."
        )
    for windows_id in _LIKELY_ZONES:
        zone = ZoneInfo(WINDOWS_ZONES[windows_id])
        if all(m.utcoffset() == m.astimezone(zone).utcoffset() for m in moments):
            return windows_id
    return "UTC"


def _recurrence_xml(spec: dict[str, Any], start: dt.datetime, where: str) -> str:
    pattern = _PATTERNS.get(str(spec.get("pattern", "")).lower())
    if pattern is None:
        raise SeedError(f"{where}: recurrence pattern must be one of {sorted(_PATTERNS)}.")
    interval = element("t:Interval", str(int(spec.get("interval", 1))))
    if pattern == "WeeklyRecurrence":
        days = " ".join(spec.get("days") or [start.strftime("%A")])
        inner = interval + element("t:DaysOfWeek", days) + element("t:FirstDayOfWeek", "Monday")
    elif pattern == "AbsoluteMonthlyRecurrence":
        inner = interval + element("t:DayOfMonth", str(start.day))
    elif pattern == "AbsoluteYearlyRecurrence":
        inner = element("t:DayOfMonth", str(start.day)) + element("t:Month", start.strftime("%B"))
    else:
        inner = interval
    first = str(spec.get("start") or start.date().isoformat())
    if spec.get("occurrences"):
        boundary = (
            "<t:NumberedRecurrence>"
            + element("t:StartDate", first)
            + element("t:NumberOfOccurrences", str(int(spec["occurrences"])))
            + "</t:NumberedRecurrence>"
        )
    elif spec.get("until"):
        boundary = (
            "<t:EndDateRecurrence>"
            + element("t:StartDate", first)
            + element("t:EndDate", str(spec["until"]))
            + "</t:EndDateRecurrence>"
        )
    else:
        boundary = f"<t:NoEndRecurrence>{element('t:StartDate', first)}</t:NoEndRecurrence>"
    xml = f"<t:Recurrence><t:{pattern}>{inner}</t:{pattern}>{boundary}</t:Recurrence>"
    return RECURRENCE.parse(parse_fragment(xml))


class DemoSeeder:
    def __init__(self, store: Store, transport: Transport, directory: Path) -> None:
        self._store = store
        self._transport = transport
        self._directory = directory

    def _address(self, email_address: str) -> Address:
        known = self._store.mailbox(email_address)
        return Address(email_address, known.display_name if known else "")

    def seed(self) -> SeedSummary:
        if not self._directory.is_dir():
            raise SeedError(f"The demo data directory {self._directory} does not exist.")
        people_path = self._directory / "mailbox.json"
        people = _people(_read_json(people_path), people_path)
        with self._store.writing():
            mailboxes = tuple(
                self._store.add_mailbox(p["email"], p["name"], p["password"]) for p in people
            )
            owner = mailboxes[0]
            inbox = self._mail(owner, "inbox")
            sent = self._mail(owner, "sentitems")
            appointments = self._appointments(owner)
            tasks = self._tasks(owner)
        return SeedSummary(mailboxes, inbox, sent, appointments, tasks)

    def _mail(self, owner: Mailbox, folder: str) -> int:
        files = sorted((self._directory / "mail" / folder).glob("*.eml"))
        for position, path in enumerate(files):
            try:
                data = path.read_bytes()
                if folder == "inbox":
                    read = position < len(files) - UNREAD_NEWEST
                    self._transport.deliver_mime(owner, data, self._received_at(data), read=read)
                else:
                    self._transport.file_mime(owner, folder, data)
            except (OSError, MimeError) as error:
                raise SeedError(f"The demo message {path} cannot be used: {error}") from error
        return len(files)

    def _received_at(self, data: bytes) -> dt.datetime:
        date = BytesHeaderParser(policy=policy.default).parsebytes(data).get("Date")
        try:
            sent = email.utils.parsedate_to_datetime(str(date)).astimezone(UTC)
        except (TypeError, ValueError):
            return now()
        return sent + dt.timedelta(seconds=42)

    def _appointments(self, owner: Mailbox) -> int:
        path = self._directory / "calendar.json"
        entries = _read_json(path)
        for number, entry in enumerate(entries, start=1):
            where = f"{path} entry {number}"
            try:
                self._store.add_item(
                    owner, owner.distinguished["calendar"], self._appointment(owner, entry, where)
                )
            except (KeyError, TypeError) as error:
                raise SeedError(f"{where} lacks {error}.") from error
        return len(entries)

    def _appointment(self, owner: Mailbox, entry: dict[str, Any], where: str) -> Item:
        start = _parse_moment(entry["start"], where)
        end = _parse_moment(entry["end"], where)
        exceptions = entry.get("exceptions") or []
        moments = [start, end] + [
            _parse_moment(e[k], where)
            for e in exceptions
            for k in ("original_start", "start")
            if k in e
        ]
        zone_xml = element("t:StartTimeZone", Id=_zone_for(moments, entry.get("time_zone")))
        organizer = self._address(entry.get("organizer") or owner.address)
        attendees = [Attendee(self._address(a), "Accept") for a in entry.get("attendees", [])]
        is_organizer = organizer.key == owner.address.casefold()
        props: dict[str, Any] = {
            "Subject": entry["subject"],
            "Start": start.astimezone(UTC),
            "End": end.astimezone(UTC),
            "StartTimeZone": zone_xml,
            "EndTimeZone": zone_xml.replace("StartTimeZone", "EndTimeZone"),
            "Organizer": organizer,
            "RequiredAttendees": attendees,
            "MyResponseType": "Organizer" if is_organizer else "Accept",
            "Categories": list(entry.get("categories", [])),
            "UID": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"{entry['subject']}|{entry['start']}")
            ).upper(),
            "ItemClass": "IPM.Appointment",
            "DateTimeCreated": now(),
            "DateTimeReceived": now(),
            "MeetingRequestWasSent": is_organizer and bool(attendees),
        }
        if entry.get("location"):
            props["Location"] = entry["location"]
        if entry.get("body"):
            props["Body"] = Body("Text", entry["body"])
        if entry.get("recurrence"):
            props["Recurrence"] = _recurrence_xml(entry["recurrence"], start, where)
        item = Item(uuid=new_guid(), item_type="CalendarItem", folder=b"", props=props)
        for exception in exceptions:
            original = int(_parse_moment(exception["original_start"], where).timestamp())
            if exception.get("deleted"):
                item.deleted_occurrences.add(original)
                continue
            overrides: dict[str, Any] = {
                name: _parse_moment(exception[key], where).astimezone(UTC)
                for key, name in (("start", "Start"), ("end", "End"))
                if key in exception
            }
            for key, name in (("subject", "Subject"), ("location", "Location")):
                if key in exception:
                    overrides[name] = exception[key]
            item.exceptions[original] = OccurrenceException(overrides, 0)
        finalize(item, owner, self._store.mailboxes)
        return item

    def _tasks(self, owner: Mailbox) -> int:
        path = self._directory / "tasks.json"
        entries = _read_json(path)
        for number, entry in enumerate(entries, start=1):
            where = f"{path} entry {number}"
            try:
                props: dict[str, Any] = {
                    "Subject": entry["subject"],
                    "Status": entry.get("status", "NotStarted"),
                    "PercentComplete": Decimal(str(entry.get("percent_complete", 0))),
                    "Categories": list(entry.get("categories", [])),
                    "ItemClass": "IPM.Task",
                    "DateTimeCreated": now(),
                    "DateTimeReceived": now(),
                }
                for key, name in (("start", "StartDate"), ("due", "DueDate")):
                    if entry.get(key):
                        day = dt.date.fromisoformat(str(entry[key])[:10])
                        props[name] = dt.datetime.combine(day, dt.time(), tzinfo=UTC)
                if entry.get("body"):
                    props["Body"] = Body("Text", entry["body"])
            except (KeyError, TypeError, ValueError) as error:
                raise SeedError(f"{where} is not a task: {error}") from error
            task = Item(uuid=new_guid(), item_type="Task", folder=b"", props=props)
            finalize(task, owner, self._store.mailboxes)
            self._store.add_item(owner, owner.distinguished["tasks"], task)
        return len(entries)
