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
from typing import Protocol

from app.config import ProfilePaths
from app.crm.search import RecordDetails, RecordHit, RecordKey, RecordRow, RecordSummary
from app.mailbox.views import (
    FolderSummary,
    ListingQuery,
    MessageDetails,
    MessageRow,
    ScheduledItem,
    TaskItem,
)
from app.services.account import AccountForm, CheckCallback, ConnectionCheck
from app.services.compose import EmailDraft
from app.services.folders import Refusal
from app.services.mail import CrmPaneFacts
from app.services.schedule import AppointmentDraft, TaskDraft
from app.services.settings import OptionsForm
from app.sync.progress import ProgressCallback
from app.sync.status import ReportCallback, SyncStatus
from app.tracking.model import Address, RecordType


class MailService(Protocol):
    def account_address(self) -> str | None: ...
    def folders(self) -> list[FolderSummary]: ...
    def listing(self, query: ListingQuery) -> Sequence[int]: ...
    def rows(self, ids: Sequence[int]) -> list[MessageRow]: ...
    def message(self, item_id: int) -> MessageDetails | None: ...
    def crm_facts(self, message: MessageDetails) -> CrmPaneFacts: ...


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
    def untrack(self, item_id: int, delete: bool = False) -> None: ...


class FolderTracking(Protocol):
    def folder_refusal(self, folder_id: int) -> Refusal | None: ...
    def track_folder(self, folder_id: int, regarding: RecordKey) -> None: ...
    def stop_tracking_folder(self, folder_id: int) -> None: ...


class ComposeActions(Protocol):
    def send_email(self, draft: EmailDraft) -> str: ...


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
    CrmService,
    TrackingActions,
    FolderTracking,
    ComposeActions,
    ScheduleService,
    SyncService,
    SettingsService,
    AccountService,
    Protocol,
):
    """Everything the main window needs."""
