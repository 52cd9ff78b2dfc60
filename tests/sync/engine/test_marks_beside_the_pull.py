"""Marks written while the pull reads on: the server writes the marks of one page while the
client reads the next, and a first sync stops at the echoes of its own marks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from app.mailbox.models import OutboxEntry
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.sync.progress import Phase, SyncProgress
from app.workspace import Workspace
from exchange_sandbox.faults import FaultSwitchboard
from tests.support.remote import Remote, SandboxRemote
from tests.sync.engine.conftest import (
    BOTH,
    MAIL_EVERYWHERE,
    OVER_EWS,
    Crm,
    cached_items,
    comes_true,
    engine_settings,
    set_options,
)

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
PAGE = 3
TRACKED = ("Tracked to Liaison",)


@pytest.fixture
def paged_engine(workspace: Workspace, remote: Remote) -> Iterator[SyncEngine]:
    """An engine reading PAGE changes a page, tracking all mail."""
    set_options(workspace, track="all")
    opened = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), page_size=PAGE))
    yield opened
    opened.close()


def order(number: int) -> str:
    return f"Zamówienie nr {number:03} – palety EUR"


def deliver_orders(deliver: Callable[..., str], count: int) -> None:
    for number in range(1, count + 1):
        deliver(LUKASZ, order(number))


def marked_on_the_server(remote: Remote) -> int:
    return sum(1 for item in remote.items("inbox") if item.categories == TRACKED)


def after_two_pages(act: Callable[[], None]) -> Callable[[SyncProgress], None]:
    """A progress listener that acts once, on the sync's thread, when two pages of the Inbox
    are written: the pull waits for it, the marks beside it do not."""
    done = threading.Event()

    def listen(progress: SyncProgress) -> None:
        current = progress.current
        inbox = current is not None and current.name == "Inbox"
        two_pages = inbox and current.done >= 2 * PAGE
        if progress.phase is Phase.ITEMS and two_pages and not done.is_set():
            done.set()
            act()

    return listen


def orders_whose_marks_are_refused(
    deliver: Callable[..., str], remote: SandboxRemote
) -> FaultSwitchboard:
    """Three pages of orders, and a server that fails every UpdateItem as a whole until its
    faults are reset."""
    deliver_orders(deliver, 3 * PAGE)
    faults = remote.sandbox.server.faults
    faults.fail_soap(count=100, operation="UpdateItem")
    return faults


def once_pushing(act: Callable[[], None]) -> Callable[[SyncProgress], None]:
    """A progress listener that acts once, on the sync's thread, when the push after the pull
    begins (the marks beside the pull enter no phase of their own)."""
    done = threading.Event()

    def listen(progress: SyncProgress) -> None:
        if progress.phase is Phase.PUSHING and not done.is_set():
            done.set()
            act()

    return listen


def until_the_first_pages_are_marked(remote: Remote, seen: list[bool]) -> Callable[[], None]:
    def wait() -> None:
        seen.append(comes_true(lambda: marked_on_the_server(remote) >= 2 * PAGE, 10))

    return wait


@MAIL_EVERYWHERE
def test_the_marks_of_the_first_pages_reach_the_server_while_the_inbox_is_still_read(
    paged_engine: SyncEngine, remote: Remote, crm: Crm, deliver: Callable[..., str]
) -> None:
    deliver_orders(deliver, 4 * PAGE)
    seen: list[bool] = []

    report = paged_engine.sync_once(after_two_pages(until_the_first_pages_are_marked(remote, seen)))

    assert seen == [True]  # marked while the pull stood after its second page
    assert report.ok and report.tracked == report.marks_written == 4 * PAGE
    assert marked_on_the_server(remote) == 4 * PAGE
    assert len(crm.email_activities()) == 4 * PAGE


@BOTH
def test_a_first_sync_reads_one_page_of_its_own_marks_coming_back_and_the_next_passes_over_the_rest(
    paged_engine: SyncEngine, remote: Remote, crm: Crm, deliver: Callable[..., str]
) -> None:
    """Twelve messages are four pages; by the fourth, the marks of the first two are written,
    so the server lists them after it. The first sync stops at the first page of nothing but
    those echoes; the second reads the rest and neither decides nor writes anything again."""
    deliver_orders(deliver, 4 * PAGE)
    seen: list[bool] = []

    first = paged_engine.sync_once(after_two_pages(until_the_first_pages_are_marked(remote, seen)))
    second = paged_engine.sync_once()
    third = paged_engine.sync_once()

    assert seen == [True]
    echoes_read = first.items - first.marks_written - 4 * PAGE
    assert echoes_read == PAGE
    assert first.ok and first.marks_written == 4 * PAGE
    assert second.ok and second.items == 3 * PAGE  # the other echoes, passed over
    assert second.evaluated == second.tracked == second.marks_written == 0
    assert third.ok and third.items == 0
    assert marked_on_the_server(remote) == 4 * PAGE
    assert len(crm.email_activities()) == 4 * PAGE


@OVER_EWS
def test_marks_refused_beside_the_pull_and_written_after_it_leave_no_note_that_they_wait(
    paged_engine: SyncEngine,
    remote: SandboxRemote,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    faults = orders_whose_marks_are_refused(deliver, remote)

    report = paged_engine.sync_once(once_pushing(faults.reset))

    assert report.ok and report.marks_written == 3 * PAGE
    assert report.skipped == ()
    assert marked_on_the_server(remote) == 3 * PAGE
    assert len(crm.email_activities()) == 3 * PAGE


@OVER_EWS
def test_marks_the_server_refuses_beside_the_pull_leave_the_pull_whole_and_wait_in_the_outbox(
    paged_engine: SyncEngine,
    workspace: Workspace,
    remote: SandboxRemote,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    faults = orders_whose_marks_are_refused(deliver, remote)

    refused = paged_engine.sync_once()

    assert refused.ok and refused.items == 3 * PAGE and refused.marks_written == 0
    assert refused.skipped == (
        "Some changes could not be written to the server this time (it failed the request); "
        "they stay queued and are tried again at the next sync.",
    )
    with workspace.local.sessions() as session:
        marks = session.query(OutboxEntry).filter_by(kind="mark")
        assert {(e.state, e.attempts) for e in marks} == {("pending", 0)}

    faults.reset()
    again = paged_engine.sync_once()

    assert again.ok and again.marks_written == 3 * PAGE and not again.skipped
    assert marked_on_the_server(remote) == 3 * PAGE
    assert len(crm.email_activities()) == 3 * PAGE


@OVER_EWS
def test_a_message_untracked_by_hand_while_a_page_with_its_older_mark_is_on_its_way_stays_so(
    paged_engine: SyncEngine,
    workspace: Workspace,
    remote: SandboxRemote,
    deliver: Callable[..., str],
) -> None:
    """The fifth page (the first echoes) is made by the server, then the first order is
    untracked in the window, and its Untrack is written and booked before that page is: the
    page's tracked mark is older than the cache's untracked one, and must not track it again."""
    deliver_orders(deliver, 4 * PAGE)
    faults = remote.sandbox.server.faults
    first = order(1)

    def act(progress: SyncProgress) -> None:
        current = progress.current
        done = current.done if current is not None and current.name == "Inbox" else 0
        if progress.phase is not Phase.ITEMS or done in steps_taken:
            return
        steps_taken.add(done)
        if done == 2 * PAGE:
            assert comes_true(lambda: marked_on_the_server(remote) >= 2 * PAGE, 10)
        elif done == 3 * PAGE:
            faults.hold_answers(count=1, operation="SyncFolderItems")  # the fifth page's
        elif done == 4 * PAGE:
            assert faults.wait_until_held(10)
            (item,) = [i for i in cached_items(workspace) if i.subject == first]
            MailboxTracking(workspace).untrack(item.id)
            faults.release()

    steps_taken: set[int] = set()
    try:
        assert paged_engine.sync_once(act).ok
    finally:
        faults.release()
    assert paged_engine.sync_once().ok

    states = {item.subject: item.tracking_state for item in cached_items(workspace)}
    assert states.pop(first) == "none"
    assert set(states.values()) == {"tracked"}
    seen = {item.subject: item.categories for item in remote.items("inbox")}
    assert seen.pop(first) == ()
    assert set(seen.values()) == {TRACKED}


@BOTH
def test_a_message_moved_before_its_mark_is_written_beside_the_pull_gets_it_in_its_new_folder(
    paged_engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    """The first order moves to a subfolder (another client) as its page is written, before
    the mark beside the pull reaches it: that miss does not count, so the push after the pull
    and the next sync's look for it where the pull finds it, and it is marked there."""
    deliver_orders(deliver, 2 * PAGE)
    remote.create_folder("Archiwum")
    first = order(1)
    moved: list[bool] = []

    def move_as_the_first_marks_are_queued(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO outbox") and not moved:
            moved.append(True)
            remote.move("inbox", first, "Archiwum")

    event.listen(
        workspace.local.engine, "before_cursor_execute", move_as_the_first_marks_are_queued
    )
    try:
        assert paged_engine.sync_once().ok
    finally:
        event.remove(
            workspace.local.engine, "before_cursor_execute", move_as_the_first_marks_are_queued
        )
    reports = [paged_engine.sync_once() for _ in range(2)]

    assert moved == [True]
    assert all(report.ok and not report.skipped for report in reports)
    assert [item.categories for item in remote.items("Archiwum")] == [TRACKED]
    assert marked_on_the_server(remote) == 2 * PAGE - 1
