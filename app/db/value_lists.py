"""`column IN (...)` against a SQLite database with one bound parameter.

SQLAlchemy's IN binds a parameter per value and renders them into the statement at every
execution, and SQLite allows 999 parameters a statement, so the pull's lookups (a page asks
about its 512 messages a dozen times) went in chunks of 500, each value coerced when the
statement was built and named again when it ran. Here the values travel as one JSON array that
SQLite reads back with json_each: any number of them, one statement, one parameter. SQLite
only: the local database, and the CRM when it is not a team's PostgreSQL (no json_each). The
subquery is SQL text: built as a table-valued function it cost three times the lookup's own
statement to make.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, TextualSelect, bindparam, text
from sqlalchemy import column as sql_column
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import BindParameter, ColumnClause

from app.db.json_text import dumps


def one_of(
    column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[str | int]
) -> ColumnElement[bool]:
    """`column IN values`, for text or integer keys."""
    keys = list(values)
    array = dumps(keys)
    if "\\u0000" in array:
        # SQLite's JSON reads text only up to a NUL; no mailbox key has one (XML cannot carry
        # it), and such keys are looked up as bound parameters are.
        return column.in_(keys)
    return column.in_(_values("values", bindparam("values", array, type_=String, unique=True)))


def listed(name: str) -> TextualSelect:
    """The values of a JSON array bound as `name` (`ids_array` makes one): `column IN` this, in
    a statement built once."""
    return _values(name, bindparam(name, type_=String))


def ids_array(ids: Iterable[int]) -> str:
    """Row ids for `listed` (integers: no text that could hold a NUL)."""
    return dumps([int(key) for key in ids])


def _values(name: str, array: BindParameter[str]) -> TextualSelect:
    return text(f"SELECT value FROM json_each(:{name})").bindparams(array).columns(_VALUE)


_VALUE: ColumnClause[str] = sql_column("value")
