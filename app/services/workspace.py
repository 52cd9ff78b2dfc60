"""Every service the main window needs, on one opened profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.crm.search import RecordKey
from app.services.account import AccountForm, AccountService
from app.services.addresses import AddressBook
from app.services.attachments import AttachmentService
from app.services.compose import ComposeService
from app.services.folders import FolderTrackingService
from app.services.history import SyncHistoryService
from app.services.mail import MailboxService
from app.services.mail_actions import MailActions
from app.services.records import RecordService
from app.services.schedule import ScheduleService
from app.services.settings import SettingsService
from app.services.sync import SyncService
from app.services.tracking import TrackingActions
from app.workspace import Workspace

if TYPE_CHECKING:
    from app.sync.engine import EngineSettings


class WorkspaceServices(
    MailboxService,
    MailActions,
    AttachmentService,
    AddressBook,
    RecordService,
    TrackingActions,
    FolderTrackingService,
    ComposeService,
    ScheduleService,
    SyncService,
    SyncHistoryService,
    SettingsService,
    AccountService,
):
    """The window's services; `engine_settings` tunes the sync engine (retry waits), the
    defaults suit a real server."""

    def __init__(self, workspace: Workspace, engine_settings: EngineSettings | None = None) -> None:
        super().__init__(workspace)
        self.engine_settings = engine_settings

    def track(self, item_id: int, regarding: RecordKey | None) -> None:
        super().track(item_id, regarding)
        self.refresh_search()  # tracking may have created a contact or lead

    def save_account(self, form: AccountForm) -> None:
        super().save_account(form)
        self.forget_connection_state()
