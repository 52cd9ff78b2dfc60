"""`liaison mail ...`: the mailbox from the command line, on the ids `liaison mail list` shows.

Every change is made in the profile at once and reaches Exchange at the next sync (`liaison
sync`), exactly once, as the window's; so is every message sent or saved as a draft. Reading
(list, show, attachments) works offline from the profile's cache; saving an attachment fetches
it from the server the first time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.bounded_read import UnreadableFile, read_user_file
from app.cli.errors import CommandError
from app.cli.output import print_json, print_table
from app.cli.tracking_cmd import parse_regarding
from app.crm.records import get_record
from app.crm.search import RecordKey
from app.mailbox.attachments import AttachmentInfo
from app.mailbox.remote import FlagStatus
from app.mailbox.replies import ResponseKind
from app.mailbox.views import ListingQuery, MessageDetails, MessageRow
from app.services.attachments import AttachmentService
from app.services.compose import ComposeService, EmailDraft, QueuedEmail
from app.services.mail import MailboxService
from app.services.mail_actions import MailActions
from app.tracking.model import RecordType
from app.workspace import Workspace

NEXT_SYNC = "It reaches Exchange at the next sync (liaison sync)."
MAX_BODY_FILE = 16 * 1024 * 1024


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mail = subparsers.add_parser(
        "mail",
        help="list, read, reply, forward, send, file, flag and delete mail",
        description="The mailbox as the window shows it, from the profile's cache. Changes are "
        "made here at once and reach Exchange at the next sync, once.",
    )
    commands = mail.add_subparsers(dest="mail_command", required=True, metavar="COMMAND")

    lister = commands.add_parser("list", help="list messages with the ids the other commands take")
    lister.add_argument("--folder", help="a folder's name or path (default: Inbox)")
    lister.add_argument("--unread", action="store_true", help="only unread messages")
    lister.add_argument("--flagged", action="store_true", help="only flagged messages")
    lister.add_argument(
        "--search",
        metavar="TEXT",
        help="every word in the subject, sender or recipients; "
        "all folders unless --folder is given",
    )
    lister.add_argument(
        "--conversations",
        action="store_true",
        help="group by conversation: the newest conversation first, its messages oldest first",
    )
    lister.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    lister.add_argument("--json", action="store_true", help="print JSON for scripts")
    lister.set_defaults(handler=run_list)

    show = commands.add_parser("show", help="show a message: headers, attachments and text")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="print JSON for scripts")
    show.set_defaults(handler=run_show)

    for name, kind, help_text in (
        ("reply", ResponseKind.REPLY, "reply to the sender"),
        ("reply-all", ResponseKind.REPLY_ALL, "reply to the sender and everyone on To and Cc"),
        ("forward", ResponseKind.FORWARD, "forward with the original's attachments"),
    ):
        responder = commands.add_parser(name, help=help_text)
        responder.add_argument("id", type=int)
        _body_options(responder)
        _address_options(responder, required_to=kind is ResponseKind.FORWARD)
        _attach_option(responder)
        _tracking_options(responder)
        responder.add_argument(
            "--language",
            choices=["en", "pl"],
            help="RE/FW or Odp/PD and the quoted header's words (default: the window's language)",
        )
        _signature_option(responder)
        responder.add_argument(
            "--draft", action="store_true", help="save it in Drafts instead of sending it"
        )
        responder.set_defaults(handler=run_respond, kind=kind)

    sender = commands.add_parser("send", help="send a new email, or a draft (--draft ID)")
    sender.add_argument("--draft", type=int, metavar="ID", help="send this draft as it is")
    _address_options(sender, required_to=False)
    sender.add_argument("--subject", default="", help="the subject")
    _body_options(sender, required=False)
    _signature_option(sender)
    _attach_option(sender)
    _tracking_options(sender)
    sender.set_defaults(handler=run_send)

    drafter = commands.add_parser(
        "draft", help="save a new draft in Drafts, or change one (--edit ID)"
    )
    drafter.add_argument("--edit", type=int, metavar="ID", help="the draft to change")
    _address_options(drafter, required_to=False)
    drafter.add_argument("--subject", help="the subject")
    _body_options(drafter, required=False)
    _attach_option(drafter)
    drafter.set_defaults(handler=run_draft)

    for name, help_text, handler in (
        ("move", "move messages to a folder", run_move),
        ("copy", "copy messages to a folder", run_copy),
    ):
        mover = commands.add_parser(name, help=help_text)
        mover.add_argument("ids", type=int, nargs="+", metavar="ID")
        mover.add_argument("folder", help="the folder's name or path (Inbox/Acme Logistics)")
        mover.set_defaults(handler=handler)

    deleter = commands.add_parser(
        "delete", help="delete messages to Deleted Items (from there: for good)"
    )
    deleter.add_argument("ids", type=int, nargs="+", metavar="ID")
    deleter.add_argument(
        "--permanently", action="store_true", help="delete for good, past Deleted Items"
    )
    deleter.set_defaults(handler=run_delete)

    flagger = commands.add_parser("flag", help="flag messages for follow-up")
    flagger.add_argument("ids", type=int, nargs="+", metavar="ID")
    state = flagger.add_mutually_exclusive_group()
    state.add_argument("--complete", action="store_true", help="mark the flag complete")
    state.add_argument("--clear", action="store_true", help="take the flag off")
    flagger.set_defaults(handler=run_flag)

    for name, help_text, handler in (
        ("read", "mark messages read", run_read),
        ("unread", "mark messages unread", run_read),
        ("junk", "move messages to Junk Email; the senders' next mail goes there too", run_junk),
        ("not-junk", "move messages back to the Inbox and trust their senders", run_junk),
    ):
        action = commands.add_parser(name, help=help_text)
        action.add_argument("ids", type=int, nargs="+", metavar="ID")
        action.set_defaults(handler=handler, action=name)

    attachments = commands.add_parser("attachments", help="list a message's attachments")
    attachments.add_argument("id", type=int)
    attachments.add_argument("--json", action="store_true", help="print JSON for scripts")
    attachments.set_defaults(handler=run_attachments)

    saver = commands.add_parser(
        "save-attachment",
        help="save attachments to a folder, under safe names that never overwrite a file",
    )
    saver.add_argument("id", type=int)
    which = saver.add_mutually_exclusive_group(required=True)
    which.add_argument("name", nargs="?", help="the attachment's name or number (attachments)")
    which.add_argument("--all", action="store_true", help="every attachment listed as a file")
    saver.add_argument(
        "--to", type=Path, default=Path("."), help="the folder (default: the current one)"
    )
    saver.set_defaults(handler=run_save_attachment)


def _address_options(parser: argparse.ArgumentParser, required_to: bool) -> None:
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        required=required_to,
        metavar="ADDRESS",
        help="a recipient (a reply's are the sender's, or everyone's, unless given)",
    )
    parser.add_argument("--cc", action="append", default=[], metavar="ADDRESS", help="on Cc")
    parser.add_argument("--bcc", action="append", default=[], metavar="ADDRESS", help="on Bcc")


def _body_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    body = parser.add_mutually_exclusive_group(required=required)
    body.add_argument("--body", help="the text to send")
    body.add_argument("--body-file", type=Path, metavar="FILE", help="the text, from a file")


def _signature_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--signature",
        action="store_true",
        help="add your signature (the window's Options) under the text, as the window does",
    )


def _attach_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--attach", action="append", default=[], type=Path, metavar="FILE", help="attach a file"
    )


def _tracking_options(parser: argparse.ArgumentParser) -> None:
    tracking = parser.add_mutually_exclusive_group()
    tracking.add_argument("--track", action="store_true", help="track it in the CRM")
    tracking.add_argument(
        "--no-track", action="store_true", help="do not track it (not even a reply)"
    )
    tracking.add_argument(
        "--regarding", metavar="TYPE:KEY", help="track it regarding this record (account:42)"
    )


# Reading


def run_list(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        mail = MailboxService(workspace)
        folder = None
        if args.folder or not args.search:
            folder = MailActions(workspace).find_folder(args.folder or "inbox").id
        ids = mail.listing(
            ListingQuery(
                folder,
                search=args.search or "",
                unread_only=args.unread,
                flagged_only=args.flagged,
                conversations=args.conversations,
            )
        )
        rows = mail.rows(list(ids)[: max(args.limit, 0)])
    if args.json:
        print_json([_row_json(row) for row in rows])
        return 0
    # A search of every folder says where each message is, as the window's Folder column does.
    across = folder is None
    print_table(
        ["id", "received", "from/to", "subject", *(["folder"] if across else []), "state"],
        [
            (
                row.id,
                row.received_at.strftime("%Y-%m-%d %H:%M") if row.received_at else "",
                _cut(row.correspondent, 28),
                _cut(row.subject, 60),
                *([_cut(row.folder_name, 20)] if across else []),
                _state(row),
            )
            for row in rows
        ],
    )
    return 0


def _row_json(row: MessageRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "folder": row.folder_name,
        "from": {"name": row.sender_name, "email": row.sender_email},
        "to": [{"name": a.name, "email": a.email} for a in row.recipients],
        "subject": row.subject,
        "received": row.received_at.isoformat() if row.received_at else None,
        "read": row.is_read,
        "flag": row.flag.value,
        "attachments": row.has_attachments,
        "draft": row.is_draft,
        "tracking": row.tracking_state,
        "regarding": f"{row.regarding_type}:{row.regarding_id}" if row.regarding_type else None,
        "conversation": row.conversation_id,
    }


def _state(row: MessageRow) -> str:
    marks = [
        "unread" if not row.is_read else "",
        {"flagged": "flagged", "complete": "done"}.get(row.flag.value, ""),
        "attachments" if row.has_attachments else "",
        "tracked" if row.tracking_state == "tracked" else "",
        "draft" if row.is_draft else "",
    ]
    return " ".join(mark for mark in marks if mark)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_show(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        message = MailboxService(workspace).message(args.id)
    if message is None:
        raise CommandError(f"No message {args.id} in the mailbox")
    if args.json:
        print_json(_message_json(message))
        return 0
    for label, value in _headers(message):
        if value:
            print(f"{label}: {value}")
    for info in message.attachments:
        print(f"Attachment {info.index + 1}: {_attachment_line(info)}")
    print()
    print(message.body_text or "" if message.body_fetched else "(the text is not synced yet)")
    return 0


def _headers(message: MessageDetails) -> list[tuple[str, str]]:
    def people(addresses: Sequence[Any]) -> str:
        return "; ".join(f"{a.name} <{a.email}>" if a.name else a.email for a in addresses)

    moment = message.sent_at or message.received_at
    return [
        ("From", people([message.sender]) if message.sender else ""),
        ("To", people(message.to)),
        ("Cc", people(message.cc)),
        ("Bcc", people(message.bcc)),
        ("Date", moment.strftime("%Y-%m-%d %H:%M %Z") if moment else ""),
        ("Subject", message.subject),
        ("Folder", message.folder or ""),
        ("Flag", "" if message.flag is FlagStatus.NONE else message.flag.value),
        ("Tracking", message.tracking_state + (
            f" regarding {message.regarding_type} {message.regarding_name}"
            if message.regarding_type else ""
        )),
    ]  # fmt: skip


def _message_json(message: MessageDetails) -> dict[str, Any]:
    def people(addresses: Sequence[Any]) -> list[dict[str, str]]:
        return [{"name": a.name, "email": a.email} for a in addresses]

    return {
        "id": message.id,
        "folder": message.folder,
        "subject": message.subject,
        "from": people([message.sender])[0] if message.sender else None,
        "to": people(message.to),
        "cc": people(message.cc),
        "bcc": people(message.bcc),
        "sent": message.sent_at.isoformat() if message.sent_at else None,
        "received": message.received_at.isoformat() if message.received_at else None,
        "read": message.is_read,
        "flag": message.flag.value,
        "draft": message.is_draft,
        "message_id": message.internet_message_id,
        "in_reply_to": message.in_reply_to,
        "references": list(message.references),
        "conversation": message.conversation_id,
        "attachments": [_attachment_json(info) for info in message.attachments],
        "tracking": message.tracking_state,
        "regarding": f"{message.regarding_type}:{message.regarding_id}"
        if message.regarding_type
        else None,
        "body_text": message.body_text,
        "body_html": message.body_html,
    }


def _attachment_json(info: AttachmentInfo) -> dict[str, Any]:
    return {
        "number": info.index + 1,
        "name": info.name,
        "size": info.size,
        "content_type": info.content_type,
        "inline": info.inline,
    }


def _attachment_line(info: AttachmentInfo) -> str:
    size = f"{info.size:,} bytes".replace(",", " ") if info.size is not None else "size unknown"
    shown = " (in the text)" if info.inline else ""
    return f"{info.name}, {info.content_type or 'unknown type'}, {size}{shown}"


def run_attachments(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        listed = AttachmentService(workspace).attachments(args.id)
    if args.json:
        print_json([_attachment_json(info) for info in listed])
        return 0
    print_table(
        ["number", "name", "type", "size", "inline"],
        [
            (i.index + 1, i.name, i.content_type or "", i.size or "", "yes" if i.inline else "")
            for i in listed
        ],
    )
    return 0


def run_save_attachment(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        service = AttachmentService(workspace)
        if args.all:
            saved = service.save_attachments(args.id, args.to)
        else:
            index = _attachment_index(service.attachments(args.id), args.name)
            saved = [service.save_attachment(args.id, index, args.to)]
    for path in saved:
        print(f"Saved {path}")
    return 0


def _attachment_index(listed: Sequence[AttachmentInfo], name: str) -> int:
    """By name (the first of that name), else by the number `attachments` shows."""
    for info in listed:
        if info.name == name:
            return info.index
    if name.isdigit() and 1 <= int(name) <= len(listed):
        return int(name) - 1
    shown = ", ".join(repr(info.name) for info in listed) or "none"
    raise CommandError(f"The message has no attachment {name!r} (it has {shown})")


# Writing


def run_respond(args: argparse.Namespace) -> int:
    written = _body(args)
    with Workspace.open() as workspace:
        compose = ComposeService(workspace)
        draft = compose.respond(args.id, args.kind, written, args.language, args.signature)
        draft = replace(
            draft,
            to=tuple(args.to) or draft.to,
            cc=(*draft.cc, *args.cc),
            bcc=tuple(args.bcc),
            files=tuple(args.attach),
            **_tracking(args, workspace),
        )
        if args.draft:
            return _saved(compose.save_draft(draft))
        return _queued(compose.queue_email(draft))


def run_send(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        compose = ComposeService(workspace)
        if args.draft is not None:
            draft = replace(compose.open_draft(args.draft), **_tracking(args, workspace))
        else:
            if not args.subject.strip():
                raise CommandError("Give the message a subject with --subject")
            draft = EmailDraft(
                to=tuple(args.to),
                cc=tuple(args.cc),
                bcc=tuple(args.bcc),
                subject=args.subject,
                body=_body(args),
                files=tuple(args.attach),
                **_tracking(args, workspace),
            )
            if args.signature:
                draft = compose.new_email(draft)
        return _queued(compose.queue_email(draft))


def run_draft(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        compose = ComposeService(workspace)
        if args.edit is not None:
            current = compose.open_draft(args.edit)
        else:
            current = EmailDraft((), (), "", "")
        draft = replace(
            current,
            to=tuple(args.to) or current.to,
            cc=tuple(args.cc) or current.cc,
            bcc=tuple(args.bcc) or current.bcc,
            subject=current.subject if args.subject is None else args.subject,
            body=_body(args) if args.body is not None or args.body_file else current.body,
            html=None if args.body is not None or args.body_file else current.html,
            files=(*current.files, *args.attach),
        )
        return _saved(compose.save_draft(draft))


def _body(args: argparse.Namespace) -> str:
    if args.body is not None:
        return str(args.body)
    if args.body_file is None:
        return ""
    if str(args.body_file) == "-":
        return sys.stdin.read()
    try:
        data = read_user_file(args.body_file, MAX_BODY_FILE, "a message's text")
    except UnreadableFile as exc:
        raise CommandError(str(exc)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"{args.body_file} is not UTF-8 text") from None


def _tracking(args: argparse.Namespace, workspace: Workspace) -> dict[str, Any]:
    """The Track control as the options set it (left alone when none is given)."""
    regarding = parse_regarding(args.regarding)
    if regarding is not None:
        with workspace.crm.sessions() as session:
            record = get_record(session, *regarding)
            key = RecordKey(RecordType(record.type), record.id)
        return {"regarding": key, "track": True}
    if args.track:
        return {"track": True}
    if args.no_track:
        return {"track": False}
    return {}


def _queued(queued: QueuedEmail) -> int:
    tracking = queued.tracking
    if tracking.track:
        about = (
            f" regarding {tracking.regarding.type.value} {tracking.regarding.name}"
            if tracking.regarding
            else ""
        )
        print(f"Queued {queued.subject!r}, tracked{about} ({tracking.rule.value}).")
    else:
        print(f"Queued {queued.subject!r}, not tracked ({tracking.rule.value}).")
    print(NEXT_SYNC)
    return 0


def _saved(draft_id: int) -> int:
    print(f"Saved as draft {draft_id}. {NEXT_SYNC}")
    return 0


# Filing


def run_move(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        actions = MailActions(workspace)
        folder = actions.find_folder(args.folder)
        moved = actions.move(args.ids, folder.id)
    return _done(f"Moved {moved} to {folder.name}.", moved)


def run_copy(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        actions = MailActions(workspace)
        folder = actions.find_folder(args.folder)
        copies = actions.copy(args.ids, folder.id)
    listed = ", ".join(str(copy) for copy in copies)
    return _done(f"Copied to {folder.name} as {listed}.", len(copies))


def run_delete(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        deleted = MailActions(workspace).delete(args.ids, args.permanently)
    where = "for good" if args.permanently else "(to Deleted Items, for good from there)"
    return _done(f"Deleted {deleted} {where}.", deleted)


def run_flag(args: argparse.Namespace) -> int:
    status = (
        FlagStatus.COMPLETE
        if args.complete
        else FlagStatus.NONE
        if args.clear
        else FlagStatus.FLAGGED
    )
    with Workspace.open() as workspace:
        changed = MailActions(workspace).flag(args.ids, status)
    said = {FlagStatus.FLAGGED: "Flagged", FlagStatus.COMPLETE: "Completed",
            FlagStatus.NONE: "Cleared the flag of"}[status]  # fmt: skip
    return _done(f"{said} {changed}.", changed)


def run_read(args: argparse.Namespace) -> int:
    read = args.action == "read"
    with Workspace.open() as workspace:
        changed = MailActions(workspace).mark_read(args.ids, read)
    return _done(f"Marked {changed} {args.action}.", changed)


def run_junk(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        actions = MailActions(workspace)
        if args.action == "junk":
            moved = actions.junk(args.ids)
            said = f"Moved {moved} to Junk Email."
        else:
            moved = actions.not_junk(args.ids)
            said = f"Moved {moved} back to the Inbox."
    return _done(said, moved)


def _done(said: str, changed: int) -> int:
    print(said if changed else "Nothing to change: the messages are that way already.")
    if changed:
        print(NEXT_SYNC)
    return 0
