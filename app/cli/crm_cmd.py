"""`liaison crm import|list`: records in and out of the CRM store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.cli.output import print_json, print_table
from app.crm.csv_import import IMPORT_KINDS, import_csv
from app.crm.models import EmailActivity, Record
from app.crm.records import list_records
from app.workspace import Workspace

LIST_KINDS = {
    "accounts": "account",
    "contacts": "contact",
    "leads": "lead",
    "users": "user",
    "queues": "queue",
    "opportunities": "opportunity",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    crm = subparsers.add_parser("crm", help="import and list CRM records")
    crm_commands = crm.add_subparsers(dest="crm_command", required=True, metavar="COMMAND")

    importer = crm_commands.add_parser(
        "import",
        help="import records from a UTF-8 CSV file with a header row",
        description="Columns: accounts name,email,website; contacts first_name,last_name,email,"
        "account (account by name); leads first_name,last_name,email,company; users name,email; "
        "queues name,email; opportunities name,account,estimated_value,currency,close_date,stage. "
        "`email` may hold several addresses separated by ';'. Extra columns are ignored.",
    )
    importer.add_argument("kind", choices=IMPORT_KINDS)
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--skip-bad", action="store_true", help="import the good rows even when some are bad"
    )
    importer.set_defaults(handler=run_import)

    lister = crm_commands.add_parser("list", help="list records or tracked activities")
    lister.add_argument("kind", choices=[*LIST_KINDS, "activities"])
    lister.add_argument("--json", action="store_true", help="print JSON for scripts")
    lister.set_defaults(handler=run_list)


def run_import(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        owner = workspace.owner(session)
        report = import_csv(session, args.kind, args.file, owner, args.skip_bad)
        for bad in report.bad_rows:
            print(f"{args.file}:{bad.line}: {bad.reason}", file=sys.stderr)
        if report.bad_rows and not args.skip_bad:
            session.rollback()
            print(
                f"Imported nothing: {len(report.bad_rows)} bad row(s). Fix them, or use --skip-bad "
                "to import the rest.",
                file=sys.stderr,
            )
            return 2
        session.commit()
    skipped = f", skipped {len(report.bad_rows)} bad row(s)" if report.bad_rows else ""
    print(f"Imported {report.imported} {args.kind}{skipped}.")
    return 0


def _record_row(record: Record) -> dict[str, object]:
    return {
        "type": record.type,
        "id": record.id,
        "name": record.display_name,
        "emails": record.emails,
        "active": record.active,
    }


def run_list(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        if args.kind == "activities":
            rows = [_activity_row(activity) for activity in _activities(session)]
            headers = ["id", "subject", "sender", "regarding", "rule", "tracked_at"]
        else:
            rows = [_record_row(record) for record in list_records(session, LIST_KINDS[args.kind])]
            headers = ["id", "name", "emails"]
    if args.json:
        print_json(rows)
    else:
        print_table(headers, [[_cell(row[key]) for key in headers] for row in rows])
    return 0


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        return f"{value['type']}:{value['id']} {value['name']}"
    return value


def _activities(session: Session) -> list[EmailActivity]:
    return list(
        session.scalars(
            select(EmailActivity)
            .options(selectinload(EmailActivity.regarding))
            .order_by(EmailActivity.tracked_at, EmailActivity.id)
        )
    )


def _activity_row(activity: EmailActivity) -> dict[str, object]:
    regarding = activity.regarding
    return {
        "id": activity.id,
        "subject": activity.subject,
        "sender": activity.sender,
        "regarding": (
            {"type": regarding.type, "id": regarding.id, "name": regarding.display_name}
            if regarding
            else None
        ),
        "rule": activity.rule,
        "tracked": activity.tracked,
        "tracked_how": activity.tracked_how,
        "tracked_at": activity.tracked_at.isoformat() if activity.tracked_at else None,
        "message_id": activity.message_id,
    }
