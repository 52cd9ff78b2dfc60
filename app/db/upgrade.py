"""Upgrading a database's schema safely: a backup first, and the backup back if it fails.

A newer Liaison on an older profile migrates the database on start. Before that, the file is
backed up (app.db.backup); if the migration fails, the backup goes back in place, and so does
the backup of any other database of the profile that this start had already upgraded: the
profile is exactly as the previous version left it, and that version can still open it.

A shared PostgreSQL CRM is not copied: its migration runs in one transaction, which PostgreSQL
rolls back whole, and copies of a server's database are its administrator's business.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app import __version__
from app.db.backup import make_backup, restore_backup
from app.db.engine import DatabaseError, sqlite_path
from app.db.migrate import Tree, migrate, pending_upgrade
from app.db.sqlite_files import in_use

log = logging.getLogger(__name__)


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


def upgrade(engine: Engine, tree: Tree) -> None:
    """Bring the database to the newest revision, backed up first when it holds anything."""
    try:
        pending = pending_upgrade(engine, tree)
    except SQLAlchemyError:
        # Unreadable (damaged, locked): the migration itself says so in words, touching nothing.
        migrate(engine, tree)
        return
    if pending is None:
        return
    current, head = pending
    if current is None:
        migrate(engine, tree)  # a new database: nothing in it to lose
        return
    database = sqlite_path(engine.url)
    if database is None:
        _upgrade_server(engine, tree, current, head)
        return
    # No connection of ours may stay open on the file while it is replaced on failure.
    engine.dispose()
    if in_use(database):
        raise DatabaseError(
            f"Liaison {__version__} needs to upgrade {database}, but another program has it open "
            "(an older Liaison still running?). Close it and start Liaison again; nothing was "
            "changed."
        )
    backup = make_backup(database, current).path
    log.info("upgrading %s from revision %s to %s; backup in %s", database, current, head, backup)
    try:
        migrate(engine, tree)
    except Exception as exc:
        log.exception("upgrading %s failed", database)
        engine.dispose()
        raise _restored(exc, Upgraded(engine, database, backup), current, head) from exc
    _upgraded.append(Upgraded(engine, database, backup))


def _reason(error: BaseException) -> str:
    # app.db.migrate words SQL errors for a user who has no backup; here the bare reason is enough.
    if isinstance(error, DatabaseError) and error.__cause__ is not None:
        error = error.__cause__
    cause = getattr(error, "orig", None) or error
    return str(cause) or type(cause).__name__


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


def _upgrade_server(engine: Engine, tree: Tree, current: str, head: str) -> None:
    where = engine.url.render_as_string(hide_password=True)
    log.info("upgrading %s from revision %s to %s; it is not copied", where, current, head)
    try:
        migrate(engine, tree)
    except Exception as exc:
        log.exception("upgrading %s failed", where)
        raise MigrationFailed(
            f"Liaison {__version__} could not upgrade the database {where} (revision {current} "
            f"to {head}): {_reason(exc)}. The upgrade ran in one transaction, which the server "
            "has rolled back. Liaison makes no copies of a server database: your "
            "administrator's backups apply."
        ) from exc
