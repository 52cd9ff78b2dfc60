"""The test run's SQLite engines share their compiled statements (tests/support/compiled_once):
a profile opened by a later test finds what an earlier one compiled, and each still works on
its own file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.engine.default import CACHE_HIT

from app.db.engine import make_engine

FOLDERS = Table(
    "folders", MetaData(), Column("id", Integer, primary_key=True), Column("name", String)
)


def test_a_second_profiles_database_reuses_the_statements_the_first_compiled(
    tmp_path: Path,
) -> None:
    first = make_engine(f"sqlite:///{tmp_path / 'first.sqlite'}")
    second = make_engine(f"sqlite:///{tmp_path / 'second.sqlite'}")
    try:
        for engine, name in ((first, "Inbox"), (second, "Archiv")):
            with engine.begin() as connection:
                FOLDERS.create(connection)
                connection.execute(FOLDERS.insert(), {"name": name})
        question = select(FOLDERS.c.name)
        with first.connect() as connection:
            assert connection.scalars(question).all() == ["Inbox"]
        with second.connect() as connection:
            result = connection.execute(question)
            assert result.scalars().all() == ["Archiv"]
        assert result.context.cache_hit is CACHE_HIT
    finally:
        first.dispose()
        second.dispose()
