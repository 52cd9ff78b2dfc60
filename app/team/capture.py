"""Recording every write to a team client's replica as outbox entries.

Mapper events see each row the ORM inserts, updates or deletes (orphans and cascades included);
after each flush the collected changes go into the `replica_outbox` row of the session's
transaction, in that transaction: a change is never in the replica without its entry, nor the
entry without the change, and one local transaction reaches the store as one transaction. Rows
created in the replica get provisional ids from PROVISIONAL_BASE up (blocks per process), which
the shared store, whose ids are 32-bit, never hands out: a refresh cannot collide with them.

Writes the replica's own bookkeeping makes (refresh, id remapping) go through Core statements,
which no mapper event sees, so they are never sent back.
"""

from __future__ import annotations

import functools
import threading
import uuid
import weakref
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, Numeric, Result, event, select, text
from sqlalchemy.orm import Mapper, ORMExecuteState, Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.sql.schema import Column

from app.crm.models import REPLICATED_TABLES, Base, ReplicaOutboxEntry

PROVISIONAL_BASE = 1 << 40
PROVISIONAL_BLOCK = 1000
# Rows a replica pushes that it never refreshes (the store keeps them; see app.team.apply).
PUSH_ONLY_TABLES = frozenset({"issued_tokens"})
# Maintained by the store (defaults, triggers): an offline edit never carries them.
STORE_COLUMNS = frozenset({"version", "created_at", "modified_at", "change_seq"})
_PENDING = "team_changes"
_ENTRY = "team_entry"  # (outbox entry id, its changes) of the session's transaction

_replicas: weakref.WeakSet[Engine] = weakref.WeakSet()
_blocks: weakref.WeakKeyDictionary[Engine, list[int]] = weakref.WeakKeyDictionary()
_blocks_lock = threading.Lock()


def capture_writes(engine: Engine) -> None:
    """From now on, record every ORM write through `engine` (a replica) in its outbox."""
    _replicas.add(engine)


def is_replica(connection: Connection) -> bool:
    return connection.engine in _replicas


def captured(mapper: Mapper[Any]) -> bool:
    table = mapper.base_mapper.local_table.name  # type: ignore[attr-defined]
    return table in REPLICATED_TABLES or table in PUSH_ONLY_TABLES


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        # Naive values (SQLite) are UTC; aware ones (PostgreSQL) are made UTC, so one moment
        # always encodes to one string and a merge can compare them.
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, Numeric) and column.type.asdecimal is not False:
        return Decimal(value)
    return value


def _next_provisional_id(connection: Connection) -> int:
    with _blocks_lock:
        block = _blocks.get(connection.engine)
        if not block or block[0] >= block[1]:
            # One statement takes the block, so two processes on one replica never share ids.
            start = int(
                connection.execute(
                    text(
                        "UPDATE replica_state SET value = CAST(value AS INTEGER) + :size "
                        "WHERE key = 'next_provisional' RETURNING CAST(value AS INTEGER) - :size"
                    ),
                    {"size": PROVISIONAL_BLOCK},
                ).scalar_one()
            )
            block = [start, start + PROVISIONAL_BLOCK]
            _blocks[connection.engine] = block
        value = block[0]
        block[0] += 1
        return value


def _columns(mapper: Mapper[Any]) -> list[tuple[str, Column[Any]]]:
    """(attribute key, column) for every column of every table of the mapper."""
    pairs = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            if isinstance(column, Column) and column.table in mapper.tables:
                pairs.append((prop.key, column))
    return pairs


def _key(mapper: Mapper[Any], target: Any) -> Any:
    return getattr(target, mapper.primary_key[0].key)


def _pending(connection: Connection) -> list[dict[str, Any]]:
    return connection.info.setdefault(_PENDING, [])


@event.listens_for(Base, "before_insert", propagate=True)
def _provisional_id(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if not is_replica(connection) or not captured(mapper):
        return
    pk = mapper.primary_key[0]
    if pk.name == "id" and getattr(target, pk.key) is None:
        setattr(target, pk.key, _next_provisional_id(connection))


@event.listens_for(Base, "after_insert", propagate=True)
def _inserted(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if not is_replica(connection) or not captured(mapper):
        return
    state = instance_state(target)
    tables: dict[str, dict[str, Any]] = {}
    for key, column in _columns(mapper):
        if column.name in STORE_COLUMNS or key not in state.dict:
            continue  # left to the store's defaults
        tables.setdefault(column.table.name, {})[column.name] = encode(state.dict[key])  # type: ignore[attr-defined]
    _pending(connection).append(
        {
            "op": "insert",
            "class": type(target).__name__,
            "key": _key(mapper, target),
            "tables": tables,
        }
    )


@event.listens_for(Base, "after_update", propagate=True)
def _updated(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if not is_replica(connection) or not captured(mapper):
        return
    state = instance_state(target)
    fields: dict[str, dict[str, Any]] = {}
    for key, column in _columns(mapper):
        if column.name in STORE_COLUMNS or column.primary_key:
            continue
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        change: dict[str, Any] = {"new": encode(history.added[0]) if history.added else None}
        if history.deleted:  # absent when the old value was never loaded: base unknown
            change["base"] = encode(history.deleted[0])
        fields.setdefault(column.table.name, {})[column.name] = change  # type: ignore[attr-defined]
    if fields:
        _pending(connection).append(
            {
                "op": "update",
                "class": type(target).__name__,
                "key": _key(mapper, target),
                "version": state.dict.get("version"),
                "fields": fields,
            }
        )


@event.listens_for(Base, "after_delete", propagate=True)
def _deleted(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if not is_replica(connection) or not captured(mapper):
        return
    _pending(connection).append(
        {"op": "delete", "class": type(target).__name__, "key": _key(mapper, target)}
    )


@event.listens_for(Session, "before_flush")
def _fresh_flush(session: Session, _context: Any, _instances: Any) -> None:
    # A flush that failed half-way may have left changes behind; they were rolled back.
    if session.bind is not None and session.bind in _replicas:  # type: ignore[operator]
        session.connection().info.pop(_PENDING, None)


@event.listens_for(Session, "after_flush")
def _write_entry(session: Session, _context: Any) -> None:
    if session.bind is None or session.bind not in _replicas:  # type: ignore[operator]
        return
    connection = session.connection()
    _record(session, connection, connection.info.pop(_PENDING, None) or [])


def _record(session: Session, connection: Connection, changes: list[dict[str, Any]]) -> None:
    """Add changes to the outbox entry of the session's transaction (made on first use)."""
    if not changes:
        return
    entry = session.info.get(_ENTRY)
    if entry is None:
        session.info[_ENTRY] = (_write_changes(connection, changes), changes)
        return
    entry_id, so_far = entry
    so_far.extend(changes)
    connection.execute(
        ReplicaOutboxEntry.__table__.update()
        .where(ReplicaOutboxEntry.__table__.c.id == entry_id)
        .values(changes={"at": datetime.now(UTC).isoformat(), "changes": so_far})
    )


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_ENTRY, None)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    # A savepoint rolled back took the entry's last update with it: later flushes of the
    # transaction start an entry of their own.
    session.info.pop(_ENTRY, None)


@event.listens_for(Session, "do_orm_execute")
def _bulk_write(state: ORMExecuteState) -> Result[Any] | None:
    """An ORM UPDATE or DELETE by criteria (no objects, no flush) on a replicated table: the
    rows it hits are read before and after, and what changed becomes an outbox entry."""
    session = state.session
    mapper = state.bind_mapper
    if (
        not (state.is_update or state.is_delete)
        or session.bind is None
        or session.bind not in _replicas  # type: ignore[operator]
        or mapper is None
        or not captured(mapper)
    ):
        return None
    connection = session.connection()
    columns = _columns(mapper)
    pk = mapper.primary_key[0]
    where = state.statement.whereclause  # type: ignore[attr-defined]
    query = select(*(column for _, column in columns)).select_from(mapper.persist_selectable)
    before = {
        row[pk.name]: row
        for row in connection.execute(query.where(where) if where is not None else query)
        .mappings()
        .all()
    }
    result = state.invoke_statement()
    if not before:
        return result
    changes: list[dict[str, Any]] = []
    name = mapper.class_.__name__
    if state.is_delete:
        changes = [{"op": "delete", "class": name, "key": key} for key in before]
    else:
        after = connection.execute(query.where(pk.in_(list(before)))).mappings().all()
        for row in after:
            old = before[row[pk.name]]
            fields: dict[str, dict[str, Any]] = {}
            for _, column in columns:
                if column.name in STORE_COLUMNS or old[column.name] == row[column.name]:
                    continue
                fields.setdefault(column.table.name, {})[column.name] = {  # type: ignore[attr-defined]
                    "base": encode(old[column.name]),
                    "new": encode(row[column.name]),
                }
            if fields:
                changes.append(
                    {
                        "op": "update",
                        "class": name,
                        "key": row[pk.name],
                        "version": old.get("version"),
                        "fields": fields,
                    }
                )
    _record(session, connection, changes)
    return result


def _write_changes(connection: Connection, changes: list[dict[str, Any]]) -> int:
    """A new outbox entry with these changes; its id."""
    return int(
        connection.execute(
            ReplicaOutboxEntry.__table__.insert()
            .values(
                key=uuid.uuid4().hex,
                changes={"at": datetime.now(UTC).isoformat(), "changes": changes},
                state="pending",
                attempts=0,
            )
            .returning(ReplicaOutboxEntry.__table__.c.id)
        ).scalar_one()
    )


@functools.cache  # called for every change a push applies
def model_class(name: str) -> type[Any]:
    for mapper in Base.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(name)
