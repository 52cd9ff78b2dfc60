"""/me/events, a calendar's events, a series' instances and /me/calendarView/delta.

Events are the store's calendar items, so what EWS writes Graph reads and the other way round.
A list of events holds single events and series masters; the calendarView (and its delta, the
only change tracking of events Graph v1.0 has) holds single events, occurrences and exceptions
in a window of time, never a master: a client finds the master by an instance's
seriesMasterId. A PATCH conditional on a change key (If-Match) fails with 412 only when a
property it writes changed since that key, as Exchange's AutoResolve does.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from .. import deletion, ids
from ..calendar import Occurrence
from ..errors import EwsError
from ..itemwrite import ParsedItem, check_change_key, finalize, new_item
from ..model import Folder, Item
from ..operations.sync import decode_state, encode_state
from ..values import UTC, Body
from . import event_shapes, query, resources
from .folders import DELTA, sync_state_not_found
from .routes import route
from .wire import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    json_response,
    no_content,
    not_found,
)

EVENT = r"(?P<event_id>(?!delta(?:\(\))?$)[^/]+)"
CALENDAR = r"(?P<calendar_id>[^/]+)"
# Exchange Online answers a calendarView (or a series' instances) of five years at most.
MAX_VIEW_DAYS = 1825
_WINDOW_NEEDED = (
    "This request requires a time window specified by the query string parameters "
    "StartDateTime and EndDateTime."
)


def _calendar(request: GraphRequest, calendar_id: str | None) -> Folder:
    mailbox = request.mailbox
    if calendar_id is None:
        return mailbox.distinguished["calendar"]
    folder = resources.folder(mailbox, calendar_id)
    if not (folder.folder_class or "").startswith("IPF.Appointment"):
        raise not_found()
    return folder


def _found(request: GraphRequest, event_id: str) -> tuple[Item, Occurrence | None]:
    """The event an id names: a single event or master, or one occurrence of a master."""
    mailbox = request.mailbox
    try:
        decoded = ids.decode(resources.ews_id(event_id))
    except EwsError as error:
        raise bad_request("Id is malformed.", "ErrorInvalidIdMalformed") from error
    if decoded.kind is ids.IdKind.ITEM:
        item = resources.item(mailbox, event_id)
        if item.item_type != "CalendarItem":
            raise not_found()
        return item, None
    if decoded.kind is not ids.IdKind.OCCURRENCE or decoded.mailbox != mailbox.guid:
        raise bad_request("Id is malformed.", "ErrorInvalidIdMalformed")
    master = mailbox.items.get(decoded.object)
    if master is None or master.item_type != "CalendarItem":
        raise not_found()
    try:
        return master, request.services.calendar.find(master, decoded.original_start)
    except EwsError as error:
        raise not_found() from error


def _json(request: GraphRequest, item: Item, occurrence: Occurrence | None = None) -> Any:
    view = request.services.calendar.view(item, occurrence) if occurrence else None
    return event_shapes.event_json(
        request.mailbox,
        item,
        query.expanded_properties(request),
        query.select(request),
        occurrence,
        view,
        query.body_type(request),
    )


# --- reading ------------------------------------------------------------------------------


def _list(request: GraphRequest, folder: Folder, path: str) -> GraphResponse:
    wanted = query.message_filter(request)
    size = query.page_size(request)
    skip = int(request.query.get("$skip", "0") or 0)
    found = [
        item for item in folder.items.values() if item.item_type == "CalendarItem" and wanted(item)
    ]
    found.sort(key=lambda item: item.arrived)
    answer: dict[str, Any] = {"value": [_json(request, item) for item in found[skip : skip + size]]}
    if skip + size < len(found):
        link = f"{request.base_url}{path}?$skip={skip + size}&$top={size}"
        for option in ("$filter", "$select", "$expand"):
            if request.query.get(option):
                link += f"&{option}={quote(request.query[option], safe=',')}"
        answer["@odata.nextLink"] = link
    return json_response(answer)


@route("GET", "/me/events")
def list_events(request: GraphRequest) -> GraphResponse:
    return _list(request, _calendar(request, None), "/me/events")


@route("GET", f"/me/calendars/{CALENDAR}/events")
def list_calendar_events(request: GraphRequest, calendar_id: str) -> GraphResponse:
    folder = _calendar(request, calendar_id)
    return _list(request, folder, f"/me/calendars/{calendar_id}/events")


@route("GET", f"/me/events/{EVENT}")
def get_event(request: GraphRequest, event_id: str) -> GraphResponse:
    return json_response(_json(request, *_found(request, event_id)))


def _window(request: GraphRequest) -> tuple[dt.datetime, dt.datetime]:
    def moment(name: str) -> dt.datetime:
        text = next((v for k, v in request.query.items() if k.lower() == name.lower()), "")
        if not text:
            raise bad_request(_WINDOW_NEEDED, "ErrorInvalidParameter")
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise bad_request(
                f"'{text}' is not a date and time.", "ErrorInvalidParameter"
            ) from error
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    start, end = moment("startDateTime"), moment("endDateTime")
    if end - start > dt.timedelta(days=MAX_VIEW_DAYS):
        raise bad_request(
            "Your request can't be completed. The range between the start and end dates is "
            f"greater than the allowed range. Maximum number of days: {MAX_VIEW_DAYS}",
            "ErrorInvalidRequest",
        )
    return start, end


def _instances(
    request: GraphRequest, item: Item, start: dt.datetime, end: dt.datetime
) -> Iterator[dict[str, Any]]:
    """The item as the calendarView shows it between start and end: itself, or its instances."""
    if item.props.get("CalendarItemType") != "RecurringMaster":
        if item.props["Start"] < end and item.props["End"] > start:
            yield event_shapes.event_json(request.mailbox, item, body_type=query.body_type(request))
        return
    calendar = request.services.calendar
    for occurrence in calendar.occurrences(item, until=end):
        if occurrence.start < end and occurrence.end > start:
            view = calendar.view(item, occurrence)
            yield event_shapes.event_json(
                request.mailbox, item, None, None, occurrence, view, query.body_type(request)
            )


@route("GET", f"/me/events/{EVENT}/instances")
def list_instances(request: GraphRequest, event_id: str) -> GraphResponse:
    item, occurrence = _found(request, event_id)
    start, end = _window(request)
    if occurrence is not None or item.props.get("CalendarItemType") != "RecurringMaster":
        return json_response({"value": []})
    return json_response({"value": list(_instances(request, item, start, end))})


# --- the calendarView's delta -------------------------------------------------------------


def _token(
    request: GraphRequest, folder: Folder, number: int, window: tuple[dt.datetime, ...]
) -> str:
    """An opaque token that carries the round's window, as Graph's do."""
    state = encode_state(request.store, request.mailbox, folder.uuid, number)
    payload = json.dumps([state, *(moment.isoformat() for moment in window)])
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii")


def _untoken(
    request: GraphRequest, folder: Folder, token: str
) -> tuple[int, dt.datetime, dt.datetime]:
    try:
        state, start, end = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        number = decode_state(request.store, request.mailbox, folder.uuid, state)
        return number, dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    except (binascii.Error, ValueError, TypeError, UnicodeError, EwsError) as error:
        raise sync_state_not_found() from error


@route("GET", f"/me/calendarView/{DELTA}")
def calendar_view_delta(request: GraphRequest) -> GraphResponse:
    """Whole items per page: a series' instances are never split between two pages."""
    mailbox = request.mailbox
    folder = mailbox.distinguished["calendar"]
    for option in ("$expand", "$filter", "$orderby", "$search"):
        if request.query.get(option):
            raise bad_request(f"{option} is not supported on a delta query of a calendarView.")
    token = request.query.get("$deltatoken") or request.query.get("$skiptoken")
    if token:
        since, start, end = _untoken(request, folder, token)
    else:
        since, (start, end) = 0, _window(request)
    size = query.page_size(request)
    changes: list[dict[str, Any]] = []
    last, more = since, False
    for number, key in folder.changes.after(since):
        if len(changes) >= size:
            more = True
            break
        last = number
        changes += _item_changes(request, folder, key, since, start, end)
    link = f"{request.base_url}/me/calendarView/delta?"
    if more:
        link += f"$skiptoken={_token(request, folder, last, (start, end))}"
        return json_response({"value": changes, "@odata.nextLink": link})
    link += f"$deltatoken={_token(request, folder, mailbox.seq, (start, end))}"
    return json_response({"value": changes, "@odata.deltaLink": link})


def _item_changes(
    request: GraphRequest,
    folder: Folder,
    key: bytes,
    since: int,
    start: dt.datetime,
    end: dt.datetime,
) -> list[dict[str, Any]]:
    """What the calendarView's delta says of one item changed after `since`."""
    mailbox = request.mailbox
    item = folder.items.get(key)
    if item is None:
        tombstone = folder.tombstones.get(key)
        if tombstone is None or tombstone.arrived > since:
            return []
        # Graph removes a deleted series occurrence by occurrence; the tombstone no longer
        # knows the series' pattern, so the sandbox removes it by the master's id.
        return [_removed(resources.rest_id(ids.item_id(mailbox.guid, key)))]
    if item.item_type != "CalendarItem":
        return []
    shown = list(_instances(request, item, start, end))
    if not since or item.arrived > since:
        return shown
    changed = {name for name, number in item.versions.items() if number > since}
    removed = [
        _removed(resources.rest_id(ids.occurrence_id(mailbox.guid, key, gone)))
        for gone in sorted(item.deleted_occurrences)
        if "DeletedOccurrences" in changed and start <= dt.datetime.fromtimestamp(gone, UTC) < end
    ]
    if changed <= {"DeletedOccurrences"}:
        # An occurrence deleted changes nothing the series' other instances show.
        return removed
    if not shown and item.props.get("CalendarItemType") != "RecurringMaster":
        # A single event moved out of the window leaves the view.
        return [_removed(resources.item_rest_id(mailbox, item))]
    return shown + removed


def _removed(rest_id: str) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.event",
        "id": rest_id,
        "@removed": {"reason": "deleted"},
    }


# --- writing ------------------------------------------------------------------------------


def _create(request: GraphRequest, folder: Folder) -> GraphResponse:
    mailbox = request.mailbox
    values = request.json()
    for needed in ("start", "end"):
        if needed not in values:
            raise bad_request(
                f"The property '{needed}' is required when creating the entity.",
                "ErrorPropertyValidationFailure",
            )
    props, extended = event_shapes.writes(values, {})
    props = {name: value for name, value in props.items() if value is not None}
    props.setdefault("Body", Body("Text", ""))
    props.setdefault("ReminderIsSet", True)
    item = new_item(
        ParsedItem("CalendarItem", props, extended), mailbox, False, request.store.mailboxes
    )
    item.props["ItemClass"] = "IPM.Appointment"
    try:
        finalize(item, mailbox, request.store.mailboxes)
    except EwsError as error:
        raise bad_request(str(error), "ErrorPropertyValidationFailure") from error
    if item.props.get("IsMeeting"):
        # Graph sends the invitations of an event saved with attendees.
        item.props["MeetingRequestWasSent"] = True
        request.store.add_item(mailbox, folder, item)
        request.services.transport.deliver_sent(mailbox, item)
    else:
        request.store.add_item(mailbox, folder, item)
    return json_response(_json(request, item), 201)


@route("POST", "/me/events")
def create_event(request: GraphRequest) -> GraphResponse:
    return _create(request, _calendar(request, None))


@route("POST", f"/me/calendars/{CALENDAR}/events")
def create_calendar_event(request: GraphRequest, calendar_id: str) -> GraphResponse:
    return _create(request, _calendar(request, calendar_id))


def _check_etag(request: GraphRequest, item: Item, keys: set[object]) -> None:
    wanted = request.headers.get("if-match", "")
    if not wanted or wanted == "*":
        return
    change_key = wanted.removeprefix("W/").strip('"')
    try:
        check_change_key(item, change_key, "AutoResolve", keys)
    except EwsError as error:
        raise GraphError(
            412,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed"
            " in the request does not match the current change key for the item.",
        ) from error


@route("PATCH", f"/me/events/{EVENT}")
def patch_event(request: GraphRequest, event_id: str) -> GraphResponse:
    """A PATCH of an occurrence makes it an exception of its series."""
    item, occurrence = _found(request, event_id)
    if occurrence is not None and request.json().get("recurrence"):
        raise bad_request(
            "An occurrence or exception cannot have a recurrence.", "ErrorPropertyValidationFailure"
        )
    calendar = request.services.calendar
    target = calendar.view(item, occurrence) if occurrence is not None else item
    props, extended = event_shapes.writes(request.json(), target.props)
    keys: set[object] = {*props, *extended}
    _check_etag(request, item, keys)
    if "Recurrence" in props:
        # A pattern written (even the same) drops the series' exceptions and deleted
        # occurrences, as Exchange does through EWS.
        item.exceptions.clear()
        item.deleted_occurrences.clear()
    event_shapes.apply(target, props, extended)
    try:
        finalize(target, request.mailbox, request.store.mailboxes)
    except EwsError as error:
        raise bad_request(str(error), "ErrorPropertyValidationFailure") from error
    if occurrence is not None:
        calendar.keep_exception(request.store, request.mailbox, item, occurrence, target, keys)
        occurrence = calendar.find(item, int(occurrence.original_start.timestamp()))
    elif keys:
        request.store.item_changed(request.mailbox, item, keys)
    return json_response(_json(request, item, occurrence))


@route("DELETE", f"/me/events/{EVENT}")
def delete_event(request: GraphRequest, event_id: str) -> GraphResponse:
    """An event goes to Deleted Items; an occurrence is deleted from its series."""
    item, occurrence = _found(request, event_id)
    if occurrence is None:
        deletion.delete_item(request.store, request.mailbox, item, "MoveToDeletedItems")
        return no_content()
    key = int(occurrence.original_start.timestamp())
    item.deleted_occurrences.add(key)
    item.exceptions.pop(key, None)
    request.store.item_changed(request.mailbox, item, {"DeletedOccurrences"})
    return no_content()
