"""The task list reads due dates as days in the user's calendar: Today, not 00:00; overdue
open tasks marked; completed ones apart from open ones at a glance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from app.mailbox.views import TaskItem
from app.ui.formatting import PROBLEM_COLOUR, due_day
from app.ui.tasks_page import DUE, SUBJECT, TasksPage


def task(subject: str, due: date | None, status: str = "NotStarted") -> TaskItem:
    midnight = datetime.combine(due, datetime.min.time(), UTC) if due else None
    return TaskItem(
        None, 1, subject, None, midnight, status, 0, "Normal", "tracked", None, None, None
    )


def rows(page: TasksPage) -> dict[str, int]:
    return {
        page.list.topLevelItem(row).text(SUBJECT): row
        for row in range(page.list.topLevelItemCount())
    }


def test_a_task_due_today_says_today_not_a_time(qtbot: QtBot) -> None:
    page = TasksPage()
    qtbot.addWidget(page)
    today = date.today()
    page.show_tasks(
        [task("Call Jan Kowalski", today), task("Send the offer", today + timedelta(days=1))]
    )
    shown = {page.list.topLevelItem(row).text(DUE) for row in range(2)}
    assert shown == {"Today", "Tomorrow"}


def test_due_days_far_off_read_as_dates() -> None:
    today = date(2026, 12, 5)
    assert due_day(datetime(2026, 12, 15, tzinfo=UTC), today) == "15 Dec"
    assert due_day(datetime(2026, 12, 4, tzinfo=UTC), today) == "Yesterday"
    assert due_day(None, today) == ""


def test_an_open_task_past_its_day_is_marked_overdue_and_a_done_one_is_not(
    qtbot: QtBot,
) -> None:
    page = TasksPage()
    qtbot.addWidget(page)
    last_week = date.today() - timedelta(days=7)
    page.show_tasks(
        [task("Renew the Acme contract", last_week), task("Book the room", last_week, "Completed")]
    )
    at = rows(page)
    late = page.list.topLevelItem(at["Renew the Acme contract"])
    done = page.list.topLevelItem(at["Book the room"])
    assert late.toolTip(DUE) == "Overdue"
    assert late.foreground(DUE).color().name() == PROBLEM_COLOUR
    assert not late.icon(DUE).isNull()
    assert done.toolTip(DUE) == ""
    assert done.icon(DUE).isNull()


def test_a_completed_task_is_struck_through_and_greyed(qtbot: QtBot) -> None:
    page = TasksPage()
    qtbot.addWidget(page)
    page.show_tasks([task("Book the room", date.today(), "Completed"), task("Call", None)])
    at = rows(page)
    done = page.list.topLevelItem(at["Book the room"])
    open_task = page.list.topLevelItem(at["Call"])
    grey = page.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert done.font(SUBJECT).strikeOut() and done.foreground(SUBJECT).color() == grey
    assert not open_task.font(SUBJECT).strikeOut()
    assert open_task.foreground(SUBJECT).color() != grey
