"""Resolving addresses to CRM records: the sender to exactly one, To and Cc to every match.

The sender resolves to the first active record in SENDER_RESOLUTION_ORDER (user, contact,
account, lead, then the other email-enabled types); among several of that type the one the
tracking user owns wins, then the oldest (created_at, then id; a record without a creation time
counts as the newest).
"""

from __future__ import annotations

from datetime import datetime

from app.tracking.addresses import normalise_email
from app.tracking.index import TrackingIndex
from app.tracking.model import (
    SENDER_RESOLUTION_ORDER,
    Address,
    MessageFacts,
    PartyRole,
    RecordRef,
    ResolvedParty,
)
from app.tracking.times import as_naive_utc

_TYPE_RANK = {record_type: rank for rank, record_type in enumerate(SENDER_RESOLUTION_ORDER)}


def resolve_sender(email: str, index: TrackingIndex, user: RecordRef) -> RecordRef | None:
    """The one record a sender's address stands for, or None when no active record has it."""
    return _chosen_sender(_active(index.records_for(email)), user)


def resolve_parties(
    message: MessageFacts, index: TrackingIndex, user: RecordRef
) -> tuple[ResolvedParty, ...]:
    """Sender, To and Cc of the message, each with the records it resolves to."""

    def records(address: Address) -> tuple[RecordRef, ...]:
        return _active(index.records_for_normalised(normalise_email(address.email)))

    parties: list[ResolvedParty] = []
    if message.sender is not None:
        sender = _chosen_sender(records(message.sender), user)
        parties.append(ResolvedParty(PartyRole.SENDER, message.sender, (sender,) if sender else ()))
    parties.extend(ResolvedParty(PartyRole.TO, address, records(address)) for address in message.to)
    parties.extend(ResolvedParty(PartyRole.CC, address, records(address)) for address in message.cc)
    return tuple(parties)


def _active(records: tuple[RecordRef, ...]) -> tuple[RecordRef, ...]:
    if len(records) == 1:
        return records if records[0].active else ()
    return tuple(record for record in records if record.active)


def _chosen_sender(candidates: tuple[RecordRef, ...], user: RecordRef) -> RecordRef | None:
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    return min(candidates, key=lambda record: _sender_rank(record, user))


def _sender_rank(record: RecordRef, user: RecordRef) -> tuple[int, bool, bool, datetime, int]:
    created = record.created_at
    return (
        _TYPE_RANK.get(record.type, len(_TYPE_RANK)),
        record.owner_id != user.id,
        created is None,
        as_naive_utc(created) if created is not None else datetime.max,
        record.id,
    )


def is_own_address(email: str, index: TrackingIndex, user: RecordRef) -> bool:
    """True when the address belongs to the tracking user's own record."""
    return any(
        record.type is user.type and record.id == user.id for record in index.records_for(email)
    )
