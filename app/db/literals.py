"""Constants written into a statement's SQL text instead of bound.

SQLite holds the WHERE of each partial index against a query that could use it. Where a bound
value stands in the query for the index's constant (`state = ?` against `state = 'pending'`),
the plan depends on the value, and SQLite prepares the statement again at every execution. For
the questions every sync asks of the outbox and the cache, which mostly find nothing, preparing
cost several times running: 66 against 7 microseconds for the tracking to retry, 24 against 4
for the outbox's due entries.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, literal_column


def constant(value: str) -> ColumnElement[str]:
    """`value` as a string literal in the SQL. The code's own constants only (an enum's value),
    never what a user typed."""
    if "'" in value:
        raise ValueError(f"Not a plain constant: {value!r}")
    return literal_column(f"'{value}'", String)
