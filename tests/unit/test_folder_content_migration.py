"""A profile cached by an older version keeps its folders: their EWS folder classes become what
the folders hold (revision 0004 of the local state)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from app.db import open_database
from tests.support.migrations import at_revision

FOLDERS = {
    "Skrzynka odbiorcza": "IPF.Note",
    "Kalendarz": "IPF.Appointment",
    "Zadania": "IPF.Task",
    "Kontakty": "IPF.Contact",
    "Notatki": "IPF.StickyNote",
    "Dziennik": "IPF.Journal",
    "Archiwum Müller": "IPF.Note.Archive",
    "Z innego programu": None,
    "Ustawienia rozmów": "IPF.Configuration",
}


def cached_by_revision_0003(path: Path) -> Path:
    with at_revision(f"sqlite:///{path}", "local", "0003") as connection:
        for number, (name, folder_class) in enumerate(FOLDERS.items()):
            connection.execute(
                text(
                    "INSERT INTO mail_folders (account, ews_id, display_name, folder_class, "
                    "unread_count, total_count) VALUES ('anna.nowak@brightwave.test', :id, "
                    ":name, :folder_class, 0, 0)"
                ),
                {"id": f"AAMkFolder{number}", "name": name, "folder_class": folder_class},
            )
    return path


def test_folder_classes_of_an_old_cache_become_what_the_folders_hold(tmp_path: Path) -> None:
    database = cached_by_revision_0003(tmp_path / "local.sqlite3")

    open_database(f"sqlite:///{database}", "local").dispose()

    connection = sqlite3.connect(database)
    try:
        content = dict(connection.execute("SELECT display_name, content FROM mail_folders"))
    finally:
        connection.close()
    assert content == {
        "Skrzynka odbiorcza": "mail",
        "Kalendarz": "calendar",
        "Zadania": "tasks",
        "Kontakty": "contacts",
        "Notatki": "notes",
        "Dziennik": "journal",
        "Archiwum Müller": "mail",
        "Z innego programu": "mail",
        "Ustawienia rozmów": "other",
    }
