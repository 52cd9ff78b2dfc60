"""CRM records as the window finds, lists and creates them."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from app.crm.records import (
    claim_unresolved_parties,
    create_contact,
    create_lead,
    records_with_address,
)
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
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.tracking.model import Address, AutoCreate, RecordType
from app.tracking.names import new_record_for
from app.workspace import Workspace


class RecordService(ProfileService):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._search_index: RecordSearchIndex | None = None
        self._search_lock = threading.Lock()

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

    def refresh_search(self) -> None:
        with self._search_lock:
            if self._search_index is not None:
                with self.workspace.crm.sessions() as session:
                    self._search_index.refresh(session)

    def record_listing(self, record_type: RecordType, search: str = "") -> Sequence[int]:
        with self.workspace.crm.sessions() as session:
            return record_listing_ids(session, record_type, search)

    def record_rows(self, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]:
        with self.workspace.crm.sessions() as session:
            return record_rows(session, record_type, ids)

    def record(self, key: RecordKey) -> RecordDetails | None:
        with self.workspace.crm.sessions() as session:
            return record_details(session, key)

    def create_record_for(self, address: Address, record_type: RecordType) -> RecordSummary:
        """A contact or lead for an unknown address, named from the display name or address;
        the address's unresolved parties are linked to it."""
        kind = AutoCreate.LEAD if record_type is RecordType.LEAD else AutoCreate.CONTACT
        new = new_record_for(address, kind)
        if new is None:
            raise ServiceError(f"Cannot create a {record_type.value} for {address.email}")
        with self.workspace.crm.sessions.begin() as session:
            if records_with_address(session, new.email):
                raise ServiceError(f"{new.email} already belongs to a CRM record")
            owner = self.workspace.owner(session)
            if new.type is RecordType.LEAD:
                record = create_lead(
                    session, new.first_name, new.last_name, [new.email], owner, company=new.company
                )
            else:
                record = create_contact(session, new.first_name, new.last_name, [new.email], owner)
            claim_unresolved_parties(session, new.email, record)
            summary = record_summary(record)
        self.refresh_search()
        return summary
