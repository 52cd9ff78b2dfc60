"""A damaged or lost database, from the command line: named in one line with what to do, never
made again empty behind the user's back, and mended with `liaison db restore`."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import run
from app.config import ProfilePaths, profile_paths
from app.db.backup import KEEP, backups_of
from app.workspace import Workspace
from tests.support.commands import Finished, liaison

ACCOUNTS = """name,email,website
Acme Logistics Sp. z o.o.,biuro@acme-logistics.example,https://acme-logistics.example
Müller Maschinenbau GmbH,info@mueller-mb.example,https://mueller-mb.example
Żabka Dystrybucja,kontakt@zabka-dystrybucja.example,https://zabka-dystrybucja.example
"""


@pytest.fixture
def paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> ProfilePaths:
    """Anna's profile with three accounts and her own tracking option (set up in this process,
    which is quicker; what is checked runs as a command of its own)."""
    csv = tmp_path / "accounts.csv"
    csv.write_text(ACCOUNTS, encoding="utf-8")
    for command in (
        ["init", "--address", "anna.nowak@brightwave.test", "--name", "Anna Nowak"],
        ["crm", "import", "accounts", str(csv)],
        ["options", "set", "track", "all"],
    ):
        assert run(command) == 0, capsys.readouterr().err
    capsys.readouterr()
    return profile_paths()


def one_line(finished: Finished, *words: str) -> str:
    """The single line a refused command says, checked for `words` and for no traceback."""
    assert finished.code == 2, finished
    [line] = finished.said
    assert line.startswith("liaison: ")
    assert "Traceback" not in finished.err
    for word in words:
        assert word in line
    return line


def account_names() -> list[str]:
    listed = liaison("crm", "list", "accounts", "--json")
    assert listed.code == 0, listed.err
    return sorted(record["name"] for record in __import__("json").loads(listed.out))


def garble(database: Path, start: int, length: int) -> None:
    """Overwrite part of the file with junk, as a failing disk or a bad copy leaves it."""
    data = bytearray(database.read_bytes())
    data[start : start + length] = b"\xde\xad\xbe\xef" * (length // 4)
    database.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["crm", "local"])
def test_garbage_in_the_middle_of_a_database_is_named_in_one_line(
    paths: ProfilePaths, name: str
) -> None:
    database = paths.data_dir / f"{name}.sqlite3"
    garble(database, 12 * 1024, 16 * 1024)
    before = database.read_bytes()

    line = one_line(liaison("options", "show"), str(database), "is damaged")

    assert "liaison db restore" in line and f"liaison db reset {name}" in line
    assert database.read_bytes() == before


def test_a_file_that_is_not_a_database_is_named(paths: ProfilePaths) -> None:
    paths.crm_database.write_text("Kontakty do zadzwonienia: Jan, Greta\n" * 100)
    one_line(liaison("crm", "list", "accounts"), "is damaged (file is not a database)")


def test_a_zero_length_local_database_is_refused_and_the_backup_brings_back_the_options(
    paths: ProfilePaths,
) -> None:
    assert liaison("db", "backup").code == 0
    paths.local_database.write_bytes(b"")

    one_line(liaison("options", "show"), str(paths.local_database), "is empty", "made it on")

    assert paths.local_database.stat().st_size == 0  # not made again, empty
    restored = liaison("db", "restore", "--latest", "local")
    assert restored.code == 0, restored.err
    assert "Restored local.sqlite3 from local-r" in restored.out
    shown = liaison("options", "show")
    assert ["track", "all"] in [line.split() for line in shown.out.splitlines()]


def test_a_missing_crm_database_is_refused_and_the_backup_brings_back_the_accounts(
    paths: ProfilePaths,
) -> None:
    assert liaison("db", "backup").code == 0
    paths.crm_database.unlink()

    one_line(liaison("crm", "list", "accounts"), str(paths.crm_database), "is missing")

    assert not paths.crm_database.exists()
    assert liaison("db", "restore", "--latest", "crm").code == 0
    assert account_names() == [
        "Acme Logistics Sp. z o.o.",
        "Müller Maschinenbau GmbH",
        "Żabka Dystrybucja",
    ]


def test_a_new_profile_needs_no_database_from_before(tmp_path: Path) -> None:
    fresh = liaison("options", "show", env={"LIAISON_HOME": str(tmp_path / "nowy")})
    assert fresh.code == 0, fresh.err
    assert (tmp_path / "nowy" / "data" / "local.sqlite3").stat().st_size > 0


def test_a_profile_from_before_the_check_is_checked_from_its_next_start(
    paths: ProfilePaths,
) -> None:
    (paths.config_dir / "profile.json").unlink()  # as an older version left the profile
    assert liaison("options", "show").code == 0
    paths.local_database.unlink()
    one_line(liaison("options", "show"), "is missing")


def damage_only_an_index(database: Path) -> None:
    """Make the index of account names describe another column: every page reads fine (the
    quick check passes), but the index no longer matches its table."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA writable_schema=ON")
    connection.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_accounts_name ON accounts (website)' "
        "WHERE name = 'ix_accounts_name'"
    )
    connection.commit()
    connection.close()


def test_db_check_finds_what_only_the_thorough_check_sees(paths: ProfilePaths) -> None:
    damage_only_an_index(paths.crm_database)
    assert liaison("crm", "list", "accounts").code == 0  # the quick check on open passes

    checked = liaison("db", "check")

    one_line(checked, "crm.sqlite3 needs restoring", "liaison db restore")
    assert "local.sqlite3" in checked.out and "ok" in checked.out
    assert "crm.sqlite3" in checked.out and "missing from index ix_accounts_name" in checked.out


def test_the_daily_backup_is_never_made_of_a_damaged_database(paths: ProfilePaths) -> None:
    [todays] = backups_of(paths.crm_database)
    yesterdays = age(todays.path, days=1)
    damage_only_an_index(paths.crm_database)

    one_line(liaison("crm", "list", "accounts"), "is damaged", "ix_accounts_name")

    assert [backup.path for backup in backups_of(paths.crm_database)] == [yesterdays]


def age(backup: Path, days: int) -> Path:
    """Make a backup look `days` old, as time passing would (its name holds the time)."""
    stamp = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y%m%dT%H%M%S%fZ")
    database, revision, _ = backup.name.rsplit("-", 2)
    return backup.rename(backup.with_name(f"{database}-{revision}-{stamp}.sqlite3"))


def test_a_profile_is_backed_up_at_most_once_a_day_when_it_opens(paths: ProfilePaths) -> None:
    # `init` made the databases (nothing in them yet to back up); the import, the next start,
    # made today's backups.
    assert liaison("options", "show").code == 0
    [crm] = backups_of(paths.crm_database)
    [local] = backups_of(paths.local_database)
    assert liaison("options", "show").code == 0
    assert len(backups_of(paths.crm_database)) == 1

    age(crm.path, days=1)
    assert liaison("options", "show").code == 0

    assert len(backups_of(paths.crm_database)) == 2
    assert backups_of(paths.local_database) == [local]


def test_the_last_seven_backups_of_each_database_are_kept(paths: ProfilePaths) -> None:
    for _ in range(KEEP + 2):
        assert liaison("db", "backup").code == 0
    assert len(backups_of(paths.crm_database)) == len(backups_of(paths.local_database)) == KEEP


def test_restore_lists_each_databases_backups_with_their_dates(paths: ProfilePaths) -> None:
    listed = liaison("db", "restore")
    assert listed.code == 0
    [crm] = backups_of(paths.crm_database)
    local_time = crm.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert f"    {crm.name}  {local_time}  revision {crm.revision}" in listed.out
    assert "local.sqlite3" in listed.out


def test_a_restore_by_name_keeps_the_file_it_replaces(paths: ProfilePaths, tmp_path: Path) -> None:
    [backup] = backups_of(paths.crm_database)
    more = tmp_path / "more.csv"
    more.write_text("name,email,website\nNova Retail,biuro@nova-retail.example,\n")
    assert liaison("crm", "import", "accounts", more).code == 0

    restored = liaison("db", "restore", backup.name)

    assert restored.code == 0, restored.err
    assert "Nova Retail" not in account_names()
    [kept] = [folder for folder in (paths.data_dir / "backups").iterdir() if folder.is_dir()]
    assert f"kept in {kept}" in restored.out
    connection = sqlite3.connect(kept / "crm.sqlite3")
    assert ("Nova Retail",) in connection.execute("SELECT name FROM accounts").fetchall()
    connection.close()


def test_a_restore_is_refused_while_the_profile_is_open(paths: ProfilePaths) -> None:
    assert liaison("db", "backup").code == 0
    with Workspace.open():  # the window, or a `liaison sync --watch`
        one_line(liaison("db", "restore", "--latest"), "is open in Liaison", "close it")
    assert liaison("db", "restore", "--latest").code == 0


def test_an_unknown_backup_name_is_one_line(paths: ProfilePaths) -> None:
    one_line(liaison("db", "restore", "crm.sqlite3.bak"), "is not the name of a backup")
    one_line(liaison("db", "restore", "--latest", "mailbox"), "has no database 'mailbox'")


def test_reset_starts_a_damaged_database_afresh_and_keeps_the_old_file(
    paths: ProfilePaths,
) -> None:
    garble(paths.local_database, 12 * 1024, 16 * 1024)
    one_line(liaison("options", "show"), "is damaged")

    reset = liaison("db", "reset", "local")

    assert reset.code == 0, reset.err
    shown = liaison("options", "show")
    assert shown.code == 0
    # The default again: the file is new.
    assert ["track", "crm-responses"] in [line.split() for line in shown.out.splitlines()]
    [kept] = [folder for folder in (paths.data_dir / "backups").iterdir() if folder.is_dir()]
    assert (kept / "local.sqlite3").exists()
