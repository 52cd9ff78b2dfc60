"""Push: replay the outbox against the server, idempotently.

Marks are batched: one GetItem and one UpdateItem for up to MARK_BATCH items, and only the
newest mark of an item is written (a Track then an Untrack written offline costs one update).
Writing a mark is idempotent by nature; it still carries the entry's client id, so other clients
and a later sync can tell Liaison's own change from theirs.

Sends look for their client id in Sent Items before sending: a crash between the server's
answer and the local commit never sends a message twice.

An unreachable server stops the push and leaves every entry as it was; an entry that fails for
a reason of its own is retried later and given up after outbox.MAX_ATTEMPTS, with a sync log
line, and for a mark a visible "could not track" category on the item.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mailbox import cache
from app.mailbox.models import MailItem, OutboxEntry
from app.mailbox.sync_options import SyncOptions
from app.sync.backend import LinkState, MailBackend, MarkChange, OutgoingMessage, RemoteMark
from app.sync.errors import (
    NEEDS_ATTENTION,
    ItemGone,
    ServerUnreachable,
    SyncCancelled,
    SyncError,
    check_cancel,
)
from app.sync.outbox import (
    MarkState,
    OutboxKind,
    due_entries,
    log,
    mark_done,
    record_failure,
)
from app.sync.progress import Phase, ProgressReporter
from app.tracking.model import Address
from app.workspace import Workspace

MARK_BATCH = 100


@dataclass(frozen=True, slots=True)
class _Target:
    row_id: int
    ews_id: str
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
    ) -> None:
        self.backend = backend
        self.workspace = workspace
        self.account = account
        self.options = options
        self.progress = progress
        self.cancel = cancel
        self.retry_pause = retry_pause
        self.counts = PushCounts()

    def push(self) -> None:
        self.marks()
        self.sends()

    # Marks

    def marks(self) -> None:
        with self.workspace.local.sessions() as session:
            entries = due_entries(session, self.account, (OutboxKind.MARK,))
            if not entries:
                return
            self.progress.enter(Phase.PUSHING)
            latest: dict[int | str, OutboxEntry] = {}
            superseded: list[int] = []
            for entry in entries:
                key = entry.payload.get("mail_item_id") or entry.payload.get("message_id") or ""
                if key in latest:
                    superseded.append(latest[key].id)
                latest[key] = entry
            work = [(entry.id, dict(entry.payload), entry.client_id) for entry in latest.values()]
            rows = _by_id(
                session,
                MailItem,
                [p["mail_item_id"] for _, p, _ in work if isinstance(p.get("mail_item_id"), int)],
            )
            targets = {
                entry_id: self._targets(session, payload, rows) for entry_id, payload, _ in work
            }
        with self.workspace.local.sessions.begin() as session:
            for entry in _by_id(session, OutboxEntry, superseded).values():
                mark_done(entry)
        for start in range(0, len(work), MARK_BATCH):
            check_cancel(self.cancel)
            self._mark_batch(work[start : start + MARK_BATCH], targets)

    def _targets(
        self, session: Session, payload: dict[str, object], known: dict[int, MailItem]
    ) -> list[_Target]:
        """The cached items the mark goes on: the item itself, else every copy of the message."""
        rows: list[MailItem] = []
        item_id = payload.get("mail_item_id")
        if isinstance(item_id, int) and item_id in known:
            rows.append(known[item_id])
        message_id = payload.get("message_id")
        if not rows and isinstance(message_id, str):
            rows = cache.items_by_message_id(session, self.account, [message_id]).get(
                message_id, []
            )
        return [
            _Target(
                row.id,
                row.ews_id,
                (row.remote_mark or {}).get("category"),
                (row.change_key, tuple(row.categories or ())) if row.change_key else None,
            )
            for row in rows
        ]

    def _mark_batch(
        self,
        work: Sequence[tuple[int, dict[str, object], str]],
        targets: dict[int, list[_Target]],
    ) -> None:
        changes = [
            self._change(target, payload, client_id)
            for entry_id, payload, client_id in work
            for target in targets[entry_id]
        ]
        results = self.backend.write_marks(changes) if changes else {}
        written = {change.item_id: change for change in changes}
        with self.workspace.local.sessions.begin() as session:
            entries = _by_id(session, OutboxEntry, [entry_id for entry_id, _, _ in work])
            rows = _by_id(
                session, MailItem, [t.row_id for entry_id, _, _ in work for t in targets[entry_id]]
            )
            for entry_id, payload, _ in work:
                entry = entries.get(entry_id)
                if entry is None:
                    continue
                outcomes = [results.get(target.ews_id) for target in targets[entry_id]]
                errors = [o for o in outcomes if isinstance(o, Exception)]
                for target, outcome in zip(targets[entry_id], outcomes, strict=True):
                    if outcome is None or isinstance(outcome, Exception):
                        continue
                    row = rows.get(target.row_id)
                    if row is not None:
                        row.change_key = outcome.change_key
                        row.categories = list(outcome.categories or ())
                        row.remote_mark = cache.mark_json(written[target.ews_id].mark)
                all_gone = bool(errors) and len(errors) == len(outcomes)
                all_gone = all_gone and all(isinstance(e, ItemGone) for e in errors)
                if not targets[entry_id] or all_gone:
                    mark_done(entry)
                    if outcomes:
                        log(
                            session,
                            "info",
                            "mark-skipped",
                            "The message left the mailbox before its mark was written; "
                            "its activity stays in the CRM.",
                            {"message_id": payload.get("message_id")},
                        )
                elif errors:
                    reason = "; ".join(str(error) for error in errors)
                    if record_failure(session, entry, reason, self.retry_pause):
                        self.counts.given_up += 1
                        self._flag_failed(session, entry)
                else:
                    mark_done(entry)
                    self.counts.marks += 1
        self.progress.advance(len(changes))

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
        return MarkChange(target.ews_id, add, remove, mark, known=target.known)

    def _flag_failed(self, session: Session, entry: OutboxEntry) -> None:
        """A mark that cannot be written: show it on the item (best effort) and in the cache."""
        item_id = entry.payload.get("mail_item_id")
        row = session.get(MailItem, item_id) if isinstance(item_id, int) else None
        if row is None:
            return
        row.tracking_state = MarkState.FAILED.value
        row.tracking_rule = "could-not-track"
        try:
            self.backend.write_marks(
                [MarkChange(row.ews_id, (self.options.failed_category,), (), RemoteMark())]
            )
        except SyncError as exc:
            log(session, "warning", "mark-failed", f"Could not flag the item either: {exc}")

    # Sending

    def sends(self) -> None:
        with self.workspace.local.sessions() as session:
            entries = [
                (entry.id, dict(entry.payload), entry.client_id)
                for entry in due_entries(session, self.account, (OutboxKind.SEND,))
            ]
            sent_folder = cache.distinguished_folder(session, self.account, "sentitems")
            sent_folder_id = sent_folder.ews_id if sent_folder else None
        if not entries or sent_folder_id is None:
            return
        self.progress.enter(Phase.PUSHING)
        for entry_id, payload, client_id in entries:
            check_cancel(self.cancel)
            problem: str | None = None
            try:
                if self.backend.find_sent(sent_folder_id, client_id) is None:
                    self.backend.send(
                        _outgoing(payload),
                        RemoteMark(
                            LinkState.PENDING,
                            None,
                            payload.get("regarding") or None,
                            None,
                            client_id,
                        ),
                        sent_folder_id,
                    )
            except SyncError as exc:
                if not _is_item_problem(exc):
                    raise
                problem = str(exc)
            with self.workspace.local.sessions.begin() as session:
                entry = session.get(OutboxEntry, entry_id)
                if entry is None:
                    continue
                if problem is None:
                    mark_done(entry)
                    self.counts.sent += 1
                elif record_failure(session, entry, problem, self.retry_pause):
                    self.counts.given_up += 1
            self.progress.advance(1)


Model = TypeVar("Model", MailItem, OutboxEntry)


def _by_id(session: Session, model: type[Model], ids: Sequence[int]) -> dict[int, Model]:
    """Rows by primary key, a few hundred per query instead of one query each."""
    found: dict[int, Model] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in session.scalars(select(model).where(model.id.in_(chunk))):
            found[row.id] = row
    return found


def _outgoing(payload: dict[str, object]) -> OutgoingMessage:
    def addresses(key: str) -> tuple[Address, ...]:
        values = payload.get(key) or []
        assert isinstance(values, list)
        return tuple(Address(str(v["email"]), str(v.get("name", ""))) for v in values)

    return OutgoingMessage(
        subject=str(payload.get("subject", "")),
        to=addresses("to"),
        cc=addresses("cc"),
        body_text=str(payload.get("body_text") or ""),
        body_html=str(payload["body_html"]) if payload.get("body_html") else None,
    )


def _is_item_problem(exc: SyncError) -> bool:
    """An error about this entry, not about the server: retried later, then given up."""
    return not isinstance(exc, (ServerUnreachable, SyncCancelled, *NEEDS_ATTENTION))
