"""What writing a recurring series to Exchange takes (app.sync.series_writes): the pattern only
when it changed, each changed or deleted occurrence by its InstanceIndex, counted as Exchange
counts it (deleted occurrences included, in the series' own time zone)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.sync.series_writes import series_change

WEEKLY = {
    "pattern": "weekly",
    "interval": 1,
    "weekdays": ["Monday"],
    "first_day_of_week": "Monday",
    "start": "2026-10-12",
    "end": None,
    "count": 6,
    "modified": [],
    "deleted": [],
}
SERIES: dict[str, Any] = {
    "subject": "Jour fixe",
    "start": "2026-10-12T07:00:00+00:00",  # 9:00 in Warsaw, summer time
    "end": "2026-10-12T08:00:00+00:00",
    "is_all_day": False,
    "time_zone": "Europe/Warsaw",
    "location": "Sala Wisła",
    "recurrence": WEEKLY,
}


def with_exceptions(modified: list[dict[str, str]], deleted: list[str]) -> dict[str, Any]:
    return {"recurrence": {**WEEKLY, "modified": modified, "deleted": deleted}}


def test_a_series_as_exchange_has_it_needs_no_write() -> None:
    change = series_change(SERIES, {"recurrence": WEEKLY})

    assert (change.rewrites_pattern, change.deleted, change.modified) == (False, [], [])


def test_a_deleted_occurrence_after_summer_time_is_named_by_its_place_in_the_series() -> None:
    # 26 October is the first Monday after the clocks went back: 9:00 in Warsaw is 8:00 UTC.
    change = series_change(SERIES, with_exceptions([], ["2026-10-26T08:00:00+00:00"]))

    assert not change.rewrites_pattern
    assert change.deleted == [3]


def test_a_moved_occurrence_is_written_with_the_series_subject_where_it_keeps_it() -> None:
    moved = {
        "original_start": "2026-10-19T07:00:00+00:00",
        "start": "2026-10-19T09:00:00+00:00",
        "end": "2026-10-19T10:00:00+00:00",
        "subject": "",
        "location": "Online",
    }
    change = series_change(SERIES, with_exceptions([moved], []))

    assert change.modified == [
        (
            2,
            {
                "subject": "Jour fixe",
                "location": "Online",
                "start": "2026-10-19T09:00:00+00:00",
                "end": "2026-10-19T10:00:00+00:00",
                "is_all_day": False,
                "time_zone": "Europe/Warsaw",
            },
        )
    ]


def test_an_exception_undone_puts_the_occurrence_back_where_the_series_has_it() -> None:
    moved = {
        "original_start": "2026-10-19T07:00:00+00:00",
        "start": "2026-10-19T09:00:00+00:00",
        "end": "2026-10-19T10:00:00+00:00",
        "subject": "Jour fixe (verschoben)",
        "location": "",
    }
    on_exchange = {**SERIES, **with_exceptions([moved], [])}

    change = series_change(on_exchange, {"recurrence": WEEKLY})

    ((index, values),) = change.modified
    assert index == 2
    assert (values["start"], values["end"], values["subject"]) == (
        "2026-10-19T07:00:00+00:00",
        "2026-10-19T08:00:00+00:00",
        "Jour fixe",
    )


def test_bringing_a_deleted_occurrence_back_rewrites_the_pattern_and_every_exception() -> None:
    moved = {
        "original_start": "2026-10-19T07:00:00+00:00",
        "start": "2026-10-20T07:00:00+00:00",
        "end": "2026-10-20T08:00:00+00:00",
        "subject": "",
        "location": "",
    }
    on_exchange = {**SERIES, **with_exceptions([moved], ["2026-10-26T08:00:00+00:00"])}

    change = series_change(on_exchange, with_exceptions([moved], []))

    assert change.rewrites_pattern
    assert change.deleted == []
    assert [index for index, _ in change.modified] == [2]


def test_a_new_pattern_is_written_and_exceptions_it_no_longer_has_are_left_out() -> None:
    every_other_week = {**WEEKLY, "interval": 2}
    gone = {
        "original_start": "2026-10-19T07:00:00+00:00",  # not in the new series
        "start": "2026-10-19T09:00:00+00:00",
        "end": "2026-10-19T10:00:00+00:00",
        "subject": "",
        "location": "",
    }
    change = series_change(
        SERIES, {"recurrence": {**every_other_week, "modified": [gone], "deleted": []}}
    )

    assert change.rewrites_pattern
    assert change.modified == []


def test_a_new_series_writes_its_exceptions_after_it() -> None:
    change = series_change(None, {**SERIES, **with_exceptions([], ["2026-11-16T08:00:00+00:00"])})

    assert change.rewrites_pattern
    assert change.deleted == [6]


@given(deleted=st.sets(st.integers(min_value=1, max_value=6)))
def test_deleting_any_occurrences_names_each_by_its_place(deleted: set[int]) -> None:
    starts = [
        "2026-10-12T07:00:00+00:00",
        "2026-10-19T07:00:00+00:00",
        "2026-10-26T08:00:00+00:00",
        "2026-11-02T08:00:00+00:00",
        "2026-11-09T08:00:00+00:00",
        "2026-11-16T08:00:00+00:00",
    ]
    wanted = [starts[index - 1] for index in deleted]

    change = series_change(SERIES, with_exceptions([], wanted))

    assert sorted(change.deleted) == sorted(deleted)
