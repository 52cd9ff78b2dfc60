"""`liaison db check|backup|restore`: the profile's SQLite databases, checked, copied, put back.

These work on the files without opening the profile, so they work on a damaged one too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.errors import CommandError
from app.config import profile_paths
from app.database_care import (
    Restored,
    all_backups,
    back_up_now,
    check_all,
    database_named,
    existing_databases,
    find_backup,
    latest_backup,
    restore,
    start_afresh,
)
from app.db.backup import Backup
from app.db.sqlite_files import missing_or_empty
from app.profile_identity import identity_file, profile_identity


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("db", help="check, back up and restore the profile's databases")
    commands = parser.add_subparsers(dest="db_command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check every database of the profile thoroughly (SQLite's integrity check)",
    )
    check.set_defaults(handler=run_check)

    backup = commands.add_parser(
        "backup", help="back up every database of the profile now, into its backups folder"
    )
    backup.set_defaults(handler=run_backup)

    restorer = commands.add_parser(
        "restore",
        help="list the backups, or put one back (the file it replaces is kept)",
    )
    restorer.add_argument(
        "name",
        nargs="?",
        metavar="BACKUP",
        help="the backup to put back, as the list names it; with --latest, a database "
        "(crm, local, team-replica) instead",
    )
    restorer.add_argument(
        "--latest",
        action="store_true",
        help="put back the newest backup of each database (or of the one named)",
    )
    restorer.set_defaults(handler=run_restore)

    reset = commands.add_parser(
        "reset",
        help="start a damaged database afresh, empty (the file it had is kept)",
    )
    reset.add_argument("database", help="crm, local or team-replica")
    reset.set_defaults(handler=run_reset)


def run_check(args: argparse.Namespace) -> int:
    paths = profile_paths()
    # Read, never made here: checking a profile that does not exist must not start one.
    identity = profile_identity(paths) if identity_file(paths).exists() else None
    made = {
        database: identity.made_on(paths, database) if identity else None
        for database in paths.databases
    }
    lost = [database for database, day in made.items() if day and missing_or_empty(database)]
    results = check_all(existing_databases(paths))
    for result in results:
        state = "ok" if result.whole else "DAMAGED: " + "; ".join(result.problems[:3])
        print(f"{result.database.name:<22} {_size(result.database):>9}  {state}")
    for database in lost:
        print(f"{database.name:<22} {'':>9}  MISSING (made on {made[database]})")
    bad = [result.database for result in results if not result.whole] + lost
    if bad:
        names = ", ".join(database.name for database in bad)
        raise CommandError(
            f"{names} {'needs' if len(bad) == 1 else 'need'} restoring: "
            "`liaison db restore` lists the backups"
        )
    if not results:
        print(f"This profile has no databases yet ({paths.data_dir}).")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    for backup in back_up_now(profile_paths()):
        print(f"{backup.database}.sqlite3: {backup.path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    paths = profile_paths()
    if args.latest:
        databases = [database_named(paths, args.name)] if args.name else list(all_backups(paths))
        if not databases:
            raise CommandError("This profile has no backups to restore")
        chosen = [(database, latest_backup(database)) for database in databases]
    elif args.name:
        chosen = [find_backup(paths, args.name)]
    else:
        _list_backups(paths.data_dir, all_backups(paths))
        return 0
    for database, backup in chosen:
        _said(restore(paths, database, backup))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    paths = profile_paths()
    database = database_named(paths, args.database)
    kept = start_afresh(paths, database)
    where = f"; the file it had is kept in {kept}" if kept is not None else ""
    print(f"{database.name} starts afresh, empty, the next time Liaison opens the profile{where}.")
    return 0


def _list_backups(data_dir: Path, backups: dict[Path, list[Backup]]) -> None:
    if not backups:
        print(f"There are no backups in {data_dir / 'backups'} yet.")
        return
    print(f"Backups in {data_dir / 'backups'}, newest last:")
    for database, found in backups.items():
        print(f"  {database.name}")
        for backup in found:
            print(
                f"    {backup.name}  {_when(backup)}  revision {backup.revision}  "
                f"{_size(backup.path)}"
            )
    print(
        "Put one back with `liaison db restore BACKUP`, or the newest of each database with "
        "`liaison db restore --latest`; quit Liaison first."
    )


def _said(restored: Restored) -> None:
    kept = (
        f"; the file it replaced is kept in {restored.replaced}"
        if restored.replaced is not None
        else ""
    )
    print(
        f"Restored {restored.database.name} from {restored.backup.name} "
        f"({_when(restored.backup)}){kept}."
    )


def _when(backup: Backup) -> str:
    return backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"
