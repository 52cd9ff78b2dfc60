"""A profile's link to a team's shared CRM store: settings, password, replica, sync.

The profile's settings hold the store's URL without its password (`crm_url`); the password is
in the keyring under the profile, keyed by that URL. The replica is a SQLite file beside the
local state. `TeamLink.sync()` pushes the outbox, then refreshes the replica; when the store
cannot be reached it says so and changes wait in the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session

from app.config import TEAM_REPLICA_FILE, ProfilePaths
from app.crm.errors import CrmError
from app.crm.models import ReplicaIdMap, ReplicaOutboxEntry
from app.crm.records import user_for_address
from app.db import Database, DatabaseError, open_database
from app.db.engine import make_engine
from app.db.upgrade import upgrade
from app.secrets import SecretStoreUnavailable, delete_secret, load_secret, store_secret
from app.team.apply import ApplyError, IdMap, apply_entry, lock_unique_keys
from app.team.capture import PROVISIONAL_BASE, capture_writes
from app.team.replica import RefreshReport, refresh

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Entries applied in one store transaction (each still keeps its own idempotency key), and how
# often an entry is tried again when the store aborted it for a deadlock with another client.
PUSH_BATCH = 25
RETRIES = 3
# Deadlock detected, serialization failure: another client's transaction crossed ours.
RETRYABLE_STATES = frozenset({"40P01", "40001"})
# Creating system users takes this lock, so two clients never give out one user number.
USER_LOCK = 7_020_002
REPLICA_FILE = TEAM_REPLICA_FILE


class StoreUnreachable(CrmError):
    """The team's store cannot be reached now; work goes on against the replica."""


@dataclass(frozen=True, slots=True)
class TeamSyncReport:
    online: bool
    message: str
    pushed: int = 0
    failed: int = 0
    refreshed: RefreshReport | None = None
    pending: int = 0


def team_url(settings: dict[str, Any]) -> str | None:
    """The shared store's URL (no password) when the profile is in a team, else None."""
    url = settings.get("crm_url")
    if isinstance(url, str) and url.startswith("postgresql"):
        return url
    return None


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password; a clear message for a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise CrmError(f"Not a database URL: {url!r}") from exc
    if parsed.get_backend_name() != "postgresql":
        raise CrmError(
            f"A team CRM lives on PostgreSQL (postgresql://...), not {parsed.drivername}"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    password = parsed.password
    bare = URL.create(
        parsed.drivername,
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        parsed.query,
    )
    return bare.render_as_string(hide_password=False), (
        str(password) if password is not None else None
    )


def secret_key(url: str) -> str:
    return f"crm-store:{url}"


def store_url_with_password(paths: ProfilePaths, url: str) -> URL:
    parsed = make_url(url)
    try:
        password = load_secret(paths, secret_key(url))
    except SecretStoreUnavailable:
        # A store that needs no password from us (trust, .pgpass, Kerberos) works without a
        # keyring; one that does fails to connect with PostgreSQL's own clear message.
        password = None
    return parsed.set(password=password) if password else parsed


def replica_url(paths: ProfilePaths) -> str:
    return f"sqlite:///{paths.team_replica}"


class TeamLink:
    def __init__(self, paths: ProfilePaths, url: str, replica: Database) -> None:
        self.paths = paths
        self.url = url
        self.replica = replica
        self._store: Engine | None = None
        self._migrated = False

    @classmethod
    def open(cls, paths: ProfilePaths, url: str, made_on: str | None = None) -> TeamLink:
        """`made_on`: when the profile made its replica (it must then still be there)."""
        replica = open_database(replica_url(paths), "crm", made_on)
        capture_writes(replica.engine)
        with replica.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO replica_state (key, value) VALUES ('next_provisional', :start) "
                    "ON CONFLICT (key) DO NOTHING"
                ),
                {"start": PROVISIONAL_BASE},
            )
        return cls(paths, url, replica)

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
        self.replica.dispose()

    # The shared store

    def store(self) -> Engine:
        """The store's engine, migrated once per process; StoreUnreachable when it is down."""
        if self._store is None:
            url = store_url_with_password(self.paths, self.url)
            try:
                self._store = make_engine(url.render_as_string(hide_password=False))
            except ImportError as exc:
                raise CrmError(
                    "A team CRM needs the PostgreSQL driver: pip install 'psycopg[binary]'"
                ) from exc
        if not self._migrated:
            try:
                upgrade(self._store, "crm")
            except DatabaseError as exc:
                raise StoreUnreachable(f"The team CRM cannot be reached: {exc}") from exc
            self._migrated = True
        return self._store

    def ensure_user(self, address: str, name: str) -> tuple[int, str, int]:
        """The store's system user for this address, created when there is none yet."""
        try:
            with Session(self.store()) as session, session.begin():
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": USER_LOCK})
                user = user_for_address(session, address, name)
                return user.id, user.name, user.user_number
        except OperationalError as exc:
            raise StoreUnreachable(f"The team CRM cannot be reached: {exc.orig}") from exc

    # Sync

    def pending(self) -> int:
        with self.replica.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(ReplicaOutboxEntry)
                    .where(ReplicaOutboxEntry.state == "pending")
                )
                or 0
            )

    def sync(self, user_id: int | None, local: Engine | None = None) -> TeamSyncReport:
        """Push the outbox, then refresh the replica; never raises for an unreachable store."""
        try:
            pushed, failed = self.push(user_id)
            refreshed = refresh(self.store(), self.replica.engine, local, user_id or 0)
        except (StoreUnreachable, OperationalError) as exc:
            if self._store is not None:
                self._store.dispose()
            reason = exc.orig if isinstance(exc, OperationalError) else exc
            return TeamSyncReport(
                False, f"Team CRM offline: {reason}".strip(), pending=self.pending()
            )
        except SQLAlchemyError as exc:
            # Not the connection: the next sync tries again; mail sync must go on meanwhile.
            log.exception("Team CRM sync failed")
            return TeamSyncReport(
                False, f"Team CRM sync failed: {exc.__class__.__name__}", pending=self.pending()
            )
        return TeamSyncReport(
            True,
            f"Team CRM: {pushed} transaction(s) sent, {refreshed.rows} row(s) received",
            pushed=pushed,
            failed=failed,
            refreshed=refreshed,
            pending=self.pending(),
        )

    def push(self, user_id: int | None) -> tuple[int, int]:
        """Apply pending outbox entries in order, a batch per store transaction."""
        store = self.store()
        with self.replica.sessions() as session:
            known = IdMap(
                {
                    row.provisional_id: (row.server_id, row.duplicate)
                    for row in session.scalars(select(ReplicaIdMap))
                }
            )
            entries = list(
                session.execute(
                    select(
                        ReplicaOutboxEntry.id, ReplicaOutboxEntry.key, ReplicaOutboxEntry.changes
                    )
                    .where(ReplicaOutboxEntry.state == "pending")
                    .order_by(ReplicaOutboxEntry.id)
                )
            )
        pushed = failed = 0
        for start in range(0, len(entries), PUSH_BATCH):
            batch = entries[start : start + PUSH_BATCH]
            before = dict(known.ids)
            try:
                with store.begin() as connection:
                    lock_unique_keys(connection, [changes for _, _, changes in batch])
                    results = [
                        apply_entry(connection, key, changes, known, user_id)
                        for _, key, changes in batch
                    ]
            except (ApplyError, DBAPIError) as exc:
                if _unreachable(exc):
                    raise
                # One entry spoilt the batch, or another client's batch crossed it: apply them
                # one at a time, so the good ones go and the bad one is counted alone.
                known.ids = before
                done, bad = self._push_one_by_one(store, batch, known, user_id)
                pushed, failed = pushed + done, failed + bad
                continue
            self._done(
                [
                    (entry_id, result)
                    for (entry_id, _, _), result in zip(batch, results, strict=True)
                ]
            )
            pushed += len(batch)
        return pushed, failed

    def _push_one_by_one(
        self, store: Engine, batch: list[Any], known: IdMap, user_id: int | None
    ) -> tuple[int, int]:
        pushed = failed = 0
        for entry_id, key, changes in batch:
            for attempt in range(1, RETRIES + 1):
                before = dict(known.ids)
                try:
                    with store.begin() as connection:
                        lock_unique_keys(connection, [changes])
                        result = apply_entry(connection, key, changes, known, user_id)
                except (ApplyError, DBAPIError) as exc:
                    known.ids = before
                    if _unreachable(exc):
                        raise
                    if _retryable(exc) and attempt < RETRIES:
                        continue
                    failed += 1
                    self._failed(entry_id, str(getattr(exc, "orig", None) or exc))
                    break
                self._done([(entry_id, result)])
                pushed += 1
                break
        return pushed, failed

    def _done(self, results: list[tuple[int, dict[str, list[Any]]]]) -> None:
        with self.replica.engine.begin() as connection:
            for entry_id, result in results:
                for provisional, (server_id, duplicate) in result.items():
                    connection.execute(
                        text(
                            "INSERT INTO replica_ids (provisional_id, server_id, duplicate, "
                            "settled) VALUES (:p, :s, :d, 0) ON CONFLICT (provisional_id) "
                            "DO NOTHING"
                        ),
                        {"p": int(provisional), "s": server_id, "d": bool(duplicate)},
                    )
                connection.execute(
                    update(ReplicaOutboxEntry.__table__)
                    .where(ReplicaOutboxEntry.id == entry_id)
                    .values(state="done", done_at=datetime.now(UTC), last_error=None)
                )

    def _failed(self, entry_id: int, reason: str) -> None:
        with self.replica.engine.begin() as connection:
            table = ReplicaOutboxEntry.__table__
            attempts = connection.scalar(select(table.c.attempts).where(table.c.id == entry_id))
            attempts = int(attempts or 0) + 1
            connection.execute(
                update(table)
                .where(table.c.id == entry_id)
                .values(
                    attempts=attempts,
                    last_error=reason[:2000],
                    state="failed" if attempts >= MAX_ATTEMPTS else "pending",
                )
            )


def remember_password(paths: ProfilePaths, url: str, password: str | None) -> None:
    if password:
        store_secret(paths, secret_key(url), password)


def forget_password(paths: ProfilePaths, url: str) -> None:
    delete_secret(paths, secret_key(url))


def _retryable(exc: Exception) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRYABLE_STATES


def _unreachable(exc: Exception) -> bool:
    """A lost or refused connection (offline), as opposed to the store refusing the change."""
    return isinstance(exc, OperationalError) and not _retryable(exc)
