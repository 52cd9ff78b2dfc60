"""app.db.bulk.execute_many stores what Core's executemany stores, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from app.db.bulk import execute_many

METADATA = sa.MetaData()
NOTES = sa.Table(
    "notes",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("recipients", sa.JSON, nullable=False, default=list),
    sa.Column("details", sa.JSON),
    sa.Column("sent_at", sa.DateTime),
    sa.Column("is_read", sa.Boolean, nullable=False, default=False),
    sa.Column("kind", sa.String(10), nullable=False, default="note"),
)
INSERT = sa.insert(NOTES)
MARK_READ = (
    sa.update(NOTES)
    .where(NOTES.c.id == sa.bindparam("row_id"))
    .values(is_read=sa.bindparam("read"), details=sa.bindparam("new_details"))
)
ROWS: list[dict[str, Any]] = [
    {
        "id": n,
        "subject": f"Zamówienie {n} – termin dostawy",
        "recipients": [{"email": f"osoba{n}@firma.example", "name": "Łukasz Żak"}] if n % 3 else [],
        "details": None if n % 2 else {"due": "2026-12-07", "status": "w toku"},
        # with and without microseconds, with and without a zone (written as its fields)
        "sent_at": datetime(2026, 12, 1, 9, n, 0, 1000 * (n % 2), tzinfo=UTC if n > 3 else None),
    }
    for n in range(1, 6)
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bulk.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    METADATA.create_all(engine)
    yield engine
    METADATA.drop_all(engine)
    engine.dispose()


def stored(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(NOTES).order_by(NOTES.c.id))]


def as_written(engine: sa.Engine) -> list[tuple[Any, ...]]:
    """The rows as the database holds them (on SQLite, JSON and times as their text)."""
    with engine.connect() as connection:
        return [
            tuple(row) for row in connection.execute(sa.text("SELECT * FROM notes ORDER BY id"))
        ]


def written_both_ways(
    engine: sa.Engine, statement: Any, rows: list[dict[str, Any]], *, on_rows: bool = False
) -> tuple[list[Any], list[Any]]:
    """What the table holds after Core's executemany and after execute_many of the same rows
    (`on_rows`: on a table holding ROWS first), emptied after each."""
    found = []
    for write in (Connection.execute, execute_many):
        with engine.begin() as connection:
            if on_rows:
                connection.execute(INSERT, ROWS)
            write(connection, statement, rows)
        found.append(as_written(engine))
        with engine.begin() as connection:
            connection.execute(sa.delete(NOTES))
    by_core, ours = found
    return by_core, ours


def test_rows_inserted_read_back_as_core_writes_them_defaults_included(
    engine: sa.Engine,
) -> None:
    by_core, ours = written_both_ways(engine, INSERT, ROWS)
    assert ours == by_core
    with engine.begin() as connection:
        execute_many(connection, INSERT, ROWS)
    assert stored(engine)[0][2:] == (
        [{"email": "osoba1@firma.example", "name": "Łukasz Żak"}],
        None,
        datetime(2026, 12, 1, 9, 1, 0, 1000),
        False,
        "note",
    )


def test_a_callable_default_gives_each_row_its_own_value(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        execute_many(connection, INSERT, [{"id": 1, "subject": "A"}, {"id": 2, "subject": "B"}])
    assert [row[2] for row in stored(engine)] == [[], []]


def test_rows_updated_by_bound_keys_read_back_as_core_writes_them(engine: sa.Engine) -> None:
    changes = [
        {"row_id": 2, "read": True, "new_details": {"category": "Tracked to Liaison"}},
        {"row_id": 4, "read": True, "new_details": None},
    ]
    by_core, ours = written_both_ways(engine, MARK_READ, changes, on_rows=True)
    assert ours == by_core
    with engine.begin() as connection:
        connection.execute(INSERT, ROWS)
        execute_many(connection, MARK_READ, changes)
    assert [row[5] for row in stored(engine)] == [False, True, False, True, False]
    assert stored(engine)[1][3] == {"category": "Tracked to Liaison"}


def test_values_the_statement_gives_itself_are_written_none_included(engine: sa.Engine) -> None:
    close = (
        sa.update(NOTES)
        .where(NOTES.c.id == sa.bindparam("row_id"))
        .values(details=None, kind="closed")
    )
    by_core, ours = written_both_ways(engine, close, [{"row_id": 2}, {"row_id": 4}], on_rows=True)
    assert ours == by_core
    assert [row[6] for row in ours] == ["note", "closed", "note", "closed", "note"]


def test_rows_that_give_other_columns_than_the_first_are_refused(engine: sa.Engine) -> None:
    rows = [{"id": 1, "subject": "A"}, {"id": 2, "subject": "B", "kind": "mail"}]
    with engine.begin() as connection, pytest.raises(ValueError, match="same columns"):
        execute_many(connection, INSERT, rows)


def test_no_rows_is_no_statement(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        execute_many(connection, INSERT, [])
    assert stored(engine) == []


def test_a_bound_key_that_no_row_gives_is_refused(engine: sa.Engine) -> None:
    with engine.begin() as connection, pytest.raises(ValueError, match="'row_id'"):
        execute_many(connection, MARK_READ, [{"read": True, "new_details": None}])


def test_the_columns_named_are_taken_from_rows_that_hold_more(engine: sa.Engine) -> None:
    wider = [{**row, "folder": "Skrzynka odbiorcza", "unread": True} for row in ROWS]
    by_core, _ = written_both_ways(engine, INSERT, ROWS)
    with engine.begin() as connection:
        execute_many(connection, INSERT, wider, columns=["id", "subject", "sent_at"])
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT id, subject, sent_at, kind FROM notes ORDER BY id")
        )
        assert [tuple(row) for row in rows] == [(r[0], r[1], r[4], "note") for r in by_core]
    assert stored(engine)[0][2] == []  # left to its default
