"""The CRM store on a real PostgreSQL server: same models, same migrations, same services."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.crm.csv_import import import_csv
from app.crm.org import load_org_settings, set_org_setting
from app.crm.records import create_user, records_with_address
from app.crm.tokens import issue_token
from app.db import Database, open_database


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
