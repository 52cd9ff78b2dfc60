"""Filling the tracking engine's in-memory index from the CRM store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.models import ActivityParty, EmailActivity, EmailAddress, Record
from app.crm.records import as_utc_naive, record_ref
from app.tracking.index import TrackingIndex
from app.tracking.model import TrackedActivity


def load_tracking_index(session: Session) -> TrackingIndex:
    index = TrackingIndex()
    records = with_polymorphic(Record, "*")
    for record in session.scalars(
        select(records)
        .join(EmailAddress, EmailAddress.record_id == records.id)
        .distinct()
        .options(selectinload(records.addresses))
    ):
        index.add_record(record_ref(record), [address.normalized for address in record.addresses])
    for activity in session.scalars(
        select(EmailActivity).options(
            selectinload(EmailActivity.parties), selectinload(EmailActivity.regarding)
        )
    ):
        if activity.untracked_by_hand and activity.message_id:
            index.mark_manually_untracked(activity.message_id)
        if activity.tracked:
            index.add_activity(tracked_activity(activity))
    return index


def tracked_activity(activity: EmailActivity) -> TrackedActivity:
    return TrackedActivity(
        id=activity.id,
        message_id=activity.message_id,
        subject=activity.subject,
        regarding=record_ref(activity.regarding) if activity.regarding else None,
        tracked_at=as_utc_naive(activity.tracked_at or activity.created_at),
        token=activity.tracking_token,
        conversation_id=activity.conversation_id,
        conversation_index=activity.conversation_index,
        addresses=frozenset(party.normalized for party in _parties(activity)),
    )


def _parties(activity: EmailActivity) -> list[ActivityParty]:
    return [party for party in activity.parties if party.normalized]
