"""`liaison explain|track|untrack FILE.eml`: the tracking pipeline on a saved message."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.bounded_read import UnreadableFile, read_user_file
from app.cli.errors import CommandError
from app.cli.output import print_json
from app.crm.decisions import decision_to_json
from app.mailbox.mime import MAX_MESSAGE_BYTES
from app.services.tracking import TrackingService
from app.tracking.model import Decision
from app.workspace import Workspace


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    explain = subparsers.add_parser(
        "explain",
        help="show what the tracking rules decide for a saved message, changing nothing",
    )
    explain.add_argument("file", type=Path, help="a message saved as .eml (RFC 5322 / MIME)")
    explain.add_argument("--json", action="store_true", help="print the decision as JSON")
    explain.set_defaults(handler=run_explain)

    track = subparsers.add_parser(
        "track", help="track a saved message by hand (manual tracking wins over every rule)"
    )
    track.add_argument("file", type=Path)
    track.add_argument(
        "--regarding",
        metavar="TYPE:KEY",
        help="the record it is about: TYPE is account, contact, lead, opportunity, user or queue; "
        "KEY is its id or, for accounts, contacts and leads, one of its addresses",
    )
    track.set_defaults(handler=run_track)

    untrack = subparsers.add_parser("untrack", help="untrack a message tracked before")
    untrack.add_argument("file", type=Path)
    untrack.add_argument(
        "--delete", action="store_true", help="delete the activity instead of keeping it unlinked"
    )
    untrack.set_defaults(handler=run_untrack)


def read_message_file(path: Path) -> bytes:
    try:
        return read_user_file(path, MAX_MESSAGE_BYTES, "an email message")
    except UnreadableFile as exc:
        raise CommandError(str(exc)) from None


def parse_regarding(text: str | None) -> tuple[str, str] | None:
    if text is None:
        return None
    record_type, separator, key = text.partition(":")
    if not separator or not record_type.strip() or not key.strip():
        raise CommandError(
            f"--regarding takes TYPE:KEY, such as account:42 or contact:jan@acme.pl, not {text!r}"
        )
    return record_type.strip().lower(), key.strip()


def print_decision(decision: Decision) -> None:
    verdict = "Track" if decision.track else "Do not track"
    print(f"{verdict} ({decision.rule.value})")
    print(f"Why: {decision.evidence}")
    if decision.regarding:
        print(
            f"Regarding: {decision.regarding.type.value} {decision.regarding.name} "
            f"(id {decision.regarding.id})"
        )
    if decision.sender:
        print(
            f"Sender: {decision.sender.type.value} {decision.sender.name} (id {decision.sender.id})"
        )
    if decision.create and decision.create.account:
        new = decision.create
        print(f"Would add {new.email} to account {new.account.name} (id {new.account.id})")
    elif decision.create:
        new = decision.create
        name = " ".join(part for part in (new.salutation, new.first_name, new.last_name) if part)
        print(f"Would create {new.type.value}: {name} <{new.email}>")
    for warning in decision.warnings:
        print(f"Warning: {warning}")


def run_explain(args: argparse.Namespace) -> int:
    raw = read_message_file(args.file)
    with Workspace.open() as workspace:
        decision = TrackingService(workspace).explain(raw)
    if args.json:
        print_json(decision_to_json(decision))
    else:
        print_decision(decision)
    return 0


def run_track(args: argparse.Namespace) -> int:
    raw = read_message_file(args.file)
    regarding = parse_regarding(args.regarding)
    with Workspace.open() as workspace:
        result = TrackingService(workspace).track_manually(raw, regarding)
    print_json(result.as_json())
    return 0


def run_untrack(args: argparse.Namespace) -> int:
    raw = read_message_file(args.file)
    with Workspace.open() as workspace:
        activity_id = TrackingService(workspace).untrack(raw, args.delete)
    done = "deleted" if args.delete else "untracked; the activity stays, linked to nothing"
    print(f"Activity {activity_id} {done}.")
    return 0
