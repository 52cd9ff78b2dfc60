"""Tasks over Microsoft Graph: the default Microsoft To Do list, which in Exchange Online is the
mailbox's Tasks folder (app.sync.graph.todo says how a todoTask meets sync's fields).

Every To Do URL names its list, while sync names a task by its id alone, so the default list's
id (wellknownListName "defaultList", what distinguished_folders gives as the Tasks folder) is
asked once and kept. Delta pages carry no extensions (Exchange Online refuses to $expand them
in a delta), so the mark of each changed task is read with one $batch per 20 tasks, as a
message's extended properties are.

Writes go without If-Match: whether To Do honours it is not documented, and Exchange's
AutoResolve (a stale change key conflicts only on the fields written) cannot be asked for
over Graph; the engine merges both sides before it writes, so a write overwrites.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.mailbox.remote import RemoteItem, RemoteMark
from app.sync.backend import ItemChanges, ItemRef, MarkChange
from app.sync.errors import FolderGone, ItemGone, ServerFailure
from app.sync.graph import delta, todo
from app.sync.graph.client import GraphClient, answered

_LIST_PAGE = "100"


class TodoTasks:
    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self._list_id: str | None = None

    def _default_list(self) -> str:
        """The default list's id, "" for a mailbox without one; asked once, and any failure to
        answer raised (it says nothing of whether there is a list)."""
        if self._list_id is None:
            lists = self.client.get("/me/todo/lists").get("value", [])
            default = [v for v in lists if v.get("wellknownListName") == "defaultList"]
            self._list_id = str(default[0]["id"]) if default else ""
        return self._list_id

    def list_id(self) -> str:
        list_id = self._default_list()
        if not list_id:
            raise ServerFailure("Microsoft To Do has no default task list for this mailbox")
        return list_id

    def known_list(self, list_id: str) -> None:
        """The default list's id, as distinguished_folders found it (not asked again)."""
        self._list_id = list_id

    def is_list(self, folder_id: str) -> bool:
        """Whether the folder is the task list (a mailbox without one has none)."""
        return folder_id == self._default_list()

    def _tasks(self, list_id: str | None = None) -> str:
        return f"/me/todo/lists/{list_id or self.list_id()}/tasks"

    # Reading

    def item_changes(self, list_id: str, sync_state: str | None, page_size: int) -> ItemChanges:
        path = f"{self._tasks(list_id)}/delta"
        if sync_state is None:
            initial, link = True, path
        else:
            initial, link = delta.parse_state(sync_state, path)
        page, present, deleted = delta.page_of(self.client, link, None, page_size)
        extensions = self._extensions(list_id, [str(v["id"]) for v in present])
        items = [todo.task_item(v, extensions.get(str(v["id"]))) for v in present]
        state, more = delta.next_state(page, initial)
        created, updated = (items, []) if initial else ([], items)
        return ItemChanges(created, updated, deleted, [], state, more)

    def _read(self, list_id: str, task_ids: Sequence[str], select: str = "") -> dict[str, Any]:
        """Each task still there, with Liaison's extensions."""
        query = f"$expand={todo.EXTENSIONS_EXPAND}" + (f"&$select={select}" if select else "")
        entries = [
            {"method": "GET", "url": f"{self._tasks(list_id)}/{task_id}?{query}"}
            for task_id in task_ids
        ]
        return answered(task_ids, self.client.batch(entries))

    def _extensions(self, list_id: str, task_ids: Sequence[str]) -> dict[str, Any]:
        read = self._read(list_id, task_ids, select="id")
        return {task_id: body.get("extensions", []) for task_id, body in read.items()}

    def items(self, task_ids: Sequence[str]) -> dict[str, RemoteItem]:
        return {
            task_id: todo.task_item(body, body.get("extensions"))
            for task_id, body in self._read(self.list_id(), task_ids).items()
        }

    def find_by_client_id(self, list_id: str, client_id: str) -> ItemRef | None:
        """Graph cannot filter tasks on an extension's value: the list is read, a page at a
        time, with Liaison's extensions."""
        link: str | None = self._tasks(list_id)
        params: dict[str, str] | None = {
            "$select": "id,categories",
            "$expand": todo.EXTENSIONS_EXPAND,
            "$top": _LIST_PAGE,
        }
        while link is not None:
            page = self.client.get(link, params, gone=FolderGone)
            for value in page.get("value", []):
                if todo.mark_of(value.get("extensions")).client_id == client_id:
                    return ItemRef(
                        str(value["id"]),
                        todo.change_key(value),
                        tuple(value.get("categories") or ()),
                    )
            link, params = page.get("@odata.nextLink"), None
        return None

    # Writing

    def create_item(self, list_id: str, fields: dict[str, Any], mark: RemoteMark) -> ItemRef:
        """One POST: the task with its mark and progress (an extension made with the task
        needs no second request, so a crash cannot leave a task without its client id)."""
        body = todo.task_values(fields)
        if mark.category and mark.link_state == 2:
            body["categories"] = [mark.category]
        body["extensions"] = [todo.mark_extension(mark), *todo.task_extensions(fields)]
        created = self.client.request("POST", self._tasks(list_id), body=body).json()
        return ItemRef(str(created["id"]), todo.change_key(created))

    def update_item(self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None) -> ItemRef:
        url = f"{self._tasks()}/{ref.id}"
        answer = self.client.request("PATCH", url, body=todo.task_values(fields)).json()
        extensions = todo.task_extensions(fields) + ([todo.mark_extension(mark)] if mark else [])
        if not extensions:
            return ItemRef(ref.id, todo.change_key(answer))
        for extension in extensions:
            self._write_extension(url, extension)
        return ItemRef(ref.id, todo.change_key(self.client.get(url, {"$select": "id"})))

    def _write_extension(self, url: str, extension: dict[str, Any]) -> None:
        """PATCH the extension; one the task does not have yet is created."""
        try:
            self.client.request(
                "PATCH", f"{url}/extensions/{extension['extensionName']}", body=extension
            )
        except ItemGone:
            self.client.request("POST", f"{url}/extensions", body=extension)

    def delete_item(self, task_id: str) -> None:
        self.client.request("DELETE", f"{self._tasks()}/{task_id}")

    def write_marks(self, changes: Sequence[MarkChange]) -> dict[str, ItemRef | Exception]:
        """Categories and the mark's extension, task by task (answered per task). Without a
        change key to write against, the categories are read first unless the caller knows
        them."""
        list_id = self.list_id()
        unknown = [c.item_id for c in changes if c.known is None]
        current = {
            task_id: tuple(body.get("categories") or ())
            for task_id, body in self._read(list_id, unknown, select="id,categories").items()
        }
        results: dict[str, ItemRef | Exception] = {}
        for change in changes:
            categories = (
                change.known[1] if change.known is not None else current.get(change.item_id)
            )
            if categories is None:
                results[change.item_id] = ItemGone(f"Item {change.item_id[-12:]} is gone")
                continue
            kept = [c for c in categories if c not in change.remove_categories]
            kept += [c for c in change.add_categories if c not in kept]
            url = f"{self._tasks(list_id)}/{change.item_id}"
            try:
                self.client.request("PATCH", url, body={"categories": kept})
                self._write_extension(url, todo.mark_extension(change.mark))
                now = self.client.get(url, {"$select": "id"})
            except (ItemGone, ServerFailure) as error:
                results[change.item_id] = error
                continue
            results[change.item_id] = ItemRef(change.item_id, todo.change_key(now), tuple(kept))
        return results
