"""mail folders say what they hold in neutral words (content) instead of EWS folder classes

The cache is written by any mail backend, and only EWS has folder classes ("IPF.Note", ...):
the column becomes `content` (mail, calendar, tasks, contacts, notes, journal, other), converted
the way the EWS backend now converts folder classes. A folder without a class holds mail, as
Outlook treats it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Folder class -> content; a class "IPF.Note.Something" holds what "IPF.Note" holds.
_CONTENT_BY_CLASS = {
    "IPF.Note": "mail",
    "IPF.Appointment": "calendar",
    "IPF.Task": "tasks",
    "IPF.Contact": "contacts",
    "IPF.StickyNote": "notes",
    "IPF.Journal": "journal",
}


def upgrade() -> None:
    with op.batch_alter_table("mail_folders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.String(length=20), nullable=True))
    folders = sa.table(
        "mail_folders", sa.column("folder_class", sa.String()), sa.column("content", sa.String())
    )
    folder_class = folders.c.folder_class
    op.execute(folders.update().where(folder_class.is_(None)).values(content="mail"))
    for ipf, content in _CONTENT_BY_CLASS.items():
        prefix = f"{ipf}."
        op.execute(
            folders.update()
            .where((folder_class == ipf) | (sa.func.substr(folder_class, 1, len(prefix)) == prefix))
            .values(content=content)
        )
    op.execute(folders.update().where(folders.c.content.is_(None)).values(content="other"))
    with op.batch_alter_table("mail_folders", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column("folder_class")


def downgrade() -> None:
    with op.batch_alter_table("mail_folders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("folder_class", sa.String(length=64), nullable=True))
    folders = sa.table(
        "mail_folders", sa.column("folder_class", sa.String()), sa.column("content", sa.String())
    )
    for ipf, content in _CONTENT_BY_CLASS.items():
        op.execute(folders.update().where(folders.c.content == content).values(folder_class=ipf))
    with op.batch_alter_table("mail_folders", schema=None) as batch_op:
        batch_op.drop_column("content")
