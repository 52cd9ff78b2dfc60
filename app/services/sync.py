"""Sync as the window sees it: where it stands, and the engine's scheduler to run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.mailbox.views import sync_facts
from app.services.base import ProfileService
from app.sync.status import SyncState, SyncStatus
from app.workspace import Workspace

if TYPE_CHECKING:
    # Imported for the types only: exchangelib loads when sync starts, not with the window.
    from app.services.engine_runner import EngineRunner
    from app.sync.engine import EngineSettings


class SyncService(ProfileService):
    """`engine_settings` tunes the sync engine (retry waits); the defaults suit a real server."""

    def __init__(self, workspace: Workspace, engine_settings: EngineSettings | None = None) -> None:
        super().__init__(workspace)
        self.engine_settings = engine_settings
        self._connection_state = SyncState.CONNECTING
        self._state_message = ""

    def sync_status(self) -> SyncStatus:
        # In a team, CRM changes waiting for the shared store are waiting changes too.
        team = self.workspace.team
        crm_waiting = team.pending() if team is not None else 0
        address = self.account_address()
        if address is None:
            return SyncStatus(SyncState.NOT_CONFIGURED, None, crm_waiting)
        with self.workspace.local.sessions() as session:
            facts = sync_facts(session, address)
        message = self._state_message or facts.last_error
        return SyncStatus(
            self._connection_state, facts.last_sync, facts.pending_changes + crm_waiting, message
        )

    def sync_runner(self) -> EngineRunner | None:
        """The sync engine for the profile's account; None without an account."""
        if self.account_address() is None:
            return None
        from app.services.engine_runner import EngineRunner

        return EngineRunner(self.workspace, self._remember_state, self.engine_settings)

    def forget_connection_state(self) -> None:
        """A new or changed account: nothing is known of its server yet."""
        self._remember_state(SyncState.CONNECTING, "")

    def _remember_state(self, state: SyncState, message: str) -> None:
        # Called on the sync thread; two plain assignments, read by the window's thread.
        self._connection_state = state
        self._state_message = message
