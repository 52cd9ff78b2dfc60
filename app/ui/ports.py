"""What the window asks of the rest of the app: one Protocol per concern.

Widgets see only these Protocols and the plain values they return (defined by the services in
app.services and the sync status in app.sync.status): no session, no SQL, no exchangelib.
`app.services.workspace.WorkspaceServices` implements them all on an opened profile; tests may
implement any of them alone.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.config import ProfilePaths
from app.crm.search import RecordDetails, RecordHit, RecordKey, RecordRow, RecordSummary
from app.mailbox.attachments import AttachmentInfo
from app.mailbox.remote import AttachmentContent, FlagStatus
from app.mailbox.replies import ResponseKind
from app.mailbox.views import (
    FolderSummary,
    ListingQuery,
    MessageDetails,
    MessageRow,
    ScheduledItem,
    TaskItem,
)
from app.services.account import AccountForm, CheckCallback, ConnectionCheck
from app.services.addresses import AddressSuggestion
from app.services.compose import EmailDraft, QueuedEmail
from app.services.mail import CrmPaneFacts
from app.services.schedule import AppointmentDraft, TaskDraft
from app.services.settings import OptionsForm
from app.sync.activity_deletion import Deletion
from app.sync.history import Conflict, SyncRunRecord
from app.sync.progress import ProgressCallback
from app.sync.status import ReportCallback, SyncStatus
from app.tracking.model import Address, RecordType
from app.tracking.outgoing import OutgoingDecision


class MailService(Protocol):
    def account_address(self) -> str | None: ...
    def folders(self) -> list[FolderSummary]: ...
    def listing(self, query: ListingQuery) -> Sequence[int]: ...
    def rows(self, ids: Sequence[int]) -> list[MessageRow]: ...
    def message(self, item_id: int) -> MessageDetails | None: ...
    def crm_facts(self, message: MessageDetails) -> CrmPaneFacts: ...
    def unread_counts(self) -> dict[int, int]: ...
    def conversation(self, item_id: int) -> list[int]: ...


class MailActionsPort(Protocol):
    """What the user does to messages: each is in the cache at once (refresh the list and the
    folder counts), on Exchange at the next sync. Fast: callable on the window's thread."""

    def mark_read(self, item_ids: Sequence[int], read: bool = True) -> int: ...
    def flag(self, item_ids: Sequence[int], status: FlagStatus = FlagStatus.FLAGGED) -> int: ...
    def move(self, item_ids: Sequence[int], folder_id: int) -> int: ...
    def copy(self, item_ids: Sequence[int], folder_id: int) -> list[int]: ...
    def delete(self, item_ids: Sequence[int], permanently: bool = False) -> int: ...
    def junk(self, item_ids: Sequence[int]) -> int: ...
    def not_junk(self, item_ids: Sequence[int]) -> int: ...


class AttachmentsPort(Protocol):
    def attachments(self, item_id: int) -> tuple[AttachmentInfo, ...]: ...
    def attachment_content(self, item_id: int, index: int) -> AttachmentContent:
        """Slow the first time (fetched from the server): call off the window's thread."""

    def save_attachment(
        self, item_id: int, index: int, folder: Path, name: str | None = None
    ) -> Path:
        """Slow the first time: call off the window's thread."""

    def save_attachments(self, item_id: int, folder: Path) -> list[Path]:
        """Slow the first time: call off the window's thread."""

    def open_copy(self, item_id: int, index: int) -> Path:
        """A private copy for the system's viewer; slow the first time."""


class CrmService(Protocol):
    def prepare_search(self) -> None: ...
    def refresh_search(self) -> None: ...
    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]: ...
    def record_listing(self, record_type: RecordType, search: str = "") -> Sequence[int]: ...
    def record_rows(self, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]: ...
    def record(self, key: RecordKey) -> RecordDetails | None: ...
    def create_record_for(self, address: Address, record_type: RecordType) -> RecordSummary: ...


class TrackingActions(Protocol):
    def track(self, item_id: int, regarding: RecordKey | None) -> None: ...
    def set_regarding(self, item_id: int, regarding: RecordKey) -> None: ...
    def untrack(self, item_id: int) -> None: ...


class ComposeActions(Protocol):
    def send_email(self, draft: EmailDraft) -> str: ...
    def queue_email(self, draft: EmailDraft) -> QueuedEmail: ...
    def tracking_for(self, draft: EmailDraft) -> OutgoingDecision:
        """Whether the draft would be tracked and why: the Track control's default."""

    def respond(
        self, item_id: int, kind: ResponseKind, written: str = "", language: str | None = None
    ) -> EmailDraft: ...
    def save_draft(self, draft: EmailDraft) -> int: ...
    def open_draft(self, item_id: int) -> EmailDraft: ...
    def size_limit(self) -> int: ...
    def message_size(self, draft: EmailDraft) -> int: ...
    def language(self) -> str: ...
    def complete_addresses(self, text: str, limit: int = 10) -> list[AddressSuggestion]: ...


class SyncRunner(Protocol):
    """The sync engine's scheduler, as the window's sync thread drives it."""

    def run(self, stop: threading.Event, progress: ProgressCallback, done: ReportCallback) -> None:
        """Sync now and then on the schedule until `stop` is set; called on the sync thread."""

    def sync_now(self) -> None: ...
    def close(self) -> None: ...


class SyncService(Protocol):
    def sync_status(self) -> SyncStatus: ...
    def sync_runner(self) -> SyncRunner | None: ...


class ScheduleService(Protocol):
    def calendar_entries(self, start: datetime, end: datetime) -> list[ScheduledItem]: ...
    def tasks(self) -> list[TaskItem]: ...
    def appointment_draft(self, entry: ScheduledItem) -> AppointmentDraft: ...
    def task_draft(self, task: TaskItem) -> TaskDraft: ...
    def save_appointment(self, draft: AppointmentDraft) -> None: ...
    def save_task(self, draft: TaskDraft) -> None: ...
    def delete_activity(self, activity_id: int, remove_from_exchange: bool | None) -> Deletion: ...


class SyncHistoryService(Protocol):
    def sync_history(self, limit: int = 50) -> list[SyncRunRecord]:
        """Reads every sync's log lines: called off the window's thread."""

    def use_other_value(self, conflict_id: int, field: str) -> Conflict: ...


class SettingsService(Protocol):
    def profile_paths(self) -> ProfilePaths: ...
    def options(self) -> OptionsForm: ...
    def save_options(self, form: OptionsForm) -> None: ...


class AccountService(Protocol):
    def account_form(self) -> AccountForm | None: ...
    def test_account(self, form: AccountForm, on_check: CheckCallback) -> list[ConnectionCheck]:
        """Each check in order, up to the first failure; slow: called off the window's thread."""

    def save_account(self, form: AccountForm) -> None: ...


class WindowServices(
    MailService,
    MailActionsPort,
    AttachmentsPort,
    CrmService,
    TrackingActions,
    ComposeActions,
    ScheduleService,
    SyncService,
    SyncHistoryService,
    SettingsService,
    AccountService,
    Protocol,
):
    """Everything the main window needs."""
