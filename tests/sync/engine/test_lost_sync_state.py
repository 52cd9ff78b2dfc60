"""A server that lost the sync state (EWS: ErrorInvalidSyncStateData; Graph: 410
syncStateNotFound): the folder is read again from scratch, and only a whole listing proves an
item gone from the server."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import replace

from app.mailbox.models import MailFolder, SyncLogEntry
from app.sync.engine import SyncEngine
from app.sync.progress import Phase, SyncProgress
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import (
    OVER_EWS_AND_GRAPH,
    Crm,
    cached_items,
    engine_settings,
    set_options,
)

# Another client acts through exchangelib on the sandbox, Liaison over EWS or Graph.
pytestmark = OVER_EWS_AND_GRAPH

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
# What a server reset leaves: a sync state the server does not know.
FORGOTTEN_STATE = "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0rkg5a2xfN0Y4AAAA"
SUBJECTS = ["Reklamacja dostawy 4711", "Faktura 2026/10/17", "Termin dostawy"]


def forget_inbox_sync_state(workspace: Workspace) -> None:
    with workspace.local.sessions.begin() as session:
        inbox = session.query(MailFolder).filter_by(distinguished="inbox").one()
        state = inbox.sync_state or ""
        if "$deltatoken=" in state:
            # Graph's state is its delta link: the link stays, the server forgot its token.
            inbox.sync_state = re.sub(
                r"\$deltatoken=[^&]*", "$deltatoken=" + FORGOTTEN_STATE, state
            )
        else:
            inbox.sync_state = FORGOTTEN_STATE


def delete_on_the_server(sandbox: Sandbox, mailbox: SandboxUser, subject: str) -> None:
    (message,) = [m for m in sandbox.account(mailbox).inbox.all() if m.subject == subject]
    message.delete()


def test_mail_deleted_while_the_sync_state_was_lost_leaves_the_cache_after_a_full_resync(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    for subject in SUBJECTS:
        deliver(LUKASZ, subject)
    assert engine.sync_once().ok
    delete_on_the_server(sandbox, mailbox, "Faktura 2026/10/17")
    forget_inbox_sync_state(workspace)

    report = engine.sync_once()

    assert report.ok, report.message
    assert sorted(item.subject for item in cached_items(workspace)) == [
        "Reklamacja dostawy 4711",
        "Termin dostawy",
    ]
    assert all(item.tracking_state == "tracked" for item in cached_items(workspace))
    activities = crm.email_activities()
    assert len(activities) == 3 and all(activity.tracked for activity in activities)
    with workspace.local.sessions() as session:
        removed = session.query(SyncLogEntry).filter_by(kind="resync", level="info").one()
    assert removed.message.startswith("1 items of 'Inbox' are no longer on the server")


def test_a_resync_cut_off_half_way_deletes_nothing_and_the_next_one_finishes_it(
    workspace: Workspace,
    remote: Remote,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    engine = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), page_size=1))
    try:
        for subject in SUBJECTS:
            deliver(LUKASZ, subject)
        assert engine.sync_once().ok
        delete_on_the_server(sandbox, mailbox, "Faktura 2026/10/17")
        forget_inbox_sync_state(workspace)
        cancel = threading.Event()

        def cancel_after_the_first_page(progress: SyncProgress) -> None:
            if progress.phase is Phase.ITEMS and progress.items_done >= 1:
                cancel.set()

        cut_off = engine.sync_once(cancel_after_the_first_page, cancel)

        assert cut_off.cancelled
        assert len(cached_items(workspace)) == 3  # a partial listing proves nothing

        finished = engine.sync_once()
    finally:
        engine.close()

    assert finished.ok, finished.message
    assert sorted(item.subject for item in cached_items(workspace)) == [
        "Reklamacja dostawy 4711",
        "Termin dostawy",
    ]
