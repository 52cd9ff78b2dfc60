"""The real window on the EWS sandbox: a series and a task made in the window's dialogs, one
occurrence moved and a task ticked there, each on Exchange once after a sync; a change made in
Outlook shows in the window after the next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.activity_dialogs import AppointmentDialog, TaskDialog
from app.ui.calendar_page import CalendarMode
from app.ui.main_window import MainWindow
from app.ui.navigation import CALENDAR, TASKS
from app.ui.recurrence_editor import WEEKLY
from app.ui.tasks_page import SUBJECT
from tests.support.sandbox import Sandbox, SandboxUser
from tests.ui.dialogs import when_dialog_opens
from tests.ui.test_window_on_sandbox import sync_and_wait

MONDAY = date.today() + timedelta(days=7 - date.today().weekday())  # next week's Monday


def test_a_series_made_in_the_window_and_one_occurrence_moved_reach_exchange_once(
    live_window: MainWindow, qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    assert live_window.navigation.select_place(CALENDAR)
    page = live_window.calendar_page
    page.go_to(MONDAY)

    def fill(dialog: AppointmentDialog) -> None:
        dialog.subject.setText("Jour fixe Acme")
        dialog.recurrence.repeat.setCurrentIndex(WEEKLY)
        dialog.recurrence.after.setChecked(True)
        dialog.recurrence.count.setValue(4)
        dialog.accept()

    failures = when_dialog_opens(fill, AppointmentDialog)
    page.new_appointment_requested.emit(
        datetime.combine(MONDAY, datetime.min.time()).replace(hour=10)
    )
    assert not failures
    sync_and_wait(live_window, qtbot)

    page.set_mode(CalendarMode.WEEK)
    page.go_to(MONDAY + timedelta(days=7))
    (second,) = [e for e in page.grid.entries if e.subject == "Jour fixe Acme"]

    def this_occurrence(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.objectName() == "openOccurrence").click()

    def move(dialog: AppointmentDialog) -> None:
        dialog.start.setDateTime(dialog.start.dateTime().addSecs(3 * 3600))
        dialog.accept()

    question = when_dialog_opens(this_occurrence, QMessageBox)
    failures = when_dialog_opens(move, AppointmentDialog)
    page.appointment_activated.emit(second)
    assert not question and not failures
    sync_and_wait(live_window, qtbot)
    sync_and_wait(live_window, qtbot)

    (item,) = list(sandbox.account(mailbox).calendar.all())
    assert item.subject == "Jour fixe Acme" and item.recurrence.boundary.number == 4
    (moved,) = item.modified_occurrences
    assert moved.start - moved.original_start == timedelta(hours=3)
    assert moved.original_start == second.start


def test_a_task_made_and_ticked_in_the_window_is_completed_on_exchange_and_outlook_progress_shows(
    live_window: MainWindow, qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    assert live_window.navigation.select_place(TASKS)
    page = live_window.tasks_page

    def fill(dialog: TaskDialog) -> None:
        dialog.subject.setText("Angebot für Müller GmbH vorbereiten")
        dialog.has_due.setChecked(True)
        dialog.due.setDate(QDate(MONDAY.year, MONDAY.month, MONDAY.day))
        dialog.priority.setCurrentIndex(dialog.priority.findData("High"))
        dialog.accept()

    failures = when_dialog_opens(fill, TaskDialog)
    page.new_button.click()
    assert not failures
    sync_and_wait(live_window, qtbot)
    (task,) = list(sandbox.account(mailbox).tasks.all())
    task.percent_complete, task.status = Decimal(60), "InProgress"
    task.save(update_fields=["percent_complete", "status"])
    sync_and_wait(live_window, qtbot)

    (listed,) = page.shown_tasks()
    assert (listed.status, listed.percent_complete) == ("InProgress", 60)
    page.list.topLevelItem(0).setCheckState(SUBJECT, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: page.shown_tasks()[0].status == "Completed")
    sync_and_wait(live_window, qtbot)

    (task,) = list(sandbox.account(mailbox).tasks.all())
    assert (task.status, task.percent_complete, task.importance) == ("Completed", 100, "High")
    assert task.due_date.isoformat() == MONDAY.isoformat()
    assert task.complete_date is not None and task.complete_date <= datetime.now(UTC)
