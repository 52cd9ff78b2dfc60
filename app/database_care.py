"""Looking after a profile's SQLite databases: checking them, backing them up, restoring one.

`liaison db check|backup|restore` and the window both work through this. Opening a profile runs
the quick check (app.db.sqlite_files); the thorough check runs before each daily backup (a
damaged file is never copied over the good backups) and, in the window, in the background after
every start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.config import ProfilePaths
from app.db import DatabaseError
from app.db.backup import (
    Backup,
    RestoreRefused,
    backup_due,
    backups_of,
    keep_current,
    make_backup,
    read_backup_name,
    restore_keeping_current,
)
from app.db.sqlite_files import DamagedDatabase, MissingDatabase, check, find_problems, in_use
from app.profile_identity import forget_database

log = logging.getLogger(__name__)

# What keeps a profile from opening until the user restores a backup or starts afresh.
DatabaseProblem = DamagedDatabase | MissingDatabase


@dataclass(frozen=True, slots=True)
class CheckResult:
    database: Path
    problems: tuple[str, ...]  # SQLite's words; empty when the file is whole

    @property
    def whole(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class Restored:
    database: Path
    backup: Backup
    replaced: Path | None  # the folder keeping what the backup replaced, if there was a file


def existing_databases(paths: ProfilePaths) -> list[Path]:
    """The SQLite databases this profile has on disk."""
    return [database for database in paths.databases if database.exists()]


def database_named(paths: ProfilePaths, name: str) -> Path:
    """A database of the profile by its short name (crm, local, team-replica)."""
    for database in paths.databases:
        if name in (database.stem, database.name):
            return database
    known = ", ".join(database.stem for database in paths.databases)
    raise DatabaseError(f"This profile has no database {name!r}; its databases are {known}")


def check_all(databases: list[Path]) -> list[CheckResult]:
    """The thorough check of each database (seconds on a big mailbox cache)."""
    return [CheckResult(database, tuple(find_problems(database, True))) for database in databases]


def thorough_check(databases: list[Path]) -> None:
    """DamagedDatabase for the first of `databases` that the thorough check finds damaged."""
    for database in databases:
        check(database, thorough=True)


def daily_backups(databases: list[Path], checked: bool = False) -> list[Backup]:
    """Back up each database whose newest backup is a day old (or that has none), after the
    thorough check (unless the caller just `checked`): a damaged file raises DamagedDatabase
    instead of pushing the good backups out."""
    made = []
    for database in databases:
        if database.exists() and backup_due(database):
            if not checked:
                check(database, thorough=True)
            made.append(make_backup(database))
            log.info("daily backup of %s in %s", database, made[-1].path)
    return made


def back_up_now(paths: ProfilePaths) -> list[Backup]:
    """A backup of every database of the profile now, each checked thoroughly first."""
    databases = existing_databases(paths)
    if not databases:
        raise DatabaseError(f"This profile has no databases yet in {paths.data_dir}")
    for database in databases:
        check(database, thorough=True)
    return [make_backup(database) for database in databases]


def all_backups(paths: ProfilePaths) -> dict[Path, list[Backup]]:
    """Every database's backups, oldest first, for the databases that have any."""
    found = {database: backups_of(database) for database in paths.databases}
    return {database: backups for database, backups in found.items() if backups}


def find_backup(paths: ProfilePaths, name: str) -> tuple[Path, Backup]:
    """The database and the backup a file name (as `liaison db restore` lists it) means."""
    backup = read_backup_name(Path(name))
    database = next((d for d in paths.databases if backup and d.stem == backup.database), None)
    if backup is None or database is None:
        raise DatabaseError(
            f"{name!r} is not the name of a backup: `liaison db restore` lists them"
        )
    for known in backups_of(database):
        if known.name == backup.name:
            return database, known
    raise DatabaseError(f"There is no backup {name} in {database.parent / 'backups'}")


def backups_newest_first(database: Path) -> list[Backup]:
    return list(reversed(backups_of(database)))


def latest_backup(database: Path) -> Backup:
    backups = backups_of(database)
    if not backups:
        raise DatabaseError(f"{database.name} has no backup to restore")
    return backups[-1]


def profile_in_use(paths: ProfilePaths) -> Path | None:
    """A database of the profile that something (the window, a sync) has open now, or None."""
    return next((database for database in existing_databases(paths) if in_use(database)), None)


def restore(paths: ProfilePaths, database: Path, backup: Backup) -> Restored:
    """Put `backup` back as `database`; refused while the profile is open anywhere."""
    _refuse_while_open(paths)
    replaced = restore_keeping_current(backup, database)
    return Restored(database, backup, replaced)


def start_afresh(paths: ProfilePaths, database: Path) -> Path | None:
    """Let `database` be made again, empty, the next time the profile opens: for a damaged
    one without a usable backup. The file is kept in backups/replaced-TIME/ (returned)."""
    _refuse_while_open(paths)
    kept = keep_current(database)
    forget_database(paths, database)
    log.info("%s will start afresh; the file it had is kept in %s", database, kept)
    return kept


def _refuse_while_open(paths: ProfilePaths) -> None:
    busy = profile_in_use(paths)
    if busy is not None:
        raise RestoreRefused(
            f"{busy.name} is open in Liaison (the window or a sync) or another program: "
            "close it, then try again"
        )
