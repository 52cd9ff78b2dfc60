"""ReadAhead: a page asked for early is the page given, and nothing outlives the reader."""

from __future__ import annotations

import threading

import pytest

from app.sync.read_ahead import ReadAhead


class Pages:
    """Pages named after the sync state they follow, read on whichever thread asks."""

    def __init__(self) -> None:
        self.read: list[tuple[str | None, str]] = []

    def __call__(self, token: str | None) -> str:
        self.read.append((token, threading.current_thread().name))
        if token == "lost":
            raise LookupError("ErrorInvalidSyncStateData")
        return f"after {token}"


def test_a_page_asked_for_ahead_is_read_on_another_thread_and_given_once() -> None:
    pages = Pages()
    with ReadAhead(pages, enabled=True) as reader:
        reader.ask("state-1")
        assert reader.page("state-1") == "after state-1"
        assert reader.page("state-1") == "after state-1"  # asked again: read again, here

    (_, ahead_thread), (_, own_thread) = pages.read
    assert ahead_thread.startswith("liaison-ahead")
    assert own_thread == threading.current_thread().name


def test_a_page_asked_for_under_another_sync_state_is_read_anew() -> None:
    pages = Pages()
    with ReadAhead(pages, enabled=True) as reader:
        reader.ask("state-1")
        assert reader.page(None) == "after None"  # a resync starts from nothing

    assert [token for token, _ in pages.read] == ["state-1", None]


def test_the_error_of_a_read_ahead_comes_where_its_page_is_asked_for() -> None:
    with ReadAhead(Pages(), enabled=True) as reader:
        reader.ask("lost")
        with pytest.raises(LookupError, match="InvalidSyncState"):
            reader.page("lost")


def test_a_backend_that_does_not_read_ahead_is_asked_on_the_callers_thread_only() -> None:
    pages = Pages()
    with ReadAhead(pages, enabled=False) as reader:
        reader.ask("state-1")
        assert reader.page("state-1") == "after state-1"

    assert pages.read == [("state-1", threading.current_thread().name)]


def test_leaving_waits_for_the_read_still_running_and_drops_its_answer() -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[str | None] = []

    def slow(token: str | None) -> str:
        started.set()
        release.wait(5)
        finished.append(token)
        return "unused"

    with ReadAhead(slow, enabled=True) as reader:
        reader.ask("state-1")
        assert started.wait(5)
        threading.Timer(0.1, release.set).start()

    assert finished == ["state-1"]  # done before the block was left, not after
