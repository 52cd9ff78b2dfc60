"""A profile's SQLite files as files: is it there, is it whole, is another program using it.

Checked before SQLAlchemy or Alembic touch a file, so a damaged database is named in words
instead of failing somewhere inside a migration, and a database that vanished is never quietly
made again, empty, in its place. `PRAGMA quick_check` (every open) reads every page but skips
the index cross-checks; `PRAGMA integrity_check` (in the background, before a backup, and
`liaison db check`) does them all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from app.db.engine import DatabaseError
from app.private_files import private_file, tighten

QUICK = "quick_check"
THOROUGH = "integrity_check"
# The first problems SQLite lists are enough to tell a user; a badly damaged file has thousands.
REPORTED_PROBLEMS = 3
SIDE_FILES = ("-wal", "-shm")


class DamagedDatabase(DatabaseError):
    """A database file SQLite cannot read whole; `reason` is SQLite's own words."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"The database {path} is damaged ({reason}): {what_to_do(path)}")


class MissingDatabase(DatabaseError):
    """A database this profile made earlier is gone or empty; it is never made again empty."""

    def __init__(self, path: Path, made_on: str) -> None:
        self.path = path
        self.made_on = made_on
        state = "is empty" if path.exists() else "is missing"
        super().__init__(
            f"The database {path} {state}, though this profile made it on {made_on}; Liaison "
            f"does not start it afresh on its own: put the file back, or {what_to_do(path)}"
        )


def what_to_do(database: Path) -> str:
    """The commands that mend a damaged or lost database, in one clause."""
    return (
        f"restore a backup of it (`liaison db restore` lists them), or start it afresh, "
        f"empty, with `liaison db reset {database.stem}`"
    )


def side_files(database: Path) -> tuple[Path, ...]:
    """The write-ahead log and shared-memory index that belong with a database file."""
    return tuple(Path(f"{database}{suffix}") for suffix in SIDE_FILES)


def prepare(database: Path, made_on: str | None) -> None:
    """Before a database is opened: refuse a missing or empty one the profile made before
    (`made_on` says when; None for one it never made), create a new one private, tighten an
    existing one, and run the quick check on it."""
    if made_on is not None and missing_or_empty(database):
        # Checked before SQLite opens the file: on a zero-length file it would delete the -wal.
        raise MissingDatabase(database, made_on)
    private_file(database)
    for side in side_files(database):
        tighten(side)
    check(database)


def check(database: Path, thorough: bool = False) -> None:
    """DamagedDatabase unless SQLite finds `database` whole (quickly, or `thorough`ly)."""
    problems = find_problems(database, thorough)
    if problems:
        raise DamagedDatabase(database, "; ".join(problems[:REPORTED_PROBLEMS]))


def find_problems(database: Path, thorough: bool = False) -> list[str]:
    """SQLite's own words for what is wrong with the file; empty when it is whole."""
    try:
        with closing(sqlite3.connect(database)) as connection:
            rows = connection.execute(f"PRAGMA {THOROUGH if thorough else QUICK}").fetchall()
    except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
        return [str(exc)]
    found = [" ".join(str(row[0]).split()) for row in rows]
    return [] if found == ["ok"] else found


def in_use(database: Path) -> bool:
    """True while another connection (the window, a sync, another program) has `database`
    open. An idle connection in WAL mode keeps a shared lock, so asking for an exclusive one,
    without waiting, tells."""
    if not database.exists():
        return False
    try:
        with exclusive(database):
            return False
    except sqlite3.DatabaseError as exc:
        # Anything but "busy" (a file that is not a database) is not somebody else's use.
        return exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


@contextmanager
def exclusive(database: Path) -> Iterator[sqlite3.Connection]:
    """A connection holding `database` alone; sqlite3.OperationalError at once if it is busy."""
    with closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as connection:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        try:
            yield connection
        finally:
            connection.execute("ROLLBACK")


def missing_or_empty(database: Path) -> bool:
    try:
        return database.stat().st_size == 0
    except FileNotFoundError:
        return True
