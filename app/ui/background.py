"""Running a slow service call off the event loop: a thread from the pool does the work, the
window hears the result through a queued signal. Tracking by hand loads the CRM's tracking index
(seconds on a CRM of 100 000 records), which must never freeze the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

# For work split over turns of the event loop: a 0 ms timer is handled with the posted events,
# before the loop paints or reads input; one of 1 ms waits its turn behind them.
NEXT_TURN_MS = 1


class _Job(QObject):
    succeeded = Signal(object)
    failed = Signal(object)  # the exception


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], Any], job: _Job) -> None:
        super().__init__()
        self._work = work
        self._job = job

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:
            log.exception("background work failed")
            self._job.failed.emit(exc)
            return
        self._job.succeeded.emit(result)


class Background(QObject):
    """Runs work on the global thread pool; keeps each job alive until it reported back."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: set[_Job] = set()
        self._quiet: set[_Job] = set()

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        job = _Job(self)
        self._jobs.add(job)
        job.succeeded.connect(lambda result: self._finish(job, lambda: done(result)))
        job.failed.connect(lambda error: self._finish(job, lambda: failed(error)))
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        QThreadPool.globalInstance().start(_Runnable(work, job))

    def quietly(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Work the window does by itself (marking a message read after a while): reports back
        like `run`, without making the window busy, so the user's actions stay enabled."""
        job = _Job(self)
        self._quiet.add(job)

        def finish(then: Callable[[], None]) -> None:
            self._quiet.discard(job)
            job.deleteLater()
            then()

        job.succeeded.connect(lambda result: finish(lambda: done(result)))
        job.failed.connect(lambda error: finish(lambda: failed(error)))
        QThreadPool.globalInstance().start(_Runnable(work, job))

    def prepare(self, work: Callable[[], Any]) -> None:
        """Work the user did not ask for and waits on nowhere (building a search index): it
        neither makes the window busy nor reports back; a failure is logged, and the work is
        done again, in the foreground, when it is needed."""
        QThreadPool.globalInstance().start(_Runnable(work, _Job(None)))

    def is_busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, milliseconds: int = 30_000) -> bool:
        """For shutdown: let running jobs finish (their writes are transactions)."""
        return QThreadPool.globalInstance().waitForDone(milliseconds)

    def _finish(self, job: _Job, then: Callable[[], None]) -> None:
        self._jobs.discard(job)
        job.deleteLater()
        try:
            then()
        finally:
            if not self._jobs:
                self.busy_changed.emit(False)
