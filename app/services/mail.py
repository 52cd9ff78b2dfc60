"""The mailbox as the window reads it: folders, listings, messages and their CRM facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.crm.models import Record
from app.crm.search import (
    ActivityFacts,
    RecordKey,
    RecordSummary,
    email_activity_facts,
    records_for_addresses,
)
from app.mailbox.views import (
    ConversationListing,
    FolderSummary,
    ListingQuery,
    MessageDetails,
    MessageRow,
    conversation_ids,
    conversation_listing,
    list_folders,
    listing_ids,
    message_details,
    message_rows,
    unread_counts,
)
from app.services.base import ProfileService
from app.sync.outbox import pending_marks_among
from app.tracking.addresses import normalise_email
from app.tracking.model import Address, RecordType, Rule
from app.tracking.plan import TrackingStatus as TrackingState
from app.tracking.reasons import Reason


@dataclass(frozen=True, slots=True)
class PartyFact:
    role: str  # sender | to | cc
    address: Address
    records: tuple[RecordSummary, ...]  # empty: unknown to the CRM


@dataclass(frozen=True, slots=True)
class CrmPaneFacts:
    item_id: int
    state: TrackingState
    regarding: RecordSummary | None
    rule: str | None
    evidence: str | None
    how: str | None  # automatic | manual
    tracked_at: datetime | None
    parties: tuple[PartyFact, ...]
    mark_waiting: bool = False  # the change is in the outbox, not on the server yet
    reasons: tuple[Reason, ...] | None = None  # why, as facts; None: `evidence` words only

    @property
    def is_tracked(self) -> bool:
        return self.state in (TrackingState.TRACKED, TrackingState.PENDING)

    @property
    def sender(self) -> PartyFact | None:
        return next((party for party in self.parties if party.role == "sender"), None)


class MailboxService(ProfileService):
    def folders(self) -> list[FolderSummary]:
        """The folders, those that track their mail with the name of their record."""
        with self.workspace.local.sessions() as session:
            folders = list_folders(session, self.account_address())
        mapped = {f.mapped_record_id for f in folders if f.mapped_record_id is not None}
        if not mapped:
            return folders
        with self.workspace.crm.sessions() as session:
            records = (session.get(Record, record_id) for record_id in mapped)
            names = {record.id: record.display_name for record in records if record is not None}
        return [
            dataclasses.replace(f, mapped_record_name=names.get(f.mapped_record_id or -1))
            for f in folders
        ]

    def listing(self, query: ListingQuery) -> Sequence[int]:
        """The ids to list, in order: one folder, or (folder None) every mail folder."""
        with self.workspace.local.sessions() as session:
            return listing_ids(session, query, self.account_address())

    def conversation_listing(self, query: ListingQuery) -> ConversationListing:
        """The ids to list grouped by conversation, with each conversation's size and state."""
        with self.workspace.local.sessions() as session:
            return conversation_listing(session, query, self.account_address())

    def unread_counts(self) -> dict[int, int]:
        """Unread messages per folder id, as the cache is now (local changes included)."""
        with self.workspace.local.sessions() as session:
            return unread_counts(session, self.account_address())

    def conversation(self, item_id: int) -> list[int]:
        """The messages of an item's conversation in any folder, oldest first."""
        with self.workspace.local.sessions() as session:
            return conversation_ids(session, item_id)

    def rows(self, ids: Sequence[int]) -> list[MessageRow]:
        with self.workspace.local.sessions() as session:
            return message_rows(session, ids)

    def message(self, item_id: int) -> MessageDetails | None:
        with self.workspace.local.sessions() as session:
            return message_details(session, item_id)

    def crm_facts(self, message: MessageDetails) -> CrmPaneFacts:
        """The CRM pane's facts for a message the window has read already (not read again)."""
        addresses = _message_addresses(message)
        with self.workspace.local.sessions() as session:
            # Asked of this message alone: after a first sync, or offline, thousands of marks
            # can be waiting, and the pane asks at every selection.
            waiting_items, _ = pending_marks_among(
                session, self.account_address() or "", [message.id], ()
            )
        with self.workspace.crm.sessions() as session:
            activity = (
                email_activity_facts(session, message.activity_id)
                if message.activity_id is not None
                else None
            )
            resolved = records_for_addresses(session, [address.email for _, address in addresses])
        state = tracking_state(message.tracking_state)
        untracked_by_hand = activity is not None and not activity.tracked
        if untracked_by_hand:
            state = TrackingState.NONE
            activity = None
        return CrmPaneFacts(
            item_id=message.id,
            state=state,
            regarding=_regarding(message, activity) if state is not TrackingState.NONE else None,
            rule=(message.tracking_rule or Rule.UNTRACKED)
            if untracked_by_hand
            else (activity.rule if activity is not None else None) or message.tracking_rule,
            evidence=activity.evidence if activity is not None else None,
            reasons=activity.reasons if activity is not None else None,
            how=activity.how if activity is not None else None,
            tracked_at=activity.tracked_at if activity is not None else None,
            parties=_parties(addresses, resolved, activity),
            mark_waiting=message.id in waiting_items,
        )


def tracking_state(text: str | None) -> TrackingState:
    try:
        return TrackingState(text or "none")
    except ValueError:
        return TrackingState.NONE


def record_key(record_type: str | None, record_id: int | None) -> RecordKey | None:
    """The key of a record as the cache stores it (type and id columns), if it names one."""
    if record_type is None or record_id is None:
        return None
    try:
        return RecordKey(RecordType(record_type), record_id)
    except ValueError:
        return None


def _message_addresses(message: MessageDetails) -> list[tuple[str, Address]]:
    addresses: list[tuple[str, Address]] = []
    if message.sender is not None:
        addresses.append(("sender", message.sender))
    addresses.extend(("to", address) for address in message.to)
    addresses.extend(("cc", address) for address in message.cc)
    return addresses


def _regarding(message: MessageDetails, activity: ActivityFacts | None) -> RecordSummary | None:
    if activity is not None:
        return activity.regarding
    key = record_key(message.regarding_type, message.regarding_id)
    return RecordSummary(key, message.regarding_name or "") if key is not None else None


def _parties(
    addresses: list[tuple[str, Address]],
    resolved: dict[str, list[RecordSummary]],
    activity: ActivityFacts | None,
) -> tuple[PartyFact, ...]:
    """Each address with its records: as the activity resolved it when tracked (the sender to
    exactly one record), else every record that has the address now."""
    linked: dict[tuple[str, str], list[RecordSummary]] = {}
    if activity is not None:
        for party in activity.parties:
            if party.record is not None:
                key = (party.role, normalise_email(party.email))
                linked.setdefault(key, []).append(party.record)
    facts = []
    for role, address in addresses:
        email = normalise_email(address.email)
        records = linked.get((role, email)) or resolved.get(email, [])
        if role == "sender":
            records = records[:1]
        facts.append(PartyFact(role, address, tuple(records)))
    return tuple(facts)
