"""Running sync: progress for the UI and CLI, "sync now" with the scheduler, a scheduler that
waits for another process's sync of the profile, and what happens to the CRM when mail goes
away on the server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from app.mailbox.sync_options import set_sync_option
from app.sync.engine import SyncEngine
from app.sync.profile_lock import ProfileLock
from app.sync.progress import Phase, SyncProgress
from app.sync.status import SyncReport
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import Crm, cached_items, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"


def test_progress_counts_each_folder_and_the_pace(
    engine: SyncEngine, deliver: Callable[..., str]
) -> None:
    for subject in ("Zamówienie 1", "Zamówienie 2", "Zamówienie 3"):
        deliver(LUKASZ, subject)
    reports: list[SyncProgress] = []

    engine.sync_once(reports.append)

    phases = [report.phase for report in reports]
    assert phases[0] is Phase.CONNECTING and phases[-1] is Phase.DONE
    last = reports[-1]
    counts = {count.name: count for count in last.folders}
    assert counts["Inbox"].done == 3 and counts["Inbox"].total == 3
    assert {"Sent Items", "Calendar", "Tasks"} <= set(counts)
    assert last.items_done == 3 and last.items_per_second > 0
    assert any(report.line().startswith("items Inbox: 3 items, ") for report in reports)


def test_sync_now_wakes_the_scheduler_without_waiting_for_the_interval(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    with workspace.local.sessions.begin() as session:
        set_sync_option(session, "interval", "60")
        set_sync_option(session, "streaming", "off")  # only sync_now may wake it
    stop = threading.Event()
    reports: list[SyncReport] = []
    runner = threading.Thread(target=engine.run, args=(stop,), kwargs={"on_report": reports.append})
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while not reports and time.monotonic() < deadline:
            time.sleep(0.05)
        deliver(LUKASZ, "Pilne: termin dostawy")

        engine.sync_now()

        deadline = time.monotonic() + 10
        while len(reports) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(timeout=15)
    assert not runner.is_alive()
    assert [item.subject for item in cached_items(workspace)] == ["Pilne: termin dostawy"]
    assert reports[1].ok and reports[1].items == 1


def test_a_tracked_message_deleted_on_the_server_leaves_the_cache_not_the_crm(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    message_id = deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()

    remote.delete("inbox", "Reklamacja dostawy 4711")
    report = engine.sync_once()

    assert report.ok
    assert cached_items(workspace) == []
    (activity,) = crm.email_activities()
    assert activity.tracked and activity.message_id == message_id


def test_the_scheduler_waits_for_a_sync_another_process_runs_then_syncs(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    script = ProfileLock(workspace.paths.data_dir, "`liaison sync`")
    assert script.acquire() is None
    stop = threading.Event()
    waiting = threading.Event()
    notes: list[str] = []
    reports: list[SyncReport] = []

    def progress(value: SyncProgress) -> None:
        notes.append(value.message)
        if value.message.startswith("waiting for the sync in"):
            waiting.set()

    def first_report(report: SyncReport) -> None:
        reports.append(report)
        stop.set()

    runner = threading.Thread(target=engine.run, args=(stop, progress, first_report))
    runner.start()
    try:
        assert waiting.wait(10)
        assert not reports and cached_items(workspace) == []
    finally:
        script.release()
    runner.join(timeout=15)

    assert not runner.is_alive()
    assert f"waiting for the sync in `liaison sync` (process {os.getpid()}) to finish" in notes
    (report,) = reports
    assert report.ok and report.items == 1
