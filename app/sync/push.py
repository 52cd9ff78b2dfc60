"""Push: replay the outbox against the server, idempotently.

Marks are batched: one GetItem and one UpdateItem for up to `mark_batch` items (MARK_BATCH unless
the engine's settings say otherwise), and only the newest mark of an item is written (a Track
then an Untrack written offline costs one update).
Writing a mark is idempotent by nature; it still carries the entry's client id, so other clients
and a later sync can tell Liaison's own change from theirs.

Sends look for their client id in Sent Items before sending: a crash between the server's
answer and the local commit never sends a message twice. A message goes with the attachments
it was composed with (app.sync.outgoing), tracked only when the user asked (its entry says so);
sent from a draft, the draft goes from Drafts once the message is sent.

What a mail client does to messages (read, flag, move, copy, delete, junk, drafts) is replayed
by app.sync.actions, between the marks and the sends.

An unreachable server stops the push and leaves every entry as it was; an entry that fails for
a reason of its own is retried later and given up after outbox.MAX_ATTEMPTS, with a sync log
line, and for a mark a visible "could not track" category on the item. Failures are per item:
the server answers each item of a batch on its own (a stale change key is merged and retried by
the backend), and a batch it fails as a whole is tried again item by item. A mark whose item is
not found is looked for again after the pull, which finds a message moved on the server in its
new folder; only then does it count as having left the mailbox. What was given up or skipped
goes to the sync report in words (ProgressReporter.notes).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.db.bulk import execute_many
from app.db.value_lists import ids_array, listed, one_of
from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.sync_options import SyncOptions
from app.sync.actions import PLACEHOLDER, ActionPusher, carried_fetcher
from app.sync.backend import (
    ItemKind,
    ItemRef,
    LinkState,
    MailBackend,
    MarkChange,
    OutgoingMessage,
    RemoteMark,
)
from app.sync.errors import (
    ItemGone,
    SyncError,
    check_cancel,
    is_item_problem,
    why_in_words,
)
from app.sync.outbox import (
    DueMark,
    MarkState,
    OutboxKind,
    due_entries,
    due_marks,
    failure_note,
    log,
    mark_all_done,
    mark_done,
    record_failure,
)
from app.sync.outgoing import composed, outgoing, remove_spool
from app.sync.progress import Phase, ProgressReporter, named
from app.sync.sent import track_queued
from app.workspace import Workspace

MARK_BATCH = 100
# Answered batches are booked this many at a time: a transaction per batch of 100 was a sixth of
# the push's client CPU at 10,000 marks (its commit alone). A crash loses the booking of at most
# this many batches, which the next push writes again (a mark may be written twice).
BOOK_EVERY = 10
MARKS_IN_FLIGHT = 2
IN_FLIGHT = sys.maxsize  # a mark written beside the pull, its answer not in yet
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Batch:
    """Marks sent to the server, booked once its answer (`results`) is in."""

    work: Sequence[DueMark]
    changes: list[MarkChange]
    results: Future[dict[str, ItemRef | Exception]]


@dataclass(frozen=True, slots=True)
class _Target:
    row_id: int
    remote_id: str
    subject: str
    old_category: str | None
    known: tuple[str, tuple[str, ...]] | None  # change key and categories as last synced


@dataclass(slots=True)
class PushCounts:
    marks: int = 0
    sent: int = 0
    given_up: int = 0


class Pusher:
    def __init__(
        self,
        backend: MailBackend,
        workspace: Workspace,
        account: str,
        options: SyncOptions,
        progress: ProgressReporter,
        cancel: threading.Event,
        retry_pause: timedelta,
        mark_batch: int,
    ) -> None:
        self.backend = backend
        self.workspace = workspace
        self.account = account
        self.options = options
        self.mark_batch = mark_batch
        self.progress = progress
        self.cancel = cancel
        self.retry_pause = retry_pause
        self.counts = PushCounts()
        # Mark entries whose item was not found in this run (with the name it had in the
        # cache, if it was there): looked for again after the pull.
        self._deferred: dict[int, str | None] = {}
        # Mark entries written (or tried) in this run; the items new_marks wrote marks to, each
        # with how many of its batches had been answered once its own was (IN_FLIGHT before).
        self._attempted: set[int] = set()
        self.written_during_pull: dict[str, int] = {}
        self.answers_during_pull = 0
        self.actions = ActionPusher(backend, workspace, account, progress, cancel, retry_pause)

    def push(self) -> None:
        self.marks()
        self.actions.push()
        self.sends()

    # Marks

    def marks(self) -> None:
        self._marks(during_pull=False)

    def new_marks(self, halt: threading.Event) -> None:
        """The marks queued since this run's marks were last written, while the pull goes on
        (app.sync.mark_stream): no phase of their own, and a mark tried before in this run (its
        item not found) waits for the push after the pull, as it would have. `halt`: no batch
        is sent once it is set (the pull failed)."""
        self._marks(during_pull=True, halt=halt)

    def _marks(self, during_pull: bool, halt: threading.Event | None = None) -> None:
        with self.workspace.local.sessions() as session:
            entries = due_marks(session, self.account)
            if during_pull:
                entries = [entry for entry in entries if entry.id not in self._attempted]
            self._attempted.update(entry.id for entry in entries)
            if not entries:
                return
            if not during_pull:
                self.progress.enter(Phase.PUSHING)
            latest: dict[object, DueMark] = {}
            superseded: list[int] = []
            for entry in entries:
                key = entry.payload.get("mail_item_id") or entry.payload.get("message_id") or ""
                if key in latest:
                    superseded.append(latest[key].id)
                latest[key] = entry
            work = list(latest.values())
            rows = _mark_rows(
                session,
                [p["mail_item_id"] for _, p, _ in work if isinstance(p.get("mail_item_id"), int)],
            )
            targets = {
                entry_id: self._targets(session, payload, rows) for entry_id, payload, _ in work
            }
        with self.workspace.local.sessions.begin() as session:
            mark_all_done(session, superseded)
        # Two batches are at the server while the ones before are booked: the server's time on
        # a batch hides the client's on the others, and the server has the next batch in hand
        # as it answers one (at "all", 10,000 marks, with one in flight the server waited for
        # the client to read each answer and write the next request: a third of the push).
        # The server sees at most MARKS_IN_FLIGHT requests at once, in order; a batch it fails
        # stops the push, and only the batch already sent after it is written. Leaving this
        # block waits for the batches in flight, so nothing is written after the push has
        # ended. What the server has answered is booked even when the push stops (cancelled,
        # a batch failed); a batch written but not booked (a crash) is written again by the
        # next push, which a mark allows.
        with ThreadPoolExecutor(
            max_workers=MARKS_IN_FLIGHT, thread_name_prefix="liaison-marks"
        ) as writer:
            in_flight: deque[_Batch] = deque()
            answered: list[_Batch] = []
            try:
                for start in range(0, len(work), self.mark_batch):
                    check_cancel(self.cancel)
                    if halt is not None and halt.is_set():
                        break
                    batch = work[start : start + self.mark_batch]
                    changes = [
                        self._change(target, payload, client_id)
                        for entry_id, payload, client_id in batch
                        for target in targets[entry_id]
                    ]
                    if during_pull:
                        self.written_during_pull.update(
                            (change.item_id, IN_FLIGHT) for change in changes
                        )
                    if len(in_flight) == MARKS_IN_FLIGHT:
                        # raises what the batch failed with
                        answered.append(self._answered(in_flight.popleft(), during_pull))
                    in_flight.append(_Batch(batch, changes, writer.submit(self._write, changes)))
                    if len(answered) >= BOOK_EVERY:
                        booked, answered = answered, []
                        self._book(booked, targets, during_pull)
                while in_flight:
                    answered.append(self._answered(in_flight.popleft(), during_pull))
            finally:
                # Stopped early (cancelled, a batch failed, the database failed): the batches in
                # flight are waited for, and booked if the server took them.
                answered += [
                    self._answered(batch, during_pull)
                    for batch in in_flight
                    if batch.results.exception() is None
                ]
                self._book(answered, targets, during_pull)

    def _answered(self, batch: _Batch, during_pull: bool) -> _Batch:
        """The batch once the server has answered it (its error raised)."""
        batch.results.result()
        if during_pull:
            self.answers_during_pull += 1
            for change in batch.changes:
                self.written_during_pull[change.item_id] = self.answers_during_pull
            self.progress.tally(len(batch.changes))  # the pull's folder shows its own count
        else:
            self.progress.advance(len(batch.changes))
        return batch

    def _targets(
        self, session: Session, payload: dict[str, object], known: dict[int, Row[Any]]
    ) -> list[_Target]:
        """The cached items the mark goes on: the item itself, else every copy of the message."""
        rows: Sequence[Row[Any]] = []
        item_id = payload.get("mail_item_id")
        if isinstance(item_id, int) and item_id in known:
            rows = [known[item_id]]
        message_id = payload.get("message_id")
        if not rows and isinstance(message_id, str) and message_id:
            parameters = {"account": self.account, "message_id": message_id}
            rows = session.execute(_MARK_COPIES, parameters).all()
        return [
            _Target(
                row.id,
                row.remote_id,
                row.subject,
                row.category,
                (row.change_key, tuple(row.categories or ())) if row.change_key else None,
            )
            for row in rows
        ]

    def _book(
        self, batches: Sequence[_Batch], targets: dict[int, list[_Target]], during_pull: bool
    ) -> None:
        """The answered batches' rows and entries, in one transaction. Most batches succeed
        whole: their rows are updated and their entries closed in bulk, and only an entry in
        trouble is loaded as an object. (Outbox entries are never deleted, only closed, and this
        sync holds the profile: each is still there.) A mark whose item was not found beside
        the pull waits for the push after it, which counts that as the first time: only a whole
        pull between two such answers may find where the item went. The items of marks given
        up are flagged once the transaction is over (the pull's pages wait for its lock)."""
        synced: list[dict[str, Any]] = []
        done: list[int] = []
        troubled: list[tuple[int, dict[str, object], list[_Target], list[SyncError]]] = []
        for batch in batches:
            results = batch.results.result()
            written = {change.item_id: change for change in batch.changes}
            for entry_id, payload, _ in batch.work:
                aimed = targets[entry_id]
                outcomes = [results.get(target.remote_id) for target in aimed]
                synced += [
                    {
                        "row_id": target.row_id,
                        "new_change_key": outcome.change_key,
                        "new_categories": list(outcome.categories or ()),
                        "new_mark": cache.mark_json(written[target.remote_id].mark),
                    }
                    for target, outcome in zip(aimed, outcomes, strict=True)
                    if isinstance(outcome, ItemRef)
                ]
                if not aimed or all(isinstance(o, ItemGone) for o in outcomes):
                    troubled.append((entry_id, payload, aimed, []))
                elif errors := [o for o in outcomes if isinstance(o, SyncError)]:
                    troubled.append((entry_id, payload, aimed, errors))
                else:
                    done.append(entry_id)
        if not (synced or done or troubled):
            return
        flags: list[str] = []
        with self.workspace.local.sessions.begin() as session:
            execute_many(session.connection(), _MARK_SYNCED, synced)
            mark_all_done(session, done)
            self.counts.marks += len(done)
            for entry_id in done:
                self.progress.notes.settle(("outbox", entry_id))
            entries = _entries(session, [entry_id for entry_id, _, _, _ in troubled])
            for entry_id, payload, aimed, errors in troubled:
                if errors:
                    flags += self._failed(session, entries[entry_id], errors, _shown(aimed))
                elif not during_pull:
                    self._gone(session, entries[entry_id], payload, aimed)
        for remote_id in flags:
            self._flag_failed(remote_id)

    def _write(self, changes: Sequence[MarkChange]) -> dict[str, ItemRef | Exception]:
        """Write the marks; a batch the server fails as a whole (a SOAP fault) is written again
        one item at a time, so an item it chokes on fails alone. When every item fails that way
        the trouble is the server's, not the items': the error stops this push, uncounted."""
        if not changes:
            return {}
        try:
            return self.backend.write_marks(changes)
        except SyncError as exc:
            if len(changes) == 1 or not is_item_problem(exc):
                raise
            failure = exc
        results: dict[str, ItemRef | Exception] = {}
        for change in changes:
            check_cancel(self.cancel)
            try:
                results.update(self.backend.write_marks([change]))
            except SyncError as exc:
                if not is_item_problem(exc):
                    raise
                results[change.item_id] = exc
        if all(isinstance(outcome, SyncError) for outcome in results.values()):
            raise failure
        return results

    def _gone(
        self,
        session: Session,
        entry: OutboxEntry,
        payload: dict[str, object],
        aimed: list[_Target],
    ) -> None:
        """The mark's item is not where the cache says. Most likely it moved on the server: the
        pull finds it in its new folder (by ItemId or Message-ID) and the push after the pull
        writes the mark there. Only when that push finds it gone too has it left the mailbox."""
        shown = _shown(aimed) if aimed else self._deferred.get(entry.id)
        if entry.id not in self._deferred:
            self._deferred[entry.id] = shown
            return
        mark_done(entry)
        if shown is None:
            return  # never in the cache: nothing the user saw is lost
        log(
            session,
            "info",
            "mark-skipped",
            "The message left the mailbox before its mark was written; "
            "its activity stays in the CRM.",
            {"message_id": payload.get("message_id")},
        )
        self.progress.notes.skip(
            ("outbox", entry.id),
            f"{shown} left the mailbox before it could be marked; its activity stays in the CRM.",
        )

    def _failed(
        self, session: Session, entry: OutboxEntry, errors: list[SyncError], shown: str
    ) -> list[str]:
        """Count the failure against the entry; given up after MAX_ATTEMPTS, as "could not
        track" in the cache, and on the item: the ids of the items to flag so."""
        reason = "; ".join(str(error) for error in errors)
        given_up = record_failure(session, entry, reason, self.retry_pause)
        note = failure_note(entry, f"{shown} could not be marked", why_in_words(errors[0]))
        flags = []
        if given_up:
            self.counts.given_up += 1
            flags = self._could_not_track(session, entry)
            note += f" It shows the category {self.options.failed_category!r}."
        self.progress.notes.add(("outbox", entry.id), note, given_up)
        return flags

    def _change(self, target: _Target, payload: dict[str, object], client_id: str) -> MarkChange:
        state = MarkState(str(payload["state"]))
        tracked_name = self.options.tracking_category
        failed_name = self.options.failed_category
        earlier = tuple(name for name in (target.old_category,) if name and name != tracked_name)
        activity = payload.get("activity_id")
        activity_id = activity if isinstance(activity, int) else None
        regarding = payload.get("regarding") if isinstance(payload.get("regarding"), str) else None
        if state is MarkState.TRACKED:
            add, remove = (tracked_name,), (failed_name, *earlier)
            mark = RemoteMark(LinkState.TRACKED, activity_id, regarding, tracked_name, client_id)
        elif state is MarkState.UNTRACKED:
            add, remove = (), (tracked_name, failed_name, *earlier)
            mark = RemoteMark(LinkState.UNTRACKED_BUT_WAS, activity_id, None, None, client_id)
        elif state is MarkState.FAILED:
            add, remove = (failed_name,), (tracked_name, *earlier)
            mark = RemoteMark(client_id=client_id)
        else:
            add, remove = (), (failed_name,)
            mark = RemoteMark(LinkState.PENDING, None, regarding, None, client_id)
        return MarkChange(target.remote_id, add, remove, mark, known=target.known)

    def _could_not_track(self, session: Session, entry: OutboxEntry) -> list[str]:
        """A mark that cannot be written, in the cache: the id of its item, to flag too."""
        item_id = entry.payload.get("mail_item_id")
        row = session.get(MailItem, item_id) if isinstance(item_id, int) else None
        if row is None:
            return []
        row.tracking_state = MarkState.FAILED.value
        row.tracking_rule = "could-not-track"
        return [row.remote_id]

    def _flag_failed(self, remote_id: str) -> None:
        """Show on the item that its mark could not be written (best effort)."""
        try:
            self.backend.write_marks(
                [MarkChange(remote_id, (self.options.failed_category,), (), RemoteMark())]
            )
        except SyncError as exc:
            with self.workspace.local.sessions.begin() as session:
                log(session, "warning", "mark-failed", f"Could not flag the item either: {exc}")

    # Sending

    def _track_queued(self, payload: dict[str, object]) -> None:
        """The activity is stored when the send is queued; again here for a send whose queueing
        a crash cut short. A CRM that refuses it does not hold the mail back: its copy in Sent
        Items carries the mark that asks for tracking, and the pull tracks it from there."""
        try:
            track_queued(self.workspace, payload)
        except (CrmError, SQLAlchemyError):
            logger.warning("A queued email's activity could not be stored", exc_info=True)

    def sends(self) -> None:
        with self.workspace.local.sessions() as session:
            entries = [
                (entry.id, dict(entry.payload), entry.client_id)
                for entry in due_entries(session, self.account, (OutboxKind.SEND,))
            ]
            if not entries:
                return
            sent_folder = cache.distinguished_folder(session, self.account, "sentitems")
            sent_folder_id = sent_folder.remote_id if sent_folder else None
            drafts = cache.distinguished_folder(session, self.account, "drafts")
            drafts_id = drafts.remote_id if drafts else None
        if sent_folder_id is None:
            return
        self.progress.enter(Phase.PUSHING)
        for entry_id, payload, client_id in entries:
            check_cancel(self.cancel)
            problem: SyncError | None = None
            self._track_queued(payload)
            try:
                if self.backend.find_sent(sent_folder_id, client_id) is None:
                    self.backend.send(
                        self._message(payload, client_id),
                        sent_mark(payload, client_id),
                        sent_folder_id,
                    )
                self._discard_draft(payload, drafts_id)
            except SyncError as exc:
                if not is_item_problem(exc):
                    raise
                problem = exc
            with self.workspace.local.sessions.begin() as session:
                entry = session.get(OutboxEntry, entry_id)
                if entry is None:
                    continue
                if problem is None:
                    mark_done(entry)
                    _drop_outbox_row(session, payload)
                    self.counts.sent += 1
                    self.progress.notes.settle(("outbox", entry.id))
                    continue
                given_up = record_failure(session, entry, str(problem), self.retry_pause)
                self.counts.given_up += given_up
                note = failure_note(
                    entry,
                    f"{named(payload.get('subject'))} could not be sent",
                    why_in_words(problem),
                )
                self.progress.notes.add(("outbox", entry.id), note, given_up)
            if problem is None:
                remove_spool(self.workspace.paths.data_dir, [client_id])
            self.progress.advance(1)

    def _message(self, payload: dict[str, object], client_id: str) -> OutgoingMessage:
        """The message as queued, with the attachments it carries from cached messages."""
        message = composed(payload, self.workspace.paths.data_dir, client_id)
        message_id = payload.get("message_id")
        fetch = carried_fetcher(self.workspace, self.actions.store, self.backend)
        return outgoing(message, message_id if isinstance(message_id, str) else None, fetch)

    def _discard_draft(self, payload: dict[str, object], drafts_id: str | None) -> None:
        """A message sent from a draft: the draft goes from the server's Drafts (one a crash
        kept Liaison from hearing about is found by its stamp)."""
        draft = payload.get("draft_remote_id")
        if not isinstance(draft, str):
            return
        if draft.startswith(PLACEHOLDER):
            if drafts_id is None:
                return
            found = self.backend.find_by_client_id(
                drafts_id, ItemKind.MESSAGE, draft.removeprefix(PLACEHOLDER)
            )
            if found is None:
                return
            draft = found.id
        outcome = self.backend.delete_permanently([draft]).get(draft)
        if isinstance(outcome, SyncError) and not isinstance(outcome, ItemGone):
            raise outcome


def sent_mark(payload: dict[str, object], client_id: str) -> RemoteMark:
    """The mark a sent message carries: tracking asked for (regarding the record chosen), or
    only the client id. An entry queued before sends could be untracked asks for tracking."""
    if payload.get("track", True):
        regarding = payload.get("regarding")
        return RemoteMark(
            LinkState.PENDING,
            None,
            regarding if isinstance(regarding, str) and regarding else None,
            None,
            client_id,
        )
    return RemoteMark(client_id=client_id)


def _drop_outbox_row(session: Session, payload: dict[str, object]) -> None:
    """The message shown in the Outbox while it waited: Sent Items has it now."""
    row_id = payload.get("outbox_item_id")
    row = session.get(MailItem, row_id) if isinstance(row_id, int) else None
    if row is not None:
        folder_id = row.folder_id
        session.delete(row)
        session.flush()
        folder = session.get(MailFolder, folder_id)
        if folder is not None:
            cache.refresh_folder_counts(session, folder)


def _entries(session: Session, ids: Sequence[int]) -> dict[int, OutboxEntry]:
    """Entries by primary key, in one query (the batch's entries in trouble; most have none)."""
    if not ids:
        return {}
    return {
        entry.id: entry
        for entry in session.scalars(select(OutboxEntry).where(one_of(OutboxEntry.id, ids)))
    }


def _mark_rows(session: Session, ids: Sequence[int]) -> dict[int, Row[Any]]:
    """What a mark reads of these cached messages (6 of their 40 columns, as plain rows)."""
    return {row.id: row for row in session.execute(_MARK_ROWS, {"ids": ids_array(ids)})}


_MARKED = (
    MailItem.id,
    MailItem.remote_id,
    MailItem.subject,
    MailItem.change_key,
    MailItem.categories,
    func.json_extract(MailItem.remote_mark, "$.category").label("category"),
)
_MARK_ROWS = select(*_MARKED).where(MailItem.id.in_(listed("ids")))
# Every copy of a message (its mark entry names no cached item): the index on (account,
# Message-ID) answers.
_MARK_COPIES = (
    select(*_MARKED)
    .where(
        MailItem.account == bindparam("account"),
        MailItem.internet_message_id == bindparam("message_id"),
    )
    .order_by(MailItem.id)
)


# What a written mark changes of its cached message, for many at once (executemany).
_MAIL_ITEMS = MailItem.__table__
_MARK_SYNCED = (
    update(_MAIL_ITEMS)
    .where(_MAIL_ITEMS.c.id == bindparam("row_id"))
    .values(
        change_key=bindparam("new_change_key"),
        categories=bindparam("new_categories"),
        remote_mark=bindparam("new_mark"),
    )
)


def _shown(aimed: Sequence[_Target]) -> str:
    """The message a mark is for, as the sync report names it."""
    return named(aimed[0].subject) if aimed else "A message"
