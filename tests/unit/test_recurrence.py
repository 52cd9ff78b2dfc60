"""Recurring appointments expanded as Exchange expands them (app.mailbox.recurrence)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from app.mailbox.recurrence import Span, occurrences

WARSAW = ZoneInfo("Europe/Warsaw")
HORIZON = datetime(2034, 1, 1, tzinfo=UTC)


def series(first_start: datetime, recurrence: dict[str, Any], hours: float = 1) -> list[Span]:
    """The occurrences of a series whose first one starts at `first_start` (Warsaw time)."""
    start = first_start.replace(tzinfo=WARSAW).astimezone(UTC)
    return occurrences(recurrence, start, start + timedelta(hours=hours), HORIZON, WARSAW)


def days(spans: list[Span]) -> list[date]:
    return [start.astimezone(WARSAW).date() for start, *_rest in spans]


def test_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    spans = series(
        datetime(2026, 1, 31, 10, 0),
        {"pattern": "monthly", "interval": 1, "day_of_month": 31, "start": "2026-01-31",
         "count": 5},
    )  # fmt: skip

    assert days(spans) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_29_february_every_year_falls_on_28_february_outside_leap_years() -> None:
    spans = series(
        datetime(2028, 2, 29, 12, 0),
        {"pattern": "yearly", "day_of_month": 29, "month": "February", "start": "2028-02-29",
         "count": 5},
    )  # fmt: skip

    assert days(spans) == [
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_the_last_friday_is_the_fifth_friday_in_a_month_that_has_five() -> None:
    spans = series(
        datetime(2026, 7, 31, 15, 0),
        {"pattern": "relative-monthly", "interval": 1, "weekday": "Friday", "week_number": "Last",
         "start": "2026-07-01", "end": "2026-10-31"},
    )  # fmt: skip

    assert days(spans) == [
        date(2026, 7, 31),
        date(2026, 8, 28),
        date(2026, 9, 25),
        date(2026, 10, 30),
    ]


def test_the_second_weekday_of_the_month_counts_working_days() -> None:
    spans = series(
        datetime(2026, 8, 4, 8, 0),
        {"pattern": "relative-monthly", "interval": 1, "weekday": "Weekday",
         "week_number": "Second", "start": "2026-08-01", "count": 3},
    )  # fmt: skip

    # 1 August 2026 is a Saturday: Monday 3rd and Tuesday 4th are the first working days.
    assert days(spans) == [date(2026, 8, 4), date(2026, 9, 2), date(2026, 10, 2)]


def test_a_weekly_meeting_in_warsaw_keeps_its_hour_when_summer_time_ends() -> None:
    spans = series(
        datetime(2026, 10, 19, 9, 0),
        {"pattern": "weekly", "interval": 1, "weekdays": ["Monday"], "start": "2026-10-19",
         "count": 3},
    )  # fmt: skip

    starts = [start for start, *_rest in spans]
    assert [start.astimezone(WARSAW).hour for start in starts] == [9, 9, 9]
    assert starts == [
        datetime(2026, 10, 19, 7, 0, tzinfo=UTC),  # CEST, UTC+2
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),  # CET, UTC+1, the day after the change
        datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
    ]
    assert all(end - start == timedelta(hours=1) for start, end, *_rest in spans)


def test_a_daily_stand_up_keeps_its_hour_when_summer_time_begins() -> None:
    spans = series(
        datetime(2027, 3, 26, 9, 30),
        {"pattern": "daily", "interval": 1, "start": "2027-03-26", "count": 4},
        hours=0.25,
    )  # fmt: skip

    assert [start.astimezone(WARSAW).strftime("%d %H:%M") for start, *_ in spans] == [
        "26 09:30",
        "27 09:30",
        "28 09:30",  # the clocks went forward at 02:00 that night
        "29 09:30",
    ]


def test_occurrences_cancelled_or_moved_after_the_change_are_found_by_exchange_s_utc_time() -> None:
    spans = series(
        datetime(2026, 10, 12, 9, 0),
        {
            "pattern": "weekly", "interval": 1, "weekdays": ["Monday"], "start": "2026-10-12",
            "count": 4,
            # As Exchange reports them: original starts in UTC, after the change at UTC+1.
            "deleted": ["2026-11-02T08:00:00+00:00"],
            "modified": [{"original_start": "2026-10-26T08:00:00+00:00",
                          "start": "2026-10-27T13:00:00+00:00", "end": "2026-10-27T14:00:00+00:00",
                          "subject": "Przegląd sprzedaży (przeniesiony)", "location": ""}],
        },
    )  # fmt: skip

    assert [(start, subject) for start, _end, subject, *_rest in spans] == [
        (datetime(2026, 10, 12, 7, 0, tzinfo=UTC), ""),
        (datetime(2026, 10, 19, 7, 0, tzinfo=UTC), ""),
        (datetime(2026, 10, 27, 13, 0, tzinfo=UTC), "Przegląd sprzedaży (przeniesiony)"),
    ]


@given(
    day=st.integers(min_value=1, max_value=31),
    interval=st.integers(min_value=1, max_value=4),
    first_month=st.integers(min_value=1, max_value=12),
)
def test_a_monthly_day_falls_in_every_interval_th_month_on_that_day_or_the_months_last(
    day: int, interval: int, first_month: int
) -> None:
    spans = series(
        datetime(2026, first_month, 1, 10, 0),
        {"pattern": "monthly", "interval": interval, "day_of_month": day,
         "start": f"2026-{first_month:02}-01", "count": 12},
    )  # fmt: skip

    expected = []
    for step in range(12):
        year, month = divmod(first_month - 1 + step * interval, 12)
        year, month = 2026 + year, month + 1
        expected.append(date(year, month, min(day, calendar.monthrange(year, month)[1])))
    assert days(spans) == expected
    assert {start.astimezone(WARSAW).hour for start, *_ in spans} == {10}
