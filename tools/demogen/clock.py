"""Wall-clock times of the demo quarter in the time zones the senders live in.

The quarter (September to November 2026) crosses the end of EU and UK summer time on
25 October 2026, so offsets change mid-quarter: +02:00/+01:00 for Poland and Germany,
+01:00/+00:00 for Britain.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

YEAR = 2026
QUARTER_START = date(2026, 9, 1)
QUARTER_END = date(2026, 11, 30)
SUMMER_TIME_ENDS = date(2026, 10, 25)
WORKDAY_START = time(8, 0)
WORKDAY_END = time(17, 40)


@dataclass(frozen=True)
class Zone:
    """A country's clock: its standard UTC offset and its public holidays in the quarter."""

    code: str
    standard_hours: int
    holidays: tuple[date, ...] = ()

    def tz_on(self, day: date) -> timezone:
        summer = 1 if day < SUMMER_TIME_ENDS else 0
        return timezone(timedelta(hours=self.standard_hours + summer))

    def at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.tz_on(day))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def local(self, moment: datetime) -> datetime:
        """The same instant as this zone's wall clock shows it."""
        return moment.astimezone(self.tz_on(moment.astimezone(UTC).date()))


POLAND = Zone("PL", 1, (date(2026, 11, 11),))
GERMANY = Zone("DE", 1, (date(2026, 10, 3),))
BRITAIN = Zone("UK", 0)


def when(spec: str, zone: Zone) -> datetime:
    """`"09-14 10:22"` as a 2026 wall-clock time in `zone`; seconds vary but never between runs."""
    day_part, clock_part = spec.split()
    month, day = (int(piece) for piece in day_part.split("-"))
    hour, minute = (int(piece) for piece in clock_part.split(":"))
    second = zlib.crc32(spec.encode()) % 60
    return zone.at(date(YEAR, month, day), time(hour, minute, second))


def working_days(zone: Zone, first: date = QUARTER_START, last: date = QUARTER_END) -> list[date]:
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in days if zone.is_working_day(day)]


def slot_on(rng: random.Random, day: date, zone: Zone, earliest: time = WORKDAY_START) -> datetime:
    """A random office-hours moment on `day`, not before `earliest`."""
    start = datetime.combine(day, max(earliest, WORKDAY_START))
    end = datetime.combine(day, WORKDAY_END)
    span = max(int((end - start).total_seconds()), 60)
    moment = start + timedelta(seconds=rng.randrange(span))
    return zone.at(day, moment.time().replace(microsecond=0))


def slot_after(rng: random.Random, after: datetime, zone: Zone, max_days: int = 2) -> datetime:
    """An office-hours moment in `zone` at least 20 minutes after `after`, within `max_days`."""
    local_after = zone.local(after) + timedelta(minutes=20)
    day = local_after.date()
    candidates: list[date] = []
    while len(candidates) <= max_days:
        if zone.is_working_day(day):
            candidates.append(day)
        day += timedelta(days=1)
    if candidates[0] == local_after.date() and local_after.time() > time(16, 45):
        candidates.pop(0)
    chosen = rng.choice(candidates[:max_days] if max_days else candidates[:1])
    earliest = local_after.time() if chosen == local_after.date() else WORKDAY_START
    return slot_on(rng, chosen, zone, earliest)
