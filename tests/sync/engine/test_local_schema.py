"""The local state's migrations build exactly the tables the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.db import open_database
from app.mailbox.models import LocalBase


def test_the_migrated_local_database_matches_the_models(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/local.sqlite3", "local")
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), LocalBase.metadata
            )
    finally:
        database.dispose()
    assert differences == []
