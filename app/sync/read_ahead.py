"""A folder's next page of changes, asked for while the caller writes this one.

A page's sync state is all the next request needs, so the request for page N+1 can go as soon as
page N has arrived, and the server's time on it (and the round trip, which a real network makes
dearer than the server) passes while this client decides and writes page N. Nothing is
committed any earlier: a page read ahead and never written (a crash, a cancel, a failed write)
is read again from the sync state the cache holds, as any page is.

The pull makes at most two calls at once (this read and one of the caller's), which a backend
allows by saying `reads_ahead` (marks may be written beside them: app.sync.mark_stream). A
read's error reaches the caller where it would have asked for the page itself: after page N is
written. What a read brings is up to the caller: Puller's brings, in a first sync, the bodies
of the page's messages too.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class ReadAhead(Generic[T]):
    """Pages by sync state: `page(token)` answers with what `ask(token)` started, if anything,
    else reads it now. Use it as a context manager: leaving waits for a read still running, so
    nothing reaches the server once the caller has stopped."""

    def __init__(self, read: Callable[[str | None], T], enabled: bool) -> None:
        self._read = read
        self._enabled = enabled
        self._reader: ThreadPoolExecutor | None = None
        self._ahead: tuple[str | None, Future[T]] | None = None

    def page(self, token: str | None) -> T:
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == token:
            return ahead[1].result()
        return self._read(token)

    def ask(self, token: str | None) -> None:
        """Start reading the page after `token`, if the backend allows reading ahead."""
        if not self._enabled:
            return
        if self._reader is None:
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liaison-ahead")
        self._ahead = (token, self._reader.submit(self._read, token))

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._ahead = None  # a read nobody will use: its answer (or error) is dropped
        if self._reader is not None:
            self._reader.shutdown(wait=True)
