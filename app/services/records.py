"""CRM records as the window and the CLI find, list, create, edit, delete and qualify them.

Every write goes through app.crm (editing, qualification) in one CRM transaction, so a team
client's replica carries it to the shared store. Activities whose regarding record changes
(a record deleted, a lead qualified) have their mark on Exchange follow: the local cache says
the new regarding and an outbox entry takes it to the server at the next sync.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.duplicate_rules import DuplicateMatch
from app.crm.duplicates import duplicates_of
from app.crm.editing import (
    DeletionImpact,
    HistoryEntry,
    create_record,
    delete_record,
    deletion_impact,
    record_history,
    record_values,
    update_record,
)
from app.crm.errors import CrmError
from app.crm.fields import check_values
from app.crm.models import EmailActivity, Lead, Record
from app.crm.qualification import (
    QualifyChoice,
    QualifyMatches,
    disqualify_lead,
    qualify_lead,
    qualify_matches,
)
from app.crm.records import claim_unresolved_parties, find_record_by_name, get_record
from app.crm.search import (
    RecordDetails,
    RecordHit,
    RecordKey,
    RecordRow,
    RecordSearchIndex,
    RecordSummary,
    record_details,
    record_listing_ids,
    record_rows,
    record_summary,
)
from app.mailbox.models import MailItem
from app.mailbox.views import MessageDetails, message_details
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.mail import TrackingState
from app.services.record_forms import (
    RecordForm,
    empty_form,
    form_for_address,
    form_for_email,
    form_of,
)
from app.services.tracking import TrackingActions
from app.sync.outbox import MarkState, enqueue_mark
from app.tracking.model import Address, RecordType
from app.workspace import Workspace


@dataclass(frozen=True, slots=True)
class QualifyOutcome:
    made: tuple[RecordSummary, ...]  # what Qualify created or linked, in order
    regarding: RecordSummary | None  # what the lead's activities are regarding now
    moved: int  # how many activities


class RecordService(ProfileService):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._search_index: RecordSearchIndex | None = None
        self._search_lock = threading.Lock()

    # Finding

    def prepare_search(self) -> None:
        """Build the record search index now (slow once, then instant); safe from any thread."""
        with self._search_lock:
            if self._search_index is None:
                with self.workspace.crm.sessions() as session:
                    self._search_index = RecordSearchIndex.build(session)

    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]:
        self.prepare_search()
        with self._search_lock:  # a refresh on another thread may be adding records
            assert self._search_index is not None
            return self._search_index.search(text, limit)

    def refresh_search(self, changed: Iterable[int] = ()) -> None:
        """New records, and those `changed` (edited or deleted), as they are now."""
        with self._search_lock:
            if self._search_index is not None:
                with self.workspace.crm.sessions() as session:
                    self._search_index.refresh(session)
                    if changed:
                        self._search_index.reindex(session, changed)

    def record_listing(self, record_type: RecordType, search: str = "") -> Sequence[int]:
        with self.workspace.crm.sessions() as session:
            return record_listing_ids(session, record_type, search)

    def record_rows(self, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]:
        with self.workspace.crm.sessions() as session:
            return record_rows(session, record_type, ids)

    def find_record(self, record_type: RecordType, text: str) -> RecordSummary:
        """A record by id, by an address it has, or (as a person types it) by its name."""
        with self.workspace.crm.sessions() as session:
            if text.strip().isdigit() or "@" in text:
                return record_summary(get_record(session, record_type.value, text))
            found = find_record_by_name(session, record_type.value, text)
            if found is None:
                raise CrmError(f"No {record_type.value} is named {text.strip()!r}")
            return record_summary(found)

    def record(self, key: RecordKey) -> RecordDetails | None:
        with self.workspace.crm.sessions() as session:
            return record_details(session, key)

    def record_history(self, key: RecordKey) -> list[HistoryEntry]:
        with self.workspace.crm.sessions() as session:
            return record_history(session, self._get(session, key))

    # Forms

    def new_record_form(self, record_type: RecordType) -> RecordForm:
        return empty_form(record_type)

    def record_form(self, key: RecordKey) -> RecordForm:
        with self.workspace.crm.sessions() as session:
            return form_of(session, self._get(session, key))

    def form_for_address(self, address: Address, record_type: RecordType) -> RecordForm:
        """Create Contact/Lead: pre-filled from the display name and address, to correct."""
        with self.workspace.crm.sessions() as session:
            return form_for_address(session, address, record_type)

    def form_for_email(self, item_id: int, record_type: RecordType) -> RecordForm:
        """Convert to lead or opportunity: pre-filled from a message's sender and subject."""
        with self.workspace.local.sessions() as local:
            message = message_details(local, item_id)
        if message is None:
            raise ServiceError("This message is no longer in the mailbox")
        with self.workspace.crm.sessions() as session:
            return form_for_email(session, message.sender, message.subject, record_type)

    # Saving

    def check_record(
        self, record_type: RecordType, raw: Mapping[str, object], key: RecordKey | None = None
    ) -> list[DuplicateMatch]:
        """The records these values would duplicate (InvalidValues when they are wrong)."""
        values = check_values(record_type, raw, creating=key is None)
        with self.workspace.crm.sessions() as session:
            if key is not None:
                values = {**record_values(self._get(session, key)), **values}
            return duplicates_of(session, record_type, values, key.id if key else None)

    def save_record(
        self, record_type: RecordType, raw: Mapping[str, object], key: RecordKey | None = None
    ) -> RecordSummary:
        """Create (no key) or edit a record with values as typed or given in JSON; only the
        fields given change. InvalidValues names each wrong field."""
        values = check_values(record_type, raw, creating=key is None)
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            if key is None:
                record = create_record(session, record_type, values, user, user)
            else:
                record = self._get(session, key)
                update_record(session, record, values, user)
            # Mail from its addresses that no record knew is now known as from this record.
            for email in record.emails:
                claim_unresolved_parties(session, email, record)
            summary = record_summary(record)
        self.refresh_search([summary.key.id])
        return summary

    def convert_email(
        self, item_id: int, record_type: RecordType, raw: Mapping[str, object]
    ) -> RecordSummary:
        """Convert to lead or opportunity: the record, then the email tracked regarding it
        (through the window's one tracking path)."""
        summary = self.save_record(record_type, raw)
        TrackingActions(self.workspace).set_regarding(item_id, summary.key)
        return summary

    # Deleting

    def deletion_impact(self, key: RecordKey) -> DeletionImpact:
        with self.workspace.crm.sessions() as session:
            return deletion_impact(session, self._get(session, key))

    def delete_record(self, key: RecordKey) -> DeletionImpact:
        with self.workspace.crm.sessions.begin() as session:
            record = self._get(session, key)
            impact = deletion_impact(session, record)
            moved = delete_record(session, record)
        self._follow_regarding(moved, None)
        self.refresh_search([key.id])
        return impact

    # Qualifying

    def qualify_matches(self, key: RecordKey) -> QualifyMatches:
        with self.workspace.crm.sessions() as session:
            return qualify_matches(session, self._lead(session, key))

    def qualify_lead(self, key: RecordKey, choice: QualifyChoice) -> QualifyOutcome:
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            result = qualify_lead(session, self._lead(session, key), choice, user)
            made = tuple(
                record_summary(record)
                for record in (result.account, result.contact, result.opportunity)
                if record is not None
            )
            regarding = record_summary(result.regarding) if result.regarding else None
        self._follow_regarding(result.moved, regarding)
        self.refresh_search([key.id, *(summary.key.id for summary in made)])
        return QualifyOutcome(made, regarding, len(result.moved))

    def disqualify_lead(self, key: RecordKey, reason: str) -> None:
        with self.workspace.crm.sessions.begin() as session:
            disqualify_lead(
                session, self._lead(session, key), reason, self.workspace.owner(session)
            )
        self.refresh_search([key.id])

    # The timeline's email

    def timeline_email(self, activity_id: int) -> MessageDetails | None:
        """A tracked email as the reading pane shows it: the cached message when this mailbox
        has it, else the message as the CRM keeps it (tracked by someone else)."""
        with self.workspace.local.sessions() as local:
            item_id = local.scalar(
                select(MailItem.id)
                .where(
                    MailItem.activity_id == activity_id,
                    MailItem.account == (self.account_address() or ""),
                )
                .order_by(MailItem.id)
                .limit(1)
            )
            if item_id is not None:
                return message_details(local, item_id)
        with self.workspace.crm.sessions() as session:
            activity = session.get(EmailActivity, activity_id)
            return _crm_message(activity) if activity is not None else None

    # Helpers

    def _get(self, session: Session, key: RecordKey) -> Record:
        return get_record(session, key.type.value, str(key.id))

    def _lead(self, session: Session, key: RecordKey) -> Lead:
        record = self._get(session, key)
        if not isinstance(record, Lead):
            raise ServiceError("Only a lead can be qualified or disqualified")
        return record

    def _follow_regarding(
        self, activity_ids: Iterable[int], regarding: RecordSummary | None
    ) -> None:
        """Tracked mail of these activities says its new regarding record, here and (by the
        mark the next sync writes) on Exchange."""
        wanted = list(activity_ids)
        if not wanted:
            return
        with self.workspace.local.sessions.begin() as local:
            for item in local.scalars(
                select(MailItem).where(
                    MailItem.activity_id.in_(wanted),
                    MailItem.tracking_state == TrackingState.TRACKED.value,
                )
            ):
                item.regarding_type = regarding.key.type.value if regarding else None
                item.regarding_id = regarding.key.id if regarding else None
                item.regarding_name = regarding.name if regarding else None
                local.flush()
                enqueue_mark(local, item, MarkState.TRACKED)


def _crm_message(activity: EmailActivity) -> MessageDetails:
    sender = next((party for party in activity.parties if party.role == "sender"), None)

    def addresses(role: str) -> tuple[Address, ...]:
        return tuple(
            Address(party.email, party.display_name)
            for party in activity.parties
            if party.role == role
        )

    return MessageDetails(
        id=0,  # not in this mailbox
        folder_id=0,
        item_class="IPM.Note",
        internet_message_id=activity.message_id,
        subject=activity.subject,
        sender=Address(sender.email, sender.display_name) if sender else None,
        to=addresses("to"),
        cc=addresses("cc"),
        received_at=activity.received_at,
        sent_at=activity.sent_at,
        is_draft=False,
        sensitivity="Normal",
        importance="Normal",
        categories=(),
        body_text=activity.body_text,
        body_html=activity.body_html,
        body_fetched=True,
        attachments=(),
        tracking_state=TrackingState.TRACKED.value if activity.tracked else "none",
        tracking_rule=activity.rule,
        activity_id=activity.id,
        regarding_type=activity.regarding.type if activity.regarding else None,
        regarding_id=activity.regarding_id,
        regarding_name=activity.regarding.display_name if activity.regarding else None,
        details={},
    )
