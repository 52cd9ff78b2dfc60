"""`liaison crm add|edit appointment|task`: appointments and tasks made and changed from a script,
as the window's dialogs make them (app.services.schedule); the next sync carries them to
Exchange. An appointment's series is edited whole, or one occurrence at a time with
--occurrence (its original start, or its day)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.cli.activity_cmd import activity_json
from app.cli.errors import CommandError
from app.cli.output import print_json
from app.cli.tracking_cmd import parse_regarding
from app.crm.records import get_record
from app.crm.schedule import PRIORITIES, TASK_STATUSES, Attendee, AttendeeType
from app.crm.search import RecordKey, record_summary
from app.mailbox.recurrence import WEEKDAYS
from app.services.activities import ActivityListing
from app.services.errors import ServiceError
from app.services.schedule import AppointmentDraft, ScheduleService, TaskDraft
from app.workspace import Workspace

SHOW_AS = {
    "free": "Free",
    "tentative": "Tentative",
    "busy": "Busy",
    "oof": "OOF",
    "working-elsewhere": "WorkingElsewhere",
}
REPEATS = ("daily", "weekly", "monthly", "monthly-weekday", "yearly", "never")
_WEEK_NUMBERS = ("First", "Second", "Third", "Fourth", "Last")
_SHORT_DAYS = {name[:3].lower(): name for name in WEEKDAYS}
# not-started, in-progress, waiting-on-others, deferred, completed
_STATUSES = {
    "".join(f"-{c.lower()}" if c.isupper() else c for c in status).lstrip("-"): status
    for status in TASK_STATUSES
}
Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


def add_parsers(add_types: Subparsers, edit_types: Subparsers) -> None:
    """`appointment` and `task` under `crm add` and `crm edit` (whose other types are records)."""
    for editing, types in ((False, add_types), (True, edit_types)):
        verb = "change" if editing else "make"
        appointment = types.add_parser(
            "appointment",
            help=f"{verb} an appointment (a series, or one occurrence of it)",
            description=f"{verb.capitalize()}s a CRM appointment; the next sync writes it to "
            "Exchange once. Times without an offset are in --time-zone (by default this "
            "computer's); an all-day appointment takes days.",
        )
        if editing:
            appointment.add_argument("id", type=int, help="the appointment's id")
            appointment.add_argument(
                "--occurrence",
                metavar="WHEN",
                help="change only the occurrence of a series due then (its original start or "
                "its day): its --start, --end, --subject, --location",
            )
            appointment.add_argument(
                "--delete-occurrence",
                metavar="WHEN",
                help="delete only the occurrence of a series due then (its start or its day)",
            )
        _appointment_options(appointment, required=not editing)
        appointment.set_defaults(handler=run_edit_appointment if editing else run_add_appointment)
        task = types.add_parser(
            "task",
            help=f"{verb} a task",
            description=f"{verb.capitalize()}s a CRM task; the next sync writes it to Exchange "
            "once. A task at 100% is completed, a completed one at 100%.",
        )
        if editing:
            task.add_argument("id", type=int, help="the task's id")
        _task_options(task, required=not editing)
        task.set_defaults(handler=run_edit_task if editing else run_add_task)


def _common_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--subject", required=required)
    parser.add_argument(
        "--regarding", metavar="TYPE:KEY", help="account:42, contact:jan@acme.pl…; 'none' clears"
    )
    parser.add_argument("--notes", help="the notes (body)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _appointment_options(parser: argparse.ArgumentParser, required: bool) -> None:
    _common_options(parser, required)
    parser.add_argument("--start", required=required, metavar="WHEN", help="2026-10-12T09:00")
    parser.add_argument("--end", metavar="WHEN", help="by default an hour after the start")
    parser.add_argument(
        "--all-day",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whole days: --start and --end are the first and last day",
    )
    parser.add_argument("--time-zone", metavar="ZONE", help="Europe/Warsaw, America/New_York…")
    parser.add_argument("--location")
    parser.add_argument(
        "--attendee", action="append", metavar="ADDRESS", help="invite someone (repeatable)"
    )
    parser.add_argument(
        "--optional-attendee", action="append", metavar="ADDRESS", help="optional (repeatable)"
    )
    parser.add_argument(
        "--no-attendees", action="store_true", help="invite nobody (before any --attendee)"
    )
    parser.add_argument("--reminder", metavar="MINUTES", help="minutes before the start, or 'none'")
    parser.add_argument("--show-as", choices=list(SHOW_AS))
    parser.add_argument(
        "--repeat", choices=REPEATS, help="monthly-weekday: on the start's n-th weekday"
    )
    parser.add_argument("--every", type=int, metavar="N", help="every N days, weeks or months")
    parser.add_argument("--on", metavar="DAYS", help="weekly: mon,wed,fri (default: the start's)")
    end = parser.add_mutually_exclusive_group()
    end.add_argument("--until", metavar="DAY", help="the series' last day")
    end.add_argument("--count", type=int, metavar="N", help="the number of occurrences")


def _task_options(parser: argparse.ArgumentParser, required: bool) -> None:
    _common_options(parser, required)
    parser.add_argument("--start", metavar="DAY", help="2026-10-05, or 'none'")
    parser.add_argument("--due", metavar="DAY", help="2026-10-09, or 'none'")
    parser.add_argument("--priority", choices=[p.lower() for p in PRIORITIES])
    parser.add_argument("--status", choices=list(_STATUSES))
    parser.add_argument("--percent", type=int, metavar="N", help="% complete, 0 to 100")
    parser.add_argument("--reminder", metavar="WHEN", help="2026-10-08T09:00, or 'none'")
    parser.add_argument("--time-zone", metavar="ZONE", help="of --reminder without an offset")


# Running


def run_add_appointment(args: argparse.Namespace) -> int:
    zone = _zone_name(args.time_zone)
    start = _when(args.start, zone, args.all_day)
    draft = AppointmentDraft(
        subject=args.subject,
        start=start,
        end=start + (timedelta(days=1) if args.all_day else timedelta(hours=1)),
        time_zone=zone,
    )
    return _save_appointment(args, draft)


def run_edit_appointment(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        service = ScheduleService(workspace)
        if args.delete_occurrence:
            draft = _occurrence(service, args.id, args.delete_occurrence)
            _service_call(lambda: service.delete_occurrence(draft))
            return _report(workspace, args, args.id)
        draft = (
            _occurrence(service, args.id, args.occurrence)
            if args.occurrence
            else _service_call(lambda: service.appointment_draft_of(args.id))
        )
    return _save_appointment(args, draft)


def run_add_task(args: argparse.Namespace) -> int:
    return _save_task(args, TaskDraft(subject=args.subject, due=None))


def run_edit_task(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        draft = _service_call(lambda: ScheduleService(workspace).task_draft_of(args.id))
    return _save_task(args, draft)


def _save_appointment(args: argparse.Namespace, draft: AppointmentDraft) -> int:
    with Workspace.open() as workspace:
        draft = _with_appointment_options(args, draft, workspace)
        saved = _service_call(lambda: ScheduleService(workspace).save_appointment(draft))
        return _report(workspace, args, saved)


def _save_task(args: argparse.Namespace, draft: TaskDraft) -> int:
    with Workspace.open() as workspace:
        draft = _with_common(args, draft, workspace)
        zone = _zone_name(args.time_zone)
        changes: dict[str, Any] = {}
        for name in ("start", "due"):
            value = getattr(args, name)
            if value is not None:
                changes[name] = None if value == "none" else _day(value, name)
        if args.priority:
            changes["priority"] = args.priority.capitalize()
        if args.status:
            changes["status"] = _STATUSES[args.status]
            if args.percent is None and changes["status"] in ("NotStarted", "Completed"):
                changes["percent_complete"] = 100 if changes["status"] == "Completed" else 0
        if args.percent is not None:
            if not 0 <= args.percent <= 100:
                raise CommandError(f"--percent takes 0 to 100, not {args.percent}")
            changes["percent_complete"] = args.percent
        if args.reminder is not None:
            changes["reminder"] = None if args.reminder == "none" else _when(args.reminder, zone)
        draft = replace(draft, **changes)
        saved = _service_call(lambda: ScheduleService(workspace).save_task(draft))
        return _report(workspace, args, saved)


def _with_common(args: argparse.Namespace, draft: Any, workspace: Workspace) -> Any:
    changes: dict[str, Any] = {}
    if args.subject is not None:
        if not args.subject.strip():
            raise CommandError("--subject cannot be empty")
        changes["subject"] = args.subject.strip()
    if args.notes is not None:
        changes["body"] = args.notes
    if args.regarding is not None:
        changes["regarding"] = _regarding(workspace, args.regarding)
    return replace(draft, **changes)


def _with_appointment_options(
    args: argparse.Namespace, draft: AppointmentDraft, workspace: Workspace
) -> AppointmentDraft:
    draft = _with_common(args, draft, workspace)
    zone = _zone_name(args.time_zone) if args.time_zone else draft.time_zone
    all_day = draft.is_all_day if args.all_day is None else args.all_day
    changes: dict[str, Any] = {"time_zone": zone, "is_all_day": all_day}
    start = _when(args.start, zone, all_day) if args.start else draft.start
    length = draft.end - draft.start
    if all_day and not draft.is_all_day:
        start = datetime.combine(_local_day(start, zone), time(0), UTC)
        length = timedelta(days=1)
    if args.end:
        end = _when(args.end, zone, all_day) + (timedelta(days=1) if all_day else timedelta(0))
    else:
        end = start + length
    if end < start:
        raise CommandError("The appointment ends before it starts")
    changes.update(start=start, end=end)
    if args.location is not None:
        changes["location"] = args.location
    if args.show_as:
        changes["show_as"] = SHOW_AS[args.show_as]
    if args.reminder is not None:
        changes["reminder"] = _minutes(args.reminder)
    attendees = () if args.no_attendees else draft.attendees
    for addresses, kind in (
        (args.attendee, AttendeeType.REQUIRED),
        (args.optional_attendee, AttendeeType.OPTIONAL),
    ):
        for address in addresses or ():
            if "@" not in address:
                raise CommandError(f"{address!r} is not an address")
            taken = {a.email.casefold() for a in attendees}
            if address.casefold() not in taken:
                attendees = (*attendees, Attendee(address.strip(), type=kind))
    changes["attendees"] = attendees
    if draft.occurrence is not None:
        # One occurrence: its time, subject and location; the series keeps the rest.
        keep = ("subject", "location", "start", "end")
        changes = {name: value for name, value in changes.items() if name in keep}
    elif args.repeat or args.until or args.count or args.every or args.on:
        changes["recurrence"] = _recurrence(args, draft.recurrence, _local_day(start, zone))
    return replace(draft, **changes)


def _recurrence(
    args: argparse.Namespace, current: dict[str, Any] | None, first: date
) -> dict[str, Any] | None:
    repeat = args.repeat or _repeat_of(current)
    if repeat in (None, "never"):
        return None
    interval = args.every or int((current or {}).get("interval") or 1)
    if interval < 1:
        raise CommandError("--every takes 1 or more")
    value: dict[str, Any]
    if repeat == "daily":
        value = {"pattern": "daily", "interval": interval}
    elif repeat == "weekly":
        days = _weekdays(args.on) if args.on else (current or {}).get("weekdays")
        value = {
            "pattern": "weekly",
            "interval": interval,
            "weekdays": days or [WEEKDAYS[first.weekday()]],
            "first_day_of_week": "Monday",
        }
    elif repeat == "monthly":
        value = {"pattern": "monthly", "interval": interval, "day_of_month": first.day}
    elif repeat == "monthly-weekday":
        value = {
            "pattern": "relative-monthly",
            "interval": interval,
            "weekday": WEEKDAYS[first.weekday()],
            "week_number": _WEEK_NUMBERS[min((first.day - 1) // 7, 4)],
        }
    else:
        value = {"pattern": "yearly", "day_of_month": first.day, "month": first.strftime("%B")}
    value["start"] = first.isoformat()
    value["end"] = _day(args.until, "until").date().isoformat() if args.until else None
    value["count"] = args.count if args.count else None
    if not (args.until or args.count) and current and value["pattern"] == current.get("pattern"):
        value["end"], value["count"] = current.get("end"), current.get("count")
    if value["count"] is not None and value["count"] < 1:
        raise CommandError("--count takes 1 or more")
    same = current is not None and all(current.get(k) == v for k, v in value.items())
    value["modified"] = list((current or {}).get("modified") or []) if same else []
    value["deleted"] = list((current or {}).get("deleted") or []) if same else []
    return value


def _repeat_of(current: dict[str, Any] | None) -> str | None:
    pattern = (current or {}).get("pattern")
    return {"relative-monthly": "monthly-weekday", "relative-yearly": "yearly"}.get(
        str(pattern), pattern
    )


def _occurrence(service: ScheduleService, activity_id: int, when: str) -> AppointmentDraft:
    """The occurrence of series `activity_id` due at `when` (a moment, or a day)."""
    try:
        return service.occurrence_draft_of(activity_id, _when_or_day(when))
    except ServiceError as exc:
        raise CommandError(str(exc)) from None


# Values


def _zone_name(given: str | None) -> str | None:
    """The zone times are read in: the one given, else this computer's."""
    name = given or os.environ.get("TZ") or _system_zone()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"Unknown time zone {name!r}") from None
    return name


def _system_zone() -> str:
    try:
        target = Path("/etc/localtime").resolve()
    except OSError:
        return "UTC"
    parts = target.parts
    return "/".join(parts[parts.index("zoneinfo") + 1 :]) if "zoneinfo" in parts else "UTC"


def _when(text: str, zone: str | None, all_day: bool | None = False) -> datetime:
    if all_day:
        return _day(text, "start")
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise CommandError(f"{text!r} is not a time such as 2026-10-12T09:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone or "UTC"))
    return moment.astimezone(UTC)


def _when_or_day(text: str) -> datetime | date:
    if "T" in text or " " in text.strip():
        return _when(text, None)
    return _day(text, "occurrence").date()


def _day(text: str, option: str) -> datetime:
    """A day as the CRM keeps task dates and all-day times: midnight UTC."""
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise CommandError(f"--{option} takes a day such as 2026-10-12, not {text!r}") from None
    return datetime.combine(day, time(0), UTC)


def _local_day(moment: datetime, zone: str | None) -> date:
    return moment.astimezone(ZoneInfo(zone or "UTC")).date()


def _minutes(text: str) -> int | None:
    if text == "none":
        return None
    if not text.isdigit():
        raise CommandError(f"--reminder takes minutes before the start or 'none', not {text!r}")
    return int(text)


def _weekdays(text: str) -> list[str]:
    days = []
    for word in text.split(","):
        name = _SHORT_DAYS.get(word.strip().lower()[:3])
        if name is None:
            raise CommandError(f"--on takes days such as mon,wed,fri, not {text!r}")
        days.append(name)
    return [name for name in WEEKDAYS if name in days]


def _regarding(workspace: Workspace, text: str) -> RecordKey | None:
    if text == "none":
        return None
    wanted = parse_regarding(text)
    assert wanted is not None
    with workspace.crm.sessions() as session:
        return record_summary(get_record(session, *wanted)).key


def _service_call(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except ServiceError as exc:
        raise CommandError(str(exc)) from None


def _report(workspace: Workspace, args: argparse.Namespace, activity_id: int | None) -> int:
    (row,) = [row for row in ActivityListing(workspace).activities() if row.id == activity_id]
    if args.json:
        print_json(activity_json(row))
    else:
        print(
            f"Saved the {row.type} {row.id} “{row.subject}”; the next sync writes it to Exchange."
        )
    return 0
