"""Recurring calendar items: expanding a Recurrence into occurrences, exceptions (modified
occurrences) and deleted occurrences, and the elements Exchange derives from them."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import ids
from .errors import EwsError
from .model import Item, Mailbox, OccurrenceException
from .store import Store
from .values import UTC, format_datetime
from .xmlkit import child, child_text, element, local_name, parse_fragment
from .zones import WINDOWS_ZONES

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(month_calendar.month_name[1:])
RANGES = ("NoEndRecurrence", "EndDateRecurrence", "NumberedRecurrence")
_WEEK_INDEX = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Last": -1}
# Occurrences of an endless series are expanded two years ahead at most, unless a view asks up
# to a time (as Exchange expands a series in a CalendarView, however old).
_NO_END_HORIZON = 730
# Derived on an occurrence; never stored as part of its exception.
_OCCURRENCE_DERIVED = frozenset(
    {
        "CalendarItemType",
        "OriginalStart",
        "RecurrenceId",
        "IsRecurring",
        "LastModifiedTime",
        "Duration",
    }
)


@dataclass(frozen=True)
class Pattern:
    kind: str  # element name of the pattern, e.g. WeeklyRecurrence
    interval: int
    weekdays: tuple[int, ...]
    day_of_month: int
    week_index: int
    month: int

    @property
    def regenerates(self) -> bool:
        """A task pattern counted from when the last occurrence was completed."""
        return self.kind.endswith("Regeneration")


@dataclass(frozen=True)
class Series:
    pattern: Pattern
    start_date: dt.date
    end_date: dt.date | None
    count: int | None


@dataclass(frozen=True)
class Occurrence:
    index: int  # InstanceIndex, from 1
    original_start: dt.datetime
    start: dt.datetime
    end: dt.datetime
    exception: OccurrenceException | None


def zone_of(raw: str | None) -> dt.tzinfo:
    """The zone a StartTimeZone/EndTimeZone element names (by its Windows id); UTC without one."""
    if not raw:
        return UTC
    zone_id = parse_fragment(raw).get("Id", "UTC")
    try:
        return ZoneInfo(WINDOWS_ZONES.get(zone_id, "UTC"))
    except ZoneInfoNotFoundError:
        return UTC


def all_day_bounds(
    start: dt.datetime, end: dt.datetime, start_zone: dt.tzinfo, end_zone: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime]:
    """Exchange moves an all-day event's start back and its end forward to midnight, each in its
    own time zone, so the event covers whole days where it was made, whoever looks at it."""
    first_day = start.astimezone(start_zone).date()
    local_end = end.astimezone(end_zone)
    last_day = local_end.date() + dt.timedelta(days=local_end.time() != dt.time())
    last_day = max(last_day, first_day + dt.timedelta(days=1))
    return (
        dt.datetime.combine(first_day, dt.time(), start_zone).astimezone(UTC),
        dt.datetime.combine(last_day, dt.time(), end_zone).astimezone(UTC),
    )


def _weekday_list(text: str) -> tuple[int, ...]:
    days = []
    for word in text.split():
        if word in WEEKDAYS:
            days.append(WEEKDAYS.index(word))
        elif word == "Weekday":
            days.extend(range(5))
        elif word == "WeekendDay":
            days.extend((5, 6))
        elif word == "Day":
            days.extend(range(7))
    return tuple(sorted(set(days)))


def parse_series(raw: str) -> Series:
    """The pattern and range of a Recurrence element; ErrorCalendarInvalidRecurrence if it
    cannot be one."""
    try:
        return _parse_series(raw)
    except (ValueError, IndexError) as error:
        raise EwsError(
            "ErrorCalendarInvalidRecurrence", "The recurrence pattern is invalid."
        ) from error


def _parse_series(raw: str) -> Series:
    recurrence = parse_fragment(raw)
    pattern_elem = next(
        (
            sub
            for sub in recurrence
            if isinstance(sub.tag, str)
            and local_name(sub).endswith(("Recurrence", "Regeneration"))
            and local_name(sub) not in RANGES
        ),
        None,
    )
    if pattern_elem is None:
        raise EwsError("ErrorCalendarInvalidRecurrence", "The recurrence pattern is invalid.")
    month_text = child_text(pattern_elem, "Month")
    pattern = Pattern(
        kind=local_name(pattern_elem),
        interval=max(1, int(child_text(pattern_elem, "Interval") or "1")),
        weekdays=_weekday_list(child_text(pattern_elem, "DaysOfWeek") or ""),
        day_of_month=int(child_text(pattern_elem, "DayOfMonth") or "1"),
        week_index=_WEEK_INDEX.get(child_text(pattern_elem, "DayOfWeekIndex") or "First", 1),
        month=MONTHS.index(month_text) + 1 if month_text in MONTHS else 1,
    )
    for range_name in RANGES:
        range_elem = child(recurrence, range_name)
        if range_elem is None:
            continue
        start = dt.date.fromisoformat((child_text(range_elem, "StartDate") or "")[:10])
        end_text = child_text(range_elem, "EndDate")
        count_text = child_text(range_elem, "NumberOfOccurrences")
        return Series(
            pattern,
            start,
            dt.date.fromisoformat(end_text[:10]) if end_text else None,
            int(count_text) if count_text else None,
        )
    raise EwsError("ErrorCalendarInvalidRecurrence", "The recurrence range is invalid.")


def _nth_weekday(year: int, month: int, weekdays: tuple[int, ...], index: int) -> dt.date | None:
    days = [
        dt.date(year, month, d)
        for d in range(1, month_calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, d).weekday() in weekdays
    ]
    if not days:
        return None
    return days[-1] if index == -1 else (days[index - 1] if index <= len(days) else None)


def candidate_dates(series: Series) -> Iterator[dt.date]:
    """The dates of a recurrence pattern from its start (not for regeneration patterns)."""
    pattern, start = series.pattern, series.start_date
    if pattern.kind == "DailyRecurrence":
        day = start
        while True:
            yield day
            day += dt.timedelta(days=pattern.interval)
    elif pattern.kind == "WeeklyRecurrence":
        week_start = start - dt.timedelta(days=start.weekday())
        weekdays = pattern.weekdays or (start.weekday(),)
        while True:
            for weekday in weekdays:
                day = week_start + dt.timedelta(days=weekday)
                if day >= start:
                    yield day
            week_start += dt.timedelta(weeks=pattern.interval)
    elif pattern.kind in ("AbsoluteMonthlyRecurrence", "RelativeMonthlyRecurrence"):
        year, month = start.year, start.month
        while True:
            if pattern.kind == "AbsoluteMonthlyRecurrence":
                last = month_calendar.monthrange(year, month)[1]
                day: dt.date | None = dt.date(year, month, min(pattern.day_of_month, last))
            else:
                day = _nth_weekday(year, month, pattern.weekdays, pattern.week_index)
            if day is not None and day >= start:
                yield day
            month += pattern.interval
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    else:  # yearly patterns
        year = start.year
        while True:
            if pattern.kind == "AbsoluteYearlyRecurrence":
                last = month_calendar.monthrange(year, pattern.month)[1]
                day = dt.date(year, pattern.month, min(pattern.day_of_month, last))
            else:
                day = _nth_weekday(year, pattern.month, pattern.weekdays, pattern.week_index)
            if day is not None and day >= start:
                yield day
            year += 1


class CalendarEngine:
    """Occurrence arithmetic for recurring masters."""

    def occurrences(self, item: Item, until: dt.datetime | None = None) -> Iterator[Occurrence]:
        raw = item.props.get("Recurrence")
        start, end = item.props.get("Start"), item.props.get("End")
        if not raw or start is None or end is None:
            return
        series = parse_series(raw)
        zone = zone_of(item.props.get("StartTimeZone"))
        local_start = start.astimezone(zone)
        duration = end - start
        horizon = start + dt.timedelta(days=_NO_END_HORIZON)
        for index, day in enumerate(candidate_dates(series), start=1):
            if series.count is not None and index > series.count:
                return
            if series.end_date is not None and day > series.end_date:
                return
            original = dt.datetime.combine(day, local_start.timetz().replace(tzinfo=None))
            original_utc = original.replace(tzinfo=zone).astimezone(UTC)
            if until is not None and original_utc > until + dt.timedelta(days=1):
                return
            endless = series.count is None and series.end_date is None
            if endless and until is None and original_utc > horizon:
                return
            key = int(original_utc.timestamp())
            if key in item.deleted_occurrences:
                continue
            exception = item.exceptions.get(key)
            occurrence_start = (
                exception.props.get("Start", original_utc) if exception else original_utc
            )
            occurrence_end = (
                exception.props.get("End", original_utc + duration)
                if exception
                else original_utc + duration
            )
            yield Occurrence(index, original_utc, occurrence_start, occurrence_end, exception)

    def occurrence_start(self, master: Item, index: int) -> int:
        if index < 1 or master.props.get("CalendarItemType") != "RecurringMaster":
            raise EwsError("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange")
        for occurrence in self._all_including_deleted(master):
            if occurrence.index == index:
                key = int(occurrence.original_start.timestamp())
                if key in master.deleted_occurrences:
                    raise EwsError("ErrorCalendarOccurrenceIsDeletedFromRecurrence")
                return key
        raise EwsError("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange")

    def _all_including_deleted(self, master: Item) -> Iterator[Occurrence]:
        deleted, master.deleted_occurrences = master.deleted_occurrences, set()
        try:
            yield from self.occurrences(master)
        finally:
            master.deleted_occurrences = deleted

    def find(self, master: Item, original_start: int) -> Occurrence:
        if original_start in master.deleted_occurrences:
            raise EwsError("ErrorCalendarOccurrenceIsDeletedFromRecurrence")
        for occurrence in self.occurrences(master):
            if int(occurrence.original_start.timestamp()) == original_start:
                return occurrence
        raise EwsError("ErrorItemNotFound")

    def view(self, master: Item, occurrence: Occurrence) -> Item:
        """A transient item for one occurrence: the master's properties plus its exception."""
        props = dict(master.props)
        if occurrence.exception is not None:
            props.update(occurrence.exception.props)
        props.pop("Recurrence", None)
        props["Start"] = occurrence.start
        props["End"] = occurrence.end
        props["OriginalStart"] = occurrence.original_start
        props["RecurrenceId"] = occurrence.original_start
        props["CalendarItemType"] = "Exception" if occurrence.exception else "Occurrence"
        props["IsRecurring"] = True
        change = (
            occurrence.exception.change_number if occurrence.exception else master.change_number
        )
        return Item(
            uuid=master.uuid,
            item_type="CalendarItem",
            folder=master.folder,
            props=props,
            extended=master.extended,
            attachments=master.attachments,
            change_number=max(change, master.change_number),
        )

    def keep_exception(
        self,
        store: Store,
        mailbox: Mailbox,
        master: Item,
        occurrence: Occurrence,
        view: Item,
        keys: set[object],
    ) -> None:
        """Keep an occurrence's view, written by a client, as the series' exception: what it
        says differently from the master; `keys` are the properties written."""
        overrides = {
            name: value
            for name, value in view.props.items()
            if name not in _OCCURRENCE_DERIVED and master.props.get(name) != value
        }
        exception = OccurrenceException(overrides, 0)
        master.exceptions[int(occurrence.original_start.timestamp())] = exception
        store.item_changed(mailbox, master, keys)
        exception.change_number = master.change_number

    def identity(self, mailbox: Mailbox, master: Item, occurrence: Occurrence) -> str:
        key = int(occurrence.original_start.timestamp())
        return element(
            "t:ItemId",
            Id=ids.occurrence_id(mailbox.guid, master.uuid, key),
            ChangeKey=ids.change_key(master.change_number),
        )

    def computed(self, mailbox: Mailbox, item: Item, name: str) -> str | None:
        """Recurrence-derived elements of a master; None when the element is a plain property."""
        if name not in (
            "FirstOccurrence",
            "LastOccurrence",
            "ModifiedOccurrences",
            "DeletedOccurrences",
        ):
            return None
        if item.props.get("CalendarItemType") != "RecurringMaster":
            return ""
        if name == "DeletedOccurrences":
            if not item.deleted_occurrences:
                return ""
            inner = "".join(
                "<t:DeletedOccurrence>"
                + element("t:Start", format_datetime(dt.datetime.fromtimestamp(key, UTC)))
                + "</t:DeletedOccurrence>"
                for key in sorted(item.deleted_occurrences)
            )
            return f"<t:DeletedOccurrences>{inner}</t:DeletedOccurrences>"
        occurrences = list(self.occurrences(item))
        if name == "ModifiedOccurrences":
            modified = [o for o in occurrences if o.exception is not None]
            if not modified:
                return ""
            inner = "".join(
                self._occurrence_xml("t:Occurrence", mailbox, item, o) for o in modified
            )
            return f"<t:ModifiedOccurrences>{inner}</t:ModifiedOccurrences>"
        if not occurrences:
            return ""
        series = parse_series(item.props["Recurrence"])
        if name == "LastOccurrence" and series.count is None and series.end_date is None:
            return ""
        chosen = occurrences[0] if name == "FirstOccurrence" else occurrences[-1]
        return self._occurrence_xml(f"t:{name}", mailbox, item, chosen)

    def _occurrence_xml(
        self, tag: str, mailbox: Mailbox, master: Item, occurrence: Occurrence
    ) -> str:
        return (
            f"<{tag}>{self.identity(mailbox, master, occurrence)}"
            + element("t:Start", format_datetime(occurrence.start))
            + element("t:End", format_datetime(occurrence.end))
            + element("t:OriginalStart", format_datetime(occurrence.original_start))
            + f"</{tag}>"
        )
