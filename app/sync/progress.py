"""Progress of a sync run, reported through one callback that the CLI and the UI both use.

The callback runs on the sync thread; a UI hands the value over to its own thread (a queued
signal) and must not block. A callback that raises is logged and otherwise ignored: a broken
progress bar never stops a sync.

The reporter also collects, in words, what the run gave up on or skipped (`notes`), for the
sync report at its end.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


class Phase(enum.StrEnum):
    CONNECTING = "connecting"
    PUSHING = "pushing"  # writing queued local changes to the server
    FOLDERS = "folders"
    ITEMS = "items"
    CALENDAR = "calendar"  # appointments and tasks between the CRM and Exchange
    DONE = "done"


@dataclass(frozen=True, slots=True)
class FolderCount:
    name: str
    done: int  # changes applied to this folder in this run
    total: int  # items in the folder as the server counts them (0 when unknown)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: Phase
    folder: str | None
    folders: tuple[FolderCount, ...]
    items_done: int
    items_per_second: float
    elapsed: float
    message: str = ""

    @property
    def current(self) -> FolderCount | None:
        """The folder being synced now, with its counts."""
        return next((count for count in self.folders if count.name == self.folder), None)

    def line(self) -> str:
        """One line for a terminal: where sync is and how fast it goes."""
        where = f" {self.folder}" if self.folder else ""
        rate = f", {self.items_per_second:.0f}/s" if self.items_done else ""
        text = f"{self.phase.value}{where}: {self.items_done} items{rate}"
        return f"{text} ({self.message})" if self.message else text


ProgressCallback = Callable[[SyncProgress], None]


def named(subject: object) -> str:
    """A message or item as a note names it: its subject, quoted."""
    return f"“{subject}”" if subject else "A message without a subject"


class SyncNotes:
    """What a sync run gave up on for good, and what it skipped this time, one sentence each.

    Each note has a key (the outbox entry or folder it is about): a later note on the same
    thing replaces the earlier one, so the report says how things ended, once.
    """

    def __init__(self) -> None:
        self._given_up: dict[object, str] = {}
        self._skipped: dict[object, str] = {}

    def give_up(self, key: object, text: str) -> None:
        self._skipped.pop(key, None)
        self._given_up[key] = text

    def skip(self, key: object, text: str) -> None:
        self._given_up.pop(key, None)
        self._skipped[key] = text

    def add(self, key: object, text: str, given_up: bool) -> None:
        (self.give_up if given_up else self.skip)(key, text)

    def settle(self, key: object) -> None:
        """The thing succeeded after all (at the second push of the run, say)."""
        self._given_up.pop(key, None)
        self._skipped.pop(key, None)

    @property
    def given_up(self) -> tuple[str, ...]:
        return tuple(self._given_up.values())

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(self._skipped.values())


class ProgressReporter:
    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._started = time.monotonic()
        self._folders: dict[str, FolderCount] = {}
        self._done = 0
        self._counting = threading.Lock()  # the pull and the marks written beside it both count
        self.phase = Phase.CONNECTING
        self.folder: str | None = None
        self.notes = SyncNotes()

    @property
    def items_done(self) -> int:
        return self._done

    def enter(self, phase: Phase, folder: str | None = None, total: int = 0) -> None:
        self.phase = phase
        self.folder = folder
        if folder is not None and folder not in self._folders:
            self._folders[folder] = FolderCount(folder, 0, total)
        self._emit()

    def advance(self, count: int, message: str = "") -> None:
        self.tally(count)
        if self.folder is not None:
            current = self._folders.get(self.folder, FolderCount(self.folder, 0, 0))
            self._folders[self.folder] = FolderCount(
                current.name, current.done + count, current.total
            )
        self._emit(message)

    def tally(self, count: int) -> None:
        """Count work done beside the phase shown (marks written while the pull reads on: the
        other thread's count), without a word of its own."""
        with self._counting:
            self._done += count

    def note(self, message: str) -> None:
        self._emit(message)

    def _emit(self, message: str = "") -> None:
        if self._callback is None:
            return
        elapsed = time.monotonic() - self._started
        progress = SyncProgress(
            phase=self.phase,
            folder=self.folder,
            folders=tuple(self._folders.values()),
            items_done=self._done,
            items_per_second=self._done / elapsed if elapsed > 0 else 0.0,
            elapsed=elapsed,
            message=message,
        )
        try:
            self._callback(progress)
        except Exception:
            log.exception("A progress callback failed; sync goes on")
