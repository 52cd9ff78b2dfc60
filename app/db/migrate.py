"""Alembic migrations, as they are: the trees, the revision of a database, and running them.

Two databases, two migration trees: `crm` (the CRM store, possibly shared) and `local` (this user's
state). Both live in the package so an installed app can migrate without an alembic.ini. Opening a
database goes through app.db.upgrade, which backs the file up before migrating it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from app.db.engine import DatabaseError

MIGRATIONS_ROOT = Path(__file__).parent / "migrations"
Tree = Literal["crm", "local"]
# A team's clients share one PostgreSQL store and may all start at once: each takes this
# transaction-level advisory lock before looking at the revision, so one migrates and the others
# wait, then find the store at head. (SQLite serialises writers on its own.)
MIGRATION_LOCK = 7_020_000


def alembic_config(tree: Tree) -> Config:
    return _config(str(MIGRATIONS_ROOT / tree))


def _config(script_location: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def _describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def migrate(engine: Engine, tree: Tree) -> None:
    """Bring the database to the newest revision; cheap when it is already there."""
    config = alembic_config(tree)
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.begin() as connection:
            _lock_for_migration(connection)
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(
            f"The database {_describe(engine)} cannot be opened or upgraded: {exc.orig}. "
            "If the file is damaged, `liaison db check` says so and `liaison db restore` "
            "lists its backups."
        ) from exc


def _lock_for_migration(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def pending_upgrade(engine: Engine, tree: Tree) -> tuple[str | None, str] | None:
    """(current revision, head) when the database is behind; None when it is up to date."""
    head = _head(str(MIGRATIONS_ROOT / tree))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return None if current == head else (current, head or "")


@functools.cache
def _head(script_location: str) -> str | None:
    """The newest revision of the migrations there. Finding it loads every migration script
    (~5 ms); the scripts do not change while the app runs, and each profile opened (the app,
    every CLI command) asks for both trees."""
    return ScriptDirectory.from_config(_config(script_location)).get_current_head()
