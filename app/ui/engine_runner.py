"""The sync engine (app.sync.engine) behind the window's SyncRunner protocol.

Imported only when a profile has an account: exchangelib is heavy, and the window paints its
first frame without it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from app.sync.engine import EngineSettings, SyncEngine, SyncReport, SyncState
from app.sync.progress import Phase
from app.sync.progress import SyncProgress as EngineProgress
from app.ui.services import (
    ConnectionState,
    OutcomeCallback,
    ProgressCallback,
    SyncOutcome,
    SyncProgress,
)
from app.workspace import Workspace

PROCESS = "the Liaison window"
STATES = {
    SyncState.ONLINE: ConnectionState.ONLINE,
    SyncState.SYNCING: ConnectionState.SYNCING,
    SyncState.OFFLINE: ConnectionState.OFFLINE,
    SyncState.NEEDS_ATTENTION: ConnectionState.NEEDS_ATTENTION,
}


class EngineRunner:
    def __init__(
        self,
        workspace: Workspace,
        on_state: Callable[[ConnectionState, str], None],
        settings: EngineSettings | None = None,
    ) -> None:
        # Named for the lock a `liaison sync` of the same profile meets while the window syncs.
        settings = dataclasses.replace(settings or EngineSettings(), process=PROCESS)
        self._engine = SyncEngine.open(workspace, settings)
        self._on_state = on_state

    def run(self, stop: threading.Event, progress: ProgressCallback, done: OutcomeCallback) -> None:
        def relay_progress(value: EngineProgress) -> None:
            if value.phase is not Phase.DONE:
                self._on_state(ConnectionState.SYNCING, value.message)
            progress(_progress(value))

        def relay_report(report: SyncReport) -> None:
            state = STATES[report.state]
            self._on_state(state, report.message)
            done(_outcome(report, state))

        self._engine.run(stop, relay_progress, relay_report)

    def sync_now(self) -> None:
        self._engine.sync_now()

    def close(self) -> None:
        self._engine.close()


def _progress(value: EngineProgress) -> SyncProgress:
    counts = {count.name: count for count in value.folders}
    current = counts.get(value.folder or "")
    return SyncProgress(
        phase=value.phase.value,
        folder=value.folder,
        done=current.done if current is not None else value.items_done,
        total=current.total or None if current is not None else None,
        note=value.message,
    )


def _outcome(report: SyncReport, state: ConnectionState) -> SyncOutcome:
    return SyncOutcome(
        state=state,
        message=report.message,
        items=report.items,
        tracked=report.tracked,
        cancelled=report.cancelled,
    )
