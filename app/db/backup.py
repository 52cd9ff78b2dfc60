"""A copy of a SQLite database before its schema is upgraded, and the way back if the upgrade fails.

A newer Liaison on an older profile migrates the database on start. Before that, the file is
copied to `backups/` beside it; if the migration fails, the copy goes back in place, and so does
the copy of any other database of the profile that this start had already upgraded: the profile
is exactly as the previous version left it, and that version can still open it. Only the last
few copies of each database are kept.

A shared PostgreSQL CRM is not copied: its migration runs in one transaction, which PostgreSQL
rolls back whole, and copies of a server's database are its administrator's business.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app import __version__
from app.db.engine import DatabaseError

BACKUP_DIR = "backups"
KEEP = 5
SUFFIX = ".sqlite3"
CHECKPOINT_WAIT_S = 2.0

log = logging.getLogger(__name__)

Upgrade = Callable[[Engine, str], None]


class MigrationFailed(DatabaseError):
    """An upgrade of the schema failed; the message says what became of the data."""


@dataclass(frozen=True, slots=True)
class Upgraded:
    engine: Engine
    database: Path
    backup: Path


# The databases this process has upgraded: when a later one of the same profile (the same
# folder) fails, these go back too, or the previous version would find half its profile newer.
_upgraded: list[Upgraded] = []


def sqlite_file(engine: Engine) -> Path | None:
    """The database file behind `engine`, or None for a server or an in-memory database."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def backups_of(database: Path) -> list[Path]:
    """This database's backups, oldest first (the names sort by time)."""
    folder = database.parent / BACKUP_DIR
    return sorted(folder.glob(f"{database.stem}-*{SUFFIX}"))


def make_backup(database: Path, revision: str, keep: int = KEEP) -> Path:
    """Copy `database` to backups/NAME-rREVISION-TIME.sqlite3 and drop all but the last `keep`."""
    # Committed work still in the write-ahead log belongs in the copy: move it into the file first.
    # Nothing else of ours has the file open here, so only another program can stop that.
    connection = sqlite3.connect(database, timeout=CHECKPOINT_WAIT_S)
    try:
        busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy or copied != frames:
        raise DatabaseError(
            f"Liaison {__version__} needs to upgrade {database}, but another program has it open "
            "(an older Liaison still running?). Close it and start Liaison again; nothing was "
            "changed."
        )
    folder = database.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{database.stem}-r{revision}-{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    shutil.copyfile(database, partial)
    partial.replace(target)  # a copy cut short by a full disk never passes for a backup
    for old in backups_of(database)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def restore_backup(backup: Path, database: Path) -> None:
    """Put `backup` back as `database`; the log and shared-memory files of the failed attempt go,
    or SQLite would replay them over the restored file."""
    partial = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, partial)
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    partial.replace(database)


def _reason(error: BaseException) -> str:
    # app.db.migrate words SQL errors for a user who has no backup; here the bare reason is enough.
    if isinstance(error, DatabaseError) and error.__cause__ is not None:
        error = error.__cause__
    cause = getattr(error, "orig", None) or error
    return str(cause) or type(cause).__name__


def backed_up(upgrade: Upgrade) -> Upgrade:
    """Wraps a schema upgrade (app.db.migrate.upgrade) in a backup and a restore on failure."""

    @functools.wraps(upgrade)
    def guarded(engine: Engine, tree: str) -> None:
        from app.db.migrate import pending_upgrade

        try:
            pending = pending_upgrade(engine, tree)
        except SQLAlchemyError:
            # Unreadable (damaged, locked): the upgrade itself says so in words, touching nothing.
            upgrade(engine, tree)
            return
        if pending is None:
            return
        current, head = pending
        if current is None:
            upgrade(engine, tree)  # a new database: nothing in it to lose
            return
        database = sqlite_file(engine)
        if database is None:
            _upgrade_server(upgrade, engine, tree, current, head)
            return
        # The last connection to close folds the write-ahead log in; then the copy is complete.
        engine.dispose()
        backup = make_backup(database, current)
        log.info(
            "upgrading %s from revision %s to %s; backup in %s", database, current, head, backup
        )
        try:
            upgrade(engine, tree)
        except Exception as exc:
            log.exception("upgrading %s failed", database)
            engine.dispose()
            raise _restored(exc, Upgraded(engine, database, backup), current, head) from exc
        _upgraded.append(Upgraded(engine, database, backup))

    return guarded


def _put_back(upgraded: Upgraded) -> str | None:
    """Restore one database from its backup; None when done, else what to do by hand."""
    # No connection may outlive the file it was opened on: it would write into the old one.
    upgraded.engine.dispose()
    try:
        restore_backup(upgraded.backup, upgraded.database)
    except OSError as exc:
        log.exception("restoring %s from %s failed", upgraded.database, upgraded.backup)
        return f"copy {upgraded.backup} over {upgraded.database} ({exc.strerror or exc})"
    return None


def _restored(error: Exception, failed: Upgraded, current: str, head: str) -> MigrationFailed:
    siblings = [done for done in _upgraded if done.database.parent == failed.database.parent]
    for done in siblings:
        _upgraded.remove(done)
    problems = [problem for problem in map(_put_back, [failed, *siblings]) if problem]
    what = (
        f"Liaison {__version__} could not upgrade the database {failed.database} "
        f"(revision {current} to {head}): {_reason(error)}."
    )
    if problems:
        return MigrationFailed(
            f"{what} Putting back the backups failed too: {'; '.join(problems)}. Do that by "
            "hand before starting Liaison again."
        )
    also = "".join(
        f" {done.database.name}, upgraded a moment before, was put back too." for done in siblings
    )
    return MigrationFailed(
        f"{what} The database was restored from the backup made just before "
        f"({failed.backup}).{also} Nothing is lost, and the previous version of Liaison can "
        "still open the profile. Please report the problem with the log attached."
    )


def _upgrade_server(upgrade: Upgrade, engine: Engine, tree: str, current: str, head: str) -> None:
    where = engine.url.render_as_string(hide_password=True)
    log.info("upgrading %s from revision %s to %s; it is not copied", where, current, head)
    try:
        upgrade(engine, tree)
    except Exception as exc:
        log.exception("upgrading %s failed", where)
        raise MigrationFailed(
            f"Liaison {__version__} could not upgrade the database {where} (revision {current} "
            f"to {head}): {_reason(exc)}. The upgrade ran in one transaction, which the server "
            "has rolled back. Liaison makes no copies of a server database: your "
            "administrator's backups apply."
        ) from exc
