"""Pull: the mailbox comes into the local cache, first in full, then only what changed."""

from __future__ import annotations

from collections.abc import Callable

from app.mailbox.cache import folder_kind, folders
from app.sync.engine import SyncEngine
from app.sync.status import SyncState
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import BOTH, cached_items


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


@BOTH
def test_an_incremental_sync_with_nothing_new_costs_one_request_per_folder(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")
    engine.sync_once()
    with workspace.local.sessions() as session:
        listed = folders(session, workspace.owner_address)
        synced = [folder for folder in listed if folder_kind(folder) is not None]
    before = remote.requests_seen

    report = engine.sync_once()

    assert report.ok
    # SyncFolderHierarchy once, then SyncFolderItems once for each synced folder.
    assert remote.requests_seen - before == 1 + len(synced)
    assert {"inbox", "sentitems", "calendar", "tasks"} <= {f.distinguished for f in synced}
