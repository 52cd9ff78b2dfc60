"""Many keys in one bound JSON array: the local cache finds exactly the rows whose key is
listed, whatever the keys hold and however many there are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, create_engine, select

from app.db.value_lists import ids_array, listed, one_of

METADATA = MetaData()
ITEMS = Table(
    "items", METADATA, Column("id", Integer, primary_key=True), Column("key", String, unique=True)
)
KEYS = [
    "AAMkAGI2TG93AAA=",
    "<CAF=3d+Yq@mail.example>",
    "o'brien@example.ie",
    'say "hi"',
    "józef.wiśniewski@żółw.example",
    "メール@例え.jp",
    "back\\slash",
    "",
]
NUL_KEY = "cut\x00here"  # no mailbox gives one; still matched exactly
# Text as a mailbox gives it: no lone surrogates (XML cannot carry them).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@pytest.fixture(scope="module")
def connection() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    METADATA.create_all(engine)
    with engine.connect() as opened:
        opened.execute(ITEMS.insert(), [{"key": key} for key in (*KEYS, NUL_KEY)])
        yield opened
    engine.dispose()


def _found(connection: Connection, wanted: list[str]) -> set[str]:
    return set(connection.scalars(select(ITEMS.c.key).where(one_of(ITEMS.c.key, wanted))))


def test_quotes_backslashes_and_any_script_are_matched_as_they_are(
    connection: Connection,
) -> None:
    assert _found(connection, KEYS) == set(KEYS)


def test_more_keys_than_sqlite_takes_parameters_are_one_statement(
    connection: Connection,
) -> None:
    wanted = [f"<{n}@brightwave.example>" for n in range(5_000)] + ["o'brien@example.ie"]

    assert _found(connection, wanted) == {"o'brien@example.ie"}


def test_no_keys_find_nothing(connection: Connection) -> None:
    assert _found(connection, []) == set()


def test_a_key_holding_a_nul_is_not_cut_short_at_it(connection: Connection) -> None:
    assert _found(connection, ["cut", "\x00", NUL_KEY]) == {NUL_KEY}


def test_integer_keys_match_integer_columns(connection: Connection) -> None:
    ids = set(connection.scalars(select(ITEMS.c.id).where(one_of(ITEMS.c.id, [1, 3, 99]))))

    assert ids == {1, 3}


# A statement built once, its ids bound at each execution.
BY_IDS = select(ITEMS.c.key).where(ITEMS.c.id.in_(listed("ids")))


def test_a_statement_built_once_finds_the_ids_bound_at_each_execution(
    connection: Connection,
) -> None:
    first = set(connection.scalars(BY_IDS, {"ids": ids_array([1, 2])}))
    second = set(connection.scalars(BY_IDS, {"ids": ids_array(range(3, 6_000))}))

    assert (first, second) == (set(KEYS[:2]), {*KEYS[2:], NUL_KEY})


def test_no_ids_bound_find_nothing(connection: Connection) -> None:
    assert set(connection.scalars(BY_IDS, {"ids": ids_array([])})) == set()


@settings(max_examples=200)
@given(st.lists(st.one_of(st.sampled_from(KEYS), TEXT), max_size=20))
def test_exactly_the_listed_keys_are_found(connection: Connection, wanted: list[str]) -> None:
    assert _found(connection, wanted) == set(wanted) & {*KEYS, NUL_KEY}
