"""`liaison explain|track|set-regarding|untrack`: the tracking rules and the user's own tracking
on a saved message, or on one of the synced mailbox by its Message-ID."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.bounded_read import UnreadableFile, read_user_file
from app.cli import why
from app.cli.errors import CommandError
from app.cli.output import print_json
from app.mailbox.mime import MAX_MESSAGE_BYTES
from app.services.tracking import ItemTracking, MailboxTracking, TrackingService
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
        "track", help="track a message by hand (manual tracking wins over every rule)"
    )
    _message_arguments(track)
    _regarding_argument(track, "the record it is about")
    track.set_defaults(handler=run_track)

    regarding = subparsers.add_parser(
        "set-regarding",
        help="set the record a message is about (a message not tracked yet is tracked)",
    )
    _message_arguments(regarding)
    chosen = regarding.add_mutually_exclusive_group(required=True)
    _regarding_argument(chosen, "the record it is about from now on")
    chosen.add_argument("--none", action="store_true", help="regarding no record")
    regarding.set_defaults(handler=run_set_regarding)

    untrack = subparsers.add_parser("untrack", help="untrack a message tracked before")
    _message_arguments(untrack)
    untrack.add_argument(
        "--delete", action="store_true", help="delete the activity instead of keeping it unlinked"
    )
    untrack.set_defaults(handler=run_untrack)


def _message_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        nargs="?",
        help="the message saved as .eml; a message the mailbox has is found by its Message-ID, "
        "and the change reaches its Exchange item at the next sync",
    )
    parser.add_argument(
        "--message-id",
        metavar="ID",
        help="instead of a file: the Internet Message-ID of a message in the synced mailbox",
    )


def _regarding_argument(parser: argparse._ActionsContainer, what: str) -> None:
    parser.add_argument(
        "--regarding",
        metavar="TYPE:KEY",
        help=f"{what}: TYPE is account, contact, lead, opportunity, user or queue; KEY is its id "
        "or, for accounts, contacts and leads, one of its addresses",
    )


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
    now = datetime.now(UTC)
    print(f"{verdict} ({decision.rule.value})")
    print(f"Why: {why.evidence(decision, now)}")
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
        print(f"Warning: {why.words(warning, now)}")


def run_explain(args: argparse.Namespace) -> int:
    raw = read_message_file(args.file)
    with Workspace.open() as workspace:
        decision = TrackingService(workspace).explain(raw)
    if args.json:
        print_json(why.decision_json(decision, datetime.now(UTC)))
    else:
        print_decision(decision)
    return 0


def run_track(args: argparse.Namespace) -> int:
    regarding = parse_regarding(args.regarding)
    with Workspace.open() as workspace:
        item_id = _cached_item(workspace, args)
        if item_id is None:
            done = TrackingService(workspace).track(read_message_file(args.file), regarding)
        else:
            done = MailboxTracking(workspace).track(item_id, regarding)
    print_json(_tracking_json(done))
    return 0


def run_set_regarding(args: argparse.Namespace) -> int:
    regarding = None if args.none else parse_regarding(args.regarding)
    with Workspace.open() as workspace:
        item_id = _cached_item(workspace, args)
        if item_id is None:
            raw = read_message_file(args.file)
            done = TrackingService(workspace).set_regarding(raw, regarding)
        else:
            done = MailboxTracking(workspace).set_regarding(item_id, regarding)
    print_json(_tracking_json(done))
    return 0


def run_untrack(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        item_id = _cached_item(workspace, args)
        if item_id is None:
            done = TrackingService(workspace).untrack(read_message_file(args.file), args.delete)
        else:
            done = MailboxTracking(workspace).untrack(item_id, args.delete)
    kept = "deleted" if args.delete else "untracked; the activity stays, linked to nothing"
    print(f"Activity {done.activity_id} {kept}." if done.activity_id else f"Message {kept}.")
    if done.item_id is not None:
        print("The message's tracking mark is removed from Exchange at the next sync.")
    return 0


def _cached_item(workspace: Workspace, args: argparse.Namespace) -> int | None:
    """The cached item `--message-id` names; None for a FILE (the service looks it up)."""
    if (args.file is None) == (args.message_id is None):
        raise CommandError("give the message as a FILE or as --message-id ID, one of them")
    if args.message_id is None:
        return None
    item_id = MailboxTracking(workspace).find(args.message_id)
    if item_id is None:
        raise CommandError(
            f"no message {args.message_id} in the synced mailbox; give the message as a file"
        )
    return item_id


def _tracking_json(done: ItemTracking) -> dict[str, Any]:
    """What track and set-regarding print: the decision in words and facts when one was made,
    the activity, and the message in the mailbox (item_id null: a message never synced)."""
    decision = done.result.decision if done.result else None
    words = why.decision_json(decision, datetime.now(UTC)) if decision else {}
    return {**words, **done.as_json()}
