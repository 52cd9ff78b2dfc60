"""Moving a profile that synced over EWS to Microsoft Graph in place (app.sync.graph_move), on
the sandbox that serves one mailbox through both: every mark and activity link kept, no activity
made twice, no message body downloaded again; a move cut off halfway is either not applied or
finished by running it again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.accounts import BackendKind, load_account, save_account
from app.crm.models import Appointment
from app.mailbox.models import ActivityLink, MailFolder, MailItem, OutboxEntry
from app.services.mail_actions import MailActions
from app.sync.engine import SyncEngine
from app.sync.errors import ServerFailure
from app.sync.graph.tokens import StaticTokenSource
from app.sync.graph.translate import GraphIdTranslator
from app.sync.graph_move import MoveCount, cache_is_graphs, move_cache
from app.sync.status import Attention, SyncState
from app.workspace import Workspace
from tests.support.remote import GraphRemote, Remote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, cached_items, engine_settings, set_options
from tests.sync.engine.test_appointments_and_tasks import crm_appointment, crm_task, when

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
ACME = "biuro@acme-logistics.example"


def translator(sandbox: Sandbox, user: SandboxUser) -> GraphIdTranslator:
    graph = GraphRemote(sandbox, user)
    token = sandbox.server.graph_tokens.issue(user.address)
    return GraphIdTranslator(graph.account(), StaticTokenSource(token), max_wait=3.0)


def marks(workspace: Workspace) -> dict[str, tuple[str, int | None]]:
    return {
        item.internet_message_id or "": (item.tracking_state, item.activity_id)
        for item in cached_items(workspace)
    }


def links(workspace: Workspace) -> list[tuple[int, str | None]]:
    with workspace.local.sessions() as session:
        return [
            (link.activity_id, link.unlinked_reason)
            for link in session.scalars(select(ActivityLink).order_by(ActivityLink.activity_id))
        ]


def switch_to_graph(workspace: Workspace, sandbox: Sandbox, user: SandboxUser) -> None:
    """The account's settings as the move leaves them (the sign-in aside: the Graph remote's
    factory takes the password for a token)."""
    account = load_account(workspace)
    assert account is not None
    graph = GraphRemote(sandbox, user).account()
    save_account(
        workspace, replace(account, backend=BackendKind.GRAPH, server_url=graph.server_url), None
    )


def body_requests(sandbox: Sandbox) -> list[str]:
    return [
        path
        for method, path, query in sandbox.server.graph.requests_seen
        if method == "GET" and "body" in query.get("$select", "")
    ]


@pytest.fixture
def synced_over_ews(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> SyncEngine:
    """A profile that tracked mail, linked an appointment and a task, and has a change waiting
    in the outbox, all over EWS."""
    set_options(workspace, track="crm-contacts")
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example")
    for number in range(3):
        deliver(LUKASZ, f"Zamówienie nr {4710 + number}")
    deliver("Newsletter <news@portal.example>", "Nowości tygodnia")
    crm_appointment(workspace, subject="Przegląd umowy – Acme", start=when(6, 8), end=when(6, 9))
    crm_task(workspace, subject="Wysłać ofertę do Acme", due=when(9, 12))
    assert engine.sync_once().ok
    assert engine.sync_once().ok
    newsletter = next(i for i in cached_items(workspace) if i.subject == "Nowości tygodnia")
    MailActions(workspace).mark_read([newsletter.id])
    return engine


@OVER_EWS
def test_a_moved_profile_keeps_every_mark_and_link_and_downloads_no_body_again(
    synced_over_ews: SyncEngine, workspace: Workspace, sandbox: Sandbox, remote: Remote, crm: Crm
) -> None:
    before_marks, before_links = marks(workspace), links(workspace)
    activities = len(crm.email_activities())
    synced_over_ews.close()

    count = move_cache(
        workspace, remote.user.address, translator(sandbox, remote.user), threading.Event()
    )
    switch_to_graph(workspace, sandbox, remote.user)
    sandbox.server.graph.requests_seen.clear()
    graph = SyncEngine.open(
        workspace, engine_settings(GraphRemote(sandbox, remote.user).backends())
    )
    try:
        report = graph.sync_once()
    finally:
        graph.close()

    assert report.ok, report.message
    assert count.items >= 4 and count.links == 2 and count.not_translated == 0
    assert marks(workspace) == before_marks
    assert sum(state == "tracked" for state, _ in before_marks.values()) == 3
    assert links(workspace) == before_links
    # Its mark is not read over To Do, yet the task is linked still, not made again.
    assert any(path.endswith("/tasks/delta") for _, path, _ in sandbox.server.graph.requests_seen)
    assert [t.subject for t in sandbox.account(remote.user).tasks.all()] == [
        "Wysłać ofertę do Acme"
    ]
    assert len(crm.email_activities()) == activities
    assert any(
        path.endswith("/messages/delta") for _, path, _ in sandbox.server.graph.requests_seen
    )
    assert body_requests(sandbox) == []
    assert all(item.body_fetched for item in cached_items(workspace))
    (newsletter,) = sandbox.account(remote.user).inbox.filter(subject="Nowości tygodnia")
    assert newsletter.is_read  # the change waiting in the outbox went out over Graph


@OVER_EWS
def test_a_move_cut_off_while_translating_changes_nothing_and_a_second_run_finishes_it(
    synced_over_ews: SyncEngine, workspace: Workspace, sandbox: Sandbox, remote: Remote
) -> None:
    synced_over_ews.close()
    ids_before = stored(workspace)
    translate = translator(sandbox, remote.user)

    def cut_off(ews_ids: Sequence[str], cancel: threading.Event) -> dict[str, str]:
        translate(ews_ids, cancel)
        raise ServerFailure("the connection dropped after the translation")

    with pytest.raises(ServerFailure):
        move_cache(workspace, remote.user.address, cut_off, threading.Event())
    assert stored(workspace) == ids_before

    count = move_cache(workspace, remote.user.address, translate, threading.Event())
    again = move_cache(workspace, remote.user.address, translate, threading.Event())

    assert count.items == len(ids_before["items"]) and count.not_translated == 0
    assert again == MoveCount(already_moved=True)
    moved = stored(workspace)
    with workspace.local.sessions() as session:
        assert cache_is_graphs(session, remote.user.address)
    # Graph's restId is the EWS id in URL-safe base64: an id without '+' or '/' reads the same.
    assert all("/" not in i and "+" not in i for i in moved["items"] + moved["folders"])
    assert moved["sync_states"] == [None] * len(moved["sync_states"])


@OVER_EWS
def test_an_appointment_linked_over_ews_keeps_its_crm_activity_and_its_edits_flow_over_graph(
    synced_over_ews: SyncEngine, workspace: Workspace, sandbox: Sandbox, remote: Remote
) -> None:
    synced_over_ews.close()
    move_cache(workspace, remote.user.address, translator(sandbox, remote.user), threading.Event())
    switch_to_graph(workspace, sandbox, remote.user)
    remote.edit("calendar", "Przegląd umowy – Acme", location="Sala Odra")
    graph = SyncEngine.open(
        workspace, engine_settings(GraphRemote(sandbox, remote.user).backends())
    )
    try:
        assert graph.sync_once().ok
        assert graph.sync_once().ok
    finally:
        graph.close()

    with workspace.crm.sessions() as session:
        (appointment,) = session.scalars(select(Appointment))
        assert appointment.location == "Sala Odra"
    assert len(remote.items("calendar")) == 1


def stored(workspace: Workspace) -> dict[str, list[str | None]]:
    """The server ids the local state keeps, and its folders' sync states."""
    with workspace.local.sessions() as session:
        return {
            "folders": list(session.scalars(select(MailFolder.remote_id).order_by(MailFolder.id))),
            "items": list(session.scalars(select(MailItem.remote_id).order_by(MailItem.id))),
            "links": list(
                session.scalars(select(ActivityLink.remote_id).order_by(ActivityLink.id))
            ),
            "sync_states": list(
                session.scalars(select(MailFolder.sync_state).order_by(MailFolder.id))
            ),
            "outbox": [str(session.scalar(select(func.count(OutboxEntry.id))))],
        }


@OVER_EWS
def test_a_move_that_did_not_keep_its_account_stops_sync_and_says_to_finish_it(
    synced_over_ews: SyncEngine, workspace: Workspace, sandbox: Sandbox, remote: Remote
) -> None:
    """The cache is Graph's but the account still EWS's (the keyring refused the new sign-in,
    the process died): sync asks for the move to be finished and writes nothing."""
    move_cache(workspace, remote.user.address, translator(sandbox, remote.user), threading.Event())
    before = sandbox.server.faults.requests_seen

    report = synced_over_ews.sync_once()

    assert report.state is SyncState.NEEDS_ATTENTION
    assert report.attention is Attention.UNFINISHED_MOVE
    assert "liaison account migrate --to graph" in report.message
    assert sandbox.server.faults.requests_seen == before
