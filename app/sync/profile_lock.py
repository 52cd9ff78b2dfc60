"""One sync per profile at a time, across processes: an OS file lock in the profile.

The lock is the operating system's (flock on POSIX, a byte-range lock on Windows), held through
an open file: it goes with the process that holds it however that process ends, SIGKILL
included, and a lock file left behind locks nothing. The holder writes who it is (process id and
what it is) after the locked byte, where another process can read it while the lock is held, so
a second sync can say which one is running.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "sync.lock"
WAIT_STEP_S = 0.25  # how often a waiting sync tries the lock again (and notices a cancel)
_INFO_AT = 1  # byte 0 is the one locked; who holds it is written after it
_INFO_MAX = 4096
# The holder writes who it is a moment after taking the lock; a process that finds the lock
# taken in that moment waits this long for the name before calling it "another process".
_INFO_GRACE_S = 1.0
_INFO_STEP_S = 0.01


@dataclass(frozen=True, slots=True)
class Holder:
    """The process that holds a profile's sync lock."""

    pid: int | None
    what: str

    def describe(self) -> str:
        if self.pid is None:
            return self.what
        return f"{self.what} (process {self.pid})"


UNKNOWN_HOLDER = Holder(None, "another process")


class ProfileLock:
    """The sync lock of one profile (a file in its data folder), for one holder at a time."""

    def __init__(self, data_dir: Path, what: str) -> None:
        self.path = data_dir / LOCK_FILE
        self.what = what
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(
        self,
        wait: bool = False,
        cancel: threading.Event | None = None,
        on_busy: Callable[[Holder], None] | None = None,
    ) -> Holder | None:
        """Take the lock: None when taken, else who holds it. With `wait`, keep trying until
        it is free or `cancel` is set (then who holds it); `on_busy` hears of each holder once.
        """
        cancel = cancel or threading.Event()
        told: Holder | None = None
        while True:
            holder = self._try()
            if holder is None:
                return None
            if on_busy is not None and holder != told:
                on_busy(holder)
                told = holder
            if not wait or cancel.wait(WAIT_STEP_S):
                return holder

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def _try(self) -> Holder | None:
        if self._fd is not None:
            raise RuntimeError("the sync lock is held already")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _lock(fd):
            os.close(fd)
            return self._named_holder()
        info = json.dumps({"pid": os.getpid(), "what": self.what}).encode()
        os.lseek(fd, _INFO_AT, os.SEEK_SET)
        os.write(fd, info)
        os.ftruncate(fd, _INFO_AT + len(info))
        self._fd = fd
        return None

    def _named_holder(self) -> Holder:
        deadline = time.monotonic() + _INFO_GRACE_S
        holder = self.holder()
        while holder == UNKNOWN_HOLDER and time.monotonic() < deadline:
            time.sleep(_INFO_STEP_S)
            holder = self.holder()
        return holder

    def holder(self) -> Holder:
        """Who holds the lock, as the holder wrote it (UNKNOWN_HOLDER before it has)."""
        try:
            with self.path.open("rb") as file:
                file.seek(_INFO_AT)
                info = json.loads(file.read(_INFO_MAX) or b"null")
            return Holder(int(info["pid"]), str(info["what"]))
        except (OSError, ValueError, TypeError, KeyError):
            return UNKNOWN_HOLDER


if os.name == "nt":
    import msvcrt

    def _lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> bool:
        # flock, not lockf: it belongs to the open file, so two engines of one process
        # exclude each other too.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
