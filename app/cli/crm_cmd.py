"""`liaison crm import|list|add|edit|connect|disconnect|sync`: records in and out of the CRM
store, and the link to a team's shared store. Single records are kept by app.cli.records_cmd,
appointments and tasks made and changed by app.cli.schedule_cmd, activities listed and deleted
by app.cli.activity_cmd."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import activity_cmd, records_cmd, schedule_cmd
from app.cli.output import print_json, print_table
from app.config import profile_paths
from app.crm.csv_import import IMPORT_KINDS, import_csv
from app.crm.models import Record
from app.crm.records import list_records
from app.team.membership import connect, disconnect
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
    crm = subparsers.add_parser(
        "crm", help="import, list, add, edit, delete and qualify CRM records"
    )
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

    lister = crm_commands.add_parser(
        "list", help="list records, or activities (emails, appointments, tasks)"
    )
    lister.add_argument("kind", choices=[*LIST_KINDS, "activities"])
    lister.add_argument("--json", action="store_true", help="print JSON for scripts")
    lister.set_defaults(handler=run_list)

    adder = crm_commands.add_parser(
        "add",
        help="create a record, an appointment or a task",
        description="Creates an account, contact, lead or opportunity, or a CRM appointment or "
        "task (the next sync writes those to Exchange).",
    )
    add_types = adder.add_subparsers(dest="add_kind", required=True, metavar="TYPE")
    editor = crm_commands.add_parser(
        "edit",
        help="change a record, an appointment or a task",
        description="Changes a record's fields, or a CRM appointment (a series, or one "
        "occurrence of it) or task; only what is given changes.",
    )
    edit_types = editor.add_subparsers(dest="edit_kind", required=True, metavar="TYPE")
    records_cmd.add_parsers(crm_commands, add_types, edit_types)
    schedule_cmd.add_parsers(add_types, edit_types)

    connecter = crm_commands.add_parser(
        "connect",
        help="share a team CRM: use a PostgreSQL store instead of this profile's own file",
        description="The password (in the URL, or read from standard input with "
        "--password-stdin) is kept in the system keyring, never in a settings file. The CRM keeps "
        "working offline from a local replica; changes reach the team store at the next sync.",
    )
    connecter.add_argument("url", help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
    connecter.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    connecter.set_defaults(handler=run_connect)

    disconnecter = crm_commands.add_parser(
        "disconnect", help="go back to this profile's own CRM file (a SQLite database)"
    )
    disconnecter.add_argument(
        "--discard-pending",
        action="store_true",
        help="disconnect even though some changes have not reached the team CRM (they are lost)",
    )
    disconnecter.set_defaults(handler=run_disconnect)

    syncer = crm_commands.add_parser(
        "sync", help="send CRM changes to the team CRM and refresh the local replica"
    )
    syncer.set_defaults(handler=run_sync)


def run_import(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        owner = workspace.owner(session)
        report = import_csv(session, args.kind, args.file, owner, args.skip_bad)
        for bad in report.bad_rows:
            print(f"{args.file}:{bad.line}: {bad.reason}", file=sys.stderr)
        for duplicate in report.duplicates:
            said = "; ".join(records_cmd.match_words(match) for match in duplicate.matches)
            print(f"{args.file}:{duplicate.line}: possible duplicate: {said}", file=sys.stderr)
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
    if args.kind == "activities":
        return activity_cmd.list_activities(args.json)
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
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
    return value


def run_connect(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    connected = connect(profile_paths().ensure(), args.url, password)
    print(f"Connected to the team CRM at {connected.url}. {connected.report.message}.")
    return 0


def run_disconnect(args: argparse.Namespace) -> int:
    discarded = disconnect(profile_paths().ensure(), args.discard_pending)
    dropped = f" ({discarded} unsent change(s) discarded)" if discarded else ""
    print(f"Back to this profile's own CRM{dropped}.")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        report = workspace.sync_crm()
    if report is None:
        print("This profile's CRM is its own; there is no team CRM to sync with.")
        return 0
    print(f"{report.message}; {report.pending} change(s) waiting.")
    return 0 if report.online else 1
