"""The sync engine (app.sync.engine) behind the window's SyncRunner protocol.

Imported only when a profile has an account: exchangelib is heavy, and the window paints its
first frame without it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from app.sync.engine import EngineSettings, SyncEngine
from app.sync.progress import Phase, ProgressCallback, SyncProgress
from app.sync.status import ReportCallback, SyncReport, SyncState
from app.workspace import Workspace

PROCESS = "the Liaison window"


class EngineRunner:
    def __init__(
        self,
        workspace: Workspace,
        on_state: Callable[[SyncState, str], None],
        settings: EngineSettings | None = None,
    ) -> None:
        # Named for the lock a `liaison sync` of the same profile meets while the window syncs.
        settings = dataclasses.replace(settings or EngineSettings(), process=PROCESS)
        self._engine = SyncEngine.open(workspace, settings)
        self._on_state = on_state

    def run(self, stop: threading.Event, progress: ProgressCallback, done: ReportCallback) -> None:
        def relay_progress(value: SyncProgress) -> None:
            if value.phase is not Phase.DONE:
                self._on_state(SyncState.SYNCING, value.message)
            progress(value)

        def relay_report(report: SyncReport) -> None:
            self._on_state(report.state, report.message)
            done(report)

        self._engine.run(stop, relay_progress, relay_report)

    def sync_now(self) -> None:
        self._engine.sync_now()

    def close(self) -> None:
        self._engine.close()
