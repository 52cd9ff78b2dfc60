"""Every activity the CRM holds, emails beside appointments and tasks, with where each stands:
an email tracked or untracked, an appointment or task linked to its Exchange item, waiting for
the next sync, or unlinked for good. For `liaison crm list activities`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload, with_polymorphic

from app.crm.models import Activity, Appointment, EmailActivity, Task
from app.crm.search import RecordSummary, record_summary
from app.services.base import ProfileService
from app.sync.activity_deletion import activity_values
from app.sync.link_states import ExchangeLink, LinkFacts, link_facts

NOT_SYNCED = "not-synced"  # another user's appointment or task: not in this mailbox


@dataclass(frozen=True, slots=True)
class ActivityRow:
    id: int
    type: str  # email | appointment | task
    subject: str
    regarding: RecordSummary | None
    tracked: bool  # an email tracked, an appointment or task linked or about to be
    # email: tracked | untracked; appointment, task: linked | waiting | unlinked | not-synced
    state: str
    unlinked_reason: str | None = None  # app.sync.activity_deletion.Unlinked
    start: datetime | None = None  # appointments and tasks
    end: datetime | None = None  # appointments
    due: datetime | None = None  # tasks
    status: str | None = None  # tasks
    sent_at: datetime | None = None  # emails
    sender: str | None = None
    rule: str | None = None
    tracked_how: str | None = None
    tracked_at: datetime | None = None
    message_id: str | None = None
    fields: dict[str, Any] | None = None  # an appointment's or task's, as sync keeps them

    @property
    def when(self) -> datetime | None:
        """The date a list sorts and shows it by."""
        return self.start or self.due or self.sent_at or self.tracked_at


class ActivityListing(ProfileService):
    def activities(self) -> list[ActivityRow]:
        """Every activity, oldest first (times as the CRM keeps them: UTC)."""
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            facts = link_facts(session, address) if address else {}
        every = with_polymorphic(Activity, [EmailActivity, Appointment, Task])
        with self.workspace.crm.sessions() as session:
            owner_id = self.workspace.owner(session).id
            return [
                _row(activity, facts.get(activity.id), owner_id)
                for activity in session.scalars(
                    select(every)
                    .options(selectinload(every.regarding), selectinload(every.parties))
                    .order_by(every.id)
                )
            ]


def _row(activity: Activity, facts: LinkFacts | None, owner_id: int) -> ActivityRow:
    regarding = record_summary(activity.regarding) if activity.regarding else None
    if isinstance(activity, EmailActivity):
        return ActivityRow(
            activity.id,
            "email",
            activity.subject,
            regarding,
            activity.tracked,
            "tracked" if activity.tracked else "untracked",
            sent_at=activity.sent_at or activity.received_at,
            sender=activity.sender,
            rule=activity.rule,
            tracked_how=activity.tracked_how,
            tracked_at=activity.tracked_at,
            message_id=activity.message_id,
        )
    if facts is not None:
        state, reason = facts.state.value, facts.reason
    elif activity.owner_id == owner_id:
        state, reason = ExchangeLink.WAITING.value, None  # the next sync writes it to Exchange
    else:
        state, reason = NOT_SYNCED, None
    if isinstance(activity, Appointment):
        start, end, due, status = activity.start, activity.end, None, None
    else:
        assert isinstance(activity, Task)
        start, end, due, status = activity.start, None, activity.due, activity.status
    _kind, values = activity_values(activity)
    return ActivityRow(
        activity.id,
        activity.type,
        activity.subject,
        regarding,
        state in (ExchangeLink.LINKED, ExchangeLink.WAITING),
        state,
        reason,
        start=start,
        end=end,
        due=due,
        status=status,
        fields=values,
    )
