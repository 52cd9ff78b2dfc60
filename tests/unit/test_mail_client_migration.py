"""A profile cached by an older version keeps its mail and gains what a mail client needs
(revision 0006 of the local state): messages with a paperclip whose attachment list was never
stored are read again, the others keep theirs, and the people mail came from and went to are
known to address completion at once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import text

from app.db import open_database
from tests.support.migrations import at_revision

ANNA = "anna.nowak@brightwave.test"
PDF = [{"name": "oferta.pdf", "size": 48000, "content_type": "application/pdf"}]


def cached_by_revision_0005(path: Path) -> Path:
    with at_revision(f"sqlite:///{path}", "local", "0005") as connection:
        for number, (folder, distinguished) in enumerate(
            [("Skrzynka odbiorcza", "inbox"), ("Elementy wysłane", "sentitems")], start=1
        ):
            connection.execute(
                text(
                    "INSERT INTO mail_folders (id, account, ews_id, display_name, distinguished,"
                    " content, unread_count, total_count) VALUES (:id, :account, :ews, :name,"
                    " :distinguished, 'mail', 0, 0)"
                ),
                {
                    "id": number,
                    "account": ANNA,
                    "ews": f"AAMkFolder{number}",
                    "name": folder,
                    "distinguished": distinguished,
                },
            )
        messages = [
            # subject, folder, sender, to, has attachments, attachments, sent
            ("Oferta", 1, "Łukasz Wiśniewski", "l.wisniewski@acme.example", [], True, [], "10-05"),
            ("Cennik", 1, "Łukasz W.", "l.wisniewski@acme.example", [], True, PDF, "10-03"),
            ("Termin", 1, "Greta Schulz", "greta@mueller.example", [], False, [], "10-04"),
            ("Umowa", 2, "Anna Nowak", ANNA, [["greta@mueller.example", "G. Schulz"]], False, [],
             "10-01"),
        ]  # fmt: skip
        for number, (subject, folder, name, sender, to, paperclip, listed, day) in enumerate(
            messages
        ):
            connection.execute(
                text(
                    "INSERT INTO mail_items (account, folder_id, ews_id, item_class, subject,"
                    " sender_email, sender_name, to_recipients, cc_recipients, sent_at, is_read,"
                    " is_draft, sensitivity, importance, categories, has_attachments,"
                    " attachments, body_fetched, evaluated, tracking_state, track_failures)"
                    " VALUES (:account, :folder, :ews, 'IPM.Note', :subject, :sender, :name,"
                    " :to, '[]', :sent, 0, 0, 'normal', 'Normal', '[]', :paperclip,"
                    " :listed, 1, 1, 'none', 0)"
                ),
                {
                    "account": ANNA,
                    "folder": folder,
                    "ews": f"AAMkItem{number}",
                    "subject": subject,
                    "sender": sender,
                    "name": name,
                    "to": json.dumps([{"email": e, "name": n} for e, n in to]),
                    "sent": f"2026-{day} 09:30:00.000000",
                    "paperclip": paperclip,
                    "listed": json.dumps(listed),
                },
            )
    return path


def test_an_old_cache_keeps_its_mail_and_learns_what_it_did_not_store(tmp_path: Path) -> None:
    database = cached_by_revision_0005(tmp_path / "local.sqlite3")

    open_database(f"sqlite:///{database}", "local").dispose()

    connection = sqlite3.connect(database)
    try:
        fetched = dict(connection.execute("SELECT subject, attachments_fetched FROM mail_items"))
        flags = {flag for (flag,) in connection.execute("SELECT flag_status FROM mail_items")}
        people = {
            email: (name, folded, times)
            for email, name, folded, times in connection.execute(
                "SELECT email, name, folded, times FROM correspondents"
            )
        }
    finally:
        connection.close()
    assert fetched == {"Oferta": 0, "Cennik": 1, "Termin": 1, "Umowa": 1}
    assert flags == {"none"}
    assert people == {
        # The newest name a sender was seen with; recipients of the user's own mail too.
        "l.wisniewski@acme.example": (
            "Łukasz Wiśniewski",
            "lukasz wisniewski l.wisniewski@acme.example",
            2,
        ),
        "greta@mueller.example": ("Greta Schulz", "greta schulz greta@mueller.example", 2),
    }
