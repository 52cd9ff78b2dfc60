"""read the calendar and task folders again: the cache now keeps each appointment's time zone,
attendees and their responses, reminder and show-as, and each task's reminder

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00

No table changes (the cache keeps an item's details as JSON); forgetting the folders' sync
states makes the next sync list every appointment and task again, which fills in what older
versions did not ask Exchange for. Nothing is deleted: a listing from the start updates the
cached items it names, and the tracking state and links stay.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 0004 says what a folder holds in neutral words (`content`), no longer by folder class.
    op.execute("UPDATE mail_folders SET sync_state = NULL WHERE content IN ('calendar', 'tasks')")


def downgrade() -> None:
    """Nothing to undo: an older version reads the folders on from wherever it is."""
