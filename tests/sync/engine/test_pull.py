"""Pull: the mailbox comes into the local cache, first in full, then only what changed."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from app.mailbox.cache import account_state, folders, kind_of, record_success
from app.mailbox.models import SyncAccountState
from app.mailbox.remote import FlagStatus
from app.sync.engine import SyncEngine
from app.sync.ews.backend import FEED_PAGES
from app.sync.status import SyncState
from app.workspace import Workspace
from tests.support.remote import GraphRemote, MemoryRemote, Remote, SandboxRemote
from tests.sync.engine.conftest import (
    BOTH,
    MAIL_EVERYWHERE,
    OVER_EWS,
    OVER_GRAPH,
    cached_items,
    comes_true,
    engine_settings,
    mime,
    set_options,
    statements_run,
)


def test_first_sync_caches_the_inbox_with_headers_and_bodies(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    offer = deliver("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>", "Oferta na Q4")
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")

    report = engine.sync_once()

    assert report.state is SyncState.ONLINE, report.message
    items = cached_items(workspace)
    assert [item.subject for item in items] == ["Oferta na Q4", "Angebot Wartungsvertrag"]
    first = items[0]
    assert first.internet_message_id == offer
    assert first.sender_email == "l.wisniewski@acme-logistics.example"
    assert first.sender_name == "Łukasz Wiśniewski"
    assert first.body_fetched and "Dzień dobry" in (first.body_text or "")
    assert first.evaluated


@OVER_GRAPH
def test_a_first_sync_over_graph_reads_each_message_twice_for_its_mark_and_both_bodies(
    engine: SyncEngine, workspace: Workspace, remote: GraphRemote
) -> None:
    # Delta answers carry no marks, so each message is read once anyway: its text body comes
    # with that read, and one more brings the HTML and the attachment list.
    to = remote.user.address
    remote.deliver(mime("l.wisniewski@acme-logistics.example", to, "Oferta na Q4"))
    remote.deliver(
        mime(
            "greta.schulz@mueller-mb.example",
            to,
            "Angebot Wartungsvertrag",
            attachments=[("angebot.pdf", "application/pdf", b"%PDF-1.7 Angebot")],
        )
    )

    engine.sync_once()

    reads = Counter(
        path
        for method, path, _ in remote.sandbox.server.graph.requests_seen
        if method == "GET" and path.startswith("/me/messages/")
    )
    items = cached_items(workspace)
    assert [reads[f"/me/messages/{item.remote_id}"] for item in items] == [2, 2], reads
    for item in items:
        assert "Dzień dobry" in (item.body_text or "") and "<" not in (item.body_text or "")
        assert "Dzień dobry" in (item.body_html or "") and "<" in (item.body_html or "")
    assert [entry["name"] for entry in items[1].attachments] == ["angebot.pdf"]


@OVER_GRAPH
def test_over_graph_a_pages_reads_go_several_batches_at_a_time(
    engine: SyncEngine, workspace: Workspace, remote: GraphRemote
) -> None:
    """45 messages are three $batch requests of reads (twenty to a request): while the answer
    of one is held back, the other two are carried out, every message read."""
    to = remote.user.address
    for number in range(45):
        remote.deliver(mime("greta.schulz@mueller-mb.example", to, f"Lieferschein {number:04}"))
    faults = remote.sandbox.server.faults
    seen = remote.sandbox.server.graph.requests_seen
    seen.clear()  # the sandbox serves the session's tests: only this one's requests count
    faults.hold_answers(count=1, operation="GET /me/messages/*")
    read_meanwhile: list[int] = []

    def reads() -> int:
        return sum(1 for method, path, _ in list(seen) if path.startswith("/me/messages/"))

    def watch() -> None:
        if faults.wait_until_held(10):
            # 2 s: released before the client's 3 s of patience run out.
            comes_true(lambda: reads() >= 45, 2)
            read_meanwhile.append(reads())
        faults.release()

    watcher = threading.Thread(target=watch)
    watcher.start()
    report = engine.sync_once()
    watcher.join()

    assert report.ok, report.message
    assert len(cached_items(workspace)) == 45
    assert read_meanwhile == [45]


def test_incremental_sync_brings_only_new_mail(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    deliver("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>", "Oferta na Q4")
    engine.sync_once()
    deliver("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>", "Odp: Oferta na Q4")

    report = engine.sync_once()

    assert report.state is SyncState.ONLINE
    assert report.items == 1
    assert len(cached_items(workspace)) == 2


def test_a_sync_with_nothing_new_changes_nothing(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")
    engine.sync_once()

    report = engine.sync_once()

    assert report.items == 0
    assert engine.status().last_sync is not None


def test_a_sync_that_ends_well_forgets_the_error_of_the_one_before(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    remote.go_down()
    assert not engine.sync_once().ok
    with workspace.local.sessions() as session:
        assert account_state(session, remote.user.address).last_error
    remote.come_back()

    assert engine.sync_once().ok

    with workspace.local.sessions() as session:
        state = account_state(session, remote.user.address)
        assert state.last_error is None and state.last_success_at is not None
    assert engine.status().last_sync is not None


def test_the_success_stamp_makes_the_accounts_row_when_it_is_gone(workspace: Workspace) -> None:
    address = workspace.owner_address or ""
    with workspace.local.sessions.begin() as session:
        session.execute(delete(SyncAccountState))
    moment = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)

    with workspace.local.sessions.begin() as session:
        record_success(session, address, moment)

    with workspace.local.sessions() as session:
        state = account_state(session, address)
        assert state.last_error is None
        assert state.last_success_at is not None
        assert state.last_success_at.replace(tzinfo=UTC) == moment


@BOTH
def test_an_incremental_sync_with_nothing_new_costs_one_request(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")
    engine.sync_once()
    engine.sync_once()  # the marks the first sync wrote come back once
    before = remote.requests_seen

    report = engine.sync_once()

    assert report.ok
    # One read of the change feed the engine holds (EWS: GetEvents); no folder is asked.
    assert remote.requests_seen - before == 1


@BOTH
def test_a_sync_reads_only_the_folders_the_change_feed_names(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    engine.sync_once()
    engine.sync_once()
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")
    before = remote.requests_seen

    engine.sync_once()

    assert "Angebot Wartungsvertrag" in {item.subject for item in cached_items(workspace)}
    # The feed, the Inbox's changes and the new message's body; over EWS also the hierarchy,
    # as Exchange reports the Inbox's new counts as a change to the folder. No other folder.
    assert remote.requests_seen - before <= 4


@MAIL_EVERYWHERE
def test_the_marks_this_client_wrote_come_back_as_booked_and_a_change_made_since_is_read(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    """The next sync reads back each item a mark changed, with the change key the push booked:
    the pull leaves such an item as the cache holds it (after a first sync at "all", the whole
    mailbox), and asks the CRM nothing about it. A change another client made since has a new
    change key, and is read."""
    set_options(workspace, track="all")
    for subject in ("Zamówienie 4471", "Faktura 2026/118", "Awizacja dostawy – rampa 4"):
        deliver("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>", subject)
    assert engine.sync_once().marks_written == 3
    booked = {item.subject: item.change_key for item in cached_items(workspace)}

    with statements_run(workspace.crm.engine) as crm_statements:
        assert engine.sync_once().ok
    # Nothing came back that needs deciding: the CRM is not asked about these messages.
    assert not [s for s, _ in crm_statements if "email_activities.message_id IN" in s]
    remote.set_flag("inbox", "Faktura 2026/118", FlagStatus.FLAGGED)
    assert engine.sync_once().ok

    after = {item.subject: (item.change_key, item.flag_status) for item in cached_items(workspace)}
    assert after["Zamówienie 4471"] == (booked["Zamówienie 4471"], "none")
    assert after["Faktura 2026/118"][0] != booked["Faktura 2026/118"]
    assert after["Faktura 2026/118"][1] == "flagged"
    assert [item.categories for item in remote.items("inbox")] == [("Tracked to Liaison",)] * 3


@OVER_EWS
def test_a_change_feed_holding_more_events_than_are_worth_reading_means_a_full_sync(
    engine: SyncEngine, workspace: Workspace, remote: SandboxRemote, deliver: Callable[..., str]
) -> None:
    """Exchange gives 50 events a GetEvents: past FEED_PAGES of them a full check is cheaper
    than reading on (after a push of 10,000 marks the feed holds 10,000), and the feed starts
    again from there."""
    engine.sync_once()
    engine.sync_once()
    arrived = 50 * FEED_PAGES + 20
    for number in range(arrived):
        deliver("Greta Schulz <greta.schulz@mueller-mb.example>", f"Lieferschein {number:04}")
    seen = remote.sandbox.server.faults.operations_seen
    before = seen.copy()

    report = engine.sync_once()

    assert report.ok
    assert len(cached_items(workspace)) == arrived
    read = seen - before
    assert read["GetEvents"] == FEED_PAGES
    assert (read["Unsubscribe"], read["Subscribe"], read["SyncFolderHierarchy"]) == (1, 1, 1)
    after = remote.requests_seen
    assert engine.sync_once().ok
    assert remote.requests_seen - after == 1  # the new feed, read in one request


def test_every_folder_is_read_when_the_full_check_is_due(
    workspace: Workspace, remote: Remote
) -> None:
    settings = dataclasses.replace(
        engine_settings(remote.backends()), full_check_every=timedelta(0)
    )
    engine = SyncEngine.open(workspace, settings)
    engine.sync_once()
    with workspace.local.sessions() as session:
        listed = folders(session, workspace.owner_address)
        synced = [
            folder for folder in listed if kind_of(folder.distinguished, folder.content) is not None
        ]
    before = remote.requests_seen

    engine.sync_once()
    engine.close()

    # A new feed, the hierarchy, then every synced folder once.
    assert remote.requests_seen - before == 2 + len(synced)
    assert {"inbox", "sentitems", "calendar", "tasks"} <= {f.distinguished for f in synced}


def test_a_change_feed_the_server_lost_means_a_full_sync(
    engine: SyncEngine, workspace: Workspace, remote: MemoryRemote, deliver: Callable[..., str]
) -> None:
    engine.sync_once()
    remote.mailbox.forget_sync_states()  # a restored mailbox knows no feed either
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")

    report = engine.sync_once()

    assert report.ok
    assert "Angebot Wartungsvertrag" in {item.subject for item in cached_items(workspace)}
