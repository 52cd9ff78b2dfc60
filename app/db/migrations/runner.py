"""The shared body of both Alembic environments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, create_engine


def run_migrations(context: Any, metadata: MetaData) -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        # Only the developers' `alembic revision --autogenerate` comes here, with a URL on the
        # command line (-x url=...).
        url = context.get_x_argument(as_dictionary=True)["url"]
        with create_engine(url).connect() as fresh:
            _run(context, metadata, fresh)
        return
    _run(context, metadata, connection)


def _run(context: Any, metadata: MetaData, connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
