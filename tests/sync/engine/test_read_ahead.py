"""Reading ahead: a folder's next page (and, in a first sync, its bodies) is asked for while
this one is written, and nothing is written any earlier for it."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from app.sync.engine import SyncEngine
from app.sync.progress import Phase, SyncProgress
from app.sync.status import SyncState
from app.workspace import Workspace
from tests.support.remote import GraphRemote, Remote, SandboxRemote
from tests.sync.engine.conftest import (
    MAIL_EVERYWHERE,
    OVER_EWS,
    OVER_EWS_AND_GRAPH,
    OVER_GRAPH,
    Crm,
    cached_items,
    comes_true,
    engine_settings,
    set_options,
)

GRETA = "Greta Schulz <greta.schulz@mueller-mb.example>"
PAGE = 3


@pytest.fixture
def paged_engine(workspace: Workspace, remote: Remote) -> Iterator[SyncEngine]:
    """An engine reading PAGE changes a page: seven messages are three pages."""
    opened = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), page_size=PAGE))
    yield opened
    opened.close()


def deliver_delivery_notes(deliver: Callable[..., str], count: int = 7) -> None:
    for number in range(count):
        deliver(GRETA, f"Lieferschein {number + 1:04}")


def when_a_page_is_written(act: Callable[[], None]) -> Callable[[SyncProgress], None]:
    """A progress listener that acts once, when the first page of the inbox is written."""
    done = threading.Event()

    def listen(progress: SyncProgress) -> None:
        if progress.phase is Phase.ITEMS and progress.items_done >= PAGE and not done.is_set():
            done.set()
            act()

    return listen


def pages_asked(remote: SandboxRemote) -> int:
    """Pages of changes the server was asked for since it started: SyncFolderItems, or Graph's
    delta reads (the sandbox serves the session's tests: count from a baseline)."""
    if isinstance(remote, GraphRemote):
        seen = remote.sandbox.server.graph.requests_seen
        return sum(1 for method, path, _ in seen if method == "GET" and "/messages/delta" in path)
    return remote.sandbox.server.faults.operations_seen["SyncFolderItems"]


@OVER_EWS_AND_GRAPH
def test_the_next_page_is_asked_for_while_this_one_is_written(
    paged_engine: SyncEngine, remote: SandboxRemote, deliver: Callable[..., str]
) -> None:
    deliver_delivery_notes(deliver)
    if isinstance(remote, GraphRemote):
        remote.sandbox.server.graph.requests_seen.clear()  # a bounded log: counted from empty
    before = pages_asked(remote)
    read_meanwhile: list[bool] = []

    def second_page_asked() -> None:
        # The Inbox comes first. Without reading ahead its second page is asked for only once
        # this listener returns.
        read_meanwhile.append(comes_true(lambda: pages_asked(remote) - before >= 2, 5))

    report = paged_engine.sync_once(when_a_page_is_written(second_page_asked))

    assert report.ok, report.message
    assert read_meanwhile == [True]


@OVER_EWS
def test_a_first_sync_asks_for_each_body_once_with_its_page(
    paged_engine: SyncEngine,
    workspace: Workspace,
    remote: SandboxRemote,
    deliver: Callable[..., str],
) -> None:
    deliver_delivery_notes(deliver)
    seen = remote.sandbox.server.faults.operations_seen
    before = Counter(seen)

    report = paged_engine.sync_once()

    assert report.ok, report.message
    items = cached_items(workspace)
    assert len(items) == 7
    assert all(item.body_fetched and "Dzień dobry" in (item.body_text or "") for item in items)
    # One GetItem a page for its bodies (the marks' change keys are known: no reads for them).
    assert (seen - before)["GetItem"] == 3


@OVER_GRAPH
def test_a_first_sync_over_graph_read_ahead_reads_each_message_twice(
    paged_engine: SyncEngine, workspace: Workspace, remote: GraphRemote, deliver: Callable[..., str]
) -> None:
    """Its mark with its text body, then its HTML and attachments: the page read ahead keeps
    the texts it read with the marks for its own bodies."""
    deliver_delivery_notes(deliver)

    assert paged_engine.sync_once().ok

    reads = Counter(
        path
        for method, path, _ in remote.sandbox.server.graph.requests_seen
        if method == "GET" and path.startswith("/me/messages/")
    )
    items = cached_items(workspace)
    assert len(items) == 7
    assert [reads[f"/me/messages/{item.remote_id}"] for item in items] == [2] * 7, reads
    assert all("Dzień dobry" in (item.body_text or "") for item in items)


@MAIL_EVERYWHERE
def test_a_server_lost_during_a_read_ahead_keeps_the_pages_written_and_the_next_sync_ends_it(
    paged_engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver_delivery_notes(deliver)

    cut = paged_engine.sync_once(when_a_page_is_written(remote.go_down))

    # The read ahead when the server went away (the second page's or, when that one had already
    # come, the third's) fails; what came before it is written whole, page by page.
    assert cut.state is SyncState.OFFLINE
    written = cached_items(workspace)
    assert len(written) in (PAGE, 2 * PAGE)
    assert len(crm.email_activities()) == len(written)
    remote.come_back()

    finished = paged_engine.sync_once()

    assert finished.ok, finished.message
    subjects = sorted(item.subject for item in cached_items(workspace))
    assert subjects == [f"Lieferschein {number:04}" for number in range(1, 8)]
    tracked = sorted(activity.subject for activity in crm.email_activities())
    assert tracked == subjects
