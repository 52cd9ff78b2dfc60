"""/me/mailFolders: the mail folder hierarchy, its children and its delta."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .. import ids
from ..errors import EwsError
from ..model import Folder, Item
from ..operations.sync import decode_state, encode_state
from . import query, resources, shapes
from .routes import route
from .wire import GraphError, GraphRequest, GraphResponse, json_response

FOLDER = r"(?P<folder_id>(?!delta(?:\(\))?$)[^/]+)"
# Graph's functions may be called with or without parentheses (the SDKs write "delta()").
DELTA = r"delta(?:\(\))?"


def sync_state_not_found() -> GraphError:
    return GraphError(
        410, "syncStateNotFound", "The sync state generation is not found or is invalid."
    )


def delta_number(request: GraphRequest, folder_uuid: bytes) -> int:
    """The change number a $deltatoken or $skiptoken stands for (0 for none); 410 if unknown."""
    token = request.query.get("$deltatoken") or request.query.get("$skiptoken")
    try:
        return decode_state(request.store, request.mailbox, folder_uuid, token)
    except EwsError as error:
        raise sync_state_not_found() from error


def token_link(request: GraphRequest, path: str, kind: str, folder_uuid: bytes, number: int) -> str:
    """A next or delta link; it keeps the round's $select, as Graph's links do."""
    token = encode_state(request.store, request.mailbox, folder_uuid, number)
    link = f"{request.base_url}{path}?{kind}={quote(token, safe='')}"
    if request.query.get("$select"):
        link += f"&$select={quote(request.query['$select'], safe=',')}"
    return link


def item_delta(
    request: GraphRequest,
    folder: Folder,
    path: str,
    odata_type: str,
    shape: Callable[[Item], dict[str, Any]],
    listed: Callable[[Item], bool] = lambda item: True,
) -> GraphResponse:
    """One page of a folder's item delta (messages, To Do tasks): each item changed since the
    token once, as it is now, and `@removed` for one gone that the round's start had seen.
    Items not `listed` are left out (a folder's appointments are not its messages)."""
    mailbox = request.mailbox
    since = delta_number(request, folder.uuid)
    size = query.page_size(request, 10)
    changes: list[dict[str, Any]] = []
    last, more = since, False
    for number, key in folder.changes.after(since):
        if len(changes) == size:
            more = True
            break
        last = number
        item = folder.items.get(key)
        if item is None:
            tombstone = folder.tombstones.get(key)
            if tombstone is not None and tombstone.arrived <= since:
                changes.append(
                    {
                        "@odata.type": odata_type,
                        "id": resources.rest_id(ids.item_id(mailbox.guid, key)),
                        "@removed": {"reason": "deleted"},
                    }
                )
            continue
        if listed(item):
            changes.append(shape(item))
    answer: dict[str, Any] = {"value": changes}
    if more:
        answer["@odata.nextLink"] = token_link(request, path, "$skiptoken", folder.uuid, last)
    else:
        answer["@odata.deltaLink"] = token_link(
            request, path, "$deltatoken", folder.uuid, mailbox.seq
        )
    return json_response(answer)


@route("GET", "/me/mailFolders")
def list_top_folders(request: GraphRequest) -> GraphResponse:
    root = request.mailbox.distinguished["msgfolderroot"]
    return _children(request, root)


@route("GET", f"/me/mailFolders/{FOLDER}")
def get_folder(request: GraphRequest, folder_id: str) -> GraphResponse:
    folder = resources.folder(request.mailbox, folder_id)
    return json_response(shapes.folder_json(request.mailbox, folder))


@route("GET", f"/me/mailFolders/{FOLDER}/childFolders")
def list_child_folders(request: GraphRequest, folder_id: str) -> GraphResponse:
    return _children(request, resources.folder(request.mailbox, folder_id))


def _children(request: GraphRequest, parent: Folder) -> GraphResponse:
    mailbox = request.mailbox
    listed = [
        shapes.folder_json(mailbox, folder)
        for folder in mailbox.children_of(parent)
        if shapes.is_mail_folder(folder)
    ]
    return json_response({"value": listed})


@route("GET", f"/me/mailFolders/{DELTA}")
def folders_delta(request: GraphRequest) -> GraphResponse:
    """Every mail folder under the root, flat, then only those changed or removed since."""
    mailbox = request.mailbox
    root = mailbox.distinguished["msgfolderroot"]
    since = delta_number(request, root.uuid)
    changes: list[dict[str, object]] = []
    for _, key in mailbox.hierarchy.after(since):
        folder = mailbox.folders.get(key)
        if folder is None:
            tombstone = mailbox.folder_tombstones.get(key)
            if tombstone is not None and tombstone.arrived <= since:
                changes.append(
                    {
                        "id": resources.rest_id(ids.folder_id(mailbox.guid, key)),
                        "@removed": {"reason": "deleted"},
                    }
                )
            continue
        if folder is root or not mailbox.is_under(folder, root):
            continue
        if shapes.is_mail_folder(folder):
            changes.append(shapes.folder_json(mailbox, folder))
    link = token_link(request, "/me/mailFolders/delta", "$deltatoken", root.uuid, mailbox.seq)
    return json_response({"value": changes, "@odata.deltaLink": link})
