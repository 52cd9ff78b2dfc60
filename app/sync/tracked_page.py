"""The CRM half of one page of pull, written at once (see app.crm.page_writes).

While `MailTracker.batch` decides a page in one CRM transaction, the page's messages have had
their activities looked up in one query; a message the CRM has no activity for, tracked by an
automatic rule without creating a record, gets its activity id at once (so later messages of the
page correlate with it) and waits here, to be inserted with the rest of the page at the end of the
transaction. Everything else (linking to an activity that exists, tracking by hand, creating a
contact or lead) goes through the ORM as before, after the waiting activities are written, so
the ids SQLite hands out never meet the ones given here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.crm.activities import HOW_AUTOMATIC
from app.crm.models import EmailActivity, SystemUser
from app.crm.page_writes import (
    NewActivity,
    activities_by_message_id,
    insert_activities,
    next_activity_id,
)
from app.mailbox.cache import TrackingState
from app.tracking.model import Decision


@dataclass(slots=True)
class TrackedPage:
    existing: dict[str, EmailActivity]  # the page's messages that have an activity already
    looked_up: frozenset[str]  # every Message-ID of the page
    waiting: list[NewActivity] = field(default_factory=list)
    # Message-ID: the tracking state of an activity stored in this page (a second copy of the
    # message in the page links to it, as it would to one in the CRM).
    stored: dict[str, TrackingState] = field(default_factory=dict)
    _next_id: int | None = None

    @classmethod
    def look_up(cls, session: Session, message_ids: Iterable[str | None]) -> TrackedPage:
        wanted = frozenset(message_id for message_id in message_ids if message_id)
        return cls(activities_by_message_id(session, wanted) if wanted else {}, wanted)

    def takes(self, message_id: str | None, decision: Decision, how: str) -> bool:
        """Whether this decision's activity can wait for the page's insert."""
        if how != HOW_AUTOMATIC or decision.create is not None:
            return False
        return message_id is None or (
            message_id in self.looked_up and message_id not in self.existing
        )

    def new_id(self, session: Session) -> int:
        if self._next_id is None:
            self._next_id = next_activity_id(session)
        given = self._next_id
        self._next_id += 1
        return given

    def write(self, session: Session, user: SystemUser) -> None:
        """Insert the waiting activities (before the ORM writes one of its own, and at the end)."""
        insert_activities(session, self.waiting, user)
        self.waiting.clear()
        self._next_id = None
