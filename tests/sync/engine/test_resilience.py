"""A busy, failing or absent server, and wrong credentials: sync survives, waits, or stops and
says why; nothing queued is lost or applied twice."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from app.accounts import load_account, new_account, save_account
from app.mailbox.models import OutboxEntry
from app.secrets import delete_secret
from app.services.tracking import MailboxTracking
from app.sync.engine import EngineSettings, SyncEngine
from app.sync.ews.connect import RetrySettings
from app.sync.ews.factory import EwsFactory
from app.sync.progress import SyncProgress
from app.sync.status import SyncState
from app.tracking.model import Address
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import (
    BOTH,
    MAIL_EVERYWHERE,
    OVER_EWS,
    cached_items,
    engine_settings,
    set_options,
)

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"


@BOTH
def test_sync_waits_out_throttling_as_the_server_asks(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    engine.sync_once()  # the first contact fails fast by design; throttle what follows
    deliver(LUKASZ, "Termin dostawy")
    notes: list[str] = []
    remote.throttle(count=3, back_off_ms=50)

    report = engine.sync_once(lambda progress: notes.append(progress.message))

    assert report.ok, report.message
    assert len(cached_items(workspace)) == 1
    assert "server busy, waiting 0.1 s" in notes


@OVER_EWS
def test_sync_survives_503s_and_dropped_connections(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, deliver: Callable[..., str]
) -> None:
    engine.sync_once()
    deliver(LUKASZ, "Termin dostawy")
    sandbox.server.faults.fail_http(count=2, status=503)
    sandbox.server.faults.drop_connections(count=1)

    report = engine.sync_once()

    assert report.ok, report.message
    assert len(cached_items(workspace)) == 1


@OVER_EWS
def test_a_server_busy_for_longer_than_sync_waits_makes_sync_offline(
    engine: SyncEngine, sandbox: Sandbox
) -> None:
    engine.sync_once()
    sandbox.server.faults.fail_http(count=200, status=503)

    report = engine.sync_once()

    assert report.state is SyncState.OFFLINE
    assert "try again later" in report.message or "busy" in report.message


@BOTH
def test_a_wrong_password_stops_sync_at_once_and_asks_the_user(
    workspace: Workspace, remote: Remote
) -> None:
    account = load_account(workspace)
    assert account is not None
    save_account(workspace, account, "not-the-password")
    # With a retry budget of an hour, treating 401 as "busy" would hang this test for an hour.
    patient = EngineSettings(backends=remote.backends(max_wait=3600))
    engine = SyncEngine.open(workspace, patient)
    try:
        report = engine.sync_once()
    finally:
        engine.close()

    assert report.state is SyncState.NEEDS_ATTENTION
    assert "refused the user name or password" in report.message
    assert report.seconds < 30
    assert engine.status().state is SyncState.NEEDS_ATTENTION


@OVER_EWS
def test_a_dead_server_is_offline_not_an_error(workspace: Workspace, sandbox: Sandbox) -> None:
    account = load_account(workspace)
    assert account is not None
    save_account(
        workspace,
        new_account(account.address, "http://127.0.0.1:9/EWS/Exchange.asmx"),
        "whatever",
    )
    engine = SyncEngine.open(
        workspace,
        EngineSettings(backends=EwsFactory(RetrySettings(max_wait=1, first_retry=0.05, timeout=5))),
    )
    try:
        report = engine.sync_once()
    finally:
        engine.close()

    assert report.state is SyncState.OFFLINE
    assert "server" in report.message.lower()


@MAIL_EVERYWHERE
def test_changes_made_offline_are_applied_once_when_the_server_is_back(
    engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    deliver(LUKASZ, "Termin dostawy")
    engine.sync_once()
    complaint, delivery = cached_items(workspace)
    tracking = MailboxTracking(workspace)

    remote.go_down()
    try:
        tracking.untrack(complaint.id)
        subject = tracking.send(
            [Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski")],
            "Potwierdzenie reklamacji",
            "Dzień dobry, potwierdzamy przyjęcie reklamacji.",
        )
        offline = engine.sync_once()
        assert offline.state is SyncState.OFFLINE
        assert engine.status().pending_changes == 2
    finally:
        remote.come_back()

    back = engine.sync_once()
    again = engine.sync_once()

    assert back.ok and again.ok, back.message
    assert engine.status().pending_changes == 0
    sent = [m for m in remote.items("sentitems") if m.subject == subject]
    assert len(sent) == 1
    assert remote.outbound() == [subject]
    by_subject = {m.subject: m for m in remote.items("inbox")}
    assert not by_subject["Reklamacja dostawy 4711"].categories
    assert by_subject["Termin dostawy"].categories == ("Tracked to Liaison",)
    with workspace.local.sessions() as session:
        assert {entry.state for entry in session.query(OutboxEntry)} == {"done"}
    assert delivery.tracking_state == "tracked"


def test_cancel_stops_a_sync_between_requests(
    engine: SyncEngine, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    cancel = threading.Event()

    def cancel_when_listing_items(progress: SyncProgress) -> None:
        if progress.folder is not None:
            cancel.set()

    report = engine.sync_once(cancel_when_listing_items, cancel)

    assert report.cancelled
    assert engine.state is not SyncState.SYNCING
    assert engine.sync_once().ok


@MAIL_EVERYWHERE
def test_cancel_cuts_short_a_long_wait_the_server_asked_for(
    workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    patient = EngineSettings(backends=remote.backends(max_wait=3600.0))
    engine = SyncEngine.open(workspace, patient)
    try:
        engine.sync_once()
        deliver(LUKASZ, "Termin dostawy")
        # Ten minutes, as a throttled Exchange Online may ask: only a cancel ends it early.
        remote.throttle(count=1, back_off_ms=600_000)
        cancel = threading.Event()

        def cancel_when_told_to_wait(progress: SyncProgress) -> None:
            if progress.message.startswith("server busy, waiting 600.0 s"):
                cancel.set()

        report = engine.sync_once(cancel_when_told_to_wait, cancel)

        assert report.cancelled
        assert engine.state is not SyncState.SYNCING
        assert engine.sync_once().ok
    finally:
        engine.close()


def test_a_password_gone_from_the_keyring_asks_the_user_instead_of_failing(
    workspace: Workspace, remote: Remote, mailbox: SandboxUser
) -> None:
    delete_secret(workspace.paths, mailbox.address)
    engine = SyncEngine.open(workspace, engine_settings(remote.backends()))
    try:
        report = engine.sync_once()
    finally:
        engine.close()

    assert report.state is SyncState.NEEDS_ATTENTION
    assert f"No password for {mailbox.address} in the system keyring" in report.message


@OVER_EWS
def test_a_server_slower_than_the_request_timeout_makes_sync_offline_not_stuck(
    workspace: Workspace, sandbox: Sandbox, deliver: Callable[..., str]
) -> None:
    hasty = EngineSettings(
        backends=EwsFactory(RetrySettings(max_wait=1.0, first_retry=0.2, timeout=0.5))
    )
    engine = SyncEngine.open(workspace, hasty)
    try:
        assert engine.sync_once().ok
        deliver(LUKASZ, "Termin dostawy")
        sandbox.server.faults.add_latency(3.0)
        notes: list[str] = []

        report = engine.sync_once(lambda progress: notes.append(progress.message))
    finally:
        sandbox.server.faults.add_latency(0.0)
        engine.close()

    assert report.state is SyncState.OFFLINE
    assert "waiting" in " ".join(notes)  # it retried before giving up
    assert cached_items(workspace) == []


@OVER_EWS
def test_a_stalled_server_makes_sync_give_up_within_twice_its_budget_and_say_how_long(
    workspace: Workspace, sandbox: Sandbox, deliver: Callable[..., str]
) -> None:
    # Each request may wait 30 s on its socket, but the whole step only 2 s: the budget is
    # a deadline that the time spent waiting for answers counts against.
    budget = 2.0
    patient = EngineSettings(
        backends=EwsFactory(RetrySettings(max_wait=budget, first_retry=0.05, timeout=30.0))
    )
    engine = SyncEngine.open(workspace, patient)
    try:
        assert engine.sync_once().ok
        deliver(LUKASZ, "Termin dostawy")
        sandbox.server.faults.add_latency(20.0)  # the server accepts requests, never answers

        report = engine.sync_once()
    finally:
        sandbox.server.faults.reset()
        engine.close()

    assert report.state is SyncState.OFFLINE
    assert report.seconds < 2 * budget
    said = re.search(r"did not answer for (\d+) s", report.message)
    assert said is not None, report.message
    assert abs(int(said.group(1)) - report.seconds) <= 1
    assert "Error" not in report.message  # words, not exception names
    assert cached_items(workspace) == []


@OVER_EWS
def test_sync_waits_as_long_as_a_503_or_429_asks_with_retry_after(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, deliver: Callable[..., str]
) -> None:
    engine.sync_once()
    deliver(LUKASZ, "Termin dostawy")
    sandbox.server.faults.fail_http(count=1, status=503, retry_after=1)
    sandbox.server.faults.fail_http(count=1, status=429, retry_after=1)
    notes: list[str] = []

    report = engine.sync_once(lambda progress: notes.append(progress.message))

    assert report.ok, report.message
    # FAST_RETRY would wait 0.05 s on its own: these are the server's waits.
    assert notes.count("server busy, waiting 1.0 s") == 2
    assert report.seconds >= 2
    assert len(cached_items(workspace)) == 1


@OVER_EWS
def test_a_server_asking_to_wait_longer_than_sync_waits_is_offline_at_once(
    engine: SyncEngine, sandbox: Sandbox
) -> None:
    engine.sync_once()
    sandbox.server.faults.fail_http(count=1, status=429, retry_after=3600)

    report = engine.sync_once()

    assert report.state is SyncState.OFFLINE
    assert report.seconds < 1
    assert "asked to wait 3600 s" in report.message
