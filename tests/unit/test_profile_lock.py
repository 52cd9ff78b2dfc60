"""The sync lock of a profile (app.sync.profile_lock) on real files with the OS's own locks: one
holder at a time, named to whoever finds it taken; a waiter gets it when the holder lets go."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from app.sync.profile_lock import UNKNOWN_HOLDER, Holder, ProfileLock


def test_a_taken_lock_names_its_holder_to_the_next_comer(tmp_path: Path) -> None:
    window = ProfileLock(tmp_path, "the Liaison window")
    script = ProfileLock(tmp_path, "`liaison sync`")

    assert window.acquire() is None
    try:
        holder = script.acquire()
    finally:
        window.release()

    assert holder == Holder(os.getpid(), "the Liaison window")
    assert holder.describe() == f"the Liaison window (process {os.getpid()})"
    assert not script.held


def test_a_released_lock_is_free_for_the_next_holder(tmp_path: Path) -> None:
    first = ProfileLock(tmp_path, "`liaison sync`")
    assert first.acquire() is None
    first.release()
    second = ProfileLock(tmp_path, "the Liaison window")

    assert second.acquire() is None
    assert second.holder() == Holder(os.getpid(), "the Liaison window")
    second.release()


def test_a_waiter_takes_the_lock_as_soon_as_the_holder_lets_go(tmp_path: Path) -> None:
    window = ProfileLock(tmp_path, "the Liaison window")
    assert window.acquire() is None
    waiting = threading.Event()
    outcome: list[Holder | None] = []
    script = ProfileLock(tmp_path, "`liaison sync --wait`")

    def wait_for_the_window() -> None:
        outcome.append(script.acquire(wait=True, on_busy=lambda _: waiting.set()))

    waiter = threading.Thread(target=wait_for_the_window)
    waiter.start()
    assert waiting.wait(10)
    window.release()
    waiter.join(10)

    assert outcome == [None]
    assert script.held
    script.release()


def test_a_cancelled_wait_gives_up_and_says_who_held_the_lock(tmp_path: Path) -> None:
    window = ProfileLock(tmp_path, "the Liaison window")
    assert window.acquire() is None
    cancel = threading.Event()
    try:
        holder = ProfileLock(tmp_path, "`liaison sync --wait`").acquire(
            wait=True, cancel=cancel, on_busy=lambda _: cancel.set()
        )
    finally:
        window.release()

    assert holder is not None and holder.what == "the Liaison window"


def test_a_lock_file_without_a_holder_written_names_another_process(tmp_path: Path) -> None:
    (tmp_path / "sync.lock").write_bytes(b"\x00{not json")

    assert ProfileLock(tmp_path, "`liaison sync`").holder() is UNKNOWN_HOLDER
    assert UNKNOWN_HOLDER.describe() == "another process"


def test_a_holder_caught_before_it_wrote_its_name_is_still_named(tmp_path: Path) -> None:
    # The moment between taking the lock and writing who holds it: a second sync that
    # finds the lock taken then waits a little for the name rather than saying "another".
    window = ProfileLock(tmp_path, "the Liaison window")
    assert window.acquire() is None
    (tmp_path / "sync.lock").write_bytes(b"\x00")
    late = threading.Timer(
        0.2,
        lambda: (tmp_path / "sync.lock").write_bytes(
            b'\x00{"pid": 4242, "what": "`liaison sync`"}'
        ),
    )
    late.start()
    try:
        holder = ProfileLock(tmp_path, "`liaison sync`").acquire()
    finally:
        late.join()
        window.release()

    assert holder == Holder(4242, "`liaison sync`")
