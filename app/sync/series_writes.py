"""What writing a recurring series to Exchange takes: the pattern on the master, and each
occurrence changed or deleted on its own, named by its InstanceIndex (its place in the series,
deleted ones counted), which is how EWS addresses an occurrence of a master it knows.

Pure: the series as Exchange has it now and as it should be, in the flat values of
app.sync.activity_fields, in; the writes out. A pattern that changed, or a deleted occurrence
that comes back (EWS cannot restore one), means writing the pattern again, which drops every
exception on Exchange, so all of them are written again after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from app.mailbox.recurrence import instance_index, series_zone
from app.mailbox.remote import ItemKind
from app.sync.activity_fields import WHEN_CONTEXT, iso, normalised, parse_iso

_EXCEPTIONS = ("modified", "deleted")


@dataclass(frozen=True, slots=True)
class SeriesChange:
    rewrites_pattern: bool
    deleted: list[int] = field(default_factory=list)  # instance indexes
    # (instance index, the occurrence's start, end, subject and location, with the context
    # that says how to read its times)
    modified: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # The original start of each occurrence above by its instance index, for a server that
    # names an occurrence by it (Graph's instances)
    originals: dict[int, str] = field(default_factory=dict)


def series_update(
    current: dict[str, Any], fields: dict[str, Any], marked: bool
) -> tuple[dict[str, Any] | None, SeriesChange]:
    """Writing `fields` over the series Exchange has (`current`): the master's own fields to
    write (None: nothing, when only occurrences change and no mark is written; the pattern
    only when it is rewritten) and the occurrences' change."""
    change = series_change(current, fields)
    master = dict(fields)
    if not change.rewrites_pattern:
        del master["recurrence"]
    return (master if set(master) - set(WHEN_CONTEXT) or marked else None), change


def series_change(current: dict[str, Any] | None, fields: dict[str, Any]) -> SeriesChange:
    """From the series Exchange has (`current`; None: a series just created, with no
    exceptions yet) to one with `fields` written over it."""
    wanted = normalised(ItemKind.APPOINTMENT, {**(current or {}), **fields})
    new: dict[str, Any] = wanted["recurrence"]
    old = normalised(ItemKind.APPOINTMENT, current)["recurrence"] if current else None
    rewrites = (
        old is None
        or _pattern(old) != _pattern(new)
        or not set(old["deleted"]) <= set(new["deleted"])
    )
    base = {"modified": [], "deleted": []} if rewrites or old is None else old
    first, last = parse_iso(wanted["start"]), parse_iso(wanted["end"])
    if first is None or last is None:
        return SeriesChange(rewrites)
    duration = last - first
    zone = UTC if wanted["is_all_day"] else series_zone(wanted["time_zone"])

    originals: dict[int, str] = {}

    def index(original_start: str) -> int | None:
        moment = parse_iso(original_start)
        found = instance_index(new, first, moment, zone) if moment is not None else None
        if found is not None:
            originals[found] = original_start
        return found

    deleted = [
        found
        for original in new["deleted"]
        if original not in base["deleted"] and (found := index(original)) is not None
    ]
    before = {entry["original_start"]: entry for entry in base["modified"]}
    after = {entry["original_start"]: entry for entry in new["modified"]}
    modified: list[tuple[int, dict[str, Any]]] = []
    for original in sorted({*before, *after} - set(new["deleted"])):
        entry = after.get(original)
        if entry == before.get(original) or (found := index(original)) is None:
            continue
        modified.append((found, _occurrence(wanted, original, entry, duration)))
    return SeriesChange(rewrites, deleted, modified, originals)


def _pattern(recurrence: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in recurrence.items() if key not in _EXCEPTIONS}


def _occurrence(
    series: dict[str, Any], original: str, entry: dict[str, Any] | None, duration: timedelta
) -> dict[str, Any]:
    """One occurrence's values; no entry: back to what the series says (an exception undone)."""
    start = (entry or {}).get("start") or original
    moved = parse_iso(start)
    end = (entry or {}).get("end") or (iso(moved + duration) if moved else None)
    return {
        "subject": (entry or {}).get("subject") or series["subject"],
        "location": (entry or {}).get("location") or series["location"],
        "start": start,
        "end": end,
        "is_all_day": series["is_all_day"],
        "time_zone": series["time_zone"],
    }
