"""The fault switchboard: make the next requests fail the ways real servers fail."""

from __future__ import annotations

import threading
from dataclasses import dataclass


class DropConnection(Exception):
    """Raised by the application to make the HTTP server close the socket without a response."""


@dataclass(frozen=True)
class Fault:
    kind: str  # throttle, http, drop
    back_off_ms: int = 0
    status: int = 503
    retry_after: int | None = None


class FaultSwitchboard:
    """Queued faults for EWS requests, taken one per request, plus a standing latency."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self.latency_seconds = 0.0
        self.requests_seen = 0

    def throttle(self, count: int = 1, back_off_ms: int = 200) -> None:
        """The next `count` requests get ErrorServerBusy with BackOffMilliseconds."""
        self._add(Fault("throttle", back_off_ms=back_off_ms), count)

    def fail_http(self, count: int = 1, status: int = 503, retry_after: int | None = None) -> None:
        """The next `count` requests get a bare HTTP error (503 from IIS, 500 from ASP.NET)."""
        if status not in (500, 502, 503, 504):
            raise ValueError(f"HTTP status {status} is not a server error")
        self._add(Fault("http", status=status, retry_after=retry_after), count)

    def drop_connections(self, count: int = 1) -> None:
        """The next `count` requests have their connection closed without any response."""
        self._add(Fault("drop"), count)

    def add_latency(self, seconds: float) -> None:
        self.latency_seconds = max(0.0, seconds)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.latency_seconds = 0.0

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def _add(self, fault: Fault, count: int) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._queue.extend([fault] * count)

    def take(self) -> Fault | None:
        with self._lock:
            self.requests_seen += 1
            return self._queue.pop(0) if self._queue else None
