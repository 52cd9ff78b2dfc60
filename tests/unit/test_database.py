from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.db import DatabaseError, open_database
from app.db.migrate import alembic_config


def test_a_new_sqlite_file_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/crm.sqlite3", "crm")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == ScriptDirectory.from_config(alembic_config("crm")).get_current_head()
        )
    database.dispose()


def test_opening_twice_migrates_once_and_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/crm.sqlite3"
    first = open_database(url, "crm")
    with first.engine.begin() as connection:
        connection.execute(text("INSERT INTO org_settings (key, value) VALUES ('token_base', '5')"))
    first.dispose()
    second = open_database(url, "crm")
    with second.engine.connect() as connection:
        assert str(connection.execute(text("SELECT value FROM org_settings")).scalar()) == "5"
    second.dispose()


def test_a_corrupt_database_file_is_reported_in_words(tmp_path: Path) -> None:
    damaged = tmp_path / "crm.sqlite3"
    damaged.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    with pytest.raises(DatabaseError, match=r"is damaged \(file is not a database\)"):
        open_database(f"sqlite:///{damaged}", "crm")
    assert damaged.read_bytes().startswith(b"this is not a database")


def test_a_malformed_url_is_reported_in_words() -> None:
    with pytest.raises(DatabaseError, match="Not a database URL"):
        open_database("definitely not a url", "crm")
