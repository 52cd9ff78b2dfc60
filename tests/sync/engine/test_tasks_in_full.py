"""Tasks in full between Liaison and Exchange: start and due dates, priority, % complete, status
and reminder, both ways, once; a task ticked in the list; an untracked task edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from exchangelib import EWSDate, EWSDateTime, EWSTimeZone
from exchangelib import Task as ExchangeTask

from app.crm.models import Task
from app.services.schedule import ScheduleService, TaskDraft
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS


def day(number: int) -> datetime:
    return datetime(2026, 10, number, tzinfo=UTC)


def crm_task(workspace: Workspace, task_id: int) -> Task:
    with workspace.crm.sessions() as session:
        found = session.get(Task, task_id)
        session.expunge(found)
        return found


def test_a_task_made_in_liaison_reaches_exchange_once_with_dates_priority_progress_and_reminder(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    ScheduleService(workspace).save_task(
        TaskDraft(
            subject="Angebot für Müller GmbH vorbereiten",
            start=day(5),
            due=day(9),
            priority="High",
            status="InProgress",
            percent_complete=40,
            reminder=datetime(2026, 10, 8, 7, 30, tzinfo=UTC),
        )
    )

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    (task,) = list(sandbox.account(mailbox).tasks.all())
    assert (task.start_date, task.due_date) == (EWSDate(2026, 10, 5), EWSDate(2026, 10, 9))
    assert (task.importance, task.status, task.percent_complete) == ("High", "InProgress", 40)
    assert task.reminder_is_set
    assert task.reminder_due_by == EWSDateTime(2026, 10, 8, 7, 30, tzinfo=EWSTimeZone("UTC"))


def test_progress_and_a_reminder_set_in_outlook_come_back_to_the_crm(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    service = ScheduleService(workspace)
    service.save_task(TaskDraft(subject="Przygotować wycenę dla Nova Retail", due=day(15)))
    assert engine.sync_once().ok
    (task,) = list(sandbox.account(mailbox).tasks.all())

    task.percent_complete, task.status = Decimal(75), "InProgress"
    task.reminder_is_set = True
    task.reminder_due_by = EWSDateTime(2026, 10, 14, 8, tzinfo=EWSTimeZone("UTC"))
    task.start_date = EWSDate(2026, 10, 12)
    task.save(update_fields=["percent_complete", "status", "reminder_is_set", "reminder_due_by",
                             "start_date"])  # fmt: skip
    assert engine.sync_once().ok

    (listed,) = service.tasks()
    stored = crm_task(workspace, listed.activity_id or 0)
    assert (stored.status, stored.percent_complete) == ("InProgress", 75)
    assert stored.reminder_at is not None
    assert stored.reminder_at.replace(tzinfo=UTC) == datetime(2026, 10, 14, 8, tzinfo=UTC)
    assert listed.start == day(12)


def test_a_task_ticked_in_the_list_is_completed_on_exchange_and_unticked_opens_again(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    service = ScheduleService(workspace)
    service.save_task(TaskDraft(subject="Oddzwonić do Jana Kowalskiego", due=day(7)))
    assert engine.sync_once().ok

    (task,) = service.tasks()
    service.complete_task(task, True)
    assert engine.sync_once().ok
    (on_exchange,) = list(sandbox.account(mailbox).tasks.all())
    assert (on_exchange.status, on_exchange.percent_complete) == ("Completed", 100)

    (task,) = service.tasks()
    service.complete_task(task, False)
    assert engine.sync_once().ok
    (on_exchange,) = list(sandbox.account(mailbox).tasks.all())
    assert (on_exchange.status, on_exchange.percent_complete) == ("NotStarted", 0)


def test_an_untracked_exchange_task_edited_in_liaison_changes_on_exchange_only(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    client = sandbox.account(mailbox)
    ExchangeTask(
        account=client,
        folder=client.tasks,
        subject="Rechnung prüfen",
        due_date=EWSDate(2026, 10, 9),
    ).save()
    assert engine.sync_once().ok
    service = ScheduleService(workspace)
    (task,) = service.tasks()
    assert task.activity_id is None

    draft = service.task_draft(task)
    service.save_task(replace(draft, priority="High", percent_complete=50, due=day(12)))
    assert engine.sync_once().ok

    (edited,) = list(client.tasks.all())
    assert (edited.importance, edited.status, edited.percent_complete) == ("High", "InProgress", 50)
    assert edited.due_date == EWSDate(2026, 10, 12)
    with workspace.crm.sessions() as session:
        assert session.query(Task).count() == 0
