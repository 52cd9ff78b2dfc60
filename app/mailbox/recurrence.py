"""A recurring appointment's occurrences, from its cached recurrence (app.sync.activity_fields
describes the value), expanded by `dateutil.rrule` as Exchange expands a series.

Exchange's rules that plain RFC 5545 rules do not have: a day of the month that a month lacks
falls on the month's last day (the 31st on 30 April, 29 February on the 28th in other years),
and a series keeps its wall-clock time across daylight-saving changes, in the series' own time
zone (the cache and the CRM keep it beside the times, which are in UTC). A series whose zone is
not known is expanded in the zone it is shown in (this computer's, unless the caller names one).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo
from itertools import islice
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule
from dateutil.tz import tzlocal

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
# Exchange's DayOfWeek also names sets of days, of which the n-th is meant.
_DAY_SETS = {"Day": range(7), "Weekday": range(5), "WeekendDay": range(5, 7)}
_WEEK_NUMBERS = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Last": -1}
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MAX_OCCURRENCES = 2000


def moment(text: object) -> datetime | None:
    """An ISO 8601 time from the cache; one without an offset is UTC."""
    if not isinstance(text, str) or not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Span(NamedTuple):
    """One occurrence in UTC; subject and location "" are the series'."""

    start: datetime
    end: datetime
    subject: str
    location: str
    original_start: datetime  # when the series has it: what names the occurrence


def series_zone(name: object, fallback: tzinfo | None = None) -> tzinfo:
    """The zone a series with this time zone name is expanded in: the name's (None: UTC, as
    Exchange reports a series made in UTC), or `fallback` (this computer's) for an unknown
    name."""
    if name is None:
        return UTC
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return fallback or tzlocal()


def occurrences(
    recurrence: dict[str, Any],
    first_start: datetime,
    first_end: datetime,
    until: datetime,
    zone: tzinfo | None = None,
) -> list[Span]:
    """Each occurrence that begins before `until`, modified ones moved, deleted ones left out;
    the series is expanded in `zone` (this computer's by default)."""
    duration = first_end - first_start
    deleted = {moment(text) for text in recurrence.get("deleted") or []}
    modified = {
        moment(entry.get("original_start")): entry
        for entry in recurrence.get("modified") or []
        if isinstance(entry, dict)
    }
    starts = _starts(recurrence, first_start.astimezone(zone or tzlocal()))
    spans: list[Span] = []
    for local_start in islice(starts, MAX_OCCURRENCES):
        start = local_start.astimezone(UTC)
        if start >= until:
            break
        if start in deleted:
            continue
        change = modified.get(start)
        if change is None:
            spans.append(Span(start, start + duration, "", "", start))
            continue
        moved_start = moment(change.get("start")) or start
        spans.append(
            Span(
                moved_start,
                moment(change.get("end")) or moved_start + duration,
                str(change.get("subject") or ""),
                str(change.get("location") or ""),
                start,
            )
        )
    return spans


def instance_index(
    recurrence: dict[str, Any], first_start: datetime, original_start: datetime, zone: tzinfo
) -> int | None:
    """Exchange's InstanceIndex of the occurrence due at `original_start`: its place in the
    series from 1, deleted occurrences counted. None when the series has no such occurrence."""
    wanted = original_start.astimezone(UTC)
    starts = _starts(recurrence, first_start.astimezone(zone))
    for index, local_start in enumerate(islice(starts, MAX_OCCURRENCES), start=1):
        start = local_start.astimezone(UTC)
        if start == wanted:
            return index
        if start > wanted:
            return None
    return None


def _starts(recurrence: dict[str, Any], first: datetime) -> Iterator[datetime]:
    """The series' start times in `first`'s zone, from the pattern's start date (or the first
    occurrence's, if later) to its end date or count."""
    day = max(_day(recurrence.get("start")) or first.date(), first.date())
    start = datetime.combine(day, first.timetz())
    rule = _rule(recurrence, start)
    if rule is None:
        yield start  # an unknown pattern: the first occurrence at least
        return
    yield from rule


def _rule(recurrence: dict[str, Any], start: datetime) -> rrule.rrule | None:
    pattern = recurrence.get("pattern")
    interval = max(1, int(recurrence.get("interval") or 1))
    common: dict[str, Any] = {"dtstart": start, "wkst": rrule.MO}
    # A series ends after a number of occurrences or on a date (Exchange has one or the other).
    count, last_day = recurrence.get("count"), _day(recurrence.get("end"))
    if isinstance(count, int):
        common["count"] = count
    elif last_day is not None:
        common["until"] = datetime.combine(last_day, time.max, tzinfo=start.tzinfo)
    if pattern == "daily":
        return rrule.rrule(rrule.DAILY, interval=interval, **common)
    if pattern == "weekly":
        weekdays = [
            _RRULE_WEEKDAYS[WEEKDAYS.index(name)]
            for name in recurrence.get("weekdays") or []
            if name in WEEKDAYS
        ]
        return rrule.rrule(
            rrule.WEEKLY,
            interval=interval,
            byweekday=weekdays or _RRULE_WEEKDAYS[start.weekday()],
            **common,
        )
    yearly = pattern in ("yearly", "relative-yearly")
    if yearly:
        common["bymonth"] = _month(recurrence.get("month"), start.month)
    if pattern in ("monthly", "yearly"):
        days = _day_of_month(int(recurrence.get("day_of_month") or 1))
    elif pattern in ("relative-monthly", "relative-yearly"):
        days = _weekday_of_month(recurrence.get("weekday"), recurrence.get("week_number"))
        if days is None:
            return None
    else:
        return None
    frequency = rrule.YEARLY if yearly else rrule.MONTHLY
    return rrule.rrule(frequency, interval=1 if yearly else interval, **common, **days)


def _day_of_month(wanted: int) -> dict[str, Any]:
    """The day, or the month's last day in a month too short for it."""
    if wanted <= 28:
        return {"bymonthday": wanted}
    return {"bymonthday": tuple(range(28, wanted + 1)), "bysetpos": -1}


def _weekday_of_month(weekday: object, week_number: object) -> dict[str, Any] | None:
    if not isinstance(week_number, str) or week_number not in _WEEK_NUMBERS:
        return None
    position = _WEEK_NUMBERS[week_number]
    if weekday in WEEKDAYS:
        return {"byweekday": _RRULE_WEEKDAYS[WEEKDAYS.index(weekday)](position)}
    if isinstance(weekday, str) and weekday in _DAY_SETS:
        days = tuple(_RRULE_WEEKDAYS[index] for index in _DAY_SETS[weekday])
        return {"byweekday": days, "bysetpos": position}
    return None


def _month(name: object, default: int) -> int:
    return MONTHS.index(name) + 1 if name in MONTHS else default


def _day(text: object) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
