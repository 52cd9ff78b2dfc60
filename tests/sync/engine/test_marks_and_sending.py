"""Email sent from the app, the tracking category's name, and mail that cannot be tracked."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from app.mailbox.models import OutboxEntry, SyncLogEntry
from app.mailbox.sync_options import set_sync_option
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.sync.progress import Phase, SyncProgress
from app.sync.status import SyncReport
from app.tracking.model import Address
from app.workspace import Workspace
from tests.support.remote import Remote, SandboxRemote
from tests.sync.engine.conftest import (
    MAIL_EVERYWHERE,
    OVER_EWS,
    Crm,
    cached_items,
    comes_true,
    engine_settings,
    refuse_new_activities,
    set_options,
    statements_run,
)

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"


def test_email_sent_from_the_app_carries_a_token_and_is_tracked_regarding_the_record(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    engine.sync_once()

    subject = MailboxTracking(workspace).send(
        [Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski")],
        "Oferta: system śledzenia floty",
        "Dzień dobry, w załączeniu oferta.",
        regarding=("account", str(acme)),
    )
    engine.sync_once()
    engine.sync_once()

    assert subject.startswith("Oferta: system śledzenia floty CRM:0001")
    (sent,) = cached_items(workspace, "sentitems")
    assert sent.subject == subject
    assert sent.tracking_state == "tracked"
    assert (sent.regarding_type, sent.regarding_id) == ("account", acme)
    (activity,) = crm.email_activities()
    assert activity.tracking_token == subject.rsplit(" ", 1)[1]
    assert activity.direction == "outgoing"
    (copy,) = remote.items("sentitems")
    assert copy.categories == ("Tracked to Liaison",)


@MAIL_EVERYWHERE
def test_the_cache_keeps_a_written_mark_as_the_server_has_it(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()

    (item,) = cached_items(workspace)
    (activity,) = crm.email_activities()
    (seen,) = remote.items("inbox")
    assert item.categories == list(seen.categories) == ["Tracked to Liaison"]
    assert item.remote_mark is not None
    assert item.remote_mark["link_state"] == 2  # tracked
    assert item.remote_mark["activity_id"] == activity.id
    # The change key is the one the server gave the marked item: the next sync, which reads
    # the item back, keeps it.
    before = item.change_key
    assert engine.sync_once().ok
    (again,) = cached_items(workspace)
    assert again.change_key == before and again.categories == item.categories


@MAIL_EVERYWHERE
def test_marks_in_more_batches_than_are_booked_at_a_time_are_each_booked_once(
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    """Answered batches are booked ten at a time: with a mark to a request, 23 marks are three
    bookings, and every cached row keeps the change key its mark was answered with (the next
    sync, which reads the items back, finds them as booked)."""
    set_options(workspace, track="all")
    for number in range(1, 24):
        deliver(LUKASZ, f"Awizacja dostawy {number:03} – rampa 4")

    engine = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), mark_batch=1))
    try:
        with statements_run(workspace.local.engine) as run:
            report = engine.sync_once()
        booked = {item.subject: item.change_key for item in cached_items(workspace)}
        assert engine.sync_once().ok
    finally:
        engine.close()
    assert report.ok and report.marks_written == 23
    assert outbox_closings(run) == [10, 10, 3]  # entries closed by each booking
    assert {item.subject: item.change_key for item in cached_items(workspace)} == booked
    assert [item.categories for item in remote.items("inbox")] == [("Tracked to Liaison",)] * 23
    assert len(crm.email_activities()) == 23
    with workspace.local.sessions() as session:
        states = [e.state for e in session.query(OutboxEntry).filter_by(kind="mark")]
    assert states == ["done"] * 23


def tracked_by_hand(workspace: Workspace, engine: SyncEngine) -> None:
    """The Inbox read by a sync that tracks none of it, then every message tracked by hand:
    their marks wait for the next sync, whose push writes them before it reads anything."""
    assert engine.sync_once().ok
    tracking = MailboxTracking(workspace)
    for item in cached_items(workspace):
        tracking.track(item.id)


def outbox_closings(run: list[tuple[str, Any]]) -> list[int]:
    """The number of outbox entries each bulk closing (outbox.mark_all_done) closed."""
    return [
        len(json.loads(p))
        for statement, parameters in run
        if statement.startswith("UPDATE outbox SET state") and "json_each" in statement
        for p in parameters
        if str(p).startswith("[")
    ]


@OVER_EWS
def test_a_batch_of_marks_the_server_took_as_the_push_was_cancelled_is_booked(
    workspace: Workspace, crm: Crm, remote: SandboxRemote, deliver: Callable[..., str]
) -> None:
    """A cancel while the server works on batches: the push waits for their answers and books
    them, so the next sync does not write those marks again. (A mark to a request here; the
    first ten answered are booked while the eleventh and twelfth are at the server, an answer
    held back until the cancel; two more wait.)"""
    for number in range(1, 15):
        deliver(LUKASZ, f"Zamówienie nr {number:03} – palety EUR")
    faults = remote.sandbox.server.faults
    cancel = threading.Event()
    reports: list[int] = []

    def hold_the_next_answer_after_ten(progress: SyncProgress) -> None:
        if progress.phase is Phase.PUSHING:
            reports.append(progress.items_done)
            if len(reports) == 11:  # entering the push, then ten batches answered
                faults.hold_answers(count=1, operation="UpdateItem")

    def cancel_while_it_is_held(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        booking = statement.startswith("UPDATE outbox SET state") and len(reports) == 11
        if booking and not cancel.is_set():
            assert faults.wait_until_held(10)
            cancel.set()
            faults.release()

    engine = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), mark_batch=1))
    try:
        tracked_by_hand(workspace, engine)
        event.listen(workspace.local.engine, "before_cursor_execute", cancel_while_it_is_held)
        cut = engine.sync_once(hold_the_next_answer_after_ten, cancel)
        event.remove(workspace.local.engine, "before_cursor_execute", cancel_while_it_is_held)
        marked = [item for item in remote.items("inbox") if item.categories]
        with workspace.local.sessions() as session:
            booked = session.query(OutboxEntry).filter_by(kind="mark", state="done").count()
        before = Counter(faults.operations_seen)

        finished = engine.sync_once()
    finally:
        engine.close()
    assert cut.cancelled
    assert len(marked) == booked == 12
    assert finished.ok and finished.marks_written == 2
    assert (Counter(faults.operations_seen) - before)["UpdateItem"] == 2
    assert [item.categories for item in remote.items("inbox")] == [("Tracked to Liaison",)] * 14
    assert len(crm.email_activities()) == 14


@OVER_EWS
def test_the_server_has_the_next_batch_of_marks_while_it_answers_one_and_no_third(
    workspace: Workspace, remote: SandboxRemote, deliver: Callable[..., str]
) -> None:
    """Two batches at the server at once: it carries out the second while the first's answer is
    still on its way (so it never waits for the client to read an answer and write the next
    request), and the third goes only once one of them is answered. (Both answers are held:
    the two requests run side by side, and either may be the first the server finishes.)"""
    set_options(workspace, track="all")
    for number in range(1, 26):
        deliver(LUKASZ, f"Zamówienie nr {number:03} – palety EUR")
    faults = remote.sandbox.server.faults
    before = Counter(faults.operations_seen)

    def updates() -> int:
        return (Counter(faults.operations_seen) - before)["UpdateItem"]

    engine = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), mark_batch=10))
    syncing = threading.Thread(target=engine.sync_once)
    faults.hold_answers(count=2, operation="UpdateItem")
    syncing.start()
    try:
        assert comes_true(lambda: updates() == 2, 10)
        time.sleep(0.3)  # time enough for a third request, were it sent
        assert updates() == 2
        assert len([item for item in remote.items("inbox") if item.categories]) == 20
    finally:
        faults.release()
        syncing.join(30)
        engine.close()
    assert updates() == 3
    assert [item.categories for item in remote.items("inbox")] == [("Tracked to Liaison",)] * 25


@MAIL_EVERYWHERE
def test_a_push_cancelled_between_batches_of_marks_ends_with_no_write_in_flight(
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    """Marks go ten to a request here (a hundred in use), the next batch written while the ones
    before are booked; a cancel stops the push only once the batch in flight has its answer,
    what was written is booked, and the next sync writes the rest, each message tracked once."""
    for number in range(1, 26):
        deliver(LUKASZ, f"Zamówienie nr {number:03} – palety EUR")
    cancel = threading.Event()
    pushed_at: list[int] = []

    def cancel_after_the_first_batch(progress: SyncProgress) -> None:
        if progress.phase is Phase.PUSHING:
            pushed_at.append(progress.items_done)
            if progress.items_done > pushed_at[0]:
                cancel.set()

    engine = SyncEngine.open(workspace, replace(engine_settings(remote.backends()), mark_batch=10))
    try:
        tracked_by_hand(workspace, engine)
        assert engine.sync_once(cancel_after_the_first_batch, cancel).cancelled
        assert not [t for t in threading.enumerate() if t.name.startswith("liaison-marks")]
        marked = [item for item in remote.items("inbox") if item.categories]
        assert 10 <= len(marked) < 25
        with workspace.local.sessions() as session:
            booked = session.query(OutboxEntry).filter_by(kind="mark", state="done").count()
        assert booked == len(marked)  # every batch the server answered, the one in flight too

        assert engine.sync_once().ok
    finally:
        engine.close()
    items = remote.items("inbox")
    assert [item.categories for item in items] == [("Tracked to Liaison",)] * 25
    assert len(crm.email_activities()) == 25
    with workspace.local.sessions() as session:
        assert not session.query(OutboxEntry).filter_by(kind="mark", state="pending").count()


def test_a_renamed_tracking_category_replaces_the_old_one_on_tracked_mail(
    engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()

    with workspace.local.sessions.begin() as session:
        set_sync_option(session, "tracking-category", "CRM")
    MailboxTracking(workspace).relabel_tracked()
    engine.sync_once()
    engine.sync_once()

    (seen,) = remote.items("inbox")
    assert seen.categories == ("CRM",)
    (item,) = cached_items(workspace)
    assert item.tracking_state == "tracked"  # not mistaken for an untrack by another client


def test_mail_the_crm_keeps_refusing_gets_a_visible_could_not_track_category(
    engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    refuse_new_activities(workspace)
    deliver(LUKASZ, "Reklamacja dostawy 4711")

    for _ in range(5):
        assert engine.sync_once().ok

    (item,) = cached_items(workspace)
    assert item.tracking_state == "failed"
    assert item.track_failures == 5
    (seen,) = remote.items("inbox")
    assert seen.categories == ("Could not track",)
    with workspace.local.sessions() as session:
        logged = session.query(SyncLogEntry).filter_by(kind="tracking", level="error").one()
    assert "after 5 attempts" in logged.message
    assert "refuses new activities" in logged.message


def streams_open() -> bool:
    return any(thread.name == "liaison-stream" for thread in threading.enumerate())


@OVER_EWS  # the stream runs on a thread of the EWS backend's own
def test_new_mail_arrives_within_seconds_through_streaming_notifications(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    with workspace.local.sessions.begin() as session:
        set_sync_option(session, "interval", "60")
    stop = threading.Event()
    reports: queue.Queue[SyncReport] = queue.Queue()
    runner = threading.Thread(target=engine.run, args=(stop,), kwargs={"on_report": reports.put})
    runner.start()
    try:
        reports.get(timeout=10)
        # Then the engine waits on a notification stream (its thread open), its interval a
        # minute away.
        waiting = time.monotonic() + 10
        while not streams_open():
            assert time.monotonic() < waiting, "the engine never waited for notifications"
            time.sleep(0.01)
        delivered = time.monotonic()
        deliver(LUKASZ, "Pilne: termin dostawy")
        while not cached_items(workspace):
            # Each report is a sync; only a notification can start one within seconds.
            try:
                reports.get(timeout=max(0.0, delivered + 10 - time.monotonic()))
            except queue.Empty:
                pytest.fail("no sync within 10 s of new mail: no notification arrived")
    finally:
        stop.set()
        runner.join(timeout=15)
    assert not runner.is_alive()
    for stream in [thread for thread in threading.enumerate() if thread.name == "liaison-stream"]:
        stream.join(timeout=5)
    assert not streams_open(), "stopping left a notification stream open"
    assert [item.subject for item in cached_items(workspace)] == ["Pilne: termin dostawy"]
