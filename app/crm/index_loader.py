"""Filling the tracking engine's in-memory index from the CRM store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.models import ActivityParty, EmailActivity, EmailAddress, Record
from app.crm.records import as_utc_naive, record_ref, records_with_address
from app.tracking.index import TrackingIndex
from app.tracking.model import RecordRef, TrackedActivity


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


def load_people_index(session: Session, emails: Iterable[str]) -> TrackingIndex:
    """An index of only the records with these addresses: enough to resolve one message's
    people without loading the whole CRM (mail composed in the app)."""
    index = TrackingIndex()
    for email in dict.fromkeys(emails):
        for record in records_with_address(session, email):
            index.add_record(
                record_ref(record), [address.normalized for address in record.addresses]
            )
    return index


def activities_by_id(session: Session, activity_ids: Iterable[int]) -> list[EmailActivity]:
    """Email activities with what the index needs of them loaded."""
    return list(
        session.scalars(
            select(EmailActivity)
            .where(EmailActivity.id.in_(list(activity_ids)))
            .options(selectinload(EmailActivity.parties), selectinload(EmailActivity.regarding))
        )
    )


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
        sent_at=as_utc_naive(activity.sent_at or activity.received_at),
    )


def _parties(activity: EmailActivity) -> list[ActivityParty]:
    return [party for party in activity.parties if party.normalized]


def tracked_from_values(
    activity_id: int,
    values: dict[str, Any],
    regarding: RecordRef | None,
    parties: Iterable[dict[str, Any]],
) -> TrackedActivity:
    """`tracked_activity` of an activity about to be written from these columns
    (`app.crm.activities.email_values`, `party_values`)."""
    tracked_at = as_utc_naive(values["tracked_at"])
    assert tracked_at is not None
    return TrackedActivity(
        id=activity_id,
        message_id=values["message_id"],
        subject=values["subject"],
        regarding=regarding,
        tracked_at=tracked_at,
        token=values["tracking_token"],
        conversation_id=values["conversation_id"],
        conversation_index=values["conversation_index"],
        addresses=frozenset(party["normalized"] for party in parties if party["normalized"]),
        sent_at=as_utc_naive(values["sent_at"] or values["received_at"]),
    )
