"""Backups of a SQLite database in `backups/` beside it, and putting one back.

A backup is made with SQLite's online backup API: a consistent copy of the database with what
is still in its write-ahead log, taken while other connections go on working. Liaison makes one
before every upgrade of the schema (app.db.upgrade) and at most once a day when a profile is
opened (app.database_care); the last KEEP of each database are kept. The names say which
database, at which schema revision, from when: `crm-r0002-20261123T123456123456Z.sqlite3`.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.db.engine import DatabaseError
from app.db.sqlite_files import check, in_use, side_files
from app.private_files import private_file, private_folder

BACKUP_DIR = "backups"
KEEP = 7
SUFFIX = ".sqlite3"
DAILY = timedelta(days=1)
BUSY_WAIT_S = 2.0
# Where `restore` keeps the database it replaced: a folder of its own, never taken for a backup.
REPLACED_PREFIX = "replaced-"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<database>.+)-r(?P<revision>[^-]+)-(?P<stamp>\d{8}T\d{12}Z)\.sqlite3$")
NO_REVISION = "none"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    database: str  # the database file's stem: crm, local, team-replica
    revision: str
    taken_at: datetime  # UTC

    @property
    def name(self) -> str:
        return self.path.name


def backup_folder(database: Path) -> Path:
    return database.parent / BACKUP_DIR


def read_backup_name(path: Path) -> Backup | None:
    """The backup a file's name describes, or None for a file that is not one."""
    found = _NAME.match(path.name)
    if found is None:
        return None
    try:
        taken_at = datetime.strptime(found["stamp"], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return Backup(path, found["database"], found["revision"], taken_at)


def backups_of(database: Path) -> list[Backup]:
    """This database's backups, oldest first."""
    folder = backup_folder(database)
    if not folder.is_dir():
        return []
    found = (read_backup_name(path) for path in folder.glob(f"{database.stem}-r*{SUFFIX}"))
    return sorted(
        (backup for backup in found if backup and backup.database == database.stem),
        key=lambda backup: backup.taken_at,
    )


def revision_of(database: Path) -> str:
    """The schema revision Alembic recorded in the file (NO_REVISION when it has none)."""
    try:
        with closing(sqlite3.connect(database)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return NO_REVISION
    return str(row[0]) if row else NO_REVISION


def make_backup(database: Path, revision: str | None = None, keep: int = KEEP) -> Backup:
    """Copy `database` into backups/, through SQLite, and drop all but the last `keep`."""
    if not database.is_file():
        raise DatabaseError(f"There is no database {database} to back up")
    revision = revision or revision_of(database)
    folder = private_folder(backup_folder(database))
    taken_at = datetime.now(UTC)
    target = folder / f"{database.stem}-r{revision}-{taken_at.strftime(_STAMP)}{SUFFIX}"
    # Two programs opening the profile at once may both find the daily backup due: each
    # writes a copy of its own (SQLite keeps a journal beside it, by its name), else one
    # removes the other's copy mid-write and that backup fails with a disk I/O error.
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    private_file(partial)
    try:
        with (
            closing(sqlite3.connect(database, timeout=BUSY_WAIT_S)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"Could not back up {database}: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)  # a copy cut short by a full disk never passes for a backup
    for old in backups_of(database)[:-keep]:
        old.path.unlink(missing_ok=True)
    return Backup(target, database.stem, revision, taken_at)


def backup_due(database: Path, now: datetime | None = None) -> bool:
    """True when the newest backup of `database` is a day old or there is none."""
    made = backups_of(database)
    return not made or made[-1].taken_at <= (now or datetime.now(UTC)) - DAILY


def restore_backup(backup: Path, database: Path) -> None:
    """Put `backup` back as `database`; the log and shared-memory files of the one replaced
    go, or SQLite would replay them over the restored file."""
    partial = database.with_name(database.name + ".restoring")
    partial.unlink(missing_ok=True)
    private_file(partial)
    shutil.copyfile(backup, partial)
    for leftover in side_files(database):
        leftover.unlink(missing_ok=True)
    partial.replace(database)


class RestoreRefused(DatabaseError):
    """A backup cannot be put back now; the message says why and what to do."""


def restore_keeping_current(backup: Backup, database: Path) -> Path | None:
    """Put `backup` back as `database` by the user's choice. What it replaces (the file with its
    write-ahead log) is moved to backups/replaced-TIME/ first, never deleted; returns that folder,
    or None when there was no file to keep."""
    if in_use(database):
        raise RestoreRefused(
            f"{database} is open in Liaison (the window or a sync) or another program: close "
            "it, then restore again"
        )
    try:
        check(backup.path, thorough=True)
    except DatabaseError as exc:
        raise RestoreRefused(f"The backup {backup.path} cannot be used: {exc}") from exc
    kept = keep_current(database)
    restore_backup(backup.path, database)
    log.info("restored %s from %s; the file replaced is in %s", database, backup.path, kept)
    return kept


def keep_current(database: Path) -> Path | None:
    """Move `database` and its side files to backups/replaced-TIME/ (returned), if present."""
    present = [path for path in (database, *side_files(database)) if path.exists()]
    if not present:
        return None
    stamp = datetime.now(UTC).strftime(_STAMP)
    folder = private_folder(backup_folder(database) / f"{REPLACED_PREFIX}{stamp}")
    for path in present:
        path.replace(folder / path.name)
    return folder
