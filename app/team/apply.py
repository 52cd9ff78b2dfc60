"""Applying a team client's outbox entries to the shared store, each exactly once.

One entry, one transaction on the store. The entry's idempotency key goes into
`applied_changes` first (INSERT ... ON CONFLICT DO NOTHING): when it is there already, the entry
was applied before (the client crashed or lost the connection before hearing so) and the stored
result is returned instead of applying anything again.

What the store enforces here, for clients racing each other or replaying offline work:
- one email activity per Internet Message-ID: the activity row is inserted with
  ON CONFLICT (message_id) DO NOTHING inside a savepoint; on a conflict the client's row folds
  into the existing activity (its parties are dropped, its mailbox link is added to it);
- one automatically created record per address: `records.auto_created_for` is unique, inserted
  with ON CONFLICT DO NOTHING; the loser's record, its addresses and every reference to it fold
  into the winner's;
- mailbox links are unique per activity and mailbox (ON CONFLICT DO NOTHING);
- edits are merged field by field against the row as it is now (app.team.merge), under a row
  lock, and losing values are kept in `record_history`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from app.crm.models import AppliedChange, EmailAddress, Record, RecordHistory
from app.team.capture import PROVISIONAL_BASE, decode, encode, model_class
from app.team.merge import merge_field


class ApplyError(Exception):
    """An entry cannot be applied for a reason of its own (not a lost connection)."""


@dataclass
class IdMap:
    """Provisional id -> (store id or None when the row was dropped, folded into another)."""

    ids: dict[int, tuple[int | None, bool]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        if not isinstance(value, int) or value < PROVISIONAL_BASE:
            return value
        if value not in self.ids:
            raise ApplyError(f"refers to row {value}, which the store has not received")
        return self.ids[value][0]

    def folded(self, value: Any) -> bool:
        return isinstance(value, int) and value in self.ids and self.ids[value][1]


def _insert(connection: Connection, table: Table) -> Insert:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)  # type: ignore[no-any-return]


def lock_unique_keys(connection: Connection, payloads: list[dict[str, Any]]) -> None:
    """Take, in one global order, a lock per Message-ID and auto-created address the entries
    insert. Two clients inserting the same keys in different orders would otherwise each wait
    for the other's uncommitted row (a deadlock); this way the second waits for the first."""
    if connection.dialect.name != "postgresql":
        return  # SQLite has one writer at a time
    keys = sorted(
        {
            value
            for payload in payloads
            for change in payload["changes"]
            if change["op"] == "insert"
            for table, column in _LOCKED_KEYS
            if (value := change["tables"].get(table, {}).get(column))
        }
    )
    if keys:
        connection.execute(
            text(
                "SELECT pg_advisory_xact_lock(:space, h) FROM "
                "(SELECT DISTINCT hashtext(k) AS h FROM unnest(CAST(:keys AS text[])) AS k "
                "ORDER BY h) AS ordered"
            ),
            {"space": KEY_LOCK_SPACE, "keys": keys},
        )


def apply_entry(
    connection: Connection,
    key: str,
    payload: dict[str, Any],
    known: IdMap,
    user_id: int | None,
) -> dict[str, list[Any]]:
    """Apply one entry in the caller's transaction; returns {provisional id: [id, folded]}."""
    claimed = connection.execute(
        _insert(connection, AppliedChange.__table__)
        .values(key=key, applied_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(AppliedChange.key)
    ).first()
    if claimed is None:
        stored = connection.scalar(select(AppliedChange.result).where(AppliedChange.key == key))
        return dict((stored or {}).get("ids", {}))
    edited_at = datetime.fromisoformat(payload["at"])
    applier = _Applier(connection, known, user_id, edited_at)
    for change in payload["changes"]:
        applier.apply(change)
    result = {str(k): [v, folded] for k, (v, folded) in applier.new_ids.items()}
    connection.execute(
        update(AppliedChange.__table__)
        .where(AppliedChange.key == key)
        .values(result={"ids": result})
    )
    return result


@dataclass
class _Applier:
    connection: Connection
    known: IdMap
    user_id: int | None
    edited_at: datetime
    new_ids: dict[int, tuple[int | None, bool]] = field(default_factory=dict)

    def _remember(self, provisional: Any, server: int | None, folded: bool) -> None:
        if isinstance(provisional, int) and provisional >= PROVISIONAL_BASE:
            self.new_ids[provisional] = (server, folded)
            self.known.ids[provisional] = (server, folded)

    def apply(self, change: dict[str, Any]) -> None:
        mapper = model_class(change["class"]).__mapper__
        tables: list[Table] = list(mapper.tables)
        if change["op"] == "insert":
            self._insert(change, tables)
        elif change["op"] == "update":
            self._update(change, tables)
        else:
            self._delete(change, tables[0])

    # Inserts

    def _values(self, table: Table, raw: dict[str, Any]) -> dict[str, Any]:
        values = {}
        for name, value in raw.items():
            column = table.c[name]
            decoded = decode(column, value)
            values[name] = self.known.resolve(decoded) if column.foreign_keys else decoded
        return values

    def _insert(self, change: dict[str, Any], tables: list[Table]) -> None:
        base = tables[0]
        raw = change["tables"]
        provisional = change["key"]
        parent = _PARENT.get(base.name)
        if parent and self.known.folded(raw.get(base.name, {}).get(parent)):
            self._remember(provisional, None, True)  # a child of a row that folded away
            return
        if "id" not in base.c or not isinstance(provisional, int):
            self._insert_keyed(base, self._values(base, raw.get(base.name, {})))
            return
        values = self._values(base, {k: v for k, v in raw[base.name].items() if k != "id"})
        if _owned(values) and values.get("owner_id") is None:
            values["owner_id"] = self.user_id  # every record and activity has an owner
        if base.name == "records" and values.get("auto_created_for"):
            existing = self._record_for_address(values["auto_created_for"])
            if existing is not None:
                self._remember(provisional, existing, True)
                return
        # Base row, then subtype rows; a conflict on any of them (another client's row with
        # the same Message-ID or auto-created address) undoes this row and folds it into that one.
        conflict: tuple[Table, dict[str, Any]] | None = None
        # Only a subtype row with a unique key (an email's Message-ID) can conflict after its
        # base row is in: only then is a savepoint worth its round trips.
        undoable = any(table.name in _UNIQUE for table in tables[1:])
        savepoint = self.connection.begin_nested() if undoable else None
        new_id = self._insert_row(base, values)
        if new_id is None:
            conflict = (base, values)
        for table in tables[1:] if new_id is not None else ():
            own = {k: v for k, v in raw.get(table.name, {}).items() if k != "id"}
            child = self._values(table, own) | {"id": new_id}
            if self._insert_row(table, child) is None:
                conflict = (table, child)
                break
        if conflict is None:
            if savepoint is not None:
                savepoint.commit()
            self._remember(provisional, new_id, False)
            return
        if savepoint is not None:
            savepoint.rollback()
        table, row = conflict
        self._fold(provisional, table, {name: row[name] for name in _UNIQUE[table.name]})

    def _insert_row(self, table: Table, values: dict[str, Any]) -> Any:
        """Insert; the new row's id, or None when it would break the table's unique key."""
        # Values go as parameters, not into the statement, so its compiled form is cached.
        statement = _insert(self.connection, table)
        unique = _UNIQUE.get(table.name)
        if unique and all(values.get(name) is not None for name in unique):
            statement = statement.on_conflict_do_nothing(index_elements=list(unique))
        return self.connection.execute(statement.returning(table.c.id), values).scalar()

    def _fold(self, provisional: int, table: Table, unique_values: dict[str, Any]) -> None:
        """The row conflicts with one the store has: this client's row becomes that one."""
        existing = self.connection.scalar(
            select(table.c.id).where(and_(*(table.c[k] == v for k, v in unique_values.items())))
        )
        self._remember(provisional, existing, True)

    def _record_for_address(self, normalized: str) -> int | None:
        """A record the store has for this address already (made by hand or by anyone's
        auto-creation): the oldest, as matching picks it."""
        return self.connection.scalar(
            select(Record.__table__.c.id)
            .join(
                EmailAddress.__table__, EmailAddress.__table__.c.record_id == Record.__table__.c.id
            )
            .where(EmailAddress.__table__.c.normalized == normalized)
            .order_by(Record.__table__.c.created_at, Record.__table__.c.id)
            .limit(1)
        )

    def _insert_keyed(self, table: Table, values: dict[str, Any]) -> None:
        """Org settings and issued tokens, keyed by name: the newest setting wins, a token
        issued twice stays one."""
        statement = _insert(self.connection, table).values(values)
        if table.name == "org_settings":
            statement = statement.on_conflict_do_update(
                index_elements=["key"], set_={"value": statement.excluded.value}
            )
        else:
            statement = statement.on_conflict_do_nothing()
        self.connection.execute(statement)

    # Updates

    def _update(self, change: dict[str, Any], tables: list[Table]) -> None:
        base = tables[0]
        pk = base.primary_key.columns.values()[0]
        target = self.known.resolve(change["key"])
        if target is None:
            return  # an edit of a row that folded away or was dropped: nothing of it is left
        fields: dict[str, dict[str, Any]] = change["fields"]
        locked = (
            self.connection.execute(select(base).where(pk == target).with_for_update())
            .mappings()
            .first()
        )
        if locked is None:
            return  # deleted in the store meanwhile; the deletion wins
        same_version = "version" not in base.c or locked["version"] == change.get("version")
        stamped = "modified_at" in base.c and locked["modified_at"] is not None
        client_later = not stamped or self.edited_at >= _utc(locked["modified_at"])
        wrote = False
        for table in tables:
            wanted = fields.get(table.name)
            if not wanted:
                continue
            row = locked if table is base else self._lock(table, target)
            if row is None:
                continue
            writes: dict[str, Any] = {}
            for name, field_change in wanted.items():
                column = table.c[name]
                if column.foreign_keys:
                    field_change = self._resolved(field_change)
                current = encode(row[name])
                merged = merge_field(current, field_change, same_version, client_later)
                if merged.write:
                    writes[name] = decode(column, merged.value)
                if merged.conflict:
                    self._keep_lost(
                        table, target, name, merged.lost, merged.value, merged.client_lost
                    )
            if writes:
                self.connection.execute(
                    update(table).where(table.c[pk.name] == target).values(writes)
                )
                wrote = True
        if wrote and stamped and client_later:
            self.connection.execute(
                update(base).where(pk == target).values(modified_at=self.edited_at)
            )

    def _resolved(self, change: dict[str, Any]) -> dict[str, Any]:
        resolved = {"new": self.known.resolve(change["new"])}
        if "base" in change:
            resolved["base"] = self.known.resolve(change["base"])
        return resolved

    def _lock(self, table: Table, target: Any) -> Any:
        pk = table.primary_key.columns.values()[0]
        return (
            self.connection.execute(select(table).where(pk == target).with_for_update())
            .mappings()
            .first()
        )

    def _keep_lost(
        self, table: Table, row_id: Any, name: str, lost: Any, kept: Any, client_lost: bool
    ) -> None:
        self.connection.execute(
            RecordHistory.__table__.insert().values(
                table_name=table.name,
                row_id=row_id,
                field=name,
                lost_value=lost,
                kept_value=kept,
                lost_by_id=self.user_id if client_lost else None,
                edited_at=self.edited_at if client_lost else None,
                merged_at=datetime.now(UTC),
            )
        )

    # Deletes

    def _delete(self, change: dict[str, Any], base: Table) -> None:
        if self.known.folded(change["key"]):
            return  # this client's copy folded into another's row, which stays
        target = self.known.resolve(change["key"])
        if target is None:
            return
        pk = base.primary_key.columns.values()[0]
        self.connection.execute(base.delete().where(pk == target))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# The column naming the row a child row belongs to: a child of a folded row is dropped (the
# row it folded into has its own addresses, parties and history).
_PARENT = {
    "email_addresses": "record_id",
    "activity_parties": "activity_id",
    "record_changes": "record_id",
}


def _owned(values: dict[str, Any]) -> bool:
    """Rows that belong to someone: records (users excepted: they own) and activities."""
    return values.get("type") not in (None, "user", "queue")


# The values two clients may insert at once, locked first (see lock_unique_keys), in a lock
# space of their own (two-number advisory locks never meet the one-number ones).
_LOCKED_KEYS = (("email_activities", "message_id"), ("records", "auto_created_for"))
KEY_LOCK_SPACE = 7021

# The unique key a racing client's insert may hit, per table.
_UNIQUE: dict[str, tuple[str, ...]] = {
    "records": ("auto_created_for",),
    "email_activities": ("message_id",),
    "email_addresses": ("record_id", "normalized"),
    "activity_mailboxes": ("activity_id", "mailbox"),
}
