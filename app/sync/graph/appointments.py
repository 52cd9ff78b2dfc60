"""Appointments over Microsoft Graph: the calendar's changes, reads and writes of events.

Graph v1.0 tracks events only through the delta of a calendarView (a window of time in the
default calendar, WINDOW around the day a round began); it lists single events, occurrences and
exceptions, never a series master. Each page is read for the items behind it: a single event as
itself, an instance as its series (seriesMasterId), each read whole with Liaison's mark (a delta
carries no extended properties) and a series with its instances (its exceptions and deleted
occurrences). An instance removed names no series, so a page with removals also reads again the
series the round has seen (kept in the sync state): one gone is deleted, one still there may
have lost an occurrence.

The sync state is "<round>|<calendar id>|<day the round began>|<series ids>|<link>", the
round as for mail folders. The delta keeps the window its round began with, so a finished round
older than RENEWED_AFTER is an InvalidSyncState: the engine reads the calendar again around
today (what has left the window behind is then gone from the cache, as any appointment that
leaves it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.mailbox.remote import LinkState
from app.sync.activity_fields import parse_iso
from app.sync.backend import ItemChanges, ItemRef, RemoteItem, RemoteMark
from app.sync.errors import ChangeConflict, FolderGone, InvalidSyncState, ItemGone
from app.sync.graph import convert, delta, events
from app.sync.graph.client import GraphClient, answered, batch_failure
from app.sync.series_writes import SeriesChange, series_change, series_update

# The calendarView a round tracks, around the day it began, as long as Exchange Online allows:
# what ended longer ago or begins later than this is not seen over Graph (EWS sees the whole
# folder).
WINDOW = (timedelta(days=730), timedelta(days=1095))
# The longest calendarView Exchange Online answers ("Maximum number of days: 1825").
SPAN = WINDOW[0] + WINDOW[1]
# A calendarView's delta keeps the window its round began with: a round older than this is
# begun again around today (the engine reads the calendar again), so the window moves on.
RENEWED_AFTER = timedelta(days=30)
_TEXT_BODY = {"Prefer": 'outlook.body-content-type="text"'}
_READ = f"$expand={convert.MARK_EXPAND}"
_INSTANCES_PAGE = "1000"
CALENDAR_DELTA = "/me/calendarView/delta"


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def window() -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "startDateTime": _utc_text(now - WINDOW[0]),
        "endDateTime": _utc_text(now + WINDOW[1]),
    }


def _state(initial: bool, calendar_id: str, began: date, series: Sequence[str], link: str) -> str:
    round_ = delta.INITIAL if initial else delta.LATER
    return "|".join((round_, calendar_id, began.isoformat(), ",".join(series), link))


def _parse_state(state: str, calendar_id: str) -> tuple[bool, date, list[str], str]:
    """(whether the round began from nothing, the day it began, the series seen, the link);
    InvalidSyncState for a state of another calendar, garbage, or a finished round whose
    window is due to be renewed."""
    parts = state.split("|", 4)
    try:
        began = date.fromisoformat(parts[2]) if len(parts) == 5 else None
    except ValueError:
        began = None
    if (
        began is None
        or parts[0] not in (delta.INITIAL, delta.LATER)
        or parts[1] != calendar_id
        or not delta.is_link_of(parts[4], CALENDAR_DELTA)
    ):
        raise InvalidSyncState("The sync state is not one this server gave for the calendar")
    initial = parts[0] == delta.INITIAL
    if not initial and datetime.now(UTC).date() - began > RENEWED_AFTER:
        raise InvalidSyncState("The calendar's window is read again around today")
    return initial, began, [s for s in parts[3].split(",") if s], parts[4]


class Appointments:
    def __init__(self, client: GraphClient) -> None:
        self.client = client

    # Reading

    def changes(self, calendar_id: str, sync_state: str | None, page_size: int) -> ItemChanges:
        if sync_state is None:
            initial, link = True, CALENDAR_DELTA
            began = datetime.now(UTC).date()
            series: list[str] = []
            params: dict[str, str] | None = window()
        else:
            initial, began, series, link = _parse_state(sync_state, calendar_id)
            params = None
        page, listed, removed = delta.page_of(self.client, link, params, page_size)
        wanted = list(dict.fromkeys(str(v.get("seriesMasterId") or v["id"]) for v in listed))
        if removed:
            # A removed instance does not say whose it was: every series seen may have lost one.
            wanted += [s for s in series if s not in wanted]
        found = self.items(wanted)
        recurring = [i for i, item in found.items() if (item.details or {}).get("recurrence")]
        series = [s for s in series if s not in wanted] + recurring
        deleted = [i for i in dict.fromkeys([*removed, *wanted]) if i not in found]
        items = list(found.values())
        more = "@odata.nextLink" in page
        next_link = page.get("@odata.nextLink") or delta.delta_link(page)
        state = _state(initial and more, calendar_id, began, series, next_link)
        created, updated = (items, []) if initial else ([], items)
        return ItemChanges(created, updated, deleted, [], state, more)

    def _events(self, event_ids: Sequence[str], query: str) -> dict[str, dict[str, Any]]:
        """Each event still there, as Graph gives it (bodies as text)."""
        entries = [
            {"method": "GET", "url": f"/me/events/{i}?{query}", "headers": _TEXT_BODY}
            for i in event_ids
        ]
        return answered(event_ids, self.client.batch(entries))

    def _instances(
        self, spans: dict[str, tuple[datetime, datetime]]
    ) -> dict[str, list[dict[str, Any]]]:
        """Each series' occurrences and exceptions between its two times, read in views of at
        most SPAN (Exchange Online refuses a longer one); a series gone is left out."""
        owners: list[str] = []
        entries: list[dict[str, Any]] = []
        for master_id, (start, end) in spans.items():
            while start < end:
                stop = min(start + SPAN, end)
                query = f"startDateTime={_utc_text(start)}&endDateTime={_utc_text(stop)}"
                url = f"/me/events/{master_id}/instances?{query}&$top={_INSTANCES_PAGE}"
                entries.append({"method": "GET", "url": url})
                owners.append(master_id)
                start = stop
        found: dict[str, dict[str, dict[str, Any]]] = {}
        gone: set[str] = set()
        for master_id, (status, body) in zip(owners, self.client.batch(entries), strict=True):
            if status == 404:
                gone.add(master_id)
                continue
            if status != 200:
                raise batch_failure(status, body).as_error()
            listed = list(body.get("value", []))
            link = body.get("@odata.nextLink")
            while isinstance(link, str):
                page = self.client.get(link)
                listed += page.get("value", [])
                link = page.get("@odata.nextLink")
            # An occurrence across the border of two views is in both.
            found.setdefault(master_id, {}).update((str(v["id"]), v) for v in listed)
        return {
            master_id: list(by_id.values())
            for master_id, by_id in found.items()
            if master_id not in gone
        }

    def items(self, item_ids: Sequence[str]) -> dict[str, RemoteItem]:
        values = self._events(item_ids, _READ)
        end = datetime.now(UTC) + WINDOW[1]
        masters = {
            i: ((events.moment(v.get("start")) or end) - timedelta(days=1), end)
            for i, v in values.items()
            if v.get("type") == "seriesMaster"
        }
        instances = self._instances(masters) if masters else {}
        # A series gone between its read and its instances' is gone.
        return {
            i: events.appointment(v, instances.get(i))
            for i, v in values.items()
            if i in instances or i not in masters
        }

    # Writing

    def create(self, calendar_id: str, fields: dict[str, Any], mark: RemoteMark) -> ItemRef:
        """The event with its mark in one POST (Graph invites the attendees of an event saved
        with them, as Outlook does); then the series' exceptions, occurrence by occurrence."""
        body = events.event_json(fields)
        body["singleValueExtendedProperties"] = convert.mark_properties(mark)
        if mark.category and mark.link_state is LinkState.TRACKED:
            body["categories"] = [mark.category]
        created = self.client.request(
            "POST", f"/me/calendars/{calendar_id}/events", body=body, gone=FolderGone
        ).json()
        ref = ItemRef(str(created["id"]), created.get("changeKey"))
        if fields.get("recurrence"):
            ref = self._write_occurrences(ref, fields, series_change(None, fields))
        return ref

    def update(self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None) -> ItemRef:
        if not fields.get("recurrence"):
            return self._patch(ref, fields, mark)
        current = self.items([ref.id]).get(ref.id)
        if current is None:
            raise ItemGone(f"Item {ref.id[-12:]} is gone")
        if ref.change_key and current.change_key != ref.change_key:
            raise ChangeConflict("The series changed on Exchange since it was last read")
        master, change = series_update(dict(current.details or {}), fields, mark is not None)
        if master is not None:
            ref = self._patch(ref, master, mark)
        return self._write_occurrences(ref, {**(current.details or {}), **fields}, change)

    def _patch(self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None) -> ItemRef:
        """One PATCH, conditional on the change key when there is one: Exchange refuses it
        (412) only when a property it writes changed since."""
        body = events.event_json(fields)
        if mark is not None:
            body["singleValueExtendedProperties"] = convert.mark_properties(mark)
        headers = {"If-Match": f'W/"{ref.change_key}"'} if ref.change_key else None
        answer = self.client.request("PATCH", f"/me/events/{ref.id}", body=body, headers=headers)
        value = answer.json()
        return ItemRef(str(value["id"]), value.get("changeKey"))

    def _write_occurrences(
        self, ref: ItemRef, series: dict[str, Any], change: SeriesChange
    ) -> ItemRef:
        """Delete and change the occurrences a series write asks for, found among the series'
        instances by their original start."""
        if not (change.deleted or change.modified):
            return ref
        starts = [parse_iso(text) for text in change.originals.values()]
        first = min(s for s in starts if s is not None)
        last = max(s for s in starts if s is not None)
        day = timedelta(days=1)
        instances = self._instances({ref.id: (first - day, last + day)})
        if ref.id not in instances:
            raise ItemGone(f"Item {ref.id[-12:]} is gone")
        key = events.original_key(series["is_all_day"], series["time_zone"])
        by_start = {key(v.get("originalStart")): str(v["id"]) for v in instances[ref.id]}
        writes: list[dict[str, Any]] = [
            {"method": "DELETE", "url": f"/me/events/{by_start[change.originals[index]]}"}
            for index in change.deleted
            if change.originals[index] in by_start
        ]
        writes += [
            {
                "method": "PATCH",
                "url": f"/me/events/{by_start[change.originals[index]]}",
                "headers": {"Content-Type": "application/json"},
                "body": events.occurrence_json(values),
            }
            for index, values in change.modified
            if change.originals[index] in by_start
        ]
        for status, body in self.client.batch(writes):
            if status >= 400 and status != 404:
                raise batch_failure(status, body).as_error()
        now = self.client.get(f"/me/events/{ref.id}", {"$select": "id,changeKey"})
        return ItemRef(str(now["id"]), now.get("changeKey"))

    def delete(self, item_id: str) -> None:
        """To Deleted Items, as Outlook's Delete does."""
        self.client.request("DELETE", f"/me/events/{item_id}")
