"""What every sync asks of the cache is answered by an index, never by reading every cached
message: at 10 000 messages a full scan cost a sync with nothing new ~25 ms. SQLite uses a
partial index only while the query's WHERE implies the index's, so a change to either shows
here. Likewise what every sync asks of the CRM (the user's appointments and tasks) never walks
the user's email activities. And the questions a sync asks of the outbox and the cache write
the partial indexes' constants into their SQL (app.db.literals): bound, they had SQLite
prepare the statement again at every execution."""

from __future__ import annotations

from typing import Literal

import pytest
from sqlalchemy import Select, TextClause, text
from sqlalchemy.dialects import sqlite

from app.db import Database
from app.mailbox.cache import FOLDER_TOTAL, FOLDER_UNREAD, copies_of
from app.mailbox.remote import ItemKind
from app.sync.calendar import (
    CACHED_SCHEDULE,
    LINKABLE_ACTIVITIES,
    activity_rows,
    party_rows,
)
from app.sync.engine import SyncEngine
from app.sync.outbox import waiting_marks
from app.sync.pull import RETRIED_TRACKING, UNKNOWN_ATTACHMENT_LISTS
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import mime, statements_run


def plan(
    workspace: Workspace, statement: Select[object] | TextClause, database: Database | None = None
) -> str:
    """How SQLite answers the statement in the profile's local database (or this one)."""
    # The values bound as SQLite will see them: a partial index is chosen by what they say.
    compiled = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    with (database or workspace.local).sessions() as session:
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        return " / ".join(str(row[3]) for row in rows)


def test_messages_without_their_attachment_list_are_found_by_their_index(
    workspace: Workspace,
) -> None:
    found = plan(
        workspace,
        UNKNOWN_ATTACHMENT_LISTS.params(account="anna.nowak@brightwave.example", unreadable=[7]),
    )

    assert "USING INDEX ix_mail_items_attachments_unknown" in found


def test_messages_whose_tracking_is_retried_are_found_by_their_index(
    workspace: Workspace,
) -> None:
    found = plan(workspace, RETRIED_TRACKING.params(account="anna.nowak@brightwave.example"))

    assert "USING INDEX ix_mail_items_tracking_retried" in found


def test_a_folders_message_count_reads_an_index_alone(workspace: Workspace) -> None:
    found = plan(workspace, FOLDER_TOTAL.params(folder_id=7))

    assert "USING COVERING INDEX ix_mail_items_folder_received" in found


def test_a_folders_unread_count_reads_the_unread_index_alone(workspace: Workspace) -> None:
    found = plan(workspace, FOLDER_UNREAD.params(folder_id=7))

    assert "USING COVERING INDEX ix_mail_items_unread" in found


def test_a_messages_copies_are_found_by_account_and_message_id(workspace: Workspace) -> None:
    found = plan(workspace, copies_of("anna.nowak@brightwave.example", ["<m1@acme.example>"]))

    assert "INDEX ix_mail_items_account_message_id (account=? AND internet_message_id=?)" in found


@pytest.mark.parametrize(
    ("key", "values"),
    [("mail_item_id", [7, 8, 9]), ("message_id", ["<m1@acme.example>", "<m2@acme.example>"])],
)
def test_the_marks_waiting_for_a_pages_messages_are_found_by_their_index(
    workspace: Workspace, key: Literal["mail_item_id", "message_id"], values: list[object]
) -> None:
    found = plan(workspace, waiting_marks(key, "anna.nowak@brightwave.example", values))

    assert (
        f"SEARCH outbox USING INDEX ix_outbox_waiting_mark_{key} (account=? AND <expr>=?)" in found
    )


@pytest.mark.parametrize(
    "read",
    [
        LINKABLE_ACTIVITIES.params(owner_id=1),
        activity_rows(ItemKind.APPOINTMENT, 1),
        activity_rows(ItemKind.TASK, 1),
        party_rows(1),
    ],
    ids=["activities", "appointment rows", "task rows", "attendees"],
)
def test_the_users_appointments_and_tasks_are_found_by_owner_and_type(
    workspace: Workspace, read: Select[object]
) -> None:
    found = plan(workspace, read, workspace.crm)

    assert "INDEX ix_activities_owner_type (owner_id=? AND type" in found


def test_the_cached_calendar_and_tasks_are_read_by_folder_not_by_reading_every_message(
    workspace: Workspace,
) -> None:
    found = plan(workspace, CACHED_SCHEDULE.params(account="anna.nowak@brightwave.example"))

    assert "SEARCH mail_items USING INDEX ix_mail_items_folder_received (folder_id=?)" in found


# The constants in the WHERE of the cache's and the outbox's partial indexes.
PARTIAL_INDEX_CONSTANTS = {"pending", "retrying", "mark"}


def test_a_sync_asks_its_questions_with_the_partial_indexes_constants_in_the_sql(
    workspace: Workspace, remote: Remote, engine: SyncEngine
) -> None:
    remote.deliver(mime("Ewa Zielińska <ewa@acme.example>", remote.user.address, "Oferta 2027"))
    with statements_run(workspace.local.engine) as run:
        assert engine.sync_once().ok  # a message: the page's questions
        assert engine.sync_once().ok  # nothing new: the questions of every sync
    asked = [(s, parameters) for s, parameters in run if s.lstrip().upper().startswith("SELECT")]

    assert asked
    bound = [
        statement
        for statement, parameters in asked
        if PARTIAL_INDEX_CONSTANTS
        & set(parameters.values() if isinstance(parameters, dict) else parameters or ())
    ]
    assert bound == []
