"""The fault switchboard: make the next requests fail the ways real servers fail."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

# A held answer is given anyway after this long, so a test that forgets release() cannot hang
# a server thread for good.
HOLD_LIMIT_SECONDS = 60.0
_REASONS = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class DropConnection(Exception):
    """Raised by the application to make the HTTP server close the socket without a response."""


@dataclass(frozen=True)
class Fault:
    kind: str  # throttle, http, drop; soap, hold, drop (per operation); batch (Graph's $batch)
    back_off_ms: int = 0
    status: int = 503
    retry_after: int | None = None
    code: str = ""  # soap: the response code of the fault
    # soap, hold, drop: only requests of this operation (None: any): an EWS operation ("MoveItem"),
    # or a Graph request as "METHOD /path" where * matches anything ("POST /me/messages/*/move")
    operation: str | None = None

    @property
    def reason(self) -> str:
        return _REASONS[self.status]


@dataclass
class _ItemFault:
    subject: str
    code: str
    remaining: int


class FaultSwitchboard:
    """Queued faults for EWS requests, taken one per request, plus a standing latency."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self._per_operation: list[Fault] = []
        self._item_faults: list[_ItemFault] = []
        self._holding = threading.Event()
        self._release = threading.Event()
        self._reset = threading.Event()  # set (and replaced) by reset()
        self.latency_seconds = 0.0
        self.requests_seen = 0
        self.operations_seen: Counter[str] = Counter()  # EWS requests by operation, for tests
        self.requests_delayed = 0  # requests that met the latency (counted as they start waiting)

    def throttle(self, count: int = 1, back_off_ms: int = 200) -> None:
        """The next `count` requests get ErrorServerBusy with BackOffMilliseconds."""
        self._add(Fault("throttle", back_off_ms=back_off_ms), count)

    def fail_http(self, count: int = 1, status: int = 503, retry_after: int | None = None) -> None:
        """The next `count` requests get a bare HTTP error (503 from IIS, 500 from ASP.NET, 429
        from a front end that rate-limits)."""
        if status not in _REASONS:
            raise ValueError(f"HTTP status {status} is not a server error or 429")
        self._add(Fault("http", status=status, retry_after=retry_after), count)

    def fail_in_batch(self, count: int = 1, status: int = 500) -> None:
        """The next `count` requests inside a Graph $batch fail in their own response with this
        status (the batch itself and its other requests are answered), as Graph answers a
        request whose workload failed."""
        if status not in _REASONS:
            raise ValueError(f"HTTP status {status} is not a server error or 429")
        self._add(Fault("batch", status=status), count, self._per_operation)

    def drop_connections(self, count: int = 1, operation: str | None = None) -> None:
        """The next `count` requests (of `operation`) have their connection closed without any
        response, and nothing of the request carried out."""
        if operation is None:
            self._add(Fault("drop"), count)
        else:
            self._add(Fault("drop", operation=operation), count, self._per_operation)

    def fail_soap(
        self, count: int = 1, code: str = "ErrorInternalServerError", operation: str | None = None
    ) -> None:
        """The next `count` requests (of `operation`) fail as a whole: a SOAP fault with this
        response code, and nothing of the request carried out."""
        self._add(Fault("soap", code=code, operation=operation), count, self._per_operation)

    def hold_answers(self, count: int = 1, operation: str | None = None) -> None:
        """The next `count` requests (of `operation`) are carried out, then their answers wait
        until release(): the moment when the server has made a change and the client does not
        know it yet (a client killed then, or a connection lost). A Graph request inside a
        $batch holds the answer of the whole batch, as all of it comes back at once."""
        self._add(Fault("hold", operation=operation), count, self._per_operation)

    def fail_item_writes(
        self, subject: str, count: int = 1, code: str = "ErrorIrresolvableConflict"
    ) -> None:
        """The next `count` UpdateItem changes to items with this subject fail in their own
        response message with `code` (by default: another client that wins every race for the
        item); the other items of the request are changed."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._item_faults.append(_ItemFault(subject, code, count))

    def add_latency(self, seconds: float) -> None:
        self.latency_seconds = max(0.0, seconds)

    def wait_latency(self) -> bool:
        """Wait out the latency; True when reset() cut it short (the request is then of an
        earlier test whose client gave up long ago, and must not take a later fault)."""
        with self._lock:
            reset = self._reset
            self.requests_delayed += 1
        return reset.wait(self.latency_seconds)

    def wait_until_held(self, timeout: float) -> bool:
        """Whether an answer is being held (hold_answers) within `timeout` seconds."""
        return self._holding.wait(timeout)

    def release(self) -> None:
        """Give the held answers (to whoever still listens)."""
        with self._lock:
            self._holding.clear()
            self._release.set()
            self._release = threading.Event()

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._per_operation.clear()
            self._item_faults.clear()
            self.latency_seconds = 0.0
            self._reset.set()
            self._reset = threading.Event()
        self.release()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue) + len(self._per_operation) + len(self._item_faults)

    def _add(self, fault: Fault, count: int, queue: list[Fault] | None = None) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            (self._queue if queue is None else queue).extend([fault] * count)

    def take(self) -> Fault | None:
        with self._lock:
            self.requests_seen += 1
            return self._queue.pop(0) if self._queue else None

    def saw(self, operation: str) -> None:
        with self._lock:
            self.operations_seen[operation] += 1

    def take_for(self, kind: str, operation: str) -> Fault | None:
        """The first queued fault of this kind for this operation, if any."""
        with self._lock:
            for index, fault in enumerate(self._per_operation):
                if fault.kind == kind and (
                    fault.operation is None or fnmatchcase(operation, fault.operation)
                ):
                    return self._per_operation.pop(index)
        return None

    def item_write_fault(self, subject: str) -> str | None:
        """The response code an UpdateItem change to an item with this subject fails with."""
        with self._lock:
            for fault in self._item_faults:
                if fault.subject == subject:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._item_faults.remove(fault)
                    return fault.code
        return None

    def held(self, answer: Iterable[bytes]) -> Iterator[bytes]:
        """The answer, once release() is called (or HOLD_LIMIT_SECONDS passed)."""
        with self._lock:
            release = self._release
            self._holding.set()
        release.wait(HOLD_LIMIT_SECONDS)
        yield from answer
