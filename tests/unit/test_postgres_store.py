"""The CRM store on a real PostgreSQL server: same models, same migrations, same services."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.crm.csv_import import import_csv
from app.crm.duplicates import duplicates_of
from app.crm.models import Account
from app.crm.org import load_org_settings, set_org_setting
from app.crm.records import create_account, create_contact, create_user, records_with_address
from app.crm.tokens import issue_token
from app.db import Database, open_database
from app.tracking.model import RecordType


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[Database]:
    database = open_database(postgres_url, "crm")
    yield database
    with database.engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    database.dispose()


def test_migrations_create_the_crm_schema_on_postgresql(pg_database: Database) -> None:
    tables = set(sa.inspect(pg_database.engine).get_table_names())
    assert {"records", "email_activities", "activity_parties", "issued_tokens"} <= tables


def test_records_tokens_and_settings_work_on_postgresql(
    pg_database: Database, tmp_path: Path
) -> None:
    with pg_database.sessions.begin() as session:
        anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
        csv_file = tmp_path / "accounts.csv"
        csv_file.write_text(
            "name,email,website\nAcme Logistics,biuro@acme-logistics.example,\n", encoding="utf-8"
        )
        assert import_csv(session, "accounts", csv_file, anna, False).imported == 1
        org = set_org_setting(session, "token-prefix", "BW:")
        assert issue_token(session, anna, org).token == "BW:0001001"
    with Session(pg_database.engine) as session:
        assert load_org_settings(session).token_prefix_history == ("CRM:",)
        [account] = records_with_address(session, "BIURO@acme-logistics.example")
        assert account.display_name == "Acme Logistics"


def test_the_store_stamps_every_change_and_raises_the_version_of_the_record(
    pg_database: Database,
) -> None:
    with pg_database.sessions.begin() as session:
        anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
        account = create_account(session, "Acme Logistics", ["biuro@acme-logistics.example"], anna)
    with pg_database.sessions.begin() as session:
        stored = session.get(Account, account.id)
        assert stored is not None
        stored.phone = "+48 22 555 01 01"  # a column of the subtype table only

    with pg_database.engine.connect() as connection:
        version, record_seq = connection.execute(
            sa.text("SELECT version, change_seq FROM records WHERE id = :id"), {"id": account.id}
        ).one()
        account_seq = connection.scalar(
            sa.text("SELECT change_seq FROM accounts WHERE id = :id"), {"id": account.id}
        )
        newest = connection.scalar(sa.text("SELECT last_value FROM crm_change_seq"))
    assert version == 2
    assert newest in (record_seq, account_seq)


def test_a_deleted_record_leaves_a_tombstone_for_the_replicas(pg_database: Database) -> None:
    with pg_database.sessions.begin() as session:
        account = create_account(session, "Acme Logistics", ["biuro@acme-logistics.example"])
    with pg_database.sessions.begin() as session:
        session.delete(session.get(Account, account.id))

    with pg_database.engine.connect() as connection:
        gone = set(connection.execute(sa.text("SELECT table_name, row_key FROM deleted_rows")))
    assert {("records", str(account.id)), ("accounts", str(account.id))} <= gone


def test_a_second_record_auto_created_for_one_address_is_refused(pg_database: Database) -> None:
    with pg_database.sessions.begin() as session:
        create_contact(
            session,
            "Jan",
            "Kowalski",
            ["jan@hurtownia.example"],
            auto_created_for="jan@hurtownia.example",
        )
    with pytest.raises(sa.exc.IntegrityError), pg_database.sessions.begin() as session:
        create_contact(
            session,
            "Jan",
            "Kowalski",
            ["jan@hurtownia.example"],
            auto_created_for="jan@hurtownia.example",
        )


def test_duplicate_detection_finds_a_name_typed_without_accents_on_postgresql(
    pg_database: Database,
) -> None:
    with pg_database.sessions.begin() as session:
        anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
        lukasz = create_contact(session, "Łukasz", "Wiśniewski", ["l.wisniewski@acme.pl"], anna)
        create_contact(session, "Łukasz", "Wiśniewska", ["l.wisniewska@acme.pl"], anna)
    with Session(pg_database.engine) as session:
        found = duplicates_of(
            session, RecordType.CONTACT, {"first_name": "Lukasz", "last_name": "WISNIEWSKI"}
        )
    assert [match.record.id for match in found] == [lukasz.id]
