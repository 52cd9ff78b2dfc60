"""Marks written while the pull reads on.

A first sync that tracks much of a mailbox queues a mark for each tracked message. Written after
the pull, those marks kept the client waiting on the server (at "all", 10,000 marks: a third
of the sync's wall clock, nearly all of it the server's time on UpdateItem).
Written as each page commits, the server writes the marks of one page while this client reads
and decides the next, and only the last page's marks are left when the pull is done.

The stream is a thread of its own that writes, page by page, the mark entries the pull has
committed (Pusher.new_marks: batches, in flight and booked as the push writes them). The pull
says when a page is written (`queued`). What the outbox holds decides what is written, so a
crash at any point loses nothing: an entry not booked is written again by the next push, which
a mark allows.

Each mark comes back as a change of its item, after the folder's other changes (EWS lists a
folder's changes in the order they happened; a server that lists them otherwise at worst has
more echoes read, each passed over). Before the pull writes a page that names items the stream
wrote marks to, it waits (`settle`) until every mark queued so far is written and booked: the
cache then holds the change key each echo carries, and the pull passes over it as it does at
any sync. A page the server made before a mark on one of its items was answered may hold the
item as it was before the mark (`answered_after`): the pull decides such an item as if its
mark still waited, leaving its tracking as the cache has it (an Untrack made in the window
meanwhile stays so), and the server lists it again after the mark.

A page of nothing but echoes ends the folder's pull for this sync: the rest of what the server
lists is the echoes of the marks the stream went on writing (and mail that arrived since),
which the next sync reads, passing over the echoes (the change feed names the folder, as it
names any folder changed).

Leaving the `with` block writes what is still queued and waits for the thread. A failure of
the stream stops the stream, not the pull, and `raise_failure` gives it to the engine, which
treats it as any push's: a batch the server failed as a whole leaves its marks to the push after
the pull (the report says some changes wait), anything else (the server gone, the database)
fails the sync once the pull is done, its marks left for the next. A mark whose item was not
found waits for the push after the pull. When the pull itself fails, no batch is sent after
those in flight, and what the server answered is booked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from types import TracebackType

from app.sync.push import Pusher

log = logging.getLogger(__name__)


class MarkStream:
    def __init__(self, pusher: Pusher) -> None:
        self._pusher = pusher
        self._changed = threading.Condition()
        self._queued = False  # a page was written since the stream last looked
        self._closing = False
        self._halted = threading.Event()  # the pull failed: no more batches are sent
        self._asked = 0  # settle() calls: a round that starts after one answers it
        self._answered = 0
        self._failure: Exception | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="liaison-mark-stream", daemon=True)

    def __enter__(self) -> MarkStream:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._changed:
            self._closing = True
            if kind is not None:
                self._halted.set()
            self._changed.notify_all()
        self._thread.join()

    def queued(self) -> None:
        """A page and its marks are committed: write them."""
        with self._changed:
            self._queued = True
            self._changed.notify_all()

    def echoes(self, item_ids: Iterable[str]) -> list[str]:
        """Those of the items whose marks the stream wrote in this sync."""
        written = self._pusher.written_during_pull
        return [item_id for item_id in item_ids if item_id in written]

    def answered(self) -> int:
        """How many of the stream's batches have been answered so far: taken as a page is
        asked for, the page holds what the server made of those marks."""
        return self._pusher.answers_during_pull

    def answered_after(self, answered: int, item_ids: Iterable[str]) -> set[str]:
        """Those of the items whose marks the stream wrote and had not been answered when
        `answered` was taken: a page asked for then may hold them as they were before."""
        written = self._pusher.written_during_pull
        return {item_id for item_id in item_ids if written.get(item_id, 0) > answered}

    def settle(self) -> None:
        """Wait until every mark queued so far is written and booked (or the stream failed)."""
        with self._changed:
            self._asked += 1
            asked = self._asked
            self._queued = True
            self._changed.notify_all()
            while self._answered < asked and not self._stopped:
                self._changed.wait()

    def raise_failure(self) -> None:
        """What stopped the stream, raised once the `with` block is left."""
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _run(self) -> None:
        try:
            while True:
                with self._changed:
                    while not (self._queued or self._closing):
                        self._changed.wait()
                    if self._halted.is_set():
                        return
                    closing, self._queued, asked = self._closing, False, self._asked
                self._pusher.new_marks(self._halted)
                with self._changed:
                    self._answered = asked
                    self._changed.notify_all()
                if closing:
                    return
        except Exception as exc:
            # Left for the engine (raise_failure); the pull goes on, and the push after it
            # writes what this stream did not.
            log.info("Marks written beside the pull stopped: %s", exc, exc_info=True)
            self._failure = exc
        finally:
            with self._changed:
                self._stopped = True
                self._changed.notify_all()  # a settle() waiting on a stream that has stopped
