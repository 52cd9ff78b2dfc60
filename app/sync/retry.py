"""Waiting out a busy server: as long as it asks, within a budget, and never past a cancel.

Every backend retries the same way (DESIGN.md, "Throttling"): a server that asks for a pause
(EWS's BackOffMilliseconds, Graph's Retry-After) gets it, one without a hint gets `first_retry`,
and one logical operation (one page, one batch) waits at most `max_wait` in total before the
server counts as unreachable. Each wait is reported to the engine (the progress line says
"server busy, waiting 2.0 s") and ends at once when the sync is cancelled. The engine hands a
backend the cancel event and the listener of each sync through `bind()`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from app.sync.errors import ServerUnreachable, SyncCancelled

BackOffListener = Callable[[float, str], None]


class RetryBudget:
    def __init__(
        self,
        max_wait: float,
        first_retry: float,
        cancel: threading.Event | None = None,
        on_back_off: BackOffListener | None = None,
    ) -> None:
        self.max_wait = max_wait
        self.first_retry = first_retry
        self.cancel = cancel or threading.Event()
        self.on_back_off = on_back_off
        self._waited = threading.local()

    def bind(self, cancel: threading.Event, on_back_off: BackOffListener | None) -> None:
        """The cancel event and the listener of the sync about to run."""
        self.cancel = cancel
        self.on_back_off = on_back_off

    @contextlib.contextmanager
    def operation(self) -> Iterator[None]:
        """One logical request (one page, one batch): its retries share one budget."""
        self._waited.seconds = 0.0
        try:
            yield
        finally:
            self._waited.seconds = 0.0

    def back_off(self, seconds: float | None, why: str = "server busy") -> None:
        """Wait as the server asked (None: no hint), or raise ServerUnreachable when that would
        overrun the operation's budget, or SyncCancelled when the sync is cancelled meanwhile."""
        wait = self.first_retry if seconds is None else max(float(seconds), 0.0)
        waited = getattr(self._waited, "seconds", 0.0)
        if waited + wait > self.max_wait:
            raise ServerUnreachable(
                f"The server stayed busy or unreachable for {waited:.0f} s; "
                "sync will try again later"
            )
        self._waited.seconds = waited + wait
        if self.on_back_off is not None:
            self.on_back_off(wait, why)
        if self.cancel.wait(wait):
            raise SyncCancelled()
