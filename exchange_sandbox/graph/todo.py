"""/me/todo/lists/{id}/tasks: Microsoft To Do's tasks (todoTask) over the mailbox's task folders.

In Exchange Online a To Do list is a task folder and its tasks are the folder's Outlook tasks
(IPM.Task), so one task is seen through EWS and Graph alike: title is Subject, status is Status
(camel-cased), importance Importance, the dates StartDate, DueDate and CompleteDate, the
reminder ReminderDueBy with ReminderIsSet. To Do shows no percentage: Exchange keeps
PercentComplete in step with the status as it does for an EWS write (completed 100, not
started 0). Recurrence is not shown here.

Open extensions (openTypeExtension) ride on the task as a MAPI named property of their own,
one per extension name, holding the custom data as JSON. Exchange does not document how it
stores them; what matters for clients is that EWS does not see them as any property a client
set, and that holds here too. Graph's documented limits are kept: todoTask has no
singleValueExtendedProperties, and a delta query cannot $expand extensions (Exchange Online
answers 400, "Parsing OData Select and Expand failed").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import deletion
from ..extended import ExtendedField, ExtendedKey, ExtendedValue
from ..itemwrite import finalize
from ..model import Folder, Item, Mailbox
from ..store import new_guid
from ..tasks import ADVANCED, complete_occurrence
from ..values import UTC, Body, now
from ..zones import WINDOWS_ZONES
from . import query, resources, shapes
from .folders import DELTA, item_delta
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

LIST = r"(?P<list_id>[^/]+)"
TASK = r"(?P<task_id>(?!delta(?:\(\))?$)[^/]+)"
EXTENSION = r"(?P<extension_id>[^/]+)"
_TASKS = "/me/todo/lists/{list_id}/tasks"
# Where the sandbox keeps an open extension's data: its own property set, named by extension.
EXTENSIONS_PROPERTY_SET = "6f4e3a2b-1d0c-4b9a-8e7f-0a1b2c3d4e5f"
_OPEN_TYPE = "microsoft.graph.openTypeExtension"
_QUALIFIED = "Microsoft.OutlookServices.OpenTypeExtension."
_STATUSES = {
    "notStarted": "NotStarted",
    "inProgress": "InProgress",
    "completed": "Completed",
    "waitingOnOthers": "WaitingOnOthers",
    "deferred": "Deferred",
}
_IMPORTANCE = {"low": "Low", "normal": "Normal", "high": "High"}
_DATES = {"startDateTime": "StartDate", "dueDateTime": "DueDate"}
_EXPAND = re.compile(r"^extensions(?:\(\$filter=(?P<filter>.*)\))?$", re.IGNORECASE)
_ID_EQ = re.compile(r"id\s+eq\s+'((?:[^']|'')*)'", re.IGNORECASE)
_READ_ONLY = ("id", "@odata.etag", "@odata.context", "createdDateTime", "lastModifiedDateTime")


# --- lookups ----------------------------------------------------------------------------


def _list(request: GraphRequest, list_id: str) -> Folder:
    """A task folder by its id (To Do knows no well-known names such as "tasks")."""
    if list_id.lower() in resources.WELL_KNOWN:
        raise bad_request("Id is malformed.", "ErrorInvalidIdMalformed")
    found = resources.folder(request.mailbox, list_id)
    if not (found.folder_class or "").startswith("IPF.Task"):
        raise not_found()
    return found


def _task(request: GraphRequest, list_id: str, task_id: str) -> Item:
    folder = _list(request, list_id)
    found = resources.item(request.mailbox, task_id)
    if found.folder != folder.uuid or found.item_type != "Task":
        raise not_found()
    return found


# --- extensions -------------------------------------------------------------------------


def _extension_field(name: str) -> ExtendedField:
    """Extension names are case-insensitive, as Graph's are."""
    return shapes.property_field(f"String {{{EXTENSIONS_PROPERTY_SET}}} Name {name.casefold()}")


def _extensions(item: Item) -> dict[str, dict[str, Any]]:
    """Every open extension on the task, by name, with its custom data."""
    found = {}
    for key, value in item.extended.items():
        if key.property_set == EXTENSIONS_PROPERTY_SET and isinstance(value.value, str):
            data = json.loads(value.value)
            found[str(data["extensionName"])] = data
    return found


def _extension_json(data: dict[str, Any]) -> dict[str, Any]:
    """As Outlook's resources give an extension: its id is the fully qualified name."""
    return {"@odata.type": f"#{_OPEN_TYPE}", "id": _QUALIFIED + data["extensionName"], **data}


def _set_extension(item: Item, entry: Any) -> ExtendedKey:
    if not isinstance(entry, dict) or str(entry.get("@odata.type", "")).lstrip("#") != _OPEN_TYPE:
        raise bad_request("An extension must be of type microsoft.graph.openTypeExtension.")
    name = entry.get("extensionName")
    if not isinstance(name, str) or not name:
        raise bad_request("extensionName is required.", "ErrorInvalidParameter")
    data = {k: v for k, v in entry.items() if k not in ("@odata.type", "id")}
    field = _extension_field(name)
    item.extended[field.key] = ExtendedValue(field, json.dumps(data, ensure_ascii=False))
    return field.key


def _expanded_extensions(request: GraphRequest) -> set[str] | None:
    """The extension names `$expand=extensions($filter=id eq '...')` asks for, by name or
    fully qualified name (casefolded; empty: all of them); None when not expanded."""
    text = request.query.get("$expand", "")
    if not text:
        return None
    match = _EXPAND.match(text.strip())
    if match is None:
        raise bad_request(f"Parsing OData Select and Expand failed: '{text}' cannot be expanded.")
    return {
        _short(value.replace("''", "'")).casefold()
        for value in _ID_EQ.findall(match["filter"] or "")
    }


def _short(extension_id: str) -> str:
    """An extension's name from its id, which may be the fully qualified name."""
    if extension_id.casefold().startswith(_QUALIFIED.casefold()):
        return extension_id[len(_QUALIFIED) :]
    return extension_id


# --- shapes -----------------------------------------------------------------------------


def _moment(value: dt.datetime) -> dict[str, str]:
    return {
        "dateTime": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"),
        "timeZone": "UTC",
    }


def task_json(mailbox: Mailbox, item: Item, extensions: set[str] | None = None) -> dict[str, Any]:
    props = item.props
    status = str(props.get("Status", "NotStarted"))
    body = shapes.body_json(item, "html" if _is_html(item) else "text")
    value: dict[str, Any] = {
        "@odata.etag": resources.etag(item),
        "id": resources.item_rest_id(mailbox, item),
        "importance": str(props.get("Importance", "Normal")).lower(),
        "isReminderOn": bool(props.get("ReminderIsSet", False)),
        "status": status[:1].lower() + status[1:],
        "title": props.get("Subject", ""),
        "createdDateTime": shapes.moment(props.get("DateTimeCreated")),
        "lastModifiedDateTime": shapes.moment(
            props.get("LastModifiedTime") or props.get("DateTimeCreated")
        ),
        "hasAttachments": any(not a.is_inline for a in item.attachments),
        "categories": list(props.get("Categories", [])),
        "body": {"content": body["content"], "contentType": body["contentType"]},
    }
    for name, prop in (*_DATES.items(), ("completedDateTime", "CompleteDate")):
        if props.get(prop) is not None:
            value[name] = _moment(props[prop])
    if props.get("ReminderIsSet") and props.get("ReminderDueBy") is not None:
        value["reminderDateTime"] = _moment(props["ReminderDueBy"])
    if extensions is not None:
        value["extensions"] = [
            _extension_json(data)
            for name, data in _extensions(item).items()
            if not extensions or name.casefold() in extensions
        ]
    return value


def _is_html(item: Item) -> bool:
    body = item.props.get("Body")
    return body is not None and body.body_type == "HTML"


# --- writing ----------------------------------------------------------------------------


def _date_time(name: str, value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        text, zone_name = str(value["dateTime"]), str(value.get("timeZone") or "UTC")
        moment = dt.datetime.fromisoformat(text[:19])
    except (KeyError, TypeError, ValueError) as error:
        raise bad_request(f"'{name}' is not a dateTimeTimeZone.") from error
    try:
        zone = UTC if zone_name == "UTC" else ZoneInfo(WINDOWS_ZONES.get(zone_name, zone_name))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise bad_request(
            f"A valid TimeZone value must be specified. The following TimeZone value is not"
            f" supported: '{zone_name}'.",
            "TimeZoneNotSupportedException",
        ) from error
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _apply(item: Item, values: dict[str, Any]) -> set[object]:
    """Write todoTask properties to the task; the properties changed. A request refused
    leaves the task as it was."""
    props, extended = dict(item.props), dict(item.extended)
    try:
        return _write(item, values)
    except GraphError:
        item.props, item.extended = props, extended
        raise


def _write(item: Item, values: dict[str, Any]) -> set[object]:
    props = item.props
    changed: set[object] = set()
    for name, value in values.items():
        if name == "title":
            props["Subject"] = str(value or "")
            changed.add("Subject")
        elif name == "body":
            kind = (
                "HTML"
                if str((value or {}).get("contentType", "text")).lower() == "html"
                else "Text"
            )
            props["Body"] = Body(kind, str((value or {}).get("content", "")))
            changed.add("Body")
        elif name == "importance":
            if value not in _IMPORTANCE:
                raise bad_request(
                    f"Cannot convert the literal '{value}' to the expected type"
                    " 'microsoft.graph.importance'."
                )
            props["Importance"] = _IMPORTANCE[value]
            changed.add("Importance")
        elif name == "status":
            if value not in _STATUSES:
                raise bad_request(
                    f"Cannot convert the literal '{value}' to the expected type"
                    " 'microsoft.graph.taskStatus'."
                )
            _set_status(props, _STATUSES[value])
            changed |= {"Status", "PercentComplete", "CompleteDate"}
        elif name in _DATES:
            _set_or_drop(props, _DATES[name], _date_time(name, value))
            changed.add(_DATES[name])
        elif name == "completedDateTime":
            _set_or_drop(props, "CompleteDate", _date_time(name, value))
            changed.add("CompleteDate")
        elif name == "reminderDateTime":
            _set_or_drop(props, "ReminderDueBy", _date_time(name, value))
            changed.add("ReminderDueBy")
        elif name == "isReminderOn":
            props["ReminderIsSet"] = bool(value)
            changed.add("ReminderIsSet")
        elif name == "categories":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad_request("categories is a list of strings.")
            _set_or_drop(props, "Categories", list(dict.fromkeys(value)) or None)
            changed.add("Categories")
        elif name == "extensions":
            for entry in value or []:
                changed.add(_set_extension(item, entry))
        elif name in _READ_ONLY:
            continue
        else:
            raise bad_request(
                f"The property '{name}' does not exist on type 'microsoft.graph.todoTask'."
            )
    return changed


def _set_status(props: dict[str, Any], status: str) -> None:
    """As Exchange keeps an Outlook task: not started is 0 % done, completed 100 % (with a
    completion date), and a task taken back from completed starts again at 0 %."""
    props["Status"] = status
    if status == "Completed":
        props["PercentComplete"] = Decimal(100)
    elif status == "NotStarted" or props.get("PercentComplete") == 100:
        props["PercentComplete"] = Decimal(0)


def _set_or_drop(props: dict[str, Any], name: str, value: Any) -> None:
    if value is None:
        props.pop(name, None)
    else:
        props[name] = value


# --- endpoints --------------------------------------------------------------------------


@route("GET", f"/me/todo/lists/{LIST}/tasks/{DELTA}")
def tasks_delta(request: GraphRequest, list_id: str) -> GraphResponse:
    folder = _list(request, list_id)
    if request.query.get("$expand"):
        raise bad_request(
            "Parsing OData Select and Expand failed: Value cannot be null. "
            "(Parameter 'initialState')"
        )
    mailbox = request.mailbox
    return item_delta(
        request,
        folder,
        f"{_TASKS.format(list_id=list_id)}/delta",
        "#microsoft.graph.todoTask",
        lambda item: task_json(mailbox, item),
    )


@route("GET", f"/me/todo/lists/{LIST}/tasks")
def list_tasks(request: GraphRequest, list_id: str) -> GraphResponse:
    folder = _list(request, list_id)
    extensions = _expanded_extensions(request)
    size = query.page_size(request)
    skip = int(request.query.get("$skip", "0") or 0)
    found = sorted(
        (item for item in folder.items.values() if item.item_type == "Task"),
        key=lambda item: item.arrived,
    )
    answer: dict[str, Any] = {
        "value": [
            task_json(request.mailbox, item, extensions) for item in found[skip : skip + size]
        ]
    }
    if skip + size < len(found):
        link = f"{request.base_url}{_TASKS.format(list_id=list_id)}?$top={size}&$skip={skip + size}"
        if request.query.get("$expand"):
            link += f"&$expand={quote(request.query['$expand'], safe='()=$,')}"
        answer["@odata.nextLink"] = link
    return json_response(answer)


@route("POST", f"/me/todo/lists/{LIST}/tasks")
def create_task(request: GraphRequest, list_id: str) -> GraphResponse:
    folder = _list(request, list_id)
    values = request.json()
    stamp = now()
    item = Item(
        uuid=new_guid(),
        item_type="Task",
        folder=b"",
        props={"ItemClass": "IPM.Task", "DateTimeCreated": stamp, "DateTimeReceived": stamp},
    )
    _apply(item, values)
    item.props.setdefault("Body", Body("Text", ""))
    finalize(item, request.mailbox, request.store.mailboxes)
    request.store.add_item(request.mailbox, folder, item)
    return json_response(task_json(request.mailbox, item), 201)


@route("GET", f"/me/todo/lists/{LIST}/tasks/{TASK}")
def get_task(request: GraphRequest, list_id: str, task_id: str) -> GraphResponse:
    item = _task(request, list_id, task_id)
    return json_response(task_json(request.mailbox, item, _expanded_extensions(request)))


@route("PATCH", f"/me/todo/lists/{LIST}/tasks/{TASK}")
def update_task(request: GraphRequest, list_id: str, task_id: str) -> GraphResponse:
    mailbox = request.mailbox
    item = _task(request, list_id, task_id)
    resources.check_etag(request.headers, item)
    was_completed = item.props.get("Status") == "Completed"
    changed = _apply(item, request.json())
    if changed:
        finalize(item, mailbox, request.store.mailboxes)
        directory = request.store.mailboxes
        if not was_completed and complete_occurrence(request.store, mailbox, item, directory):
            changed |= ADVANCED
        request.store.item_changed(mailbox, item, changed)
    return json_response(task_json(mailbox, item))


@route("DELETE", f"/me/todo/lists/{LIST}/tasks/{TASK}")
def delete_task(request: GraphRequest, list_id: str, task_id: str) -> GraphResponse:
    """The task goes to Deleted Items, as a To Do or Outlook deletion does."""
    item = _task(request, list_id, task_id)
    deletion.delete_item(request.store, request.mailbox, item, "MoveToDeletedItems")
    return no_content()


@route("GET", f"/me/todo/lists/{LIST}/tasks/{TASK}/extensions")
def list_extensions(request: GraphRequest, list_id: str, task_id: str) -> GraphResponse:
    item = _task(request, list_id, task_id)
    return json_response({"value": [_extension_json(d) for d in _extensions(item).values()]})


@route("POST", f"/me/todo/lists/{LIST}/tasks/{TASK}/extensions")
def create_extension(request: GraphRequest, list_id: str, task_id: str) -> GraphResponse:
    item = _task(request, list_id, task_id)
    values = request.json()
    name = str(values.get("extensionName") or "")
    if name.casefold() in {n.casefold() for n in _extensions(item)}:
        raise GraphError(409, "NameAlreadyExists", "An extension already exists with given id.")
    key = _set_extension(item, values)
    request.store.item_changed(request.mailbox, item, {key})
    return json_response(_extension_json(_extensions(item)[name]), 201)


def _named_extension(item: Item, extension_id: str) -> dict[str, Any]:
    for name, data in _extensions(item).items():
        if name.casefold() == _short(extension_id).casefold():
            return data
    raise not_found()


@route("GET", f"/me/todo/lists/{LIST}/tasks/{TASK}/extensions/{EXTENSION}")
def get_extension(
    request: GraphRequest, list_id: str, task_id: str, extension_id: str
) -> GraphResponse:
    item = _task(request, list_id, task_id)
    return json_response(_extension_json(_named_extension(item, extension_id)))


@route("PATCH", f"/me/todo/lists/{LIST}/tasks/{TASK}/extensions/{EXTENSION}")
def update_extension(
    request: GraphRequest, list_id: str, task_id: str, extension_id: str
) -> GraphResponse:
    """The request's custom data replaces the extension's: Graph deletes the properties an
    update leaves out."""
    item = _task(request, list_id, task_id)
    name = _named_extension(item, extension_id)["extensionName"]
    values = {**request.json(), "extensionName": name}
    values.setdefault("@odata.type", _OPEN_TYPE)
    key = _set_extension(item, values)
    request.store.item_changed(request.mailbox, item, {key})
    return json_response(_extension_json(_extensions(item)[name]))


@route("DELETE", f"/me/todo/lists/{LIST}/tasks/{TASK}/extensions/{EXTENSION}")
def delete_extension(
    request: GraphRequest, list_id: str, task_id: str, extension_id: str
) -> GraphResponse:
    item = _task(request, list_id, task_id)
    name = _named_extension(item, extension_id)["extensionName"]
    key = _extension_field(name).key
    del item.extended[key]
    request.store.item_changed(request.mailbox, item, {key})
    return no_content()
