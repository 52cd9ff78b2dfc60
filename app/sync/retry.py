"""Waiting out a busy server: as long as it asks, within a budget, and never past a cancel.

Every backend retries the same way (DESIGN.md, "Throttling"): a server that asks for a pause
(EWS's BackOffMilliseconds, Retry-After on HTTP 429 and 503) gets it, one without a hint gets
`first_retry`, and one logical operation (one page, one batch) may take at most `max_wait` in
all before the server counts as unreachable. The budget is a deadline: the time spent waiting
for answers counts, not only the pauses between tries, and a backend's transport cuts its socket
timeouts down to `time_left()`, so a server that stops answering is given up within the budget.
Each wait is reported to the engine (the progress line says "server busy, waiting 2.0 s") and
ends at once when the sync is cancelled. The engine hands a backend the cancel event and the
listener of each sync through `bind()`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from app.sync.errors import ServerUnreachable, SyncCancelled

BackOffListener = Callable[[float, str], None]


class _Span(threading.local):
    """The operation this thread runs: when it started and by when it must end."""

    started: float | None = None
    deadline: float | None = None


_SPAN = _Span()


def time_left() -> float | None:
    """What the operation running on this thread may still take, in seconds (None: none runs)."""
    return None if _SPAN.deadline is None else _SPAN.deadline - time.monotonic()


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

    def bind(self, cancel: threading.Event, on_back_off: BackOffListener | None) -> None:
        """The cancel event and the listener of the sync about to run."""
        self.cancel = cancel
        self.on_back_off = on_back_off

    @contextlib.contextmanager
    def operation(self) -> Iterator[None]:
        """One logical request (one page, one batch): its tries, and the time spent waiting for
        their answers, share one budget of `max_wait` seconds (within an enclosing one's)."""
        outer = (_SPAN.started, _SPAN.deadline)
        now = time.monotonic()
        deadline = now + self.max_wait
        _SPAN.started = now
        _SPAN.deadline = deadline if outer[1] is None else min(deadline, outer[1])
        try:
            yield
        finally:
            _SPAN.started, _SPAN.deadline = outer

    def back_off(self, seconds: float | None, why: str = "server busy") -> None:
        """Wait as the server asked (None: no hint), or raise ServerUnreachable when that would
        overrun the operation's deadline, or SyncCancelled when the sync is cancelled meanwhile."""
        wait = self.first_retry if seconds is None else max(float(seconds), 0.0)
        now = time.monotonic()
        started = _SPAN.started if _SPAN.started is not None else now
        deadline = _SPAN.deadline if _SPAN.deadline is not None else now + self.max_wait
        if wait > self.max_wait:
            raise ServerUnreachable(
                f"The server asked to wait {wait:.0f} s, longer than sync waits "
                f"({self.max_wait:.0f} s); sync will try again later"
            )
        if now + wait > deadline:
            raise ServerUnreachable(
                f"The server stayed busy or did not answer for {now - started:.0f} s; "
                "sync will try again later"
            )
        if self.on_back_off is not None:
            self.on_back_off(wait, why)
        if self.cancel.wait(wait):
            raise SyncCancelled()
