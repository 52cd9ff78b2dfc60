"""Upgrading a profile to appointments and tasks in full: the CRM keeps every appointment, task
and party (with the new fields empty until Exchange fills them), and the local state forgets
only the calendar's and task list's sync states, so the next sync reads them again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.crm.models import Base
from app.db import migrate, open_database
from tests.support.migrations import at_revision


def database_at(path: Path, tree: migrate.Tree, revision: str, *statements: str) -> Path:
    with at_revision(f"sqlite:///{path}", tree, revision) as connection:
        for statement in statements:
            connection.execute(text(statement))
    return path


def rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.execute(query))
    finally:
        connection.close()


def test_the_migrated_crm_matches_the_models(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/crm.sqlite3", "crm")
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        database.dispose()
    assert differences == []


def test_an_older_crm_keeps_its_appointments_tasks_and_attendees(tmp_path: Path) -> None:
    path = database_at(
        tmp_path / "crm.sqlite3",
        "crm",
        "0002",
        "INSERT INTO activities (id, type, subject, private, version) "
        "VALUES (1, 'appointment', 'Przegląd umowy', 0, 1), (2, 'task', 'Wycena', 0, 1)",
        'INSERT INTO appointments (id, start, "end", is_all_day, location) '
        "VALUES (1, '2026-10-12 07:00:00', '2026-10-12 08:00:00', 0, 'Sala Wisła')",
        "INSERT INTO tasks (id, status, percent_complete, priority) "
        "VALUES (2, 'InProgress', 40, 'High')",
        "INSERT INTO activity_parties (activity_id, role, email, normalized, display_name) "
        "VALUES (1, 'required', 'jan.kowalski@acme.pl', 'jan.kowalski@acme.pl', 'Jan Kowalski')",
    )

    open_database(f"sqlite:///{path}", "crm").dispose()

    assert rows(
        path, "SELECT location, time_zone, reminder_minutes, show_as FROM appointments"
    ) == [("Sala Wisła", None, None, "Busy")]
    assert rows(path, "SELECT status, percent_complete, reminder_at FROM tasks") == [
        ("InProgress", 40, None)
    ]
    assert rows(path, "SELECT email, response FROM activity_parties") == [
        ("jan.kowalski@acme.pl", None)
    ]


def test_an_older_local_state_reads_the_calendar_and_tasks_again_and_nothing_else(
    tmp_path: Path,
) -> None:
    path = database_at(
        tmp_path / "local.sqlite3",
        "local",
        "0003",
        "INSERT INTO mail_folders (account, ews_id, display_name, folder_class, sync_state, "
        "unread_count, total_count) VALUES "
        "('anna@brightwave.test', 'AAInbox', 'Skrzynka odbiorcza', 'IPF.Note', 'S-inbox', 0, 3),"
        "('anna@brightwave.test', 'AACal', 'Kalendarz', 'IPF.Appointment', 'S-cal', 0, 5),"
        "('anna@brightwave.test', 'AATasks', 'Zadania', 'IPF.Task', 'S-tasks', 0, 2)",
    )

    open_database(f"sqlite:///{path}", "local").dispose()

    assert rows(path, "SELECT display_name, sync_state FROM mail_folders ORDER BY id") == [
        ("Skrzynka odbiorcza", "S-inbox"),
        ("Kalendarz", None),
        ("Zadania", None),
    ]
