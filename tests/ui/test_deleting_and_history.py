"""The real window on the EWS sandbox: deleting an appointment or a task asks whether its
Exchange item goes too (suggesting what Dynamics does) and shows what it did; Tools > Sync
history shows each sync and a conflict's two values, and "Use the other value" puts the other
value on Exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from exchangelib import Account as ExchangeAccount
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.crm.models import Activity, Appointment, Task
from app.mailbox.views import ScheduledItem
from app.ui.activity_dialogs import AppointmentDialog, TaskDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import CALENDAR, TASKS
from app.ui.sync_history_dialog import SyncHistoryDialog
from app.ui.tasks_page import TaskRole
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.ui.dialogs import when_dialog_opens
from tests.ui.test_window_on_sandbox import SYNC_TIMEOUT, sync_and_wait

SUBJECT = "Przegląd umowy – Acme Logistics"


def coming_appointment(workspace: Workspace, days: int = 2) -> datetime:
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    start += timedelta(days=days)
    with workspace.crm.sessions.begin() as session:
        owner = workspace.owner(session)
        session.add(
            Appointment(
                owner_id=owner.id,
                subject=SUBJECT,
                start=start,
                end=start + timedelta(hours=1),
                location="Sala Wisła",
                is_all_day=False,
            )
        )
    return start


def shown_entry(window: MainWindow, start: datetime) -> ScheduledItem | None:
    assert window.navigation.select_place(CALENDAR)
    window.calendar_page.go_to(start.date())
    return next((e for e in window.calendar_page.grid.entries if e.subject == SUBJECT), None)


def delete_from_dialog(
    window: MainWindow, entry: ScheduledItem, button: str, expected_default: str
) -> list[BaseException]:
    """Open the appointment, press Delete…, check the suggested answer and press `button`."""
    seen: list[str] = []

    def answer(box: QMessageBox) -> None:
        seen.append(box.defaultButton().objectName())
        assert box.text() == "Delete from the Exchange calendar too?"
        assert "is deleted from the CRM" in box.informativeText()
        next(b for b in box.buttons() if b.objectName() == button).click()

    def press_delete(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog) and dialog.delete_button is not None
        failures.extend(when_dialog_opens(answer, QMessageBox))
        dialog.delete_button.click()

    failures = when_dialog_opens(press_delete)
    window.calendar_page.appointment_activated.emit(entry)
    assert seen == [expected_default]
    return failures


def outlook(sandbox: Sandbox, mailbox: SandboxUser) -> ExchangeAccount:
    return sandbox.account(mailbox)


def crm_activities(workspace: Workspace) -> list[str]:
    with workspace.crm.sessions() as session:
        return [a.subject for a in session.query(Activity).filter(Activity.type != "email")]


def test_keeping_the_exchange_appointment_shows_it_untracked_and_sync_takes_the_mark_off(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    synced_workspace: Workspace,
) -> None:
    start = coming_appointment(synced_workspace)
    sync_and_wait(live_window, qtbot)
    written = shown_entry(live_window, start)  # on Exchange now, not pulled yet: from the CRM
    assert written is not None and written.tracking_state == "pending"
    sync_and_wait(live_window, qtbot)
    entry = shown_entry(live_window, start)
    assert entry is not None and entry.tracking_state == "tracked"

    failures = delete_from_dialog(live_window, entry, "keepInExchange", "removeFromExchange")

    assert not failures
    assert live_window.status_bar.currentMessage() == (
        f"“{SUBJECT}” deleted from the CRM; it stays in your Exchange calendar, no longer tracked."
    )
    kept = shown_entry(live_window, start)
    assert kept is not None and kept.tracking_state == "none"  # drawn without the tracked mark
    sync_and_wait(live_window, qtbot)
    (item,) = list(outlook(sandbox, mailbox).calendar.all())
    assert (item.subject, item.categories) == (SUBJECT, None)
    assert crm_activities(synced_workspace) == []


def test_deleting_from_exchange_too_takes_it_off_the_calendar_at_once_and_off_exchange(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    synced_workspace: Workspace,
) -> None:
    start = coming_appointment(synced_workspace)
    sync_and_wait(live_window, qtbot)
    entry = shown_entry(live_window, start)
    assert entry is not None

    failures = delete_from_dialog(live_window, entry, "removeFromExchange", "removeFromExchange")

    assert not failures
    assert shown_entry(live_window, start) is None
    assert "leaves your Exchange calendar at the next sync" in (
        live_window.status_bar.currentMessage()
    )
    sync_and_wait(live_window, qtbot)
    client = outlook(sandbox, mailbox)
    assert list(client.calendar.all()) == []
    assert [item.subject for item in client.trash.all()] == [SUBJECT]


def test_a_completed_task_is_kept_in_exchange_unless_the_user_says_otherwise(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    synced_workspace: Workspace,
) -> None:
    with synced_workspace.crm.sessions.begin() as session:
        owner = synced_workspace.owner(session)
        session.add(Task(owner_id=owner.id, subject="Wysłać ofertę Acme", status="Completed"))
    sync_and_wait(live_window, qtbot)
    assert live_window.navigation.select_place(TASKS)
    task = live_window.tasks_page.list.topLevelItem(0).data(1, TaskRole)
    seen: list[str] = []

    def answer(box: QMessageBox) -> None:
        seen.append(box.defaultButton().objectName())
        assert box.text() == "Delete from the Exchange task list too?"
        next(b for b in box.buttons() if b.objectName() == "removeFromExchange").click()

    def press_delete(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog) and dialog.delete_button is not None
        failures.extend(when_dialog_opens(answer, QMessageBox))
        dialog.delete_button.click()

    failures = when_dialog_opens(press_delete)
    live_window.tasks_page.task_activated.emit(task)

    assert not failures and seen == ["keepInExchange"]  # Dynamics keeps completed tasks
    assert live_window.tasks_page.list.topLevelItemCount() == 0
    sync_and_wait(live_window, qtbot)
    assert list(outlook(sandbox, mailbox).tasks.all()) == []


def test_the_sync_history_shows_a_conflict_and_the_other_value_reaches_exchange(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    synced_workspace: Workspace,
) -> None:
    coming_appointment(synced_workspace)
    sync_and_wait(live_window, qtbot)
    with synced_workspace.crm.sessions.begin() as session:
        (appointment,) = session.query(Appointment).all()
        appointment.location = "Sala Bug"
    client = outlook(sandbox, mailbox)
    (item,) = list(client.calendar.all())
    item.location = "Teams"
    item.save(update_fields=["location"])
    sync_and_wait(live_window, qtbot)

    live_window.history_action.trigger()
    history = live_window.history
    assert isinstance(history, SyncHistoryDialog)
    qtbot.waitUntil(lambda: history.runs.topLevelItemCount() > 0, timeout=SYNC_TIMEOUT)
    newest = history.runs.topLevelItem(0)
    assert newest.text(2) == "Done" and newest.text(8) == "1"
    assert history.tabs.tabText(0) == "Conflicts (1)"
    row = history.conflicts.topLevelItem(0)
    assert [row.text(column) for column in range(5)] == [
        SUBJECT,
        "Location",
        "Sala Bug",
        "Teams",
        "Exchange",
    ]
    assert history.use_other.isEnabled()

    with (
        qtbot.waitSignal(history.value_used, timeout=SYNC_TIMEOUT),
        qtbot.waitSignal(live_window.sync_finished, timeout=SYNC_TIMEOUT),
    ):
        history.use_other.click()

    (item,) = list(client.calendar.all())
    assert item.location == "Sala Bug"
    assert "takes the other value of Location" in history.outcome.text()
    with qtbot.waitSignal(history.shown, timeout=SYNC_TIMEOUT):
        history.reload()
    reversed_row = next(
        history.runs.topLevelItem(i)
        for i in range(history.runs.topLevelItemCount())
        if history.runs.topLevelItem(i).text(8) == "1"
    )
    history.runs.setCurrentItem(reversed_row)
    assert history.conflicts.topLevelItem(0).text(4) == "CRM (by hand)"
    assert not history.use_other.isEnabled()
