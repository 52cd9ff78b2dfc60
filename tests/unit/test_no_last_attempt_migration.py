"""A profile synced by an older version keeps where its account's sync had got to and how it
last went when the unread `last_attempt_at` goes (revision 0011 of the local state)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from app.db import open_database
from tests.support.migrations import at_revision


def synced_by_revision_0010(path: Path) -> Path:
    with at_revision(f"sqlite:///{path}", "local", "0010") as connection:
        connection.execute(
            text(
                "INSERT INTO sync_accounts (account, hierarchy_sync_state, last_attempt_at, "
                "last_success_at, last_error, message_size_limit) VALUES "
                "('anna.nowak@brightwave.test', 'H4sIAAAAAAAEAO29B2A', '2026-12-04 09:30:00', "
                "'2026-12-04 09:29:58', 'The server did not answer', 36700160)"
            )
        )
    return path


def test_an_old_profile_keeps_its_accounts_sync_state_without_the_attempt_time(
    tmp_path: Path,
) -> None:
    database = synced_by_revision_0010(tmp_path / "local.sqlite3")

    open_database(f"sqlite:///{database}", "local").dispose()

    connection = sqlite3.connect(database)
    try:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(sync_accounts)")]
        (row,) = connection.execute(
            "SELECT account, hierarchy_sync_state, last_success_at, last_error, "
            "message_size_limit FROM sync_accounts"
        )
    finally:
        connection.close()
    assert "last_attempt_at" not in columns
    assert row == (
        "anna.nowak@brightwave.test",
        "H4sIAAAAAAAEAO29B2A",
        "2026-12-04 09:29:58",
        "The server did not answer",
        36700160,
    )
