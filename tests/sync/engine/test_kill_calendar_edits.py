"""Changes to appointments and tasks with sync killed right after Exchange applied one, before
Liaison knew: the next sync finds the change made and does not write it again. Over EWS and over
Microsoft Graph (what reached the server read through EWS either way)."""

from __future__ import annotations

import signal
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exchangelib import EWSDate
from exchangelib import Task as ExchangeTask
from sqlalchemy import select

from app.mailbox.models import OutboxEntry, SyncLogEntry
from app.services.schedule import ScheduleService
from tests.support.sandbox import Sandbox
from tests.sync.engine.profiles import finish, opened, set_up_profile, start_sync
from tests.sync.engine.test_calendar_in_full import outlook_appointment

WINDOW = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("over", "edit_written"), [("ews", "UpdateItem"), ("graph", "PATCH /me/events/*")]
)
def test_an_edit_of_an_untracked_appointment_killed_after_exchange_applied_it_is_written_once(
    sandbox: Sandbox, tmp_path: Path, over: str, edit_written: str
) -> None:
    user = sandbox.new_user("Anna Nowak", domain="brightwave.example")
    client = sandbox.account(user)
    outlook_appointment(client, "Wizyta u klienta – Nova Retail", 8, 11, "Poznań")
    ExchangeTask(
        account=client,
        folder=client.tasks,
        subject="Oddzwonić do Nova Retail",
        due_date=EWSDate(2026, 10, 9),
    ).save()
    profile = set_up_profile(sandbox, user, tmp_path / "anna", over)
    assert finish(start_sync(profile))[0] == 0
    with opened(profile.home) as workspace:
        service = ScheduleService(workspace)
        (entry,) = service.calendar_entries(*WINDOW)
        draft = service.appointment_draft(entry)
        service.save_appointment(replace(draft, location="Poznań, ul. Półwiejska 2"))
        (task,) = service.tasks()
        service.complete_task(task, True)

    sandbox.server.faults.hold_answers(count=1, operation=edit_written)
    child = start_sync(profile)
    try:
        assert sandbox.server.faults.wait_until_held(timeout=120)
        child.send_signal(signal.SIGKILL)  # Exchange has the new location; Liaison does not know
        child.communicate(timeout=30)
    finally:
        sandbox.server.faults.release()
    (applied,) = list(client.calendar.all())
    assert applied.location == "Poznań, ul. Półwiejska 2"

    for _ in range(2):
        assert finish(start_sync(profile))[0] == 0

    (item,) = list(client.calendar.all())
    assert item.changekey == applied.changekey  # not written a second time
    (done,) = list(client.tasks.all())
    assert (done.status, done.percent_complete) == ("Completed", 100)
    with opened(profile.home) as workspace, workspace.local.sessions() as session:
        assert {entry.state for entry in session.scalars(select(OutboxEntry))} == {"done"}
        lost = session.scalars(select(SyncLogEntry).where(SyncLogEntry.kind == "edit-conflict"))
        assert list(lost) == []
