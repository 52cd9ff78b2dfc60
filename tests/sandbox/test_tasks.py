"""Recurring tasks as Exchange keeps them: completing an occurrence leaves a completed copy and
moves the recurring task on to its next occurrence, by pattern or by regeneration."""

from __future__ import annotations

import datetime as dt

from exchangelib import Account, Task
from exchangelib.recurrence import (
    DailyRegeneration,
    NoEndPattern,
    NumberedPattern,
    TaskRecurrence,
    WeeklyPattern,
)


def _weekly_report(account: Account, boundary: object | None = None) -> Task:
    task = Task(
        account=account,
        folder=account.tasks,
        subject="Wochenbericht Vertrieb an die Geschäftsführung",
        start_date=dt.date(2026, 10, 5),
        due_date=dt.date(2026, 10, 9),
        recurrence=TaskRecurrence(
            pattern=WeeklyPattern(interval=1, weekdays=["Friday"]),
            boundary=boundary or NoEndPattern(start=dt.date(2026, 10, 9)),
        ),
    )
    task.save()
    return task


def _by_status(account: Account) -> dict[str, list[Task]]:
    found: dict[str, list[Task]] = {}
    for task in account.tasks.all():
        found.setdefault(task.status, []).append(task)
    return found


def test_completing_a_weekly_task_leaves_a_done_copy_and_moves_on_a_week(
    account: Account,
) -> None:
    report = _weekly_report(account)

    report.complete()

    tasks = _by_status(account)
    (done,) = tasks["Completed"]
    (next_one,) = tasks["NotStarted"]
    assert (done.due_date, done.is_recurring, done.percent_complete) == (
        dt.date(2026, 10, 9),
        False,
        100,
    )
    assert done.complete_date is not None
    assert (next_one.start_date, next_one.due_date) == (
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 16),
    )
    assert next_one.is_recurring and next_one.recurrence.boundary.start == dt.date(2026, 10, 16)


def test_the_recurring_task_keeps_its_id_when_it_moves_on(account: Account) -> None:
    report = _weekly_report(account)

    report.complete()

    again = account.tasks.get(id=report.id)
    assert (again.status, again.due_date) == ("NotStarted", dt.date(2026, 10, 16))
    assert again.complete_date is None


def test_a_regenerating_task_counts_from_the_day_it_was_completed(account: Account) -> None:
    watering = Task(
        account=account,
        folder=account.tasks,
        subject="Pflanzen im Büro Gdańsk gießen",
        due_date=dt.date(2026, 1, 5),
        recurrence=TaskRecurrence(
            pattern=DailyRegeneration(interval=3), boundary=NoEndPattern(start=dt.date(2026, 1, 5))
        ),
    )
    watering.save()
    before = dt.datetime.now(dt.UTC).date()

    watering.complete()

    after = dt.datetime.now(dt.UTC).date()
    (next_one,) = _by_status(account)["NotStarted"]
    assert next_one.due_date in {before + dt.timedelta(days=3), after + dt.timedelta(days=3)}
    assert isinstance(next_one.recurrence.pattern, DailyRegeneration)


def test_completing_the_last_occurrence_completes_the_task_itself(account: Account) -> None:
    report = _weekly_report(account, NumberedPattern(start=dt.date(2026, 10, 9), number=2))

    report.complete()
    second = account.tasks.get(id=report.id)
    second.complete()

    tasks = _by_status(account)
    assert sorted(t.due_date for t in tasks["Completed"]) == [
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 16),
    ]
    assert "NotStarted" not in tasks
