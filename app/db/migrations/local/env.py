"""Alembic environment of the user's local state; the connection comes from app.db.migrate."""

from alembic import context

from app.db.migrations.runner import run_migrations
from app.mailbox.models import LocalBase

run_migrations(context, LocalBase.metadata)
