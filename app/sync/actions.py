"""What a mail client does to messages, made in the cache at once and replayed to the server
exactly once: read and unread, flags, move and copy, delete (to Deleted Items or for good),
junk and not junk, drafts.

Each change is written to the cache and the outbox in one local transaction (the window shows
it at once, offline too). Push replays the entries in the order they were made:

- Read state and flags are set (idempotent). Pending entries of one message collapse into
  one write.
- A move or copy first stamps the entry's client id on the item, then moves it; a replay after
  a crash that finds the item gone looks for the stamp in the destination and adopts what it
  finds, so nothing moves or copies twice. The cache row keeps its id and takes the item's
  new server id.
- A delete for good is idempotent; a draft is created stamped with its row's client id (found
  again the same way) and updated by overwriting.

Later change wins. When the same property (read state, flag, folder) was changed both in
Liaison and elsewhere since the last sync, the change made later wins: the server's time of
the item's last change (LastModifiedTime on Exchange) against the moment the change was made
in Liaison. A property the server shows unchanged since the last sync is simply written. An
item that is not where the cache had it (moved or deleted elsewhere) is looked for again
after the pull, by Internet Message-ID: found, the same rule decides between the two; not
found, it has left the mailbox and the local change goes with it. Pull leaves the properties
of a pending local change as they are locally (`pending_local`), so nothing flickers back.

Moving or deleting a tracked message never touches its CRM activity: Dynamics keeps the
activity of a tracked email moved or deleted in the mailbox, and so does Liaison.
"""

from __future__ import annotations

import enum
import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import AttachmentContent, FlagStatus, ItemKind
from app.sync.attachment_store import AttachmentStore, fetch_attachment
from app.sync.backend import ItemRef, MailBackend, RemoteItem, StateChange, Transfer
from app.sync.errors import ItemGone, SyncError, check_cancel, is_item_problem, why_in_words
from app.sync.outbox import (
    OutboxKind,
    due_entries,
    enqueue,
    failure_note,
    log,
    mark_done,
    pending,
    record_failure,
    spooled_client_ids,
)
from app.sync.outgoing import (
    CarriedAttachment,
    ComposedMessage,
    clean_spool,
    composed,
    outgoing,
    payload,
    remove_spool,
)
from app.sync.progress import Phase, ProgressReporter, named
from app.workspace import Workspace

# The server id of a row the server does not have yet: a copy or a draft (the server's item
# takes its row when it comes, found by the client id), or a message waiting in the Outbox.
PLACEHOLDER = "pending:"
OUTBOX_PLACEHOLDER = "outbox:"
ACTION_KINDS = (
    OutboxKind.MESSAGE_STATE,
    OutboxKind.MOVE_MESSAGE,
    OutboxKind.COPY_MESSAGE,
    OutboxKind.DELETE_MESSAGE,
    OutboxKind.SAVE_DRAFT,
)


class How(enum.StrEnum):
    """What a move means: each goes to a folder, but the server is told differently."""

    MOVE = "move"
    DELETE = "delete"  # to Deleted Items
    JUNK = "junk"
    NOT_JUNK = "not-junk"


def now() -> datetime:
    return datetime.now(UTC)


def placeholder(client_id: str) -> str:
    return f"{PLACEHOLDER}{client_id}"


def is_placeholder(remote_id: str) -> bool:
    return remote_id.startswith((PLACEHOLDER, OUTBOX_PLACEHOLDER))


# Local changes (inside the caller's local transaction)


def _entry(session: Session, row: MailItem, kind: OutboxKind, **values: Any) -> OutboxEntry:
    return enqueue(
        session,
        row.account,
        kind,
        {
            "mail_item_id": row.id,
            "remote_id": row.remote_id,
            "message_id": row.internet_message_id,
            "subject": row.subject,
            "at": now().isoformat(),
            **values,
        },
    )


def change_states(
    session: Session,
    rows: Sequence[MailItem],
    is_read: bool | None = None,
    flag: FlagStatus | None = None,
) -> int:
    """Mark read or unread and flag, unflag or complete: the rows at once, the server at the
    next sync. Returns how many rows changed."""
    changed = 0
    folders: set[int] = set()
    for row in rows:
        before: dict[str, Any] = {}
        if is_read is not None and row.is_read != is_read:
            before["is_read"] = row.is_read
            row.is_read = is_read
            folders.add(row.folder_id)
        if flag is not None and row.flag_status != flag.value:
            before["flag"] = row.flag_status
            row.flag_status = flag.value
        if not before:
            continue
        wanted = {
            "is_read": is_read if "is_read" in before else None,
            "flag": flag.value if flag is not None and "flag" in before else None,
        }
        _entry(session, row, OutboxKind.MESSAGE_STATE, before=before, **wanted)
        changed += 1
    _recount(session, folders)
    return changed


def move_rows(
    session: Session, rows: Sequence[MailItem], destination: MailFolder, how: How = How.MOVE
) -> int:
    """Move messages (delete to Deleted Items, junk, not junk): each row goes to `destination`
    at once, keeping its id, its tracking state and its CRM activity."""
    moved = 0
    folders = {destination.id}
    for row in rows:
        if row.folder_id == destination.id:
            continue
        folders.add(row.folder_id)
        _entry(
            session,
            row,
            OutboxKind.MOVE_MESSAGE,
            how=how.value,
            source_folder_id=row.folder_id,
            folder_id=destination.id,
        )
        row.folder_id = destination.id
        moved += 1
    _recount(session, folders)
    return moved


def copy_rows(
    session: Session, rows: Sequence[MailItem], destination: MailFolder
) -> list[MailItem]:
    """Copy messages: a copy of each row in `destination` at once (the server's copy takes its
    place at the next sync)."""
    copies = []
    for row in rows:
        entry = _entry(session, row, OutboxKind.COPY_MESSAGE, folder_id=destination.id)
        copy = MailItem(
            **{column: getattr(row, column) for column in _COPIED_COLUMNS},
            account=row.account,
            folder_id=destination.id,
            remote_id=placeholder(entry.client_id),
            change_key=None,
            remote_mark=None,
            track_failures=0,
        )
        session.add(copy)
        session.flush()
        entry.payload = {**entry.payload, "copy_item_id": copy.id}
        copies.append(copy)
    _recount(session, {destination.id})
    return copies


_COPIED_COLUMNS = (
    "item_class",
    "internet_message_id",
    "subject",
    "sender_email",
    "sender_name",
    "to_recipients",
    "cc_recipients",
    "bcc_recipients",
    "received_at",
    "sent_at",
    "modified_at",
    "is_read",
    "is_draft",
    "sensitivity",
    "importance",
    "categories",
    "conversation_id",
    "conversation_index",
    "in_reply_to",
    "references",
    "has_attachments",
    "attachments",
    "flag_status",
    "body_text",
    "body_html",
    "body_fetched",
    "details",
    "evaluated",
    "tracking_state",
    "activity_id",
    "regarding_type",
    "regarding_id",
    "regarding_name",
    "tracking_rule",
)


def delete_rows(session: Session, rows: Sequence[MailItem]) -> int:
    """Delete messages for good: gone from the cache at once, from the server at the next
    sync. A tracked message's CRM activity stays. Deleting a message waiting in the Outbox
    cancels its sending; a draft's saves still waiting go with it."""
    folders = set()
    for row in rows:
        folders.add(row.folder_id)
        _cancel_waiting(session, row)
        if not is_placeholder(row.remote_id):
            _entry(session, row, OutboxKind.DELETE_MESSAGE)
        session.delete(row)
    session.flush()
    _recount(session, folders)
    return len(rows)


def save_draft_row(
    session: Session,
    account: str,
    drafts: MailFolder,
    row: MailItem | None,
    message: ComposedMessage,
    data_dir: Path,
) -> MailItem:
    """Save a draft: the row in Drafts at once (a new one for a new draft), the server's
    draft at the next sync."""
    entry = enqueue(session, account, OutboxKind.SAVE_DRAFT, {})
    if row is None:
        row = MailItem(
            account=account,
            folder_id=drafts.id,
            remote_id=placeholder(entry.client_id),
            is_read=True,
            is_draft=True,
            evaluated=True,  # a draft is never tracked
            tracking_state="none",
            track_failures=0,
            received_at=now(),
        )
        session.add(row)
    describe(row, message, account)
    session.flush()
    entry.payload = {
        **payload(message, data_dir, entry.client_id),
        "mail_item_id": row.id,
        "at": now().isoformat(),
    }
    return row


def queue_send(
    session: Session,
    account: str,
    message: ComposedMessage,
    data_dir: Path,
    message_id: str,
    tracking: tuple[bool, str | None],
    outbox: MailFolder | None,
    draft: MailItem | None = None,
) -> OutboxEntry:
    """Queue a message for the next sync to send: shown in the Outbox at once (the draft it
    was written in goes there). `tracking` is (tracked, regarding "type:id"): an untracked
    message carries no mark asking for tracking, and tracking leaves it alone when its copy
    reaches Sent Items."""
    entry = enqueue(session, account, OutboxKind.SEND, {})
    track, regarding = tracking
    draft_remote_id = draft.remote_id if draft is not None else None
    if draft is not None:
        _supersede_drafts(session, draft, data_dir)
    row = draft
    if row is None and outbox is not None:
        row = MailItem(
            account=account,
            folder_id=outbox.id,
            remote_id=f"{OUTBOX_PLACEHOLDER}{entry.client_id}",
            is_read=True,
            evaluated=True,
            tracking_state="none",
            track_failures=0,
        )
        session.add(row)
    if row is not None and outbox is not None:
        describe(row, message, account)
        row.folder_id = outbox.id
        row.is_draft = False
        row.internet_message_id = message_id
        row.received_at = now()
    session.flush()
    entry.payload = {
        **payload(message, data_dir, entry.client_id),
        "message_id": message_id,
        "queued_at": now().isoformat(),
        "track": track,
        "regarding": regarding,
        "outbox_item_id": row.id if row is not None else None,
        "draft_remote_id": draft_remote_id,
    }
    if row is not None:
        _recount(session, {row.folder_id, *((draft.folder_id,) if draft else ())})
    return entry


def draft_saves(session: Session, row: MailItem) -> list[OutboxEntry]:
    """The saves of a draft still waiting for the server, oldest first."""
    waiting = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.account == row.account, pending(OutboxKind.SAVE_DRAFT))
        .order_by(OutboxEntry.id)
    )
    return [entry for entry in waiting if entry.payload.get("mail_item_id") == row.id]


def latest_draft_save(session: Session, row: MailItem) -> OutboxEntry | None:
    saves = draft_saves(session, row)
    return saves[-1] if saves else None


def _cancel_waiting(session: Session, row: MailItem) -> None:
    """The sending of a message shown in the Outbox, and a draft's saves, as the row goes
    (their spool folders are cleaned up at the next sync)."""
    for entry in session.scalars(
        select(OutboxEntry).where(
            OutboxEntry.account == row.account, pending(OutboxKind.SEND, OutboxKind.SAVE_DRAFT)
        )
    ):
        names_row = (
            entry.payload.get("outbox_item_id")
            if entry.kind == OutboxKind.SEND.value
            else entry.payload.get("mail_item_id")
        )
        if names_row == row.id:
            mark_done(entry)


def _supersede_drafts(session: Session, row: MailItem, data_dir: Path) -> None:
    """Saves of a draft still waiting are moot once it is sent."""
    done = draft_saves(session, row)
    for entry in done:
        mark_done(entry)
    remove_spool(data_dir, [entry.client_id for entry in done])


def describe(row: MailItem, message: ComposedMessage, account: str) -> None:
    """The row says what the composed message says (a draft, or a message in the Outbox)."""
    row.subject = message.subject[:1024]
    row.sender_email = account
    row.to_recipients = cache.recipients_json(message.to)
    row.cc_recipients = cache.recipients_json(message.cc)
    row.bcc_recipients = cache.recipients_json(message.bcc)
    row.body_text = message.text
    row.body_html = message.html
    row.body_fetched = True
    row.in_reply_to = message.in_reply_to
    row.references = " ".join(message.references) or None
    row.has_attachments = bool(message.files or message.carried)
    row.attachments = [
        {"id": "", "name": f.name, "size": len(f.data), "content_type": f.content_type}
        for f in message.files
    ] + [
        {"id": "", "name": c.name, "size": c.size, "content_type": c.content_type}
        for c in message.carried
    ]
    # The server's ids of its attachments are read once it has them.
    row.attachments_fetched = False
    row.modified_at = now()


def _recount(session: Session, folder_ids: Iterable[int]) -> None:
    session.flush()
    for folder_id in folder_ids:
        folder = session.get(MailFolder, folder_id)
        if folder is not None:
            cache.refresh_folder_counts(session, folder)


# What pull must leave alone


@dataclass(slots=True)
class PendingLocal:
    """Local changes not on the server yet, which a pull must not undo: rows whose folder,
    read state, flag or whole content (a draft, a message in the Outbox) is local, and server
    ids deleted here for good."""

    folder: set[int] = field(default_factory=set)
    read: set[int] = field(default_factory=set)
    flag: set[int] = field(default_factory=set)
    content: set[int] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)

    def kept(self, row_id: int) -> tuple[str, ...]:
        """The columns of a row that stay as they are locally."""
        if row_id in self.content:
            return (
                "folder_id",
                "is_read",
                "flag_status",
                "subject",
                "to_recipients",
                "cc_recipients",
                "bcc_recipients",
                "body_text",
                "body_html",
                "has_attachments",
                "attachments",
                "attachments_fetched",
            )
        return tuple(
            column
            for column, rows in (
                ("folder_id", self.folder),
                ("is_read", self.read),
                ("flag_status", self.flag),
            )
            if row_id in rows
        )


def pending_local(session: Session, account: str) -> PendingLocal:
    found = PendingLocal()
    for kind, entry in session.execute(
        select(OutboxEntry.kind, OutboxEntry.payload).where(
            OutboxEntry.account == account, pending(*ACTION_KINDS, OutboxKind.SEND)
        )
    ):
        row_id = entry.get("mail_item_id")
        if kind == OutboxKind.MESSAGE_STATE.value and isinstance(row_id, int):
            if entry.get("is_read") is not None:
                found.read.add(row_id)
            if entry.get("flag") is not None:
                found.flag.add(row_id)
        elif kind == OutboxKind.MOVE_MESSAGE.value and isinstance(row_id, int):
            found.folder.add(row_id)
        elif kind == OutboxKind.DELETE_MESSAGE.value and entry.get("remote_id"):
            found.deleted.add(str(entry["remote_id"]))
        elif kind == OutboxKind.SAVE_DRAFT.value and isinstance(row_id, int):
            found.content.add(row_id)
        elif kind == OutboxKind.SEND.value and isinstance(entry.get("outbox_item_id"), int):
            found.content.add(int(entry["outbox_item_id"]))
    return found


# Replaying them


@dataclass(frozen=True, slots=True)
class _Work:
    entry_id: int
    kind: OutboxKind
    payload: dict[str, Any]
    client_id: str

    @property
    def at(self) -> datetime:
        text = self.payload.get("at")
        return datetime.fromisoformat(text) if isinstance(text, str) else now()

    @property
    def shown(self) -> str:
        return named(self.payload.get("subject"))


class ActionPusher:
    """Replays the mail client's entries; one per sync (it remembers, between the push before
    the pull and the one after, which entries found their item gone)."""

    def __init__(
        self,
        backend: MailBackend,
        workspace: Workspace,
        account: str,
        progress: ProgressReporter,
        cancel: threading.Event,
        retry_pause: timedelta,
    ) -> None:
        self.backend = backend
        self.workspace = workspace
        self.account = account
        self.progress = progress
        self.cancel = cancel
        self.retry_pause = retry_pause
        self.store = AttachmentStore(workspace.paths.cache_dir)
        self.done = 0
        self.given_up = 0
        # Entries whose item was not where the cache had it: looked for after the pull.
        self._deferred: set[int] = set()

    def push(self) -> None:
        with self.workspace.local.sessions() as session:
            entries = [
                _Work(e.id, OutboxKind(e.kind), dict(e.payload), e.client_id)
                for e in due_entries(session, self.account, ACTION_KINDS)
            ]
            spooled = spooled_client_ids(session)
        clean_spool(self.workspace.paths.data_dir, spooled)
        if not entries:
            return
        self.progress.enter(Phase.PUSHING)
        for run in _runs(self._collapsed(entries)):
            check_cancel(self.cancel)
            handler = {
                OutboxKind.MESSAGE_STATE: self._states,
                OutboxKind.MOVE_MESSAGE: self._moves,
                OutboxKind.COPY_MESSAGE: self._copies,
                OutboxKind.DELETE_MESSAGE: self._deletes,
                OutboxKind.SAVE_DRAFT: self._drafts,
            }[run[0].kind]
            handler(run)
            self.progress.advance(len(run))

    def _collapsed(self, entries: list[_Work]) -> list[_Work]:
        """Only the newest state of each message and the newest save of each draft is
        written; the entries they supersede are done, in the transaction that gives the newest
        what they wanted (so a sync cut off here loses nothing). A state keeps, per property,
        what the cache had before the first change (to see a change made elsewhere since)."""
        latest: dict[tuple[OutboxKind, int], _Work] = {}
        earlier: dict[tuple[OutboxKind, int], list[_Work]] = {}
        for work in entries:
            row_id = work.payload.get("mail_item_id")
            if work.kind in (OutboxKind.MESSAGE_STATE, OutboxKind.SAVE_DRAFT) and isinstance(
                row_id, int
            ):
                key: tuple[OutboxKind, int] = (work.kind, row_id)
                if key in latest:
                    earlier.setdefault(key, []).append(latest[key])
                latest[key] = work
        if not earlier:
            return entries
        merged: dict[int, _Work] = {}
        with self.workspace.local.sessions.begin() as session:
            for key, superseded in earlier.items():
                newest = latest[key]
                for work in superseded:
                    entry = session.get(OutboxEntry, work.entry_id)
                    if entry is not None:
                        mark_done(entry)
                if key[0] is OutboxKind.MESSAGE_STATE:
                    values = _merged_state([*superseded, newest])
                    entry = session.get(OutboxEntry, newest.entry_id)
                    if entry is not None:
                        entry.payload = {**newest.payload, **values}
                    merged[newest.entry_id] = _Work(
                        newest.entry_id, newest.kind, {**newest.payload, **values}, newest.client_id
                    )
        gone = {work.entry_id for superseded in earlier.values() for work in superseded}
        remove_spool(
            self.workspace.paths.data_dir,
            [
                w.client_id
                for w in entries
                if w.entry_id in gone and w.kind is OutboxKind.SAVE_DRAFT
            ],
        )
        return [merged.get(w.entry_id, w) for w in entries if w.entry_id not in gone]

    # Read state and flags

    def _states(self, run: list[_Work]) -> None:
        targets = self._targets(run)
        current = self._read_items(targets.values())
        changes: dict[int, StateChange] = {}
        outcomes: dict[int, ItemRef | SyncError | None] = {}
        for work in run:
            remote_id = targets.get(work.entry_id)
            server = current.get(remote_id or "")
            if remote_id is None or server is None:
                outcomes[work.entry_id] = ItemGone("gone")
                continue
            is_read, flag = _wanted(work, server.is_read, server.flag.value, server.modified_at)
            outcomes[work.entry_id] = None  # nothing to write: changed later elsewhere
            if is_read is not None or flag is not None:
                changes[work.entry_id] = StateChange(remote_id, is_read, flag)
        results = self._write(self.backend.write_states, list(changes.values()))
        for entry_id, change in changes.items():
            outcomes[entry_id] = _as_ref(results.get(change.item_id))
        with self.workspace.local.sessions.begin() as session:
            for work in run:
                outcome = outcomes[work.entry_id]
                if isinstance(outcome, ItemGone):
                    if not self._defer(work):
                        self._settle_gone_state(session, work)
                elif isinstance(outcome, SyncError):
                    self._failed(session, work, outcome)
                else:
                    server = current[targets[work.entry_id]]
                    _take_server_state(session, work, server, changes.get(work.entry_id))
                    self._finished(session, work, outcome)

    def _read_items(self, remote_ids: Iterable[str]) -> dict[str, RemoteItem]:
        wanted = [
            remote_id for remote_id in dict.fromkeys(remote_ids) if not is_placeholder(remote_id)
        ]
        return self.backend.items(ItemKind.MESSAGE, wanted) if wanted else {}

    def _settle_gone_state(self, session: Session, work: _Work) -> None:
        """After the pull: the message is found by Message-ID where it went, and the state is
        written there, unless it was changed there later; not found, it left the mailbox."""
        row = self._found_again(session, work)
        if row is None:
            self._left_mailbox(session, work)
            return
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is None:
            return
        mark_done(entry)
        is_read, flag = _wanted(work, row.is_read, row.flag_status, row.modified_at)
        change_states(session, [row], is_read=is_read, flag=flag)

    # Moves (delete to Deleted Items, junk, not junk)

    def _moves(self, run: list[_Work]) -> None:
        with self.workspace.local.sessions() as session:
            sources = self._targets(run)
            destinations = self._folders(session, run)
        ready = [
            work
            for work in run
            if work.entry_id in sources
            and not is_placeholder(sources[work.entry_id])
            and work.entry_id in destinations
        ]
        by_how: dict[str, list[_Work]] = {}
        for work in ready:
            by_how.setdefault(str(work.payload.get("how") or How.MOVE.value), []).append(work)
        results: dict[int, ItemRef | SyncError] = {}
        for how, group in by_how.items():
            transfers = [
                Transfer(sources[w.entry_id], destinations[w.entry_id], w.client_id) for w in group
            ]
            if how in (How.JUNK.value, How.NOT_JUNK.value):
                answered = self._write(
                    functools.partial(self.backend.mark_junk, is_junk=how == How.JUNK.value),
                    transfers,
                )
            else:
                answered = self._write(self.backend.move_items, transfers)
            for work, transfer in zip(group, transfers, strict=True):
                results[work.entry_id] = self._transferred(
                    _as_ref(answered.get(transfer.item_id)), transfer
                )
        self._record_transfers(run, results, sources, destinations)

    def _transferred(self, outcome: ItemRef | SyncError | None, transfer: Transfer) -> Any:
        """A transfer whose item is gone may be one a crash kept us from hearing about: its
        stamp in the destination says so."""
        if not isinstance(outcome, ItemGone):
            return outcome
        found = self.backend.find_by_client_id(
            transfer.folder_id, ItemKind.MESSAGE, transfer.client_id
        )
        return found if found is not None else outcome

    def _record_transfers(
        self,
        run: list[_Work],
        results: dict[int, ItemRef | SyncError],
        sources: dict[int, str],
        destinations: dict[int, str],
    ) -> None:
        with self.workspace.local.sessions.begin() as session:
            for work in run:
                outcome = results.get(work.entry_id)
                if work.entry_id not in destinations:
                    self._folder_gone(session, work)
                elif outcome is None and work.entry_id in self._deferred:
                    self._settle_gone_transfer(session, work)  # its row went in the pull
                elif outcome is None:
                    continue  # its item is not on the server yet (a copy still waiting)
                elif isinstance(outcome, ItemRef):
                    row_id = work.payload.get(
                        "copy_item_id" if work.kind is OutboxKind.COPY_MESSAGE else "mail_item_id"
                    )
                    _adopt(session, row_id, outcome)
                    self._finished(session, work, None)
                elif isinstance(outcome, ItemGone) and not self._defer(work):
                    self._settle_gone_transfer(session, work)
                elif not isinstance(outcome, ItemGone):
                    self._failed(session, work, outcome)

    def _settle_gone_transfer(self, session: Session, work: _Work) -> None:
        """After the pull: moved or deleted elsewhere. Found again (by Message-ID), the later
        change wins; a copy is made from wherever the message is now."""
        row = self._found_again(session, work)
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is None:
            return
        if row is None:
            if work.kind is OutboxKind.COPY_MESSAGE:
                _drop_row(session, work.payload.get("copy_item_id"))
            self._left_mailbox(session, work)
            return
        mark_done(entry)
        folder = session.get(MailFolder, int(work.payload["folder_id"]))
        if folder is None or row.folder_id == folder.id:
            return
        if work.kind is OutboxKind.COPY_MESSAGE:
            _drop_row(session, work.payload.get("copy_item_id"))
            copy_rows(session, [row], folder)
        elif row.modified_at is None or _aware(row.modified_at) <= work.at:
            move_rows(session, [row], folder, How(work.payload.get("how") or How.MOVE.value))

    def _copies(self, run: list[_Work]) -> None:
        with self.workspace.local.sessions() as session:
            sources = self._targets(run)
            destinations = self._folders(session, run)
        ready = [
            w
            for w in run
            if w.entry_id in sources
            and not is_placeholder(sources[w.entry_id])
            and w.entry_id in destinations
        ]
        results: dict[int, ItemRef | SyncError] = {}
        to_copy: list[tuple[_Work, Transfer]] = []
        for work in ready:
            transfer = Transfer(sources[work.entry_id], destinations[work.entry_id], work.client_id)
            # The original stays where it was, so only its stamp in the destination tells a
            # copy made before a crash kept us from hearing of it.
            made = self.backend.find_by_client_id(
                transfer.folder_id, ItemKind.MESSAGE, transfer.client_id
            )
            if made is not None:
                results[work.entry_id] = made
            else:
                to_copy.append((work, transfer))
        answered = self._write(self.backend.copy_items, [t for _, t in to_copy])
        for work, transfer in to_copy:
            results[work.entry_id] = self._transferred(
                _as_ref(answered.get(transfer.item_id)), transfer
            )
        self._record_transfers(run, results, sources, destinations)

    # Deleting for good

    def _deletes(self, run: list[_Work]) -> None:
        ids = {w.entry_id: str(w.payload.get("remote_id") or "") for w in run}
        answered = self._write(self.backend.delete_permanently, list(dict.fromkeys(ids.values())))
        with self.workspace.local.sessions.begin() as session:
            for work in run:
                outcome = answered.get(ids[work.entry_id])
                if isinstance(outcome, ItemGone):
                    if not self._defer(work):
                        self._settle_gone_delete(session, work)
                elif isinstance(outcome, SyncError):
                    self._failed(session, work, outcome)
                else:
                    self._finished(session, work, None)

    def _settle_gone_delete(self, session: Session, work: _Work) -> None:
        row = self._found_again(session, work)
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is None:
            return
        mark_done(entry)
        if row is not None and (row.modified_at is None or _aware(row.modified_at) <= work.at):
            delete_rows(session, [row])

    # Drafts

    def _drafts(self, run: list[_Work]) -> None:
        for work in run:
            check_cancel(self.cancel)
            self._draft(work)

    def _draft(self, work: _Work) -> None:
        data_dir = self.workspace.paths.data_dir
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, work.payload.get("mail_item_id"))
            drafts = cache.distinguished_folder(session, self.account, "drafts")
            if row is None or drafts is None:
                remote_id, folder_id = None, None
            else:
                remote_id, folder_id = row.remote_id, drafts.remote_id
        if remote_id is None or folder_id is None:
            with self.workspace.local.sessions.begin() as session:
                self._finished(session, work, None)  # the draft was sent or deleted since
            remove_spool(data_dir, [work.client_id])
            return
        try:
            existing = self._existing_draft(remote_id, folder_id)
            message = composed(work.payload, data_dir, work.client_id)
            fetch = carried_fetcher(self.workspace, self.store, self.backend)
            fetched = outgoing(message, None, fetch)
            stamp = (
                remote_id.removeprefix(PLACEHOLDER) if is_placeholder(remote_id) else work.client_id
            )
            try:
                ref = self.backend.save_draft(folder_id, fetched, existing, stamp)
            except ItemGone:
                # Deleted elsewhere: what the user wrote here is saved again.
                ref = self.backend.save_draft(folder_id, fetched, None, stamp)
        except SyncError as exc:
            if not is_item_problem(exc):
                raise
            with self.workspace.local.sessions.begin() as session:
                self._failed(session, work, exc)
            return
        with self.workspace.local.sessions.begin() as session:
            row = _adopt(session, work.payload.get("mail_item_id"), ref)
            if row is not None:
                row.attachments_fetched = not row.has_attachments
            self._finished(session, work, None)
        remove_spool(data_dir, [work.client_id])

    def _existing_draft(self, remote_id: str, drafts_id: str) -> ItemRef | None:
        if not is_placeholder(remote_id):
            return ItemRef(remote_id, None)
        # Created before a crash kept us from hearing of it: found by its row's stamp.
        return self.backend.find_by_client_id(
            drafts_id, ItemKind.MESSAGE, remote_id.removeprefix(PLACEHOLDER)
        )

    # Shared

    def _targets(self, run: list[_Work]) -> dict[int, str]:
        """The server id each entry acts on now: its row's (which follows moves), else the
        one it was made with."""
        with self.workspace.local.sessions() as session:
            rows = {
                row.id: row.remote_id
                for row in session.scalars(
                    select(MailItem).where(
                        MailItem.id.in_(
                            [
                                w.payload["mail_item_id"]
                                for w in run
                                if isinstance(w.payload.get("mail_item_id"), int)
                            ]
                        )
                    )
                )
            }
        found: dict[int, str] = {}
        for work in run:
            row_id = work.payload.get("mail_item_id")
            remote_id = rows.get(row_id) if isinstance(row_id, int) else None
            if remote_id is None and work.entry_id not in self._deferred:
                remote_id = work.payload.get("remote_id") or None
            if remote_id:
                found[work.entry_id] = remote_id
        return found

    def _folders(self, session: Session, run: list[_Work]) -> dict[int, str]:
        found = {}
        for work in run:
            folder = session.get(MailFolder, work.payload.get("folder_id"))
            if folder is not None:
                found[work.entry_id] = folder.remote_id
        return found

    def _write(self, call: Callable[[Any], dict[str, Any]], items: list[Any]) -> dict[str, Any]:
        """One request for the batch; a batch the server fails as a whole is tried item by
        item, so one item it chokes on fails alone."""
        if not items:
            return {}
        try:
            return call(items)
        except SyncError as exc:
            if not is_item_problem(exc):
                raise
            if len(items) == 1:
                key = getattr(items[0], "item_id", items[0])
                return {key: exc}
        results: dict[str, Any] = {}
        for item in items:
            results.update(self._write(call, [item]))
        return results

    def _defer(self, work: _Work) -> bool:
        """True the first time an entry finds its item gone in this sync (looked for again
        after the pull); False when it is the second time."""
        if work.entry_id in self._deferred:
            return False
        self._deferred.add(work.entry_id)
        return True

    def _found_again(self, session: Session, work: _Work) -> MailItem | None:
        message_id = work.payload.get("message_id")
        if not isinstance(message_id, str):
            return None
        rows = cache.items_by_message_id(session, self.account, [message_id]).get(message_id)
        real = [row for row in rows or () if not is_placeholder(row.remote_id)]
        return real[0] if real else None

    def _left_mailbox(self, session: Session, work: _Work) -> None:
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is not None:
            mark_done(entry)
        self.progress.notes.skip(
            ("outbox", work.entry_id),
            f"{work.shown} left the mailbox (moved or deleted elsewhere) before Liaison "
            "could change it.",
        )

    def _folder_gone(self, session: Session, work: _Work) -> None:
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is not None:
            mark_done(entry)
        if work.kind is OutboxKind.COPY_MESSAGE:
            _drop_row(session, work.payload.get("copy_item_id"))
        self.progress.notes.skip(
            ("outbox", work.entry_id),
            f"{work.shown} stays where it was: the folder it was put in is gone.",
        )

    def _finished(self, session: Session, work: _Work, ref: ItemRef | None) -> None:
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is not None:
            mark_done(entry)
        if ref is not None:
            row = session.get(MailItem, work.payload.get("mail_item_id"))
            if row is not None:
                row.change_key = ref.change_key
        self.done += 1
        self.progress.notes.settle(("outbox", work.entry_id))

    def _failed(self, session: Session, work: _Work, error: SyncError) -> None:
        entry = session.get(OutboxEntry, work.entry_id)
        if entry is None:
            return
        given_up = record_failure(session, entry, str(error), self.retry_pause)
        self.given_up += given_up
        verb = "saved" if work.kind is OutboxKind.SAVE_DRAFT else "changed on the server"
        note = failure_note(entry, f"{work.shown} could not be {verb}", why_in_words(error))
        self.progress.notes.add(("outbox", work.entry_id), note, given_up)
        if given_up:
            log(session, "warning", "action-failed", note, {"kind": work.kind.value})


def carried_fetcher(
    workspace: Workspace, store: AttachmentStore, backend: MailBackend
) -> Callable[[CarriedAttachment], AttachmentContent]:
    """How a message being sent gets the attachments it carries from cached messages."""

    def fetch(carried: CarriedAttachment) -> AttachmentContent:
        return fetch_attachment(workspace, store, carried.item_id, carried.index, lambda: backend)

    return fetch


def _merged_state(works: list[_Work]) -> dict[str, Any]:
    """One message's state entries as one: the newest wanted value of each property, and what
    the cache had before the first change of each."""
    merged: dict[str, Any] = {"is_read": None, "flag": None}
    before: dict[str, Any] = {}
    for work in works:
        for name in merged:
            if work.payload.get(name) is not None:
                merged[name] = work.payload[name]
        for name, value in (work.payload.get("before") or {}).items():
            before.setdefault(name, value)
    return {**merged, "before": before, "at": works[-1].payload.get("at")}


def _wanted(
    work: _Work, is_read_there: bool, flag_there: str, changed_there: datetime | None
) -> tuple[bool | None, FlagStatus | None]:
    """What to write: each property changed here, unless it also changed there since the
    last sync (its value differs from what the cache had before) and later than here."""
    before = work.payload.get("before") or {}
    later_there = changed_there is not None and _aware(changed_there) > work.at
    is_read = work.payload.get("is_read")
    if is_read is not None and "is_read" in before and is_read_there != before["is_read"]:
        is_read = None if later_there else is_read
    flag_text = work.payload.get("flag")
    flag = FlagStatus(flag_text) if flag_text else None
    if flag is not None and "flag" in before and flag_there != before["flag"]:
        flag = None if later_there else flag
    return is_read, flag


def _take_server_state(
    session: Session, work: _Work, server: RemoteItem, written: StateChange | None
) -> None:
    """Where the change made elsewhere won (a property wanted here but not written), the cache
    shows the server's value."""
    row = session.get(MailItem, work.payload.get("mail_item_id"))
    if row is None:
        return
    if work.payload.get("is_read") is not None and (written is None or written.is_read is None):
        row.is_read = server.is_read
        _recount(session, [row.folder_id])
    if work.payload.get("flag") is not None and (written is None or written.flag is None):
        row.flag_status = server.flag.value


def _adopt(session: Session, row_id: object, ref: ItemRef) -> MailItem | None:
    """The row takes the server item's id (after a move, a copy, a draft saved). A row a pull
    made for the same item meanwhile gives way to it."""
    row = session.get(MailItem, row_id) if isinstance(row_id, int) else None
    if row is None:
        return None
    twin = session.scalars(
        select(MailItem).where(
            MailItem.account == row.account, MailItem.remote_id == ref.id, MailItem.id != row.id
        )
    ).first()
    if twin is not None:
        session.delete(twin)
        session.flush()
    moved = row.remote_id != ref.id
    row.remote_id = ref.id
    row.change_key = ref.change_key
    if moved and row.has_attachments:
        row.attachments_fetched = False  # the server gives a moved item's attachments new ids
    return row


def _drop_row(session: Session, row_id: object) -> None:
    if isinstance(row_id, int):
        session.execute(delete(MailItem).where(MailItem.id == row_id))


def _as_ref(outcome: object) -> Any:
    if outcome is None or isinstance(outcome, ItemRef | SyncError):
        return outcome
    if isinstance(outcome, Exception):
        return SyncError(str(outcome))
    return None


def _runs(entries: list[_Work]) -> list[list[_Work]]:
    """Entries in their order, consecutive ones of one kind together (a batch each)."""
    runs: list[list[_Work]] = []
    for work in entries:
        if runs and runs[-1][0].kind is work.kind:
            runs[-1].append(work)
        else:
            runs.append([work])
    return runs


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
