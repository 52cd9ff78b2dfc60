"""The durable outbox: local changes waiting for the server.

An entry is written in the same local transaction as the change it carries, so a change is never
made without the entry, nor the entry without the change. Each entry has a client id that push
stamps on the Exchange item, so replaying an entry after a crash finds its earlier effect.
Entries that keep failing for reasons of their own (not an unreachable server) are retried with
growing pauses and given up after MAX_ATTEMPTS, with a line in the sync log.
"""

from __future__ import annotations

import enum
import functools
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    TextClause,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from app.db.bulk import execute_many
from app.db.literals import constant
from app.db.value_lists import ids_array, listed, one_of
from app.mailbox.models import MailItem, OutboxEntry, SyncLogEntry

MAX_ATTEMPTS = 5


class OutboxKind(enum.StrEnum):
    MARK = "mark"  # put the tracking state of a mail item on its Exchange item
    SEND = "send"  # send an email composed in the app (tracked when the user asked)
    # What a mail client does to messages (app.sync.actions): each is made in the cache at once.
    MESSAGE_STATE = "message-state"  # read or unread, flagged, completed, unflagged
    MOVE_MESSAGE = "move-message"  # moved, deleted to Deleted Items, junk, not junk
    COPY_MESSAGE = "copy-message"
    DELETE_MESSAGE = "delete-message"  # deleted for good
    SAVE_DRAFT = "save-draft"
    CREATE_ITEM = "create-item"  # create an appointment or task the CRM has and Exchange not
    UPDATE_ITEM = "update-item"  # change an appointment or task on Exchange
    DELETE_ITEM = "delete-item"  # delete an appointment or task the user deleted in the CRM
    UNTRACK_ITEM = "untrack-item"  # take Liaison's mark off an appointment or task that stays
    EDIT_ITEM = "edit-item"  # change an Exchange appointment or task that is not tracked
    # The user's tracking request on a cached message, written before its CRM write: a crash
    # before the cache and the mark follow leaves it here for the next sync (app.sync.requests).
    REQUEST = "request"
    # Activities newly tracked: messages they make correlatable are decided again (pull.py).
    # Local work, not a change for the server.
    CORRELATE = "correlate"


MESSAGE_ACTIONS = frozenset(
    {
        OutboxKind.MESSAGE_STATE.value,
        OutboxKind.MOVE_MESSAGE.value,
        OutboxKind.COPY_MESSAGE.value,
        OutboxKind.DELETE_MESSAGE.value,
    }
)


class MarkState(enum.StrEnum):
    TRACKED = "tracked"
    UNTRACKED = "untracked"
    PENDING = "pending"
    FAILED = "failed"


class EntryState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


def new_client_id() -> str:
    return uuid.uuid4().hex


def enqueue(
    session: Session, account: str, kind: OutboxKind, payload: dict[str, Any]
) -> OutboxEntry:
    entry = OutboxEntry(
        client_id=new_client_id(),
        account=account,
        kind=kind.value,
        payload=payload,
        state=EntryState.PENDING.value,
        attempts=0,
    )
    # Flushed with the transaction: a page of marks goes to the database in one statement.
    session.add(entry)
    return entry


def enqueue_mark(session: Session, item: MailItem, state: MarkState) -> OutboxEntry:
    """Queue the mark of this item's current tracking state (the item must be flushed)."""
    return enqueue_mark_values(
        session,
        item.account,
        {
            "id": item.id,
            "internet_message_id": item.internet_message_id,
            "activity_id": item.activity_id,
            "regarding_type": item.regarding_type,
            "regarding_id": item.regarding_id,
        },
        state,
    )


def enqueue_mark_values(
    session: Session, account: str, item: dict[str, Any], state: MarkState
) -> OutboxEntry:
    """enqueue_mark for a row known by its column values (id, internet_message_id, …)."""
    return enqueue(session, account, OutboxKind.MARK, _mark_payload(item, state))


_OUTBOX = cast(Table, OutboxEntry.__table__)
_INSERT_ENTRY = insert(_OUTBOX)


def enqueue_marks(
    session: Session, account: str, marks: Sequence[tuple[dict[str, Any], MarkState]]
) -> None:
    """enqueue_mark_values for a page of rows, in one executemany without the ORM (pull)."""
    execute_many(
        session.connection(),
        _INSERT_ENTRY,
        [
            {
                "client_id": new_client_id(),
                "account": account,
                "kind": OutboxKind.MARK.value,
                "payload": _mark_payload(item, state),
                "state": EntryState.PENDING.value,
                "attempts": 0,
            }
            for item, state in marks
        ],
    )


def _mark_payload(item: dict[str, Any], state: MarkState) -> dict[str, Any]:
    regarding = (
        f"{item['regarding_type']}:{item['regarding_id']}"
        if item.get("regarding_type") and item.get("regarding_id") is not None
        else None
    )
    return {
        "mail_item_id": item["id"],
        "message_id": item.get("internet_message_id"),
        "state": state.value,
        "activity_id": item.get("activity_id"),
        "regarding": regarding,
    }


def enqueue_correlate(session: Session, account: str, activity_ids: list[int]) -> None:
    """Note activities newly tracked, in the transaction that records them as tracked."""
    if activity_ids:
        enqueue(session, account, OutboxKind.CORRELATE, {"activity_ids": activity_ids})


def queued_message_id(session: Session, client_id: str | None) -> str | None:
    """The Internet Message-ID Liaison gave an email it queued, by the send's client id."""
    if not client_id:
        return None
    payload = session.scalar(
        select(OutboxEntry.payload).where(
            OutboxEntry.client_id == client_id, OutboxEntry.kind == OutboxKind.SEND.value
        )
    )
    found = (payload or {}).get("message_id")
    return found if isinstance(found, str) else None


def sent_untracked(session: Session, client_ids: Iterable[str]) -> set[str]:
    """Which of these client ids belong to emails the user sent untracked: their copies in Sent
    Items were decided when they were queued, whatever Message-ID the server gave them."""
    found: set[str] = set()
    wanted = set(client_ids)
    if not wanted:
        return found
    for client_id, payload in session.execute(
        select(OutboxEntry.client_id, OutboxEntry.payload).where(
            one_of(OutboxEntry.client_id, wanted),
            OutboxEntry.kind == constant(OutboxKind.SEND.value),
        )
    ):
        if (payload or {}).get("track") is False:
            found.add(client_id)
    return found


def pending(*kinds: OutboxKind) -> ColumnElement[bool]:
    """Entries of these kinds still waiting, with the state and kinds as constants in the SQL
    (app.db.literals: the outbox's partial indexes would have SQLite prepare the statement
    again at every execution)."""
    return and_(
        OutboxEntry.state == constant(EntryState.PENDING.value),
        OutboxEntry.kind.in_([constant(kind.value) for kind in kinds]),
    )


def _due_now(kinds: tuple[OutboxKind, ...]) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.account == bindparam("account"),
        pending(*kinds),
        or_(
            OutboxEntry.next_attempt_at.is_(None),
            OutboxEntry.next_attempt_at <= bindparam("moment"),
        ),
    )


@functools.cache
def _due(kinds: tuple[OutboxKind, ...]) -> Select[OutboxEntry]:
    """Built once per set of kinds: every sync asks about eight times, and building the
    statement cost more than running it (most syncs find nothing due)."""
    return select(OutboxEntry).where(_due_now(kinds)).order_by(OutboxEntry.id)


def due_entries(session: Session, account: str, kinds: tuple[OutboxKind, ...]) -> list[OutboxEntry]:
    parameters = {"account": account, "moment": datetime.now(UTC)}
    return list(session.scalars(_due(kinds), parameters))


_DUE_MARKS = (
    select(OutboxEntry.id, OutboxEntry.payload, OutboxEntry.client_id)
    .where(_due_now((OutboxKind.MARK,)))
    .order_by(OutboxEntry.id)
)


class DueMark(NamedTuple):
    id: int
    payload: dict[str, object]
    client_id: str


def due_marks(session: Session, account: str) -> list[DueMark]:
    """The mark entries due: a first sync's push reads thousands, and needs nothing else of
    them."""
    parameters = {"account": account, "moment": datetime.now(UTC)}
    return [DueMark(row[0], row[1], row[2]) for row in session.execute(_DUE_MARKS, parameters)]


_FOR_THE_SERVER = (
    select(OutboxEntry.id)
    .where(
        OutboxEntry.account == bindparam("account"),
        OutboxEntry.state == constant(EntryState.PENDING.value),
        # Local work: a tracking request is replayed before the push, a note correlated in
        # the pull.
        OutboxEntry.kind.not_in(
            [constant(OutboxKind.REQUEST.value), constant(OutboxKind.CORRELATE.value)]
        ),
    )
    .limit(1)
)


def waiting_for_server(session: Session, account: str) -> bool:
    """Whether any change waits to be written to the server, due now or later."""
    return session.scalar(_FOR_THE_SERVER, {"account": account}) is not None


_SPOOLED = select(OutboxEntry.client_id).where(pending(OutboxKind.SEND, OutboxKind.SAVE_DRAFT))


def spooled_client_ids(session: Session) -> set[str]:
    """The client ids of messages waiting to be sent or saved, in any account of the profile:
    their spool folders (app.sync.outgoing) are still needed."""
    return set(session.scalars(_SPOOLED))


def pending_count(session: Session, account: str) -> int:
    """Changes waiting for the server."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(
                OutboxEntry.account == account,
                OutboxEntry.state == constant(EntryState.PENDING.value),
                OutboxEntry.kind != constant(OutboxKind.CORRELATE.value),
            )
        )
        or 0
    )


def pending_marks_among(
    session: Session, account: str, item_ids: Iterable[int], message_ids: Iterable[str]
) -> tuple[set[int], set[str]]:
    """Which of these mail items (ids) and messages (Message-IDs) have a mark waiting to be
    written. Asked of these only: a page of pull asks about its own 512, the CRM pane about one
    message, not about the thousands of marks a first sync queues before it pushes them."""
    items, messages = list(item_ids), list(message_ids)
    found_items = (
        set(session.scalars(waiting_marks("mail_item_id", account, items))) if items else set()
    )
    found_messages = (
        set(session.scalars(waiting_marks("message_id", account, messages))) if messages else set()
    )
    return found_items, found_messages


def waiting_marks(
    key: Literal["mail_item_id", "message_id"], account: str, values: Sequence[Any]
) -> TextClause:
    """The `key` of the waiting marks that name one of these values, by the index
    ix_outbox_waiting_mark_<key> (local revision 0010). Written as SQL: the JSON path must be
    the index's own text, not a bound value, and SQLite is told the index (INDEXED BY), as
    for more than one value its planner takes the index on the state, which reads every
    waiting entry. The values are one JSON array (app.db.value_lists)."""
    named = f"json_extract(payload, '$.{key}')"
    return text(
        f"SELECT {named} FROM outbox INDEXED BY ix_outbox_waiting_mark_{key} "
        f"WHERE account = :account AND state = '{EntryState.PENDING.value}' "
        f"AND kind = '{OutboxKind.MARK.value}' "
        f"AND {named} IN (SELECT value FROM json_each(:values))"
    ).bindparams(bindparam("account", account), bindparam("values", json.dumps(list(values))))


def mark_done(entry: OutboxEntry) -> None:
    entry.state = EntryState.DONE.value
    entry.done_at = datetime.now(UTC)
    entry.last_error = None


def mark_all_done(session: Session, entry_ids: Sequence[int]) -> None:
    """mark_done for many entries, by id, without loading them (a Core statement: the ORM's
    would look for them among the session's objects too)."""
    if entry_ids:
        parameters = {"ids": ids_array(entry_ids), "moment": datetime.now(UTC)}
        session.connection().execute(_CLOSE, parameters)


_CLOSE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(listed("ids")))
    .values(state=EntryState.DONE.value, done_at=bindparam("moment"), last_error=None)
)


def record_failure(session: Session, entry: OutboxEntry, reason: str, pause: timedelta) -> bool:
    """Count a failure of this entry; True when it is given up (and logged). The next attempt
    waits `pause`, doubled with each failure, so one bad item does not slow every sync."""
    entry.attempts += 1
    entry.last_error = reason
    if entry.attempts >= MAX_ATTEMPTS:
        entry.state = EntryState.FAILED.value
        log(
            session,
            "error",
            "outbox-failed",
            f"Gave up after {entry.attempts} attempts to {_describe(entry)}: {reason}",
            {"client_id": entry.client_id, "kind": entry.kind, "payload": entry.payload},
        )
        return True
    entry.next_attempt_at = datetime.now(UTC) + pause * 2 ** (entry.attempts - 1)
    return False


def failure_note(entry: OutboxEntry, failed: str, why: str) -> str:
    """For the sync report: `failed` ("“Offer” could not be sent") and why, with what happens
    next, after record_failure counted the failure."""
    if entry.state == EntryState.FAILED.value:
        return f"{failed} after {entry.attempts} attempts ({why}); Liaison gave up."
    return (
        f"{failed} yet ({why}); attempt {entry.attempts} of {MAX_ATTEMPTS}, "
        "tried again at the next sync."
    )


def log(
    session: Session, level: str, kind: str, message: str, details: dict[str, Any] | None = None
) -> SyncLogEntry:
    entry = SyncLogEntry(level=level, kind=kind, message=message, details=details)
    session.add(entry)
    return entry


def _describe(entry: OutboxEntry) -> str:
    payload = entry.payload
    if entry.kind == OutboxKind.MARK.value:
        return f"mark message {payload.get('message_id') or payload.get('mail_item_id')}"
    if entry.kind == OutboxKind.SEND.value:
        return f"send {payload.get('subject')!r}"
    if entry.kind == OutboxKind.SAVE_DRAFT.value:
        return f"save the draft {payload.get('subject')!r}"
    if entry.kind in MESSAGE_ACTIONS:
        what = payload.get("how") or entry.kind.removesuffix("-message")
        return f"{what} message {payload.get('subject')!r}"
    if entry.kind == OutboxKind.REQUEST.value:
        return f"{payload.get('request')} message {payload.get('message_id')}"
    return f"{entry.kind} {payload.get('kind', '')} {payload.get('activity_id', '')}".strip()
