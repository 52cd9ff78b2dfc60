"""What every sync asks of the cache is answered by an index, never by reading every cached
message: at 10 000 messages a full scan cost a sync with nothing new ~25 ms. SQLite uses a
partial index only while the query's WHERE implies the index's, so a change to either shows
here."""

from __future__ import annotations

from sqlalchemy import Select, text
from sqlalchemy.dialects import sqlite

from app.mailbox.cache import folder_total, folder_unread
from app.sync.pull import retried_tracking, unknown_attachment_lists
from app.workspace import Workspace


def plan(workspace: Workspace, statement: Select[object]) -> str:
    # The values bound as SQLite will see them: a partial index is chosen by what they say.
    compiled = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    with workspace.local.sessions() as session:
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        return " / ".join(str(row[3]) for row in rows)


def test_messages_without_their_attachment_list_are_found_by_their_index(
    workspace: Workspace,
) -> None:
    found = plan(workspace, unknown_attachment_lists("anna.nowak@brightwave.example", {7}))

    assert "USING INDEX ix_mail_items_attachments_unknown" in found


def test_messages_whose_tracking_is_retried_are_found_by_their_index(
    workspace: Workspace,
) -> None:
    found = plan(workspace, retried_tracking("anna.nowak@brightwave.example"))

    assert "USING INDEX ix_mail_items_tracking_retried" in found


def test_a_folders_message_count_reads_an_index_alone(workspace: Workspace) -> None:
    found = plan(workspace, folder_total(7))

    assert "USING COVERING INDEX ix_mail_items_folder_received" in found


def test_a_folders_unread_count_reads_the_unread_index_alone(workspace: Workspace) -> None:
    found = plan(workspace, folder_unread(7))

    assert "USING COVERING INDEX ix_mail_items_unread" in found
