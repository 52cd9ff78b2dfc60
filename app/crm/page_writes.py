"""A page of tracking decisions stored at once: what sync's pull writes for 512 messages.

`apply_decision` stores one message through the ORM: a lookup by Message-ID and a flush of
four tables per message, about 2 ms each, which made tracked mail 75 times dearer than the
decision itself. Here the page's messages are looked up in one query (`activities_by_message_id`)
and its new activities written with Core `insert()` executemany, one statement per table
(activities, email_activities, activity_parties, activity_mailboxes, issued_tokens), rows equal
to those `apply_decision` writes. The caller gives the ids (`next_activity_id`), so decisions later
in the page can name an activity before it is written, as correlation within a page needs.

Core statements pass by the ORM's events: a team replica, which records its writes from them,
stores its pages through `apply_decision` (app.sync.tracker decides which).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, selectinload

from app.crm.activities import mailbox_of
from app.crm.models import (
    Activity,
    ActivityMailbox,
    ActivityParty,
    EmailActivity,
    IssuedToken,
    SystemUser,
)
from app.db.bulk import execute_many
from app.db.value_lists import one_of

_CHUNK = 500  # bound parameters per IN (...) stay far below every database's limit


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_ACTIVITY_COLUMNS = frozenset(_table(Activity).c.keys())
_EMAIL_COLUMNS = frozenset(_table(EmailActivity).c.keys())
_INSERT_ACTIVITY = insert(_table(Activity)).values(type="email")
_INSERT_EMAIL = insert(_table(EmailActivity))
_INSERT_PARTY = insert(_table(ActivityParty))
_INSERT_MAILBOX = insert(_table(ActivityMailbox))
_INSERT_TOKEN = insert(_table(IssuedToken))


@dataclass(frozen=True, slots=True)
class NewActivity:
    """One email activity to insert: its columns (`email_values`) and its parties
    (`party_values`), made by `of`, which stamps the activity's id on them."""

    values: dict[str, Any]
    parties: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.values["id"])

    @classmethod
    def of(
        cls, activity_id: int, values: dict[str, Any], parties: list[dict[str, Any]]
    ) -> NewActivity:
        """The rows are inserted as they are, not copied: at a first sync that tracks all mail
        copying each into a row with the id made ~2 % of its CPU, most of it the kernel's
        handing out fresh memory."""
        values["id"] = activity_id
        for party in parties:
            party["activity_id"] = activity_id
        return cls(values, parties)


def activities_by_message_id(
    session: Session, message_ids: Iterable[str | None]
) -> dict[str, EmailActivity]:
    """The email activities of these Message-IDs, with what linking to them reads."""
    wanted = sorted({message_id for message_id in message_ids if message_id})
    if session.get_bind().dialect.name == "sqlite":
        # One statement, the Message-IDs one bound array (a page's 512 were two IN lists of
        # bound values, ~3 ms a page to render); PostgreSQL has no json_each.
        lists = [one_of(EmailActivity.message_id, wanted)] if wanted else []
    else:
        lists = [
            EmailActivity.message_id.in_(wanted[start : start + _CHUNK])
            for start in range(0, len(wanted), _CHUNK)
        ]
    found: dict[str, EmailActivity] = {}
    for listed in lists:
        for activity in session.scalars(
            select(EmailActivity)
            .where(listed)
            .options(
                selectinload(EmailActivity.parties),
                selectinload(EmailActivity.mailboxes),
                selectinload(EmailActivity.regarding),
            )
        ):
            found[activity.message_id or ""] = activity
    return found


def next_activity_id(session: Session) -> int:
    """The id SQLite would give the next activity (the largest plus one)."""
    largest = session.scalar(select(func.max(Activity.id)))
    return int(largest or 0) + 1


def insert_activities(session: Session, new: Sequence[NewActivity], user: SystemUser) -> None:
    """Insert new email activities tracked from this user's mailbox, with their parties, their
    link to the mailbox and the tokens they carry: one executemany per table."""
    if not new:
        return
    connection = session.connection()
    rows = [activity.values for activity in new]
    given = rows[0].keys()
    execute_many(connection, _INSERT_ACTIVITY, rows, [k for k in given if k in _ACTIVITY_COLUMNS])
    execute_many(connection, _INSERT_EMAIL, rows, [k for k in given if k in _EMAIL_COLUMNS])
    execute_many(connection, _INSERT_PARTY, [p for a in new for p in a.parties])
    mailbox = mailbox_of(user)
    execute_many(
        connection,
        _INSERT_MAILBOX,
        [{"activity_id": a.id, "mailbox": mailbox, "user_id": user.id} for a in new],
    )
    _remember_tokens(session, [a.values.get("tracking_token") for a in new])


def _remember_tokens(session: Session, tokens: Sequence[str | None]) -> None:
    """Tokens of this org seen on tracked mail count as issued (see apply_decision)."""
    wanted = sorted({token for token in tokens if token})
    if not wanted:
        return
    known: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        known.update(
            session.scalars(
                select(IssuedToken.token).where(
                    IssuedToken.token.in_(wanted[start : start + _CHUNK])
                )
            )
        )
    execute_many(
        session.connection(),
        _INSERT_TOKEN,
        [{"token": token} for token in wanted if token not in known],
    )
