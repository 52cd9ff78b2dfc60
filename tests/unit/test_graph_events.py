"""Graph's events to appointment fields and back (app.sync.graph.events): a recurrence and a
time in a zone come back from Graph's shapes as they were given, and a series' instances say
which occurrences were changed or deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from app.mailbox.recurrence import WEEKDAYS
from app.sync.activity_fields import iso
from app.sync.graph.events import (
    MONTHS,
    appointment_details,
    date_time,
    moment,
    original_key,
    pattern_fields,
    recurrence_json,
)

# Zones as Exchange gives them back (each its Windows zone's own name), UTC as None.
ZONES = st.sampled_from(
    [None, "Europe/Warsaw", "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo"]
)
WEEK_NUMBERS = st.sampled_from(["First", "Second", "Third", "Fourth", "Last"])
DAYS = st.sampled_from(WEEKDAYS)
RELATIVE_DAYS = st.sampled_from([*WEEKDAYS, "Day", "Weekday", "WeekendDay"])


@st.composite
def recurrences(draw: st.DrawFn) -> dict[str, Any]:
    pattern = draw(
        st.sampled_from(
            ["daily", "weekly", "monthly", "relative-monthly", "yearly", "relative-yearly"]
        )
    )
    data: dict[str, Any] = {"pattern": pattern}
    if pattern in ("daily", "weekly", "monthly", "relative-monthly"):
        data["interval"] = draw(st.integers(1, 99))
    if pattern == "weekly":
        data["weekdays"] = draw(st.lists(DAYS, min_size=1, max_size=7, unique=True))
        data["first_day_of_week"] = draw(DAYS)
    if pattern in ("monthly", "yearly"):
        data["day_of_month"] = draw(st.integers(1, 31))
    if pattern in ("relative-monthly", "relative-yearly"):
        data["weekday"] = draw(RELATIVE_DAYS)
        data["week_number"] = draw(WEEK_NUMBERS)
    if pattern in ("yearly", "relative-yearly"):
        data["month"] = draw(st.sampled_from(MONTHS))
    start = draw(st.dates(datetime(2020, 1, 1).date(), datetime(2035, 12, 31).date()))
    data["start"] = start.isoformat()
    ending = draw(st.sampled_from(["end", "count", "never"]))
    data["end"] = (start + timedelta(days=draw(st.integers(0, 3000)))).isoformat()
    data["count"] = draw(st.integers(1, 999))
    if ending != "end":
        data["end"] = None
    if ending != "count":
        data["count"] = None
    return data


@given(recurrences(), ZONES)
def test_a_recurrence_comes_back_from_graphs_pattern_and_range_as_it_was(
    recurrence: dict[str, Any], zone: str | None
) -> None:
    assert pattern_fields(recurrence_json(recurrence, zone)) == recurrence


def _unambiguous(moment_: datetime, zone: str | None) -> bool:
    """Graph's dateTime is a wall-clock time: one a zone shows twice (the hour clocks go back)
    cannot say which of the two it is."""
    if zone is None:
        return True
    local = moment_.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    first, second = (local.replace(tzinfo=ZoneInfo(zone), fold=f) for f in (0, 1))
    return first.utcoffset() == second.utcoffset()


@given(st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)), ZONES)
def test_a_time_written_in_its_zone_reads_back_as_the_same_moment(
    when: datetime, zone: str | None
) -> None:
    when = when.replace(microsecond=0)
    assume(_unambiguous(when, zone))
    written = date_time(iso(when), False, zone)
    assert written is not None

    assert moment(written) == when


def test_an_all_day_time_is_midnight_of_its_day_whatever_the_zone() -> None:
    assert date_time("2026-10-05T00:00:00+00:00", True, "America/New_York") == {
        "dateTime": "2026-10-05T00:00:00",
        "timeZone": "Eastern Standard Time",
    }


def _instance(original: str, start: str, kind: str = "occurrence", **more: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "originalStart": original,
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": start.replace("T09", "T10"), "timeZone": "UTC"},
        **more,
    }


JOUR_FIXE = {
    "id": "AAMk-jour-fixe",
    "type": "seriesMaster",
    "subject": "Jour fixe Müller GmbH",
    "start": {"dateTime": "2026-10-05T09:00:00.0000000", "timeZone": "UTC"},
    "end": {"dateTime": "2026-10-05T10:00:00.0000000", "timeZone": "UTC"},
    "originalStartTimeZone": "UTC",
    "recurrence": {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
        "range": {"type": "numbered", "startDate": "2026-10-05", "numberOfOccurrences": 4},
    },
}


def test_a_series_exception_and_deleted_occurrence_come_from_its_instances() -> None:
    instances = [
        _instance("2026-10-05T09:00:00Z", "2026-10-05T09:00:00"),
        _instance(
            "2026-10-19T09:00:00Z",
            "2026-10-19T11:00:00",
            "exception",
            location={"displayName": "Online"},
        ),
        _instance("2026-10-26T09:00:00Z", "2026-10-26T09:00:00"),
    ]

    recurrence = appointment_details(JOUR_FIXE, instances)["recurrence"]

    assert recurrence["deleted"] == ["2026-10-12T09:00:00+00:00"]
    (exception,) = recurrence["modified"]
    assert (exception["original_start"], exception["start"], exception["location"]) == (
        "2026-10-19T09:00:00+00:00",
        "2026-10-19T11:00:00+00:00",
        "Online",
    )


def test_occurrences_after_the_last_instance_listed_are_not_taken_for_deleted() -> None:
    instances = [_instance("2026-10-05T09:00:00Z", "2026-10-05T09:00:00")]

    assert appointment_details(JOUR_FIXE, instances)["recurrence"]["deleted"] == []


def test_an_all_day_occurrence_is_named_by_its_day_in_the_series_zone() -> None:
    key = original_key(True, "Europe/Warsaw")

    assert key("2026-10-11T22:00:00Z") == "2026-10-12T00:00:00+00:00"


def test_a_zone_exchange_does_not_know_is_written_as_utc_time_and_zone_alike() -> None:
    assert date_time("2026-10-05T08:00:00+00:00", False, "Mars/Olympus_Mons") == {
        "dateTime": "2026-10-05T08:00:00",
        "timeZone": "UTC",
    }
