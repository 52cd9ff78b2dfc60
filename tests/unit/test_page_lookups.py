"""A page's Message-IDs are looked up in the CRM at once (app.crm.page_writes): exactly the
activities of the IDs asked for come back, however many are asked, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.crm.models import EmailActivity
from app.crm.page_writes import activities_by_message_id
from app.db import Database, open_database

TRACKED = [
    "<CAF=3d+Yq@mail.acme-logistics.example>",
    '<"quoted"@brightwave.example>',
    "<zamówienie.17@żółw.example>",
    "<back\\slash@example.com>",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def crm(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = open_database(url, "crm")
    with database.sessions.begin() as session:
        session.add_all(
            EmailActivity(subject=f"Zamówienie {n}", message_id=message_id, direction="incoming")
            for n, message_id in enumerate(TRACKED)
        )
    yield database
    if request.param == "postgresql":
        with database.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    database.dispose()


def test_a_pages_tracked_messages_are_found_among_more_ids_than_one_statement_binds(
    crm: Database,
) -> None:
    asked = [f"<{n}@brightwave.example>" for n in range(1_200)] + TRACKED + [None]

    with crm.sessions() as session:
        found = activities_by_message_id(session, asked)

    assert sorted(found) == sorted(TRACKED)
    assert all(found[message_id].message_id == message_id for message_id in TRACKED)


def test_a_page_without_message_ids_asks_nothing(crm: Database) -> None:
    with crm.sessions() as session:
        assert activities_by_message_id(session, [None, ""]) == {}
