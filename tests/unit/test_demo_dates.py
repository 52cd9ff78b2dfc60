"""The demo moved to the week it is opened: whole weeks, so weekdays and wall-clock times stay."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.demo_dates import (
    newest_mail_day,
    shift_csv,
    shift_dates,
    shift_mail_date,
    shifted_copy,
    weeks_to_move,
)
from app.shipped import demo_data_dir

FOUR_WEEKS = timedelta(weeks=4)


@given(st.dates(date(2020, 1, 1), date(2040, 1, 1)), st.dates(date(2020, 1, 1), date(2040, 1, 1)))
def test_the_newest_day_lands_in_the_last_seven_days_on_the_same_weekday(
    newest: date, today: date
) -> None:
    moved = newest + timedelta(weeks=weeks_to_move(newest, today))
    assert 0 <= (today - moved).days < 7
    assert moved.weekday() == newest.weekday()


def test_a_message_date_moves_and_nothing_else_does() -> None:
    raw = (
        b"From: Marek <marek@acme.example>\r\nDate: Wed, 30 Sep 2026 15:35:32 +0200\r\n"
        b"Subject: Oferta\r\n\r\nDate: in the body stays\r\n"
    )
    moved = shift_mail_date(raw, FOUR_WEEKS)
    assert b"Date: Wed, 28 Oct 2026 15:35:32 +0200\r\n" in moved
    assert moved.endswith(b"\r\n\r\nDate: in the body stays\r\n")


def test_a_meeting_keeps_its_wall_clock_time_across_the_end_of_summer_time() -> None:
    entry = {"start": "2026-10-19T09:30:00+02:00", "until": "2026-11-30", "days": ["Monday"]}
    moved = shift_dates(entry, timedelta(weeks=2))
    assert moved == {
        "start": "2026-11-02T09:30:00+01:00",
        "until": "2026-12-14",
        "days": ["Monday"],
    }


def test_dates_in_the_crm_files_move_and_other_cells_stay() -> None:
    text = "name,estimated_value,close_date\nAcme – WMS,480000,2026-12-15\n"
    assert (
        shift_csv(text, FOUR_WEEKS)
        == "name,estimated_value,close_date\nAcme – WMS,480000,2027-01-12\n"
    )


def test_the_shipped_demo_opened_today_has_this_weeks_mail_and_meetings(tmp_path: Path) -> None:
    today = date(2027, 3, 17)
    weeks = shifted_copy(demo_data_dir(), tmp_path, today)
    assert weeks > 0
    newest = newest_mail_day(tmp_path)
    assert newest is not None and 0 <= (today - newest).days < 7
    calendar = json.loads((tmp_path / "calendar.json").read_text(encoding="utf-8"))
    shipped = json.loads((demo_data_dir() / "calendar.json").read_text(encoding="utf-8"))
    for before, after in zip(shipped, calendar, strict=True):
        start, moved = (
            datetime.fromisoformat(before["start"]),
            datetime.fromisoformat(after["start"]),
        )
        assert moved.weekday() == start.weekday()
        assert (moved.hour, moved.minute) == (start.hour, start.minute)
    newest_start = max(datetime.fromisoformat(entry["start"]).date() for entry in calendar)
    assert newest_start >= today - timedelta(days=7)  # the calendar is not empty this week
