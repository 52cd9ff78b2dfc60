"""Alembic environment of the CRM store; the connection comes from app.db.migrate."""

from alembic import context

from app.crm.models import Base
from app.db.migrations.runner import run_migrations

run_migrations(context, Base.metadata)
