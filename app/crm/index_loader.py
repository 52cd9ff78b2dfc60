"""Filling the tracking engine's in-memory index from the CRM store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.models import ActivityParty, EmailActivity, EmailAddress, Record
from app.crm.records import as_utc_naive, record_ref, records_with_address
from app.db.chunks import in_chunks
from app.tracking.index import TrackingIndex
from app.tracking.model import RecordRef, TrackedActivity


def load_tracking_index(session: Session) -> TrackingIndex:
    """The whole CRM as the tracking engine asks it: records by address, tracked activities.
    Every sync that brings mail loads it: the activities are read as rows of the columns the
    index keeps (as ORM objects, with their bodies, 10 000 tracked emails cost ~1.2 s)."""
    index = TrackingIndex()
    refs: dict[int, RecordRef] = {}
    records = with_polymorphic(Record, "*")
    for record in session.scalars(
        select(records)
        .join(EmailAddress, EmailAddress.record_id == records.id)
        .distinct()
        .options(selectinload(records.addresses))
    ):
        refs[record.id] = record_ref(record)
        index.add_record(refs[record.id], [address.normalized for address in record.addresses])
    activities = session.execute(select(*_INDEXED)).all()
    addresses: dict[int, list[str]] = {}
    for activity_id, normalized in session.execute(_TRACKED_PARTIES):
        addresses.setdefault(activity_id, []).append(normalized)
    refs.update(_records(session, {a.regarding_id for a in activities} - refs.keys() - {None}))
    for activity in activities:
        if activity.untracked_by_hand and activity.message_id:
            index.mark_manually_untracked(activity.message_id)
        if activity.tracked:
            regarding = refs.get(activity.regarding_id) if activity.regarding_id else None
            index.add_activity(_tracked(activity, regarding, addresses.get(activity.id, ())))
    return index


# What the index keeps of an email activity (see _tracked), and the addresses of its parties.
_INDEXED = (
    EmailActivity.id,
    EmailActivity.message_id,
    EmailActivity.subject,
    EmailActivity.regarding_id,
    EmailActivity.tracked_at,
    EmailActivity.created_at,
    EmailActivity.tracking_token,
    EmailActivity.conversation_id,
    EmailActivity.conversation_index,
    EmailActivity.sent_at,
    EmailActivity.received_at,
    EmailActivity.tracked,
    EmailActivity.untracked_by_hand,
)
_TRACKED_PARTIES = (
    select(ActivityParty.activity_id, ActivityParty.normalized)
    .join(EmailActivity, EmailActivity.id == ActivityParty.activity_id)
    .where(EmailActivity.tracked.is_(True), ActivityParty.normalized.is_not(None))
    .where(ActivityParty.normalized != "")
    .order_by(ActivityParty.id)
)


def _records(session: Session, record_ids: set[int]) -> dict[int, RecordRef]:
    """Records activities are regarding that have no address (an opportunity, say)."""
    records = with_polymorphic(Record, "*")
    return {
        record.id: record_ref(record)
        for chunk in in_chunks(record_ids)
        for record in session.scalars(select(records).where(records.id.in_(chunk)))
    }


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
    return _tracked(
        activity,
        record_ref(activity.regarding) if activity.regarding else None,
        (party.normalized for party in _parties(activity)),
    )


def _tracked(
    activity: Any, regarding: RecordRef | None, addresses: Iterable[str]
) -> TrackedActivity:
    """An email activity (its ORM object or a row of _INDEXED) as the index keeps it."""
    return TrackedActivity(
        id=activity.id,
        message_id=activity.message_id,
        subject=activity.subject,
        regarding=regarding,
        tracked_at=as_utc_naive(activity.tracked_at or activity.created_at),
        token=activity.tracking_token,
        conversation_id=activity.conversation_id,
        conversation_index=activity.conversation_index,
        addresses=frozenset(addresses),
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
