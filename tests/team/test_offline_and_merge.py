"""A team client working while the store is unreachable, edits of one record by two users
merged field by field, private activities, and the replica refreshed incrementally."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update

from app.accounts import new_account, save_account
from app.crm.activities import activity_by_message_id, set_regarding
from app.crm.models import Account, ActivityParty, Appointment, Contact, EmailActivity, Task
from app.crm.records import create_account, create_contact, find_account_by_name, get_record
from app.services.tracking import TrackingService
from app.services.workspace import WorkspaceServices
from app.team.capture import PROVISIONAL_BASE
from app.team.link import REPLICA_FILE
from app.team.replica import refresh
from tests.sync.engine.conftest import mime
from tests.team.conftest import Client, Team

ANNA = ("anna", "anna.nowak@brightwave.example", "Anna Nowak")
PIOTR = ("piotr", "piotr.zielinski@brightwave.example", "Piotr Zieliński")
MAIL_SERVER = "https://mail.brightwave.example/EWS/Exchange.asmx"


def order_message(client: Client, number: int, sensitivity: str | None = None) -> bytes:
    return mime(
        "Jan Kowalski <jan.kowalski@hurtownia-wisla.example>",
        f"{client.name} <{client.address}>",
        f"Zamówienie nr {number}",
        message_id=f"<zamowienie-{number}@hurtownia-wisla.example>",
        sensitivity=sensitivity,
    )


def work_offline(client: Client) -> None:
    """Everything the issue lists as CRM writes: track (with an auto-created contact), an
    account, Set Regarding, an appointment and a task."""
    with client.workspace() as workspace:
        TrackingService(workspace).track_automatically(order_message(client, 1))
        with workspace.crm.sessions.begin() as session:
            owner = workspace.owner(session)
            account = create_account(session, "Hurtownia Wisła", ["biuro@hurtownia-wisla.example"])
            activity = activity_by_message_id(session, "<zamowienie-1@hurtownia-wisla.example>")
            assert activity is not None
            set_regarding(session, activity, account)
            session.add(
                Appointment(
                    owner_id=owner.id,
                    subject="Spotkanie w Hurtowni Wisła",
                    start=datetime(2026, 12, 1, 9, tzinfo=UTC),
                    end=datetime(2026, 12, 1, 10, tzinfo=UTC),
                    regarding_id=account.id,
                )
            )
            session.add(Task(owner_id=owner.id, subject="Wysłać ofertę", regarding_id=account.id))


def store_counts(rows: Callable[..., list[Any]]) -> dict[str, int]:
    return {
        table: rows(f"SELECT count(*) FROM {table}")[0][0]
        for table in ("email_activities", "contacts", "accounts", "appointments", "tasks")
    }


def test_writes_made_offline_wait_in_the_outbox(team: Team, rows: Callable[..., list[Any]]) -> None:
    anna = team.client(*ANNA, track="all", autocreate="contact")
    anna.go_offline()

    work_offline(anna)
    report = anna.sync()

    assert report is not None and not report.online
    assert report.pending > 0
    assert store_counts(rows) == dict.fromkeys(store_counts(rows), 0)
    with anna.workspace() as workspace, workspace.crm.sessions() as session:
        activity = activity_by_message_id(session, "<zamowienie-1@hurtownia-wisla.example>")
        assert activity is not None and activity.regarding is not None
        assert activity.regarding.display_name == "Hurtownia Wisła"


def test_the_window_counts_crm_changes_waiting_for_the_store_as_waiting_changes(
    team: Team,
) -> None:
    anna = team.client(*ANNA, track="all", autocreate="contact")
    anna.go_offline()
    work_offline(anna)

    with anna.workspace() as workspace:
        assert workspace.team is not None
        save_account(workspace, new_account(anna.address, MAIL_SERVER), "Hasło-2026")
        waiting = workspace.team.pending()
        status = WorkspaceServices(workspace).sync_status()

    assert waiting > 0
    assert status.pending_changes == waiting


def test_writes_made_offline_reach_the_store_once_when_it_is_back(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna = team.client(*ANNA, track="all", autocreate="contact")
    anna.go_offline()
    work_offline(anna)
    anna.sync()

    anna.come_back()
    first = anna.sync()
    second = anna.sync()

    assert first.online and first.pending == 0 and first.pushed > 0
    assert second.pushed == 0
    assert store_counts(rows) == {
        "email_activities": 1,
        "contacts": 1,
        "accounts": 1,
        "appointments": 1,
        "tasks": 1,
    }
    assert rows(
        "SELECT r.id FROM email_activities e JOIN activities a ON a.id = e.id "
        "JOIN accounts r ON r.id = a.regarding_id"
    ) == rows("SELECT id FROM accounts")


def test_every_record_and_activity_sent_by_a_client_has_an_owner(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna = team.client(*ANNA, track="all", autocreate="contact")
    work_offline(anna)  # the account is created without naming an owner

    anna.sync()

    with anna.workspace() as workspace:
        anna_id = workspace.settings["owner_user_id"]
    assert rows("SELECT DISTINCT owner_id FROM records WHERE type <> 'user'") == [(anna_id,)]
    assert rows("SELECT DISTINCT owner_id FROM activities") == [(anna_id,)]


def test_a_push_the_client_never_heard_back_from_is_not_applied_twice(
    team: Team, rows: Callable[..., list[Any]], tmp_path: Path
) -> None:
    anna = team.client(*ANNA, track="all", autocreate="contact")
    anna.go_offline()
    work_offline(anna)
    anna.come_back()
    replica = anna.paths.data_dir / REPLICA_FILE
    saved = tmp_path / "replica-before-push.sqlite3"
    copy_sqlite(replica, saved)

    anna.sync()
    # The client crashed after the store committed and before its replica heard of it.
    for suffix in ("-wal", "-shm"):
        Path(f"{replica}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(saved, replica)
    report = anna.sync()

    assert report.online and report.pending == 0
    assert store_counts(rows) == {
        "email_activities": 1,
        "contacts": 1,
        "accounts": 1,
        "appointments": 1,
        "tasks": 1,
    }
    with anna.workspace() as workspace, workspace.crm.sessions() as session:
        assert len(session.scalars(select(EmailActivity)).all()) == 1
        assert len(session.scalars(select(Contact)).all()) == 1


def test_a_change_made_by_criteria_rather_than_by_object_reaches_the_store(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna = team.client(*ANNA, track="all")
    with anna.workspace() as workspace:
        TrackingService(workspace).track_automatically(order_message(anna, 3))
        # As the window's "create a contact from this address": the contact, then every party
        # of that address linked to it with one UPDATE ... WHERE.
        with workspace.crm.sessions.begin() as session:
            contact = create_contact(
                session, "Jan", "Kowalski", ["jan.kowalski@hurtownia-wisla.example"]
            )
            session.execute(
                update(ActivityParty)
                .where(
                    ActivityParty.normalized == "jan.kowalski@hurtownia-wisla.example",
                    ActivityParty.record_id.is_(None),
                )
                .values(record_id=contact.id)
            )

    anna.sync()

    assert rows(
        "SELECT p.role, c.last_name FROM activity_parties p JOIN contacts c ON c.id = p.record_id"
        " WHERE p.normalized = 'jan.kowalski@hurtownia-wisla.example'"
    ) == [("sender", "Kowalski")]


def copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def shared_contact(anna: Client, piotr: Client) -> int:
    with anna.workspace() as workspace, workspace.crm.sessions.begin() as session:
        contact = create_contact(
            session,
            "Jan",
            "Kowalski",
            ["jan.kowalski@hurtownia-wisla.example"],
            job_title="Kierownik zakupów",
            phone="+48 22 100 20 30",
        )
        provisional = contact.id
    anna.sync()
    piotr.sync()
    with piotr.workspace() as workspace, workspace.crm.sessions() as session:
        [contact] = session.scalars(select(Contact)).all()
        assert contact.id != provisional
        return contact.id


def edit_contact(client: Client, contact_id: int, **fields: str) -> None:
    with client.workspace() as workspace, workspace.crm.sessions.begin() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        for name, value in fields.items():
            setattr(contact, name, value)


def test_edits_of_different_fields_by_two_users_offline_are_both_kept(team: Team) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    contact_id = shared_contact(anna, piotr)

    edit_contact(anna, contact_id, job_title="Dyrektor zakupów")
    edit_contact(piotr, contact_id, last_name="Kowalski-Nowak")
    anna.sync()
    piotr.sync()
    anna.sync()

    for client in (anna, piotr):
        with client.workspace() as workspace, workspace.crm.sessions() as session:
            contact = session.get(Contact, contact_id)
            assert contact is not None
            assert (contact.job_title, contact.last_name, contact.phone) == (
                "Dyrektor zakupów",
                "Kowalski-Nowak",
                "+48 22 100 20 30",
            )


def test_the_later_edit_of_one_field_wins_and_the_other_is_kept_in_history(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    contact_id = shared_contact(anna, piotr)

    edit_contact(piotr, contact_id, phone="+48 600 700 800")  # earlier edit, sent later
    edit_contact(anna, contact_id, phone="+48 22 111 11 11", job_title="Dyrektor zakupów")
    anna.sync()
    piotr.sync()

    assert rows("SELECT phone, job_title FROM contacts WHERE id = :id", id=contact_id) == [
        ("+48 22 111 11 11", "Dyrektor zakupów")
    ]
    with piotr.workspace() as workspace:
        piotr_id = workspace.settings["owner_user_id"]
    assert rows(
        "SELECT table_name, row_id, field, lost_value #>> '{}', kept_value #>> '{}', lost_by_id "
        "FROM record_history"
    ) == [("contacts", contact_id, "phone", "+48 600 700 800", "+48 22 111 11 11", piotr_id)]


def test_a_later_edit_sent_last_wins_and_the_earlier_value_is_kept_in_history(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    contact_id = shared_contact(anna, piotr)

    edit_contact(anna, contact_id, phone="+48 22 111 11 11")
    edit_contact(piotr, contact_id, phone="+48 600 700 800")
    anna.sync()
    piotr.sync()

    assert rows("SELECT phone FROM contacts WHERE id = :id", id=contact_id) == [
        ("+48 600 700 800",)
    ]
    assert rows("SELECT field, lost_value #>> '{}' FROM record_history") == [
        ("phone", "+48 22 111 11 11")
    ]


def test_a_private_activity_is_not_in_other_users_replicas(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna = team.client(*ANNA, track="all")
    piotr = team.client(*PIOTR, track="all")
    with anna.workspace() as workspace:
        TrackingService(workspace).track_manually(order_message(anna, 7, sensitivity="Private"))
        TrackingService(workspace).track_manually(order_message(anna, 8))
    anna.sync()
    piotr.sync()

    assert rows("SELECT subject, private FROM activities ORDER BY subject") == [
        ("Zamówienie nr 7", True),
        ("Zamówienie nr 8", False),
    ]
    for client, expected in (
        (anna, ["Zamówienie nr 7", "Zamówienie nr 8"]),
        (piotr, ["Zamówienie nr 8"]),
    ):
        with client.workspace() as workspace, workspace.crm.sessions() as session:
            subjects = sorted(a.subject for a in session.scalars(select(EmailActivity)))
            assert subjects == expected, client.profile


def test_an_activity_made_private_later_leaves_other_users_replicas(team: Team) -> None:
    anna = team.client(*ANNA, track="all")
    piotr = team.client(*PIOTR, track="all")
    with anna.workspace() as workspace:
        TrackingService(workspace).track_manually(order_message(anna, 9))
    anna.sync()
    piotr.sync()

    with anna.workspace() as workspace, workspace.crm.sessions.begin() as session:
        activity = activity_by_message_id(session, "<zamowienie-9@hurtownia-wisla.example>")
        assert activity is not None
        activity.private = True
    anna.sync()
    piotr.sync()

    with piotr.workspace() as workspace, workspace.crm.sessions() as session:
        assert session.scalars(select(EmailActivity)).all() == []


def test_a_refresh_fetches_only_what_changed_since_the_last_one(team: Team) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    with piotr.workspace() as workspace, workspace.crm.sessions.begin() as session:
        for n in range(40):
            create_account(session, f"Firma Handlowa {n}", [f"biuro@firma-{n}.example"])
    piotr.sync()
    first = anna.sync()

    with piotr.workspace() as workspace, workspace.crm.sessions.begin() as session:
        renamed = find_account_by_name(session, "Firma Handlowa 3")
        gone = find_account_by_name(session, "Firma Handlowa 4")
        assert renamed is not None and gone is not None
        renamed.name = "Firma Handlowa Trzy"
        session.delete(gone)
    piotr.sync()
    second = anna.sync()

    assert first.refreshed.rows >= 120  # records, accounts and addresses of 40 accounts
    assert second.refreshed.rows <= 3 and second.refreshed.deleted >= 1
    with anna.workspace() as workspace, workspace.crm.sessions() as session:
        names = {account.name for account in session.scalars(select(Account))}
    assert "Firma Handlowa Trzy" in names and "Firma Handlowa 4" not in names
    assert len(names) == 39


def test_a_change_committed_after_a_refresh_began_is_not_skipped_by_the_next_one(
    team: Team, store_url: str
) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    store = sa.create_engine(store_url)
    writer = store.connect()
    slow = writer.begin()
    # Another client's transaction takes its change number now and commits only later.
    writer.execute(
        sa.text("INSERT INTO records (type, active, version) VALUES ('account', true, 1)")
    )
    account_id = writer.scalar(sa.text("SELECT currval('records_id_seq')"))
    writer.execute(
        sa.text("INSERT INTO accounts (id, name) VALUES (:id, 'Spedycja Bałtyk')"),
        {"id": account_id},
    )
    with piotr.workspace() as workspace:
        with workspace.crm.sessions.begin() as session:
            create_account(session, "Hurtownia Wisła", ["biuro@hurtownia-wisla.example"])
        assert workspace.team is not None
        # A change numbered after the slow one, committed before it (sent, not refreshed).
        assert workspace.team.push(workspace.settings["owner_user_id"]) == (1, 0)

    refreshing = threading.Thread(target=anna.sync)
    refreshing.start()
    refreshing.join(timeout=1.0)
    assert refreshing.is_alive(), "the refresh must wait for the transaction in flight"
    slow.commit()
    refreshing.join(timeout=30)
    writer.close()
    store.dispose()

    with anna.workspace() as workspace, workspace.crm.sessions() as session:
        names = {account.name for account in session.scalars(select(Account))}
    assert names == {"Spedycja Bałtyk", "Hurtownia Wisła"}


def test_a_record_created_offline_is_still_found_by_the_id_it_had_before_the_store_gave_its_own(
    team: Team,
) -> None:
    anna = team.client(*ANNA)
    anna.go_offline()
    with anna.workspace() as workspace, workspace.crm.sessions.begin() as session:
        provisional = create_account(session, "Hurtownia Wisła", ["biuro@hurtownia-wisla.example"])
    anna.come_back()
    anna.sync()

    with anna.workspace() as workspace, workspace.crm.sessions() as session:
        found = get_record(session, "account", str(provisional.id))
        assert found.display_name == "Hurtownia Wisła"
        assert found.id != provisional.id


def test_a_refresh_before_the_push_shows_the_stores_activity_and_the_push_then_joins_it(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna = team.client(*ANNA, track="all")
    piotr = team.client(*PIOTR, track="all")
    both = mime(
        "Jan Kowalski <jan.kowalski@hurtownia-wisla.example>",
        f"{anna.name} <{anna.address}>, {piotr.name} <{piotr.address}>",
        "Reklamacja dostawy",
        message_id="<reklamacja-5@hurtownia-wisla.example>",
    )
    anna.go_offline()
    with anna.workspace() as workspace:
        TrackingService(workspace).track_automatically(both)
    with piotr.workspace() as workspace:
        TrackingService(workspace).track_automatically(both)
    piotr.sync()
    anna.come_back()

    with anna.workspace() as workspace:
        assert workspace.team is not None
        refresh(
            workspace.team.store(), workspace.crm.engine, None, workspace.settings["owner_user_id"]
        )
        with workspace.crm.sessions() as session:
            shown = activity_by_message_id(session, "<reklamacja-5@hurtownia-wisla.example>")
            assert shown is not None and shown.id < PROVISIONAL_BASE
        assert workspace.team.pending() == 1
    anna.sync()

    assert rows(
        "SELECT count(DISTINCT e.id), count(m.id) FROM email_activities e "
        "JOIN activity_mailboxes m ON m.activity_id = e.id"
    ) == [(1, 2)]
