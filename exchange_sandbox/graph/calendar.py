"""/me/calendar and /me/todo/lists: where a mailbox's calendar and its tasks live in Graph
(the events are in events.py, To Do's tasks in todo.py)."""

from __future__ import annotations

from . import resources
from .routes import route
from .wire import GraphRequest, GraphResponse, json_response


@route("GET", "/me/calendar")
def get_calendar(request: GraphRequest) -> GraphResponse:
    mailbox = request.mailbox
    calendar = mailbox.distinguished["calendar"]
    return json_response(
        {
            "id": resources.folder_rest_id(mailbox, calendar),
            "name": calendar.name,
            "canEdit": True,
            "isDefaultCalendar": True,
            "owner": {"name": mailbox.display_name, "address": mailbox.address},
        }
    )


@route("GET", "/me/todo/lists")
def todo_lists(request: GraphRequest) -> GraphResponse:
    mailbox = request.mailbox
    tasks = mailbox.distinguished["tasks"]
    return json_response(
        {
            "value": [
                {
                    "id": resources.folder_rest_id(mailbox, tasks),
                    "displayName": tasks.name,
                    "isOwner": True,
                    "isShared": False,
                    "wellknownListName": "defaultList",
                }
            ]
        }
    )
