"""Opening a database means: engine, migrations to the newest revision, session factory."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import DatabaseError, make_engine, make_session_factory
from app.db.migrate import Tree, upgrade

__all__ = ["Database", "DatabaseError", "open_database"]


@dataclass(frozen=True, slots=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, tree: Tree) -> Database:
    engine = make_engine(url)
    try:
        upgrade(engine, tree)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, make_session_factory(engine))
