"""Tasks in full in the window: the task dialog's start, due, priority, % complete and reminder;
the checkbox that completes a task; the filter (all, open, overdue, done) and sorting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.crm.models import Task
from app.mailbox.models import OutboxEntry
from app.services.schedule import TaskDraft
from app.ui.activity_dialogs import TaskDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import TASKS
from app.ui.tasks_page import DUE, PRIORITY, SUBJECT, TaskFilter
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile

TODAY = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def crm_tasks(profile: BuiltProfile) -> dict[str, Task]:
    with profile.workspace.crm.sessions() as session:
        found = {task.subject: task for task in session.query(Task)}
        session.expunge_all()
        return found


def shown(window: MainWindow) -> list[str]:
    return [task.subject for task in window.tasks_page.shown_tasks()]


MINE = ("Wysłać umowę do Acme", "Angebot für Müller vorbereiten", "Faktura dla Nova Retail")


def shown_of_mine(window: MainWindow) -> list[str]:
    """The tasks `some_tasks` made, in the order shown (the profile has one more, its date
    fixed, which is overdue or not depending on today)."""
    return [subject for subject in shown(window) if subject in MINE]


def row_of(window: MainWindow, subject: str) -> int:
    return shown(window).index(subject)


def some_tasks(window: MainWindow) -> None:
    services = window.services
    services.save_task(
        TaskDraft(subject="Wysłać umowę do Acme", due=TODAY - timedelta(days=2), priority="High")
    )
    services.save_task(
        TaskDraft(subject="Angebot für Müller vorbereiten", due=TODAY + timedelta(days=3))
    )
    services.save_task(
        TaskDraft(
            subject="Faktura dla Nova Retail",
            due=TODAY - timedelta(days=5),
            status="Completed",
            priority="Low",
        )
    )


def test_a_task_with_start_priority_progress_and_reminder_made_in_the_dialog(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.navigation.select_place(TASKS)

    def fill(dialog: TaskDialog) -> None:
        dialog.subject.setText("Przygotować wycenę dla Nova Retail")
        dialog.has_start.setChecked(True)
        dialog.start.setDate(QDate(2026, 11, 23))
        dialog.has_due.setChecked(True)
        dialog.due.setDate(QDate(2026, 11, 27))
        dialog.priority.setCurrentIndex(dialog.priority.findData("High"))
        dialog.percent.setValue(25)
        assert dialog.status.currentData() == "InProgress"  # begun: in progress, as Outlook
        dialog.has_reminder.setChecked(True)
        dialog.accept()

    failures = when_dialog_opens(fill, TaskDialog)
    window.tasks_page.new_button.click()
    assert not failures

    task = crm_tasks(profile)["Przygotować wycenę dla Nova Retail"]
    assert (task.start.date(), task.due.date()) == (date(2026, 11, 23), date(2026, 11, 27))
    assert (task.priority, task.status, task.percent_complete) == ("High", "InProgress", 25)
    assert task.reminder_at is not None


def test_a_hundred_percent_completes_the_task_and_completed_is_a_hundred_percent(
    window: MainWindow, profile: BuiltProfile
) -> None:
    dialog = TaskDialog(window.services.search_records, TaskDraft(subject="X", due=None), window)
    dialog.percent.setValue(100)
    assert dialog.status.currentData() == "Completed"
    dialog.status.setCurrentIndex(dialog.status.findData("NotStarted"))
    assert dialog.percent.value() == 0
    dialog.status.setCurrentIndex(dialog.status.findData("Completed"))
    assert dialog.percent.value() == 100


def test_ticking_a_task_completes_it_and_unticking_opens_it_again(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    some_tasks(window)
    assert window.navigation.select_place(TASKS)
    listed = window.tasks_page.list

    listed.topLevelItem(row_of(window, "Wysłać umowę do Acme")).setCheckState(
        SUBJECT, Qt.CheckState.Checked
    )
    qtbot.waitUntil(lambda: crm_tasks(profile)["Wysłać umowę do Acme"].status == "Completed")

    task = crm_tasks(profile)["Wysłać umowę do Acme"]
    assert (task.percent_complete, task.completed_at is not None) == (100, True)
    qtbot.waitUntil(
        lambda: (
            listed.topLevelItem(row_of(window, "Wysłać umowę do Acme")).font(SUBJECT).strikeOut()
        )
    )
    listed.topLevelItem(row_of(window, "Wysłać umowę do Acme")).setCheckState(
        SUBJECT, Qt.CheckState.Unchecked
    )
    qtbot.waitUntil(lambda: crm_tasks(profile)["Wysłać umowę do Acme"].status == "NotStarted")


def test_ticking_an_untracked_exchange_task_waits_for_the_next_sync(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.navigation.select_place(TASKS)
    subject = "Zadzwonić do Katrin w sprawie dostawy"
    window.tasks_page.list.topLevelItem(row_of(window, subject)).setCheckState(
        SUBJECT, Qt.CheckState.Checked
    )

    def completed() -> bool:
        task = next(t for t in window.tasks_page.shown_tasks() if t.subject == subject)
        return task.status == "Completed"

    qtbot.waitUntil(completed)
    with profile.workspace.local.sessions() as session:
        (entry,) = session.query(OutboxEntry).all()
    assert entry.kind == "edit-item"
    assert entry.payload["fields"] == {"status": "Completed", "percent_complete": 100}


def test_the_filter_shows_open_overdue_or_completed_tasks(
    window: MainWindow, profile: BuiltProfile
) -> None:
    some_tasks(window)
    assert window.navigation.select_place(TASKS)
    page = window.tasks_page

    page.set_filter(TaskFilter.OVERDUE)
    assert shown_of_mine(window) == ["Wysłać umowę do Acme"]
    page.set_filter(TaskFilter.DONE)
    assert shown(window) == ["Faktura dla Nova Retail"]
    page.set_filter(TaskFilter.OPEN)
    assert set(shown(window)) == {
        "Wysłać umowę do Acme",
        "Angebot für Müller vorbereiten",
        "Zadzwonić do Katrin w sprawie dostawy",
    }
    page.set_filter(TaskFilter.ALL)
    assert len(shown(window)) == 4


def test_tasks_sort_by_due_date_or_by_priority(window: MainWindow, profile: BuiltProfile) -> None:
    some_tasks(window)
    assert window.navigation.select_place(TASKS)
    listed = window.tasks_page.list

    assert shown_of_mine(window) == [
        "Wysłać umowę do Acme",
        "Angebot für Müller vorbereiten",
        "Faktura dla Nova Retail",  # completed ones last
    ]

    listed.sortByColumn(PRIORITY, Qt.SortOrder.AscendingOrder)
    assert shown(window)[0] == "Wysłać umowę do Acme"  # high first
    assert shown(window)[-1] == "Faktura dla Nova Retail"  # low last
    listed.sortByColumn(DUE, Qt.SortOrder.DescendingOrder)
    assert shown(window)[0] == "Faktura dla Nova Retail"
