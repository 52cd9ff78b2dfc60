"""The CRM store's migrations build exactly the tables the models describe, on SQLite and on
PostgreSQL, and an existing store upgraded to records you can maintain keeps its data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.crm.models import Base
from app.db import open_database
from tests.support.migrations import at_revision


def differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_the_migrated_sqlite_crm_store_matches_the_models(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/crm.sqlite3", "crm")
    try:
        assert differences(database.engine) == []
    finally:
        database.dispose()


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[sa.Engine]:
    database = open_database(postgres_url, "crm")
    yield database.engine
    with database.engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    database.dispose()


def test_the_migrated_postgresql_crm_store_matches_the_models(pg_engine: sa.Engine) -> None:
    assert differences(pg_engine) == []


def test_the_team_store_stamps_history_rows_so_replicas_fetch_them(pg_engine: sa.Engine) -> None:
    with pg_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO record_history (table_name, row_id, field, lost_value, kept_value) "
                "VALUES ('contacts', 7, 'phone', '\"+48 600 700 800\"', '\"+48 22 111 11 11\"')"
            )
        )
        stamped = connection.scalar(sa.text("SELECT change_seq FROM record_history"))
    assert stamped is not None


def upgrade_to(url: str, revision: str) -> None:
    with at_revision(url, "crm", revision):
        pass  # an empty store at that revision


def test_upgrading_a_store_of_the_previous_revision_keeps_its_leads_as_new_ones(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/crm.sqlite3"
    upgrade_to(url, "0002")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO records (id, type, active) VALUES (1, 'lead', 1)"))
        connection.execute(
            sa.text(
                "INSERT INTO leads (id, first_name, last_name, company) "
                "VALUES (1, 'Ewa', 'Wiśniewska', 'Wiśniewska Design')"
            )
        )
    engine.dispose()

    database = open_database(url, "crm")
    try:
        with database.engine.connect() as connection:
            row = connection.execute(
                sa.text("SELECT first_name, last_name, company, status, salutation FROM leads")
            ).one()
    finally:
        database.dispose()
    assert tuple(row) == ("Ewa", "Wiśniewska", "Wiśniewska Design", "new", None)
