"""A profile cached by an older version names the server's ids `remote_id` after revision 0007,
whichever backend gave them, and keeps every id, link and waiting change."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from app.db import migrate, open_database
from app.db.engine import make_engine
from app.mailbox.models import ActivityLink, MailFolder, MailItem, OutboxEntry
from tests.support.migrations import at_revision

ANNA = "anna.nowak@brightwave.test"


def cached_by_revision_0006(path: Path) -> Path:
    with at_revision(f"sqlite:///{path}", "local", "0006") as connection:
        connection.execute(
            text(
                "INSERT INTO mail_folders (id, account, ews_id, parent_ews_id, display_name,"
                " distinguished, content, unread_count, total_count) VALUES"
                " (1, :account, 'AAMkInbox', 'AAMkRoot', 'Skrzynka odbiorcza', 'inbox', 'mail',"
                " 0, 1)"
            ),
            {"account": ANNA},
        )
        connection.execute(
            text(
                "INSERT INTO mail_items (account, folder_id, ews_id, item_class, subject,"
                " sender_email, sender_name, to_recipients, cc_recipients, sent_at, is_read,"
                " is_draft, sensitivity, importance, categories, has_attachments, attachments,"
                " body_fetched, evaluated, tracking_state, track_failures) VALUES (:account, 1,"
                " 'AAMkOferta', 'IPM.Note', 'Oferta na serwis', 'l.wisniewski@acme.example',"
                " 'Łukasz Wiśniewski', '[]', '[]', '2026-11-30 09:30:00.000000', 0, 0, 'normal',"
                " 'Normal', '[]', 0, '[]', 1, 1, 'none', 0)"
            ),
            {"account": ANNA},
        )
        connection.execute(
            text(
                "INSERT INTO activity_links (account, activity_id, kind, ews_id, client_id)"
                " VALUES (:account, 7, 'appointment', 'AAMkSpotkanie', 'c7')"
            ),
            {"account": ANNA},
        )
        for client_id, kind, payload in (
            ("c-delete", "delete-message", {"mail_item_id": 1, "ews_id": "AAMkOferta"}),
            ("c-send", "send", {"subject": "Re: Oferta", "draft_ews_id": "AAMkDraft"}),
            ("c-track", "track", {"message_id": "<oferta@acme.example>"}),
        ):
            connection.execute(
                text(
                    "INSERT INTO outbox (client_id, account, kind, payload, state, attempts)"
                    " VALUES (:client_id, :account, :kind, :payload, 'pending', 0)"
                ),
                {
                    "client_id": client_id,
                    "account": ANNA,
                    "kind": kind,
                    "payload": json.dumps(payload),
                },
            )
    return path


def test_an_old_cache_keeps_every_server_id_under_its_new_name(tmp_path: Path) -> None:
    database = open_database(
        f"sqlite:///{cached_by_revision_0006(tmp_path / 'l.sqlite3')}", "local"
    )

    with database.sessions() as session:
        folder = session.scalars(select(MailFolder)).one()
        item = session.scalars(select(MailItem)).one()
        link = session.scalars(select(ActivityLink)).one()
    database.dispose()

    assert (folder.remote_id, folder.parent_remote_id) == ("AAMkInbox", "AAMkRoot")
    assert item.remote_id == "AAMkOferta"
    assert link.remote_id == "AAMkSpotkanie"


def test_changes_waiting_in_the_outbox_name_their_items_as_the_new_version_reads_them(
    tmp_path: Path,
) -> None:
    database = open_database(
        f"sqlite:///{cached_by_revision_0006(tmp_path / 'l.sqlite3')}", "local"
    )

    with database.sessions() as session:
        payloads = {e.client_id: e.payload for e in session.scalars(select(OutboxEntry))}
    database.dispose()

    assert payloads == {
        "c-delete": {"mail_item_id": 1, "remote_id": "AAMkOferta"},
        "c-send": {"subject": "Re: Oferta", "draft_remote_id": "AAMkDraft"},
        "c-track": {"message_id": "<oferta@acme.example>"},
    }


def test_going_back_to_revision_0006_gives_the_old_names_back(tmp_path: Path) -> None:
    """An older version opened on the profile again (after `alembic downgrade 0006`) finds its
    columns, index and waiting changes as it wrote them."""
    path = cached_by_revision_0006(tmp_path / "l.sqlite3")
    open_database(f"sqlite:///{path}", "local").dispose()
    engine = make_engine(f"sqlite:///{path}")
    config = migrate.alembic_config("local")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        item = connection.execute(text("SELECT ews_id FROM mail_items")).scalar_one()
        parent = connection.execute(text("SELECT parent_ews_id FROM mail_folders")).scalar_one()
        indexes = connection.execute(text("PRAGMA index_list(activity_links)")).all()
        payloads = dict(connection.execute(text("SELECT client_id, payload FROM outbox")).all())
    engine.dispose()

    assert (item, parent) == ("AAMkOferta", "AAMkRoot")
    assert "ix_activity_links_ews_id" in {index[1] for index in indexes}
    assert json.loads(payloads["c-delete"]) == {"mail_item_id": 1, "ews_id": "AAMkOferta"}
    assert json.loads(payloads["c-send"]) == {"subject": "Re: Oferta", "draft_ews_id": "AAMkDraft"}
