"""Databases as an older version of Liaison left them, for the tests of what an upgrade keeps.

`at_revision(url, tree, revision)`: the database at `url` migrated up to `revision` of its tree
(crm or local) and no further; inside the block, the connection for the rows that version would
have written. Committed and closed on leaving, as the old version would leave it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection

from app.db import migrate
from app.db.engine import make_engine


@contextmanager
def at_revision(url: str, tree: migrate.Tree, revision: str) -> Iterator[Connection]:
    config = migrate.alembic_config(tree)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            yield connection
    finally:
        engine.dispose()
