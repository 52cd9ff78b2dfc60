"""Engines and sessions for a SQLAlchemy URL.

SQLite files get WAL (readers never wait for the sync writer), foreign keys on, and a busy
timeout so two processes of one profile queue up instead of failing. Nothing here is
SQLite-only in SQL terms: the same models run on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from app.db.json_text import dumps, loads
from app.private_files import private_folder

SQLITE_BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 5


class DatabaseError(Exception):
    """A database cannot be opened or used; the message is fit for the user."""


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"Not a database URL: {url!r}") from exc


def sqlite_path(url: URL) -> Path | None:
    """The database file behind `url`, or None for a server or an in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            private_folder(path.parent)
        engine = create_engine(parsed, json_serializer=dumps, json_deserializer=loads)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # A team store that went away must make a client offline in seconds, not hang it.
    return create_engine(
        parsed,
        json_serializer=dumps,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
