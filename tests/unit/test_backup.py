"""Upgrading an old profile's database: a backup first, and the backup back if the upgrade fails."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.config import profile_paths
from app.db import DatabaseError, migrate, open_database
from app.db.backup import KEEP, backups_of, make_backup
from app.db.upgrade import MigrationFailed
from app.workspace import Workspace
from tests.support.migrations import at_revision

FAILING_REVISION = '''"""a revision that fails half-way"""

import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("{statement}")
    raise RuntimeError("the 0099 revision cannot convert the {what}")


def downgrade() -> None:
    op.drop_table("half_done")
'''


def old_database(path: Path, tree: migrate.Tree, statement: str) -> Path:
    """A database at its first revision holding what `statement` writes, closed as an old
    version leaves it."""
    with at_revision(f"sqlite:///{path}", tree, "0001") as connection:
        connection.execute(text(statement))
    return path


def old_local_database(path: Path) -> Path:
    """The local state of an old version: one mail folder."""
    return old_database(
        path,
        "local",
        "INSERT INTO mail_folders (account, ews_id, display_name, unread_count, total_count) "
        "VALUES ('anna.nowak@brightwave.test', 'AAMkInbox', 'Skrzynka odbiorcza', 3, 12)",
    )


def revision_of(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def contents(path: Path) -> list[str]:
    """Everything the database holds, as SQL: what a backup must keep (SQLite's backup copies
    every page but stamps its own change counter in the header, so the bytes differ)."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def folder_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT display_name FROM mail_folders")]
    finally:
        connection.close()


def with_failing_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree: migrate.Tree, statement: str, what: str
) -> None:
    """The real migration trees plus, in `tree`, a newest revision that changes data, then
    raises."""
    root = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.ScriptDirectory.from_config(migrate.alembic_config(tree)).get_current_head()
    (root / tree / "versions" / "0099_fails.py").write_text(
        FAILING_REVISION.format(down=head, statement=statement, what=what), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_ROOT", root)


@pytest.fixture
def failing_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    statement = "UPDATE mail_folders SET display_name = 'Skrzynka odbiorcza (zepsuta)'"
    with_failing_revision(tmp_path, monkeypatch, "local", statement, "mail folders")
    return "0099"


def test_an_old_database_is_migrated_after_a_backup_of_it(tmp_path: Path) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    before = contents(database)

    opened = open_database(f"sqlite:///{database}", "local")
    opened.dispose()

    head = migrate.ScriptDirectory.from_config(migrate.alembic_config("local")).get_current_head()
    assert revision_of(database) == head != "0001"
    assert folder_names(database) == ["Skrzynka odbiorcza"]
    [backup] = backups_of(database)
    assert backup.path.parent == tmp_path / "backups"
    assert backup.name.startswith("local-r0001-")
    assert backup.revision == "0001"
    assert contents(backup.path) == before


def test_a_database_at_the_newest_revision_is_not_backed_up_again(tmp_path: Path) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    open_database(f"sqlite:///{database}", "local").dispose()
    open_database(f"sqlite:///{database}", "local").dispose()
    assert len(backups_of(database)) == 1


def test_a_new_database_needs_no_backup(tmp_path: Path) -> None:
    database = tmp_path / "local.sqlite3"
    open_database(f"sqlite:///{database}", "local").dispose()
    assert backups_of(database) == []


def test_a_failed_migration_puts_back_the_original_file_whole(
    tmp_path: Path, failing_migrations: str
) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    before = contents(database)

    with pytest.raises(MigrationFailed) as failure:
        open_database(f"sqlite:///{database}", "local")

    assert contents(database) == before
    assert not Path(f"{database}-wal").exists()
    assert folder_names(database) == ["Skrzynka odbiorcza"]
    assert revision_of(database) == "0001"
    message = str(failure.value)
    assert "could not upgrade the database" in message
    assert "revision 0001 to 0099" in message
    assert "the 0099 revision cannot convert the mail folders" in message
    assert "restored from the backup" in message and str(backups_of(database)[0].path) in message
    assert "Traceback" not in message


def test_a_failed_migration_is_a_database_error_the_cli_words(
    tmp_path: Path, failing_migrations: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import run

    paths = profile_paths().ensure()
    old_local_database(paths.local_database)

    assert run(["options", "show"]) == 2

    error = capsys.readouterr().err
    assert error.startswith("liaison: Liaison ")
    assert "restored from the backup" in error
    assert "Traceback" not in error
    assert revision_of(paths.local_database) == "0001"


def test_a_failed_upgrade_also_puts_back_the_database_upgraded_before_it(
    failing_migrations: str,
) -> None:
    paths = profile_paths().ensure()
    crm = old_database(
        paths.crm_database,
        "crm",
        "INSERT INTO org_settings (key, value) VALUES ('token_prefix', '\"BW:\"')",
    )
    local = old_local_database(paths.local_database)
    before = {crm: contents(crm), local: contents(local)}

    with pytest.raises(MigrationFailed) as failure:
        Workspace.open()

    assert {path: contents(path) for path in before} == before
    assert revision_of(crm) == revision_of(local) == "0001"
    assert "crm.sqlite3, upgraded a moment before, was put back too" in str(failure.value)
    assert [backup.name[:9] for backup in backups_of(crm)] == ["crm-r0001"]


def test_a_damaged_file_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    damaged = tmp_path / "local.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * 1000)
    before = damaged.read_bytes()
    with pytest.raises(DatabaseError, match="is damaged"):
        open_database(f"sqlite:///{damaged}", "local")
    assert damaged.read_bytes() == before
    assert backups_of(damaged) == []


def test_only_the_last_few_backups_are_kept(tmp_path: Path) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    made = [make_backup(database, "0001") for _ in range(KEEP + 3)]
    assert backups_of(database) == made[-KEEP:]
    assert len(list((tmp_path / "backups").iterdir())) == KEEP


def test_a_backup_holds_work_still_in_the_write_ahead_log(tmp_path: Path) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    writer = sqlite3.connect(database)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep the new row in the log only
    with writer:
        writer.execute("UPDATE mail_folders SET unread_count = 4")
    backup = make_backup(database, "0001").path
    writer.close()
    reader = sqlite3.connect(backup)
    assert reader.execute("SELECT unread_count FROM mail_folders").fetchone() == (4,)
    reader.close()


@pytest.fixture
def team_store(postgres_url: str) -> Iterator[str]:
    """A database of its own on the test cluster, at the newest CRM revision."""
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    open_database(url, "crm").dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_failed_upgrade_of_a_team_store_is_rolled_back_and_points_to_its_administrator(
    team_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(team_store)
    with engine.connect() as connection:
        before = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    statement = "INSERT INTO org_settings (key, value) VALUES ('token_base', '42')"
    with_failing_revision(tmp_path, monkeypatch, "crm", statement, "org settings")

    with pytest.raises(MigrationFailed) as failure:
        open_database(team_store, "crm")

    message = str(failure.value)
    assert f"revision {before} to 0099" in message
    assert "rolled back" in message and "administrator's backups apply" in message
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == before
        )
        assert connection.execute(text("SELECT count(*) FROM org_settings")).scalar() == 0
        assert not inspect(connection).has_table("half_done")
    engine.dispose()


def test_an_upgrade_waits_for_a_database_another_program_still_has_open(tmp_path: Path) -> None:
    database = old_local_database(tmp_path / "local.sqlite3")
    # An older Liaison, still running: a write only in its log, and a read it has not finished.
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    reader = sqlite3.connect(database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM mail_folders").fetchone()
    writer.execute("UPDATE mail_folders SET unread_count = 5")
    before = database.read_bytes()

    with pytest.raises(DatabaseError, match="another program has it open") as refusal:
        open_database(f"sqlite:///{database}", "local")

    assert "nothing was changed" in str(refusal.value)
    assert database.read_bytes() == before
    assert revision_of(database) == "0001"
    assert writer.execute("SELECT unread_count FROM mail_folders").fetchone() == (5,)
    assert backups_of(database) == []
    reader.close()
    writer.close()
