"""A team store made by an earlier Liaison, upgraded to records you can maintain: what merges
kept aside before reaches every replica."""

from __future__ import annotations

import sqlalchemy as sa

from app.db import open_database
from tests.support.migrations import at_revision


def test_values_kept_aside_before_the_upgrade_are_stamped_for_the_replicas(
    store_url: str,
) -> None:
    with at_revision(store_url, "crm", "0002") as connection:
        connection.execute(
            sa.text(
                "INSERT INTO record_history (table_name, row_id, field, lost_value, kept_value) "
                "VALUES ('contacts', 7, 'phone', '\"+48 600 700 800\"', '\"+48 22 111 11 11\"')"
            )
        )

    database = open_database(store_url, "crm")
    try:
        with database.engine.connect() as connection:
            stamped = connection.scalar(sa.text("SELECT change_seq FROM record_history"))
            leads = connection.scalar(
                sa.text(
                    "SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = 'leads' AND column_name = 'status'"
                )
            )
    finally:
        database.dispose()
    assert stamped is not None
    assert "new" in leads
