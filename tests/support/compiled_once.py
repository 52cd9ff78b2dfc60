"""SQLite engines of one test run share a dialect and its compiled-statement cache.

SQLAlchemy keeps compiled statements per engine (an LRU whose keys hold the engine's dialect
instance), which is right for the app: a process opens its profile once. A test opens a fresh
profile, so every test compiled every statement it ran again: about 40 % of the in-memory engine
loop's time. Sharing them across the run compiles each statement once; what is executed, on which
file and connection, is unchanged. PostgreSQL engines, and SQLite engines made with other options
than the first (the app gives them all the same), keep their own.
A listener for a dialect-level event (do_execute, handle_error) put on one engine would reach
every engine of the run this way: the app puts none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import Dialect
from sqlalchemy.util import LRUCache

import app.db.engine

# Enough for every distinct statement of the whole suite, so none is compiled twice.
COMPILED_STATEMENTS = 20_000


@contextmanager
def sqlite_compiled_once() -> Iterator[None]:
    shared: list[tuple[dict[str, Any], Dialect]] = []
    compiled: LRUCache[Any, Any] = LRUCache(COMPILED_STATEMENTS)

    def sharing(url: Any, **options: Any) -> Engine:
        engine = create_engine(url, **options)
        if engine.dialect.name != "sqlite":
            return engine
        if not shared:
            shared.append((options, _initialised_sqlite_dialect(options)))
        first_options, dialect = shared[0]
        if options != first_options:
            return engine
        # Every SQLite engine the app makes is alike (the same options, the same sqlite3
        # library), so one dialect serves them all; the pool keeps the engine's own for its
        # connections.
        engine.dialect = dialect
        engine._compiled_cache = compiled
        return engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app.db.engine, "create_engine", sharing)
        yield


def _initialised_sqlite_dialect(options: dict[str, Any]) -> Dialect:
    """A SQLite dialect made with these options as a first connection leaves it (an engine's
    own is initialised by its engine's first connection, which a shared one would never see)."""
    memory = create_engine("sqlite://", **options)
    with memory.connect():
        pass
    memory.dispose()
    return memory.dialect
