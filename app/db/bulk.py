"""Executemany without SQLAlchemy's per-row bookkeeping, for the thousands of rows a pull writes.

For each row of a Core executemany SQLAlchemy builds a dictionary of the statement's bound
parameters (`construct_params`) and then runs the column types' processors over it: at a first
sync that tracks all mail, about a seventh of the client's CPU, beside SQLite's own work. Here a
statement is compiled once per database (so it must be built once, at module level, to be found
again), each row becomes a tuple in the statement's parameter order through the same type
processors, and the driver's executemany gets them. Rows are what Core would take: a column they
leave out gets its Python-side default, as Core gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, DateTime, Dialect, Insert, Update
from sqlalchemy.sql.elements import BindParameter


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the SQL takes them
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # by position, where a type has one
    take: Callable[[Mapping[str, Any]], list[Any]]  # a row's values of the parameters it gives
    made: tuple[tuple[int, Callable[[], Any]], ...]  # the others, made by position
    positional: bool


def execute_many(
    connection: Connection,
    statement: Insert | Update,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
) -> None:
    """`connection.execute(statement, rows)`, for rows that all give the same columns; with
    `columns`, the statement takes those of each row and leaves the others (rows that feed two
    tables are not copied for each)."""
    if not rows:
        return
    keys = tuple(rows[0] if columns is None else columns)
    if columns is None and len(set(map(len, rows))) != 1:
        # Core would take each row's own columns; one statement serves one set of them here.
        raise ValueError("Every row must give the same columns")
    compiled = _compile(statement, connection.dialect, keys)
    parameters: list[Any] = []
    for row in rows:
        values = compiled.take(row)
        # Defaults go in at their places, in order, without a copy of the row made for them.
        for position, make in compiled.made:
            values.insert(position, make())
        for position, process in compiled.processors:
            values[position] = process(values[position])
        parameters.append(
            tuple(values) if compiled.positional else dict(zip(compiled.names, values, strict=True))
        )
    connection.exec_driver_sql(compiled.sql, parameters)


@lru_cache(maxsize=64)
def _compile(statement: Insert | Update, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    if compiled.escaped_bind_names or compiled.post_compile_params:
        # Names the SQL spells otherwise, or IN lists rendered at execution: Core's work.
        raise ValueError(f"Not a statement for execute_many: {statement}")
    positional = bool(dialect.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    processors = tuple(
        (position, processor)
        for position, name in enumerate(names)
        if (processor := _processor(compiled.binds[name], dialect)) is not None
    )
    # Columns whose Python-side defaults SQLAlchemy runs before the statement (a callable's
    # value is made for each row).
    prefetch = {column.key for column in (*compiled.insert_prefetch, *compiled.update_prefetch)}
    made = tuple(
        (position, _default(statement, compiled.binds[name], name in prefetch))
        for position, name in enumerate(names)
        if name not in keys
    )
    take = _taker(tuple(name for name in names if name in keys))
    return _Compiled(str(compiled), names, processors, take, made, positional)


def _taker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], list[Any]]:
    """A row's values of these parameters, as a list."""
    if not names:
        return lambda _row: []
    take = itemgetter(*names)
    if len(names) == 1:
        return lambda row: [take(row)]
    return lambda row: list(take(row))


def _processor(bind: BindParameter[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    if isinstance(bind.type, Boolean) and dialect.name == "sqlite":
        return None  # sqlite3 binds True and False as 1 and 0, which the type's processor makes
    process = bind.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if isinstance(bind.type, JSON):
        return _json_shortcuts(process)
    if isinstance(bind.type, DateTime):
        return _isoformat_if_same(process)
    return process


# A page's rows are mostly JSON columns with nothing in them (copies, categories, attachments)
# and timestamps: the types' own processors spent ~4 us on each, more than SQLite on the row.
_SAMPLE_TIMES = (
    datetime(2026, 12, 4, 9, 30, 0),
    datetime(2026, 12, 4, 9, 30, 15, 250),
    datetime(2026, 12, 4, 9, 30, 15, 250, tzinfo=UTC),
    datetime(2026, 12, 4, 9, 30, 15, 250, tzinfo=timezone(timedelta(hours=2))),
)


def _json_shortcuts(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The JSON of None and of an empty list, made once."""
    null, empty = process(None), process([])
    if not isinstance(null, str) or not isinstance(empty, str):
        return process  # a driver-side JSON wrapper (psycopg's): left to make its own

    def shortcut(value: Any) -> Any:
        if value is None:
            return null
        if isinstance(value, list) and not value:
            return empty
        return process(value)

    return shortcut


def _isoformat_if_same(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`datetime.isoformat` where it writes what the type's processor writes (SQLite's
    DATETIME, whose fields are written as they are, microseconds always, no zone)."""

    def isoformat(value: Any) -> Any:
        if type(value) is datetime:
            return value.isoformat(" ", "microseconds")[:26]  # a zone's offset cut off
        return process(value)

    if all(isoformat(moment) == process(moment) for moment in _SAMPLE_TIMES):
        return isoformat
    return process


def _default(
    statement: Insert | Update, bind: BindParameter[Any], prefetched: bool
) -> Callable[[], Any]:
    """A parameter no row gives: the column's Python default (on update, its `onupdate`) where
    SQLAlchemy would run it, else the statement's own value."""
    if prefetched:
        column = statement.table.c[bind.key]
        default = column.default if isinstance(statement, Insert) else column.onupdate
        if default is not None and default.is_scalar:
            scalar = default.arg
            return lambda: scalar
        if default is not None and default.is_callable:
            make = default.arg
            return lambda: make(None)  # SQLAlchemy wraps it to take an execution context
    if bind.required or bind.callable is not None:
        raise ValueError(f"Every row must give {bind.key!r}: it has no Python-side default")
    value = bind.effective_value
    return lambda: value
