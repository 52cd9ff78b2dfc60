"""The local state's migrations build exactly the tables the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.db import open_database
from app.mailbox.models import LocalBase


# SQLite's expression indexes (the outbox's, by a JSON key) cannot be reflected, so they are
# left out of the comparison; test_sync_queries_use_indexes.py checks them by the queries' plans.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
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
