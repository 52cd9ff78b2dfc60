"""Refreshing a team client's replica from the shared store, incrementally.

Every replicated row carries `change_seq`, stamped by the store from one counter on each insert
and update; deletions leave a row in `deleted_rows`. A refresh asks only for rows stamped after
the replica's watermark. Writers hold a shared advisory lock (CHANGE_LOCK) from the moment they
take a number until they commit; the refresh takes it exclusively for an instant to read the
counter, so every number up to that value belongs to a committed transaction and the new
watermark never skips a change that commits late.

What a replica holds: every record (users, queues, accounts, contacts, leads, opportunities)
with its addresses and history, the organisation settings, and the activities of the last
REPLICA_DAYS days with their parties and mailbox links, except other users' private activities
(private ones are visible to their owner and to users whose mailbox the message is in).

Rows this client created offline carry provisional ids until the store has them. A refresh
first settles those: every reference to a provisional id (in the replica and in the local
mailbox cache) is pointed at the store's id, the provisional row goes, and the store's row comes
in with the refresh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    delete,
    exists,
    false,
    not_,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects import sqlite

from app.crm.models import (
    REPLICATED_TABLES,
    Activity,
    ActivityMailbox,
    Base,
    DeletedRow,
    Record,
    ReplicaIdMap,
    ReplicaState,
)
from app.db.chunks import in_chunks
from app.mailbox.models import ActivityLink, EvaluatedMessage, MailItem
from app.team.capture import PROVISIONAL_BASE

CHANGE_LOCK = 7_020_001  # the same number as in the crm migration 0002
REPLICA_DAYS = 90
WATERMARK_WAIT_S = 30
# The tables of the record types (base first), and of the activity types but the base.
_RECORD_TABLES = tuple(
    dict.fromkeys(m.local_table.name for m in Record.__mapper__.self_and_descendants)
)
_ACTIVITY_SUBTYPES = tuple(
    dict.fromkeys(m.local_table.name for m in Activity.__mapper__.self_and_descendants)
)[1:]
# Who changed what in a record, and the values merges kept aside: all of it, for every record.
_HISTORY_TABLES = ("record_changes", "record_history")


@dataclass(frozen=True, slots=True)
class RefreshReport:
    rows: int  # rows written into the replica
    deleted: int
    seconds: float


def _tables() -> dict[str, Table]:
    return {name: Base.metadata.tables[name] for name in REPLICATED_TABLES}


def store_watermark(store: Engine) -> int:
    with store.begin() as connection:
        # A writer that takes long holds up the refresh (and writers queue behind it): give up
        # after a while; the next sync tries again.
        connection.execute(text(f"SET LOCAL lock_timeout = '{WATERMARK_WAIT_S}s'"))
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOCK})
        return int(
            connection.scalar(
                text("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM crm_change_seq")
            )
            or 0
        )


def read_state(connection: Connection, key: str, default: Any = None) -> Any:
    value = connection.scalar(select(ReplicaState.value).where(ReplicaState.key == key))
    return default if value is None else value


def write_state(connection: Connection, key: str, value: Any) -> None:
    statement = sqlite.insert(ReplicaState.__table__).values(key=key, value=value)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    )


def _visible(activities: Table, user_id: int, cutoff: datetime) -> Any:
    mailboxes = ActivityMailbox.__table__
    mine = exists().where(
        and_(mailboxes.c.activity_id == activities.c.id, mailboxes.c.user_id == user_id)
    )
    return and_(
        activities.c.created_at >= cutoff,
        or_(activities.c.private == false(), activities.c.owner_id == user_id, mine),
    )


def _changed_activities(tables: dict[str, Table], since: int) -> Any:
    return union(
        select(tables["activities"].c.id).where(tables["activities"].c.change_seq > since),
        select(tables["activity_parties"].c.activity_id).where(
            tables["activity_parties"].c.change_seq > since
        ),
        select(tables["activity_mailboxes"].c.activity_id).where(
            tables["activity_mailboxes"].c.change_seq > since
        ),
    ).subquery()


def _fetch(store: Connection, user_id: int, since: int, cutoff: datetime) -> dict[str, list[Any]]:
    """Everything changed since the watermark that this user may see, per table."""
    tables = _tables()
    records = tables["records"]
    activities = tables["activities"]
    rows: dict[str, list[Any]] = {}
    rows["org_settings"] = _all(
        store, select(tables["org_settings"]).where(tables["org_settings"].c.change_seq > since)
    )
    for name in _RECORD_TABLES:
        table = tables[name]
        query = select(table).where(records.c.change_seq > since)
        if table is not records:
            query = query.join(records, records.c.id == table.c.id)
        rows[name] = _all(store, query)
    for name in ("email_addresses", *_HISTORY_TABLES):
        table = tables[name]
        rows[name] = _all(store, select(table).where(table.c.change_seq > since))
    changed = _changed_activities(tables, since)
    wanted = (
        select(activities.c.id)
        .where(activities.c.id.in_(select(changed.c.id)), _visible(activities, user_id, cutoff))
        .subquery()
    )
    rows["activities"] = _all(
        store, select(activities).where(activities.c.id.in_(select(wanted.c.id)))
    )
    for name in _ACTIVITY_SUBTYPES:
        table = tables[name]
        rows[name] = _all(store, select(table).where(table.c.id.in_(select(wanted.c.id))))
    for name in ("activity_parties", "activity_mailboxes"):
        table = tables[name]
        rows[name] = _all(store, select(table).where(table.c.activity_id.in_(select(wanted.c.id))))
    return rows


def _all(connection: Connection, query: Any) -> list[Any]:
    return [dict(row) for row in connection.execute(query).mappings()]


def _hidden_or_deleted(
    store: Connection, user_id: int, since: int, cutoff: datetime
) -> list[tuple[str, str]]:
    """(table, key) of rows the replica must drop: deleted in the store, or activities changed
    so that this user may no longer see them."""
    tables = _tables()
    activities = tables["activities"]
    gone = [
        (row.table_name, row.row_key)
        for row in store.execute(
            select(DeletedRow.table_name, DeletedRow.row_key).where(DeletedRow.change_seq > since)
        )
    ]
    if since:
        changed = _changed_activities(tables, since)
        hidden = store.scalars(
            select(activities.c.id).where(
                activities.c.id.in_(select(changed.c.id)),
                not_(_visible(activities, user_id, cutoff)),
            )
        )
        gone.extend(("activities", str(activity_id)) for activity_id in hidden)
    return gone


def unsettled(replica: Connection) -> dict[int, int | None]:
    """Provisional id -> store id, for rows the store has answered for and the replica still
    holds under their provisional ids."""
    return dict(
        replica.execute(
            select(ReplicaIdMap.provisional_id, ReplicaIdMap.server_id).where(
                ReplicaIdMap.settled == false()
            )
        ).all()
    )


def repoint_local(local: Connection, targets: dict[int, int | None]) -> None:
    """The local mailbox cache names activities and records by id: name the store's ones."""
    for model, column in (
        (MailItem, "activity_id"),
        (MailItem, "regarding_id"),
        (EvaluatedMessage, "activity_id"),
        (ActivityLink, "activity_id"),
    ):
        _repoint(local, model.__table__, column, targets)


def _repoint_replica(replica: Connection, targets: dict[int, int | None]) -> None:
    for table in _tables().values():
        for column in table.columns:
            # A subtype row's id is its base row's: it goes with the provisional base row.
            if column.foreign_keys and not column.primary_key:
                _repoint(replica, table, column.name, targets)


def _repoint(
    connection: Connection, table: Table, column: str, targets: dict[int, int | None]
) -> None:
    used = (
        connection.execute(
            select(table.c[column]).where(table.c[column].in_(list(targets))).distinct()
        )
        .scalars()
        .all()
    )
    for provisional in used:
        connection.execute(
            update(table)
            .where(table.c[column] == provisional)
            .values({column: targets[provisional]})
        )


def refresh(store: Engine, replica: Engine, local: Engine | None, user_id: int) -> RefreshReport:
    started = time.monotonic()
    watermark = store_watermark(store)
    with replica.connect() as connection:
        since = int(read_state(connection, "watermark", 0))
    cutoff = datetime.now(UTC) - timedelta(days=REPLICA_DAYS)
    with store.connect() as connection, connection.begin():
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        rows = _fetch(connection, user_id, since, cutoff)
        gone = _hidden_or_deleted(connection, user_id, since, cutoff)
    if local is not None:
        with replica.connect() as connection:
            targets = unsettled(connection)
        if targets:
            with local.begin() as local_connection:
                repoint_local(local_connection, targets)
    with replica.begin() as connection:
        # The driver opens the transaction at the first write, and the pragma lasts until that
        # transaction ends: write first, so references are checked once, at commit.
        write_state(connection, "watermark", watermark)
        connection.execute(text("PRAGMA defer_foreign_keys = ON"))
        targets = unsettled(connection)
        _repoint_replica(connection, targets)
        _drop_provisional(connection, list(targets))
        deleted = _drop(connection, gone)
        _yield_unique_keys(connection, rows)
        written = _upsert(connection, rows)
        _prune(connection, cutoff)
    return RefreshReport(written, deleted, time.monotonic() - started)


def _drop_provisional(connection: Connection, provisional: list[int]) -> None:
    if not provisional:
        return
    for table in (
        Record.__table__,
        Activity.__table__,
        *(
            Base.metadata.tables[name]
            for name in (
                "email_addresses",
                "activity_parties",
                "activity_mailboxes",
                "record_changes",
            )
        ),
    ):
        connection.execute(delete(table).where(table.c.id.in_(provisional)))
    connection.execute(
        update(ReplicaIdMap.__table__)
        .where(ReplicaIdMap.provisional_id.in_(provisional))
        .values(settled=True)
    )


def _drop(connection: Connection, gone: list[tuple[str, str]]) -> int:
    tables = _tables()
    count = 0
    for table_name, key in gone:
        table = tables.get(table_name)
        if table is None:
            continue
        pk = table.primary_key.columns.values()[0]
        value: Any = key if table_name == "org_settings" else int(key)
        count += connection.execute(delete(table).where(pk == value)).rowcount or 0
    return count


def _yield_unique_keys(connection: Connection, rows: dict[str, list[Any]]) -> None:
    """A row this client made offline and has not sent yet may carry the Message-ID or
    auto-created address of a row another client sent first. In the replica the store's row
    takes the key; the unsent row keeps its outbox entry, which folds into that row on push."""
    for name, column in (("email_activities", "message_id"), ("records", "auto_created_for")):
        values = [row[column] for row in rows.get(name, ()) if row.get(column)]
        table = Base.metadata.tables[name]
        for chunk in in_chunks(values):
            connection.execute(
                update(table)
                .where(table.c[column].in_(chunk))
                .where(table.c.id >= PROVISIONAL_BASE)
                .values({column: None})
            )


def _upsert(connection: Connection, rows: dict[str, list[Any]]) -> int:
    written = 0
    for table in Base.metadata.sorted_tables:
        batch = rows.get(table.name)
        if not batch:
            continue
        pk = [column.name for column in table.primary_key.columns]
        statement = sqlite.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=pk,
            set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in pk},
        )
        for start in range(0, len(batch), 5000):
            connection.execute(statement, batch[start : start + 5000])
        written += len(batch)
    return written


def _prune(connection: Connection, cutoff: datetime) -> None:
    """Activities that aged out of the window leave the replica (not the store)."""
    activities = Activity.__table__
    connection.execute(
        delete(activities).where(
            activities.c.created_at < cutoff, activities.c.id < PROVISIONAL_BASE
        )
    )
