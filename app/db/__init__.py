"""Opening a database means: the file checked, engine, migrations to the newest revision, session
factory."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import DatabaseError, make_engine, make_session_factory, parse_url, sqlite_path
from app.db.migrate import Tree
from app.db.sqlite_files import prepare
from app.db.upgrade import upgrade

__all__ = ["Database", "DatabaseError", "open_database"]


@dataclass(frozen=True, slots=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, tree: Tree, made_on: str | None = None) -> Database:
    """The database at `url`, checked (a SQLite file: app.db.sqlite_files) and at the newest
    revision. `made_on` (when the profile made this file) means it must exist and hold data."""
    database = sqlite_path(parse_url(url))
    if database is not None:
        prepare(database, made_on)
    engine = make_engine(url)
    try:
        upgrade(engine, tree)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, make_session_factory(engine))
