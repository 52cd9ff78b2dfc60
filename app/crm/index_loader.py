"""Filling the tracking engine's in-memory index from the CRM store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, select
from sqlalchemy.orm import Session, selectinload

from app.crm.models import (
    RECORD_CLASSES,
    ActivityParty,
    EmailActivity,
    EmailAddress,
    Record,
    joined_name,
)
from app.crm.records import as_utc_naive, named_ref, record_ref, records_with_address
from app.db.chunks import in_chunks
from app.tracking.index import TrackingIndex
from app.tracking.model import RecordRef, TrackedActivity


def load_tracking_index(session: Session) -> TrackingIndex:
    """The whole CRM as the tracking engine asks it: records by address, tracked activities.
    Every sync that brings mail loads it, so it is read as rows of the columns it keeps: as ORM
    objects (activities with their bodies, records with every subtype's table) 10 000 tracked
    emails cost ~1.2 s, and then the records were a third of what was left."""
    index = TrackingIndex()
    # Rows, not objects: run on the connection, the ORM's row handling is skipped too (and its
    # autoflush, done here once).
    session.flush()
    connection = session.connection()
    addresses_of: dict[int, list[str]] = {}
    for record_id, normalized in connection.execute(_RECORD_ADDRESSES):
        addresses_of.setdefault(record_id, []).append(normalized)
    refs = _record_refs(connection, lambda model: model.id.in_(select(EmailAddress.record_id)))
    for record_id, ref in sorted(refs.items()):
        # A record given its first address since the addresses were read waits for the next
        # load: the two reads are not one snapshot (SQLite reads outside a transaction).
        if record_id in addresses_of:
            index.add_record(ref, addresses_of[record_id])
    activities = connection.execute(_INDEXED).all()
    addresses: dict[int, list[str]] = {}
    for activity_id, normalized in connection.execute(_TRACKED_PARTIES):
        addresses.setdefault(activity_id, []).append(normalized)
    regarding_only = sorted({a.regarding_id for a in activities} - refs.keys() - {None})
    for chunk in in_chunks(regarding_only):
        refs.update(_record_refs(connection, lambda model, ids=chunk: model.id.in_(ids)))
    for activity in activities:
        if activity.untracked_by_hand and activity.message_id:
            index.mark_manually_untracked(activity.message_id)
        if activity.tracked:
            regarding = refs.get(activity.regarding_id) if activity.regarding_id else None
            index.add_activity(_tracked(activity, regarding, addresses.get(activity.id, ())))
    return index


# What the index keeps of an email activity (see _tracked), and the addresses of its parties.
_INDEXED = select(
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


_RECORD_ADDRESSES = select(EmailAddress.record_id, EmailAddress.normalized).order_by(
    EmailAddress.record_id, EmailAddress.position
)


def _record_refs(
    connection: Connection, which: Callable[[type[Record]], ColumnElement[bool]]
) -> dict[int, RecordRef]:
    """The records `which` picks, as the index names them (`record_ref`), read as rows: each
    type's own table gives its name columns."""
    refs: dict[int, RecordRef] = {}
    for model in RECORD_CLASSES.values():
        query = select(
            model.id,
            model.type,
            model.owner_id,
            model.created_at,
            model.active,
            *(getattr(model, column) for column in model.NAME_COLUMNS),
        )
        for row in connection.execute(query.where(which(model))):
            refs[row.id] = named_ref(row, joined_name(row[5:]))
    return refs


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
