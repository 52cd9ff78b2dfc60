"""The JSON columns' text (app.db.json_text): what the standard library would store, read back
as the standard library reads it."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from app.db.engine import make_engine
from app.db.json_text import dumps, loads

# What JSON columns hold: mail's recipients and categories, marks, decisions, payloads.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_any_json_value_reads_back_as_the_standard_librarys_text_does(value: object) -> None:
    assert json.loads(dumps(value)) == json.loads(json.dumps(value))


@given(JSON_VALUES)
def test_any_json_text_reads_back_as_the_standard_library_reads_it(value: object) -> None:
    text = json.dumps(value)

    assert loads(text) == json.loads(text)


@pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 2**70, 2**64 - 1, -(2**63)])
def test_integers_beyond_64_bits_read_back_exactly(number: int) -> None:
    assert loads(dumps({"id": number, "note": "x"})) == {"id": number, "note": "x"}


def test_nan_and_infinity_written_by_older_versions_are_read_back() -> None:
    values = loads('{"score": NaN, "limit": Infinity}')

    assert values["score"] != values["score"] and values["limit"] == float("inf")


def test_text_that_is_not_json_is_refused_as_the_standard_library_refuses_it() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads('{"to": [')


def test_non_ascii_text_is_kept_as_it_is() -> None:
    assert dumps({"name": "Łukasz Żak"}) == '{"name":"Łukasz Żak"}'


def test_integer_keys_are_written_as_the_standard_library_writes_them() -> None:
    assert json.loads(dumps({7: "siedem"})) == {"7": "siedem"}


def test_integers_beyond_64_bits_are_written_all_the_same() -> None:
    assert json.loads(dumps({"id": 2**70})) == {"id": 2**70}


@dataclass
class _Note:
    text: str


@pytest.mark.parametrize("value", [datetime(2026, 12, 7, 9, 30), _Note("x"), {1, 2}])
def test_values_the_standard_library_refuses_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        dumps({"value": value})


def test_a_databases_json_column_is_written_with_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    notes = sa.Table("notes", sa.MetaData(), sa.Column("details", sa.JSON))
    notes.create(engine)
    with engine.begin() as connection:
        connection.execute(notes.insert(), [{"details": {"who": "Łukasz", "to": [1, 2]}}])
        text = connection.execute(sa.text("SELECT details FROM notes")).scalar_one()
    engine.dispose()

    assert text == '{"who":"Łukasz","to":[1,2]}'


def test_a_databases_json_column_is_read_with_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    notes = sa.Table("notes", sa.MetaData(), sa.Column("details", sa.JSON))
    notes.create(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("""INSERT INTO notes VALUES ('{"who": "Łukasz", "n": NaN}')"""))
        details = connection.execute(sa.select(notes.c.details)).scalar_one()
    engine.dispose()

    assert details["who"] == "Łukasz" and details["n"] != details["n"]
