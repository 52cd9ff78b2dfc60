"""The sync history, for the window's Sync history view and `liaison sync log`."""

from __future__ import annotations

from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.sync.history import Conflict, SyncRunRecord, conflicts, sync_runs, use_other_value


class SyncHistoryService(ProfileService):
    def sync_history(self, limit: int = 50) -> list[SyncRunRecord]:
        """The newest syncs, newest first, with their failures, conflicts and notes."""
        address = self.account_address()
        if address is None:
            return []
        with self.workspace.local.sessions() as session:
            return sync_runs(session, address, limit)

    def conflicts(self, limit: int = 50) -> list[Conflict]:
        with self.workspace.local.sessions() as session:
            return conflicts(session, limit)

    def use_other_value(self, conflict_id: int, field: str) -> Conflict:
        """Use the value that lost a conflict; the next sync carries it to Exchange."""
        address = self.account_address()
        if address is None:
            raise ServiceError("This profile has no mail account to sync with")
        return use_other_value(self.workspace, address, conflict_id, field)
