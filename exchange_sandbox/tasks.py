"""Recurring tasks: what Exchange does when an occurrence is completed.

The task item stays the recurring one and moves on to its next occurrence (start and due date
shifted, status back to NotStarted); the completed occurrence becomes a task of its own, not
recurring, complete. A pattern (DailyRecurrence ...) gives the next occurrence after the one
completed; a regeneration pattern (DailyRegeneration ...) counts from the day it was completed.
Completing the last occurrence of a range completes the task itself.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from decimal import Decimal

from .calendar import RANGES, Series, candidate_dates, parse_series
from .itemwrite import Directory, finalize
from .model import Item, Mailbox
from .store import Store, duplicate
from .values import UTC, now
from .xmlkit import canonical, child, local_name, parse_fragment

# What the next occurrence changes on the recurring task.
ADVANCED = frozenset(
    {"Status", "PercentComplete", "CompleteDate", "StartDate", "DueDate", "Recurrence"}
)


def complete_occurrence(store: Store, mailbox: Mailbox, task: Item, directory: Directory) -> bool:
    """Split off a just-completed occurrence of a recurring task; whether the task moved on."""
    props = task.props
    if task.item_type != "Task" or props.get("Status") != "Completed" or "Recurrence" not in props:
        return False
    series = parse_series(props["Recurrence"])
    anchor = props.get("DueDate") or props.get("StartDate")
    current = anchor.astimezone(UTC).date() if anchor else series.start_date
    following = _next_date(series, current, now().date())
    if following is None or (series.count is not None and series.count <= 1):
        return False
    completed = duplicate(task)
    completed.props.pop("Recurrence")
    finalize(completed, mailbox, directory)
    store.add_item(mailbox, mailbox.folders[task.folder], completed)
    shift = dt.timedelta(days=(following - current).days)
    for name in ("StartDate", "DueDate"):
        if name in props:
            props[name] = props[name] + shift
    props["Recurrence"] = _moved_range(props["Recurrence"], following)
    props["Status"] = "NotStarted"
    props["PercentComplete"] = Decimal(0)
    finalize(task, mailbox, directory)
    return True


def _next_date(series: Series, current: dt.date, completed_on: dt.date) -> dt.date | None:
    pattern = series.pattern
    if pattern.regenerates:
        following = _add(completed_on, pattern.kind, pattern.interval)
    else:
        following = next(day for day in candidate_dates(series) if day > current)
    if series.end_date is not None and following > series.end_date:
        return None
    return following


def _add(day: dt.date, kind: str, interval: int) -> dt.date:
    if kind == "DailyRegeneration":
        return day + dt.timedelta(days=interval)
    if kind == "WeeklyRegeneration":
        return day + dt.timedelta(weeks=interval)
    months = interval * (12 if kind == "YearlyRegeneration" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _moved_range(raw: str, start: dt.date) -> str:
    """The recurrence with its range starting at the next occurrence, one fewer to go."""
    recurrence = parse_fragment(raw)
    for range_elem in recurrence:
        if not isinstance(range_elem.tag, str) or local_name(range_elem) not in RANGES:
            continue
        start_elem = child(range_elem, "StartDate")
        if start_elem is not None:
            start_elem.text = start.isoformat() + (start_elem.text or "")[10:]
        remaining = child(range_elem, "NumberOfOccurrences")
        if remaining is not None:
            remaining.text = str(int(remaining.text or "1") - 1)
    return canonical(recurrence)
