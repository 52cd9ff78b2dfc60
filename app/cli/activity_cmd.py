"""`liaison crm delete appointment|task ID` and `liaison crm list activities`: the CRM's
activities (emails, appointments, tasks) as a script sees them, and deleting appointments and
tasks the way Dynamics does (see app.sync.activity_deletion)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.errors import CommandError
from app.cli.output import print_json, print_table
from app.mailbox.remote import ItemKind
from app.services.activities import ActivityListing, ActivityRow
from app.services.schedule import ScheduleService
from app.sync.activity_deletion import Deletion, ExchangeCopy
from app.sync.activity_fields import iso
from app.workspace import Workspace

DELETABLE = {"appointment": ItemKind.APPOINTMENT, "task": ItemKind.TASK}
_PLACE = {ItemKind.APPOINTMENT: "calendar", ItemKind.TASK: "task list"}


def add_exchange_choice(deleter: argparse.ArgumentParser) -> None:
    """`crm delete`'s choice for an appointment or task: what becomes of its Exchange item."""
    choice = deleter.add_mutually_exclusive_group()
    choice.add_argument(
        "--keep-exchange-item",
        dest="remove_from_exchange",
        action="store_false",
        default=None,
        help="appointments and tasks: leave the Exchange item where it is, no longer tracked",
    )
    choice.add_argument(
        "--delete-exchange-item",
        dest="remove_from_exchange",
        action="store_true",
        help="appointments and tasks: delete the Exchange item too, even a past appointment "
        "or a completed task (without either, as Dynamics does: an appointment that has not "
        "ended and an open task go, a past appointment and a completed task stay)",
    )


def run_delete(args: argparse.Namespace) -> int:
    """`liaison crm delete appointment|task ID` (the parser is records_cmd's `crm delete`)."""
    if not args.id.isdecimal():
        raise CommandError(
            f"{args.id!r} is not an id: `liaison crm list activities` lists those of "
            "appointments and tasks"
        )
    with Workspace.open() as workspace:
        deletion = ScheduleService(workspace).delete_activity(
            int(args.id), args.remove_from_exchange, DELETABLE[args.type]
        )
    if args.json:
        print_json(
            {
                "id": deletion.activity_id,
                "type": deletion.kind.value,
                "subject": deletion.subject,
                "exchange": deletion.exchange.value,
            }
        )
    else:
        print(_deleted(deletion))
    return 0


def _deleted(deletion: Deletion) -> str:
    what = f"Deleted the {deletion.kind.value} {deletion.activity_id} “{deletion.subject}”"
    place = _PLACE[deletion.kind]
    if deletion.exchange is ExchangeCopy.DELETED:
        return f"{what}; the next sync deletes it from your Exchange {place} too."
    if deletion.exchange is ExchangeCopy.KEPT:
        return f"{what}; it stays in your Exchange {place}, no longer tracked from the next sync."
    return f"{what}; it was not on Exchange."


ACTIVITY_COLUMNS = ["id", "type", "subject", "when", "state", "regarding"]


def list_activities(as_json: bool) -> int:
    with Workspace.open() as workspace:
        rows = ActivityListing(workspace).activities()
    if as_json:
        print_json([activity_json(row) for row in rows])
    else:
        print_table(ACTIVITY_COLUMNS, [_cells(row) for row in rows])
    return 0


def activity_json(row: ActivityRow) -> dict[str, Any]:
    """One activity for scripts; an appointment or task also has its fields as sync keeps
    them (app.sync.activity_fields): time zone, reminder, show-as, attendees with their
    answers and recurrence, or start, priority, % complete and reminder."""
    regarding = row.regarding
    return {
        "id": row.id,
        "type": row.type,
        "subject": row.subject,
        "regarding": (
            {"type": regarding.key.type.value, "id": regarding.key.id, "name": regarding.name}
            if regarding
            else None
        ),
        "tracked": row.tracked,
        "state": row.state,
        "unlinked_reason": row.unlinked_reason,
        "start": iso(row.start),
        "end": iso(row.end),
        "due": iso(row.due),
        "status": row.status,
        "sent_at": iso(row.sent_at),
        "sender": row.sender,
        "rule": row.rule,
        "tracked_how": row.tracked_how,
        "tracked_at": iso(row.tracked_at),
        "message_id": row.message_id,
        **({"fields": row.fields} if row.fields is not None else {}),
    }


def _cells(row: ActivityRow) -> list[object]:
    regarding = row.regarding
    return [
        row.id,
        row.type,
        row.subject,
        iso(row.when) or "",
        row.state + (f" ({row.unlinked_reason})" if row.unlinked_reason else ""),
        f"{regarding.key.type.value}:{regarding.key.id} {regarding.name}" if regarding else "",
    ]
