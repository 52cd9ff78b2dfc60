"""Sync on its own thread: the sync engine is made there (importing exchangelib alone takes a few
hundred milliseconds) and its scheduler runs there; the window only hears about it through queued
signals, so the event loop never waits for the server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from app.ui.errors import user_message
from app.ui.ports import SyncRunner

log = logging.getLogger(__name__)

STOP_WAIT_MS = 10_000
# Threads that did not stop in time: kept referenced, since destroying a running QThread
# aborts the process; they end with it.
_abandoned: list[QThread] = []


RunnerFactory = Callable[[], SyncRunner | None]


class _Runner:
    """The engine, made once by the first thread that needs it; read by the window's thread."""

    def __init__(self, make: RunnerFactory) -> None:
        self._make = make
        self._lock = threading.Lock()
        self.runner: SyncRunner | None = None

    def get(self) -> SyncRunner | None:
        with self._lock:
            if self.runner is None:
                self.runner = self._make()
            return self.runner


class _SyncThread(QThread):
    progressed = Signal(object)  # SyncProgress
    finished_sync = Signal(object)  # SyncReport
    failed = Signal(str)

    def __init__(self, runner: _Runner, stop: threading.Event) -> None:
        super().__init__()
        self.setObjectName("sync")
        self._runner = runner
        self._stop = stop

    def run(self) -> None:
        try:
            runner = self._runner.get()
            if runner is not None:
                runner.run(self._stop, self.progressed.emit, self.finished_sync.emit)
        except Exception as exc:
            # The engine reports server and credential trouble itself; this is a broken profile
            # (the engine could not be made) or a bug, and the window must stay usable and say so.
            log.exception("the sync thread stopped")
            self.failed.emit(user_message(exc))


class SyncWorker(QObject):
    """Makes the engine and runs its scheduler on a thread; relays what it says to the window."""

    progressed = Signal(object)  # SyncProgress
    synced = Signal(object)  # SyncReport
    failed = Signal(str)

    def __init__(self, make_runner: RunnerFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = _Runner(make_runner)
        self._stop = threading.Event()
        self._thread = self._new_thread()

    def _new_thread(self) -> _SyncThread:
        thread = _SyncThread(self._runner, self._stop)
        thread.progressed.connect(self.progressed)
        thread.finished_sync.connect(self.synced)
        thread.failed.connect(self.failed)
        return thread

    def start(self) -> None:
        self._thread.start()

    def sync_now(self) -> None:
        if self._thread.isFinished() and not self._stop.is_set():
            # The scheduler died of a bug (logged, and shown); Sync now starts it again.
            self._thread = self._new_thread()
            self._thread.start()
            return
        if self._runner.runner is not None:
            self._runner.runner.sync_now()
        # else: the engine is still being made, and its first run is a sync at once.

    def stop(self) -> bool:
        """Ask the engine to stop, wait for it a little; True when the thread has ended."""
        self._stop.set()
        ended = self._thread.wait(STOP_WAIT_MS)
        if not ended:
            log.warning("the sync thread did not stop within %d ms", STOP_WAIT_MS)
            self._thread.setParent(None)
            _abandoned.append(self._thread)
        if self._runner.runner is not None:
            self._runner.runner.close()
        return ended
