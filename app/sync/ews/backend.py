"""The mail backend over Exchange Web Services, with exchangelib.

Every method is one logical operation: it runs under the connection's retry budget and turns
exchangelib's exceptions into app.sync.errors. Folder XML is read directly (exchangelib would
need the folder tree first); items are parsed by exchangelib. Requests ask only for the fields
the cache needs (app.sync.ews.properties); bodies come in batches of a few hundred.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from exchangelib import CalendarItem, Message, Task
from exchangelib import errors as ews_errors
from exchangelib.attachments import AttachmentId, FileAttachment
from exchangelib.folders import Folder, FolderCollection
from exchangelib.items import (
    ALL_OCCURRENCES,
    ALWAYS_OVERWRITE,
    AUTO_RESOLVE,
    ID_ONLY,
    MOVE_TO_DELETED_ITEMS,
    SAVE_ONLY,
    SEND_AND_SAVE_COPY,
    SEND_TO_ALL_AND_SAVE_COPY,
    SEND_TO_CHANGED_AND_SAVE_COPY,
    SEND_TO_NONE,
    SOFT_DELETE,
)
from exchangelib.properties import (
    DistinguishedFolderId,
    FieldPath,
    FolderId,
    ItemId,
    Mailbox,
    OccurrenceItemId,
    ParentItemId,
    SendingAs,
)
from exchangelib.services import (
    CopyItem,
    CreateAttachment,
    CreateItem,
    DeleteAttachment,
    DeleteItem,
    GetAttachment,
    GetEvents,
    GetFolder,
    GetItem,
    GetMailTips,
    GetStreamingEvents,
    MarkAsJunk,
    MoveItem,
    SubscribeToPull,
    SubscribeToStreaming,
    SyncFolderHierarchy,
    SyncFolderItems,
    Unsubscribe,
    UpdateItem,
)
from exchangelib.services.common import folder_ids_element, shape_element
from exchangelib.util import TNS, add_xml_child, create_element
from exchangelib.version import EXCHANGE_2013

from app.sync.backend import (
    AttachmentContent,
    BackOffListener,
    Body,
    DistinguishedFolder,
    FeedChanges,
    HierarchyChanges,
    ItemChanges,
    ItemKind,
    ItemRef,
    MarkChange,
    OutgoingMessage,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
    StateChange,
    Transfer,
)
from app.sync.errors import (
    ChangeConflict,
    InvalidSyncState,
    ItemGone,
    ServerFailure,
    ServerUnreachable,
    SyncError,
    check_cancel,
)
from app.sync.ews import properties as props
from app.sync.ews.connect import Connection, is_call_error, translate_errors
from app.sync.ews.convert import (
    appointment_values,
    body_of,
    exception_details,
    folder_content,
    mark_values,
    remote_item,
    task_values,
)
from app.sync.ews.messages import (
    MESSAGE_TAG,
    body_from_xml,
    client_id_change,
    item_ids_element,
    mark_item_change,
    message_from_xml,
    state_change,
)
from app.sync.series_writes import SeriesChange, series_change, series_update

log = logging.getLogger(__name__)

T = TypeVar("T")

# Ids per GetItem: few enough for one response of sane size, and half of a pull's page of 512
# (250 made three requests a page, the third of twelve).
BODY_BATCH = 256
CONFLICT_ROUNDS = 3  # re-reads of an item whose change key went stale, within one write
FOLDER_FIELDS = frozenset(
    FieldPath(field=Folder.get_field_by_fieldname(name))
    for name in ("parent_folder_id", "folder_class", "name", "total_count", "unread_count")
)
_ITEM_FIELDS = {
    ItemKind.MESSAGE: props.MESSAGE_FIELDS,
    ItemKind.APPOINTMENT: props.APPOINTMENT_FIELDS,
    ItemKind.TASK: props.TASK_FIELDS,
}
_ITEM_CLASSES: dict[ItemKind, type[Any]] = {
    ItemKind.MESSAGE: Message,
    ItemKind.APPOINTMENT: CalendarItem,
    ItemKind.TASK: Task,
}


class _WholeResponse:
    """A non-streamed response's body, handed to exchangelib's parser in one piece."""

    def __init__(self, response: Any) -> None:
        self._response = response

    def iter_content(self) -> bytes:
        # The bytes themselves, not a generator of them: exchangelib's to_xml hands bytes to
        # lxml as one buffer, and anything else to a file-like reader that lxml reads 32 KB at
        # a time, in Python, copying the rest of the response at each read (a 1 MB page: 7.7
        # against 2.5 ms).
        return self._response.content  # type: ignore[no-any-return]


class _ParsedInOnePiece:
    """exchangelib parses every response through `iter_content()`, whose default chunk is one
    byte: a page of 512 items costs millions of calls. The body is in memory already (only
    streaming notifications are streamed), so the parser gets it whole."""

    @classmethod
    def _get_soap_parts(cls, response: Any) -> Any:
        return super()._get_soap_parts(_WholeResponse(response))  # type: ignore[misc]


class _GetEvents(_ParsedInOnePiece, GetEvents):
    """The change feed is read at every sync: its answer parsed in one piece too."""


@functools.lru_cache(maxsize=32)
def _shape(tag: str, shape: str, fields: frozenset[Any], version: Any) -> Any:
    return shape_element(tag, shape, fields, version)


def _shape_element(tag: str, shape: str, fields: Iterable[Any], version: Any) -> Any:
    """`shape_element`, built once: exchangelib writes each field path through its field
    machinery, ~0.7 ms for the 26 of a SyncFolderItems of mail, at every page and poll. A copy,
    as an element belongs to one request."""
    return copy.deepcopy(_shape(tag, shape, frozenset(fields), version))


class _SyncFolderItems(_ParsedInOnePiece, SyncFolderItems):
    """Messages come back as RemoteItems read by ews.messages; other items as exchangelib's."""

    def _partial_get_payload(self, folder, shape, additional_fields, sync_state):  # type: ignore[no-untyped-def]
        payload = create_element(f"m:{self.SERVICE_NAME}")
        version = self.account.version
        payload.append(_shape_element(self.shape_tag, shape, additional_fields, version))
        payload.append(folder_ids_element(folders=[folder], version=version, tag="m:SyncFolderId"))
        if sync_state:
            add_xml_child(payload, "m:SyncState", sync_state)
        return payload

    def _elem_to_obj(self, elem):  # type: ignore[no-untyped-def]
        change = self.change_types_map[elem.tag]
        if change in (self.CREATE, self.UPDATE) and elem[0].tag == MESSAGE_TAG:
            return change, message_from_xml(elem[0])
        return super()._elem_to_obj(elem)


class _GetItem(_ParsedInOnePiece, GetItem):
    """GetItem of items named by their id strings, whose m:ItemIds is written as XML text:
    exchangelib builds each t:ItemId through its field machinery, ~15 us an id."""

    def get_payload(self, items, additional_fields, shape):  # type: ignore[no-untyped-def]
        payload = create_element(f"m:{self.SERVICE_NAME}")
        version = self.account.version
        payload.append(_shape_element("m:ItemShape", shape, additional_fields, version))
        payload.append(item_ids_element(items))
        return payload


class _GetRemoteItems(_GetItem):
    """Messages as RemoteItems read by ews.messages; other items as exchangelib's."""

    def _elem_to_obj(self, elem):  # type: ignore[no-untyped-def]
        if elem.tag == MESSAGE_TAG:
            return message_from_xml(elem)
        return super()._elem_to_obj(elem)


class _GetBodies(_GetItem):
    """(item id, Body) per item; messages read by ews.messages."""

    def _elem_to_obj(self, elem):  # type: ignore[no-untyped-def]
        if elem.tag == MESSAGE_TAG:
            return body_from_xml(elem)
        item = super()._elem_to_obj(elem)
        return item.id, body_of(item)


class _UpdateItem(_ParsedInOnePiece, UpdateItem):
    pass


class _CreateItem(_ParsedInOnePiece, CreateItem):
    pass


class _MarkUpdate(_UpdateItem):
    """UpdateItem whose item changes are ready-made XML text (ews.messages.mark_item_change),
    put into the request as they are: parsed into elements only for exchangelib to write them
    out again, they were a sixth of a push's CPU. exchangelib builds a request's payload and
    then writes it (`wrap`), one request at a time: the payload holds a marker that the
    changes of that request replace.

    An error about one item comes back as that item's result, so one item never fails the
    others: exchangelib would raise a stale change key (ErrorIrresolvableConflict) for the
    whole call. Errors about the server or the mailbox still fail the call. A result is the
    item's (id, change key), read without exchangelib's field machinery.
    """

    _changes = b""

    def _changes_elem(self, target_changes):  # type: ignore[no-untyped-def]
        self._changes = "".join(target_changes).encode()
        element = create_element("m:ItemChanges")
        element.text = _CHANGES_MARKER
        return element

    def wrap(self, content, api_version=None):  # type: ignore[no-untyped-def]
        request = super().wrap(content, api_version)
        return request.replace(_CHANGES_MARKER.encode(), self._changes, 1)

    def _elem_to_obj(self, elem):  # type: ignore[no-untyped-def]
        found = elem.find(_ITEM_ID)
        return (None, None) if found is None else (found.get("Id"), found.get("ChangeKey"))

    def _get_element_container(self, message, name=None):  # type: ignore[no-untyped-def]
        try:
            return super()._get_element_container(message, name)
        except ews_errors.ResponseMessageError as exc:
            if is_call_error(exc):
                raise
            return exc


_CHANGES_MARKER = "liaison-item-changes-go-here"
_ITEM_ID = f"{{{TNS}}}ItemId"


class _RawGetFolder(_ParsedInOnePiece, GetFolder):
    """GetFolder answering XML: exchangelib's folder objects need the whole tree to parse."""

    def _elems_to_objs(self, elems):  # type: ignore[no-untyped-def]
        yield from elems


class _RawSyncFolderHierarchy(_ParsedInOnePiece, SyncFolderHierarchy):
    def _elem_to_obj(self, elem):  # type: ignore[no-untyped-def]
        return self.change_types_map[elem.tag], elem


def _text(elem: Any, name: str) -> str | None:
    found = elem.find(f"{{{TNS}}}{name}")
    return found.text if found is not None else None


def _folder(elem: Any) -> RemoteFolder:
    folder_id = elem.find(f"{{{TNS}}}FolderId")
    parent = elem.find(f"{{{TNS}}}ParentFolderId")
    return RemoteFolder(
        id=folder_id.get("Id"),
        change_key=folder_id.get("ChangeKey"),
        parent_id=parent.get("Id") if parent is not None else None,
        name=_text(elem, "DisplayName") or "",
        content=folder_content(_text(elem, "FolderClass")),
        total_count=int(_text(elem, "TotalCount") or 0),
        unread_count=int(_text(elem, "UnreadCount") or 0),
    )


def _raise_first_error(results: Iterable[Any]) -> list[Any]:
    collected = list(results)
    for result in collected:
        if isinstance(result, Exception):
            raise result
    return collected


class EwsBackend:
    """app.sync.backend.MailBackend over EWS."""

    reads_ahead = True  # exchangelib's protocol gives each thread a session of its pool

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.account = connection.account
        self._mailbox = Mailbox(email_address=connection.settings.address)
        self._watermarks: dict[str, str] = {}  # change feed (pull subscription) -> watermark

    def _run(self, operation: Callable[[], T], idempotent: bool = True) -> T:
        """Run one operation under the retry budget. A connection dropped mid-request is
        retried here (exchangelib gives up once its pool is down to one connection), but only
        for operations that may run twice: a create or a send is left to the outbox, which
        looks for its client id before doing it again."""
        policy = self.connection.policy
        check_cancel(policy.cancel)
        with policy.operation():
            while True:
                try:
                    with translate_errors():
                        return operation()
                except ServerUnreachable as exc:
                    if not (idempotent and _was_dropped(exc)):
                        raise
                policy.back_off(None)

    def bind(self, cancel: threading.Event, on_back_off: BackOffListener) -> None:
        self.connection.policy.bind(cancel, on_back_off)

    def close(self) -> None:
        self.connection.close()

    # Folders

    def distinguished_folders(self) -> dict[DistinguishedFolder, RemoteFolder]:
        wanted = list(DistinguishedFolder)
        ids = [DistinguishedFolderId(id=name.value, mailbox=self._mailbox) for name in wanted]

        def call() -> list[Any]:
            service = _RawGetFolder(account=self.account)
            return list(service.call(folders=ids, additional_fields=FOLDER_FIELDS, shape=ID_ONLY))

        found: dict[DistinguishedFolder, RemoteFolder] = {}
        for name, elem in zip(wanted, self._run(call), strict=True):
            if not isinstance(elem, Exception):
                found[name] = _folder(elem)
        return found

    def folder_changes(self, sync_state: str | None) -> HierarchyChanges:
        root = DistinguishedFolderId(id=DistinguishedFolder.ROOT.value, mailbox=self._mailbox)

        def call() -> HierarchyChanges:
            service = _RawSyncFolderHierarchy(account=self.account)
            changes = _raise_first_error(
                service.call(
                    folder=root,
                    shape=ID_ONLY,
                    additional_fields=FOLDER_FIELDS,
                    sync_state=sync_state,
                )
            )
            changed = [_folder(elem[0]) for kind, elem in changes if kind != service.DELETE]
            deleted = [
                elem.find(f"{{{TNS}}}FolderId").get("Id")
                for kind, elem in changes
                if kind == service.DELETE
            ]
            return HierarchyChanges(
                changed, deleted, service.sync_state, not service.includes_last_item_in_range
            )

        return self._run(call)

    # Items

    def item_changes(
        self,
        folder_id: str,
        kind: ItemKind,
        sync_state: str | None,
        page_size: int,
        bodies_follow: bool = False,
    ) -> ItemChanges:
        def call() -> tuple[list[Any], SyncFolderItems]:
            service = _SyncFolderItems(account=self.account)
            changes = _raise_first_error(
                service.call(
                    folder=FolderId(id=folder_id),
                    shape=ID_ONLY,
                    additional_fields=_ITEM_FIELDS[kind],
                    sync_state=sync_state,
                    ignore=None,
                    max_changes_returned=page_size,
                    sync_scope=None,
                )
            )
            return changes, service

        changes, service = self._run(call)
        exceptions = self._exception_details(
            item for change, item in changes if change in (service.CREATE, service.UPDATE)
        )
        created: list[RemoteItem] = []
        updated: list[RemoteItem] = []
        deleted: list[str] = []
        read_flags: list[tuple[str, bool]] = []
        for change, item in changes:
            if change == service.CREATE:
                created.append(_remote(item, exceptions))
            elif change == service.UPDATE:
                updated.append(_remote(item, exceptions))
            elif change == service.DELETE:
                deleted.append(item.id)
            else:
                item_id, is_read = item
                read_flags.append((item_id.id, is_read))
        return ItemChanges(
            created,
            updated,
            deleted,
            read_flags,
            service.sync_state,
            not service.includes_last_item_in_range,
        )

    def _exception_details(self, items: Iterable[Any]) -> dict[str, dict[str, Any]]:
        """Subject and location of the modified occurrences of these recurring masters."""
        occurrence_ids = [
            occurrence.id
            for item in items
            if isinstance(item, CalendarItem)
            for occurrence in item.modified_occurrences or ()
        ]
        if not occurrence_ids:
            return {}
        fetched = self._get_items(occurrence_ids, props.EXCEPTION_FIELDS)
        return {
            item_id: exception_details(item)
            for item_id, item in fetched.items()
            if isinstance(item, CalendarItem)
        }

    def _get_items(
        self,
        item_ids: Sequence[str],
        fields: frozenset[FieldPath],
        service_class: type[GetItem] = _GetItem,
    ) -> dict[str, Any]:
        """What the server returned for each item it still has (an item gone is left out)."""

        def call() -> dict[str, Any]:
            service = service_class(account=self.account, chunk_size=BODY_BATCH)
            results = service.call(
                items=list(item_ids),
                additional_fields=fields,
                shape=ID_ONLY,
            )
            return {
                item_id: result
                for item_id, result in zip(item_ids, results, strict=True)
                if not isinstance(result, Exception)
            }

        return self._run(call) if item_ids else {}

    def bodies(self, item_ids: Sequence[str]) -> dict[str, Body]:
        fetched = self._get_items(item_ids, props.BODY_FIELDS, _GetBodies)
        return {item_id: result[1] for item_id, result in fetched.items()}

    def items(self, kind: ItemKind, item_ids: Sequence[str]) -> dict[str, RemoteItem]:
        fetched = self._get_items(item_ids, _ITEM_FIELDS[kind], _GetRemoteItems)
        exceptions = self._exception_details(fetched.values())
        return {item_id: _remote(item, exceptions) for item_id, item in fetched.items()}

    # Marks

    def write_marks(self, changes: Sequence[MarkChange]) -> dict[str, ItemRef | Exception]:
        """One UpdateItem for the batch; items whose change key and categories the caller knows
        are not read first. An item another client changed meanwhile (a stale change key) is
        read again and our categories and properties merged into what it has now, up to
        CONFLICT_ROUNDS times; one still changing after that is a ChangeConflict in the result.
        """
        results = self._write_marks(changes, fresh=False)
        for _ in range(CONFLICT_ROUNDS):
            stale = [c for c in changes if isinstance(results.get(c.item_id), ChangeConflict)]
            if not stale:
                break
            results.update(self._write_marks(stale, fresh=True))
        return results

    def _write_marks(
        self, changes: Sequence[MarkChange], fresh: bool
    ) -> dict[str, ItemRef | Exception]:
        if not changes:
            return {}
        unknown = [c.item_id for c in changes if fresh or c.known is None]
        current: dict[str, tuple[str, tuple[str, ...]]] = {}
        if unknown:
            for item_id, item in self._get_items(unknown, props.MARK_FIELDS).items():
                current[item_id] = (item.changekey, tuple(item.categories or ()))
        results: dict[str, ItemRef | Exception] = {}
        updates: list[tuple[str, tuple[str, ...], Any]] = []
        for change in changes:
            state = change.known if not fresh and change.known is not None else None
            state = state or current.get(change.item_id)
            if state is None:
                results[change.item_id] = ItemGone(f"Item {change.item_id[-12:]} is gone")
                continue
            change_key, categories = state
            kept = [c for c in categories if c not in change.remove_categories]
            kept += [c for c in change.add_categories if c not in kept]
            updates.append(
                (
                    change.item_id,
                    tuple(kept),
                    mark_item_change(change.kind, change.item_id, change_key, kept, change.mark),
                )
            )
        if not updates:
            return results

        def call() -> list[Any]:
            return list(
                _MarkUpdate(account=self.account).call(
                    items=[element for _, _, element in updates],
                    conflict_resolution=AUTO_RESOLVE,
                    message_disposition=SAVE_ONLY,
                    send_meeting_invitations_or_cancellations=SEND_TO_NONE,
                    suppress_read_receipts=True,
                )
            )

        for (item_id, categories, _), result in zip(updates, self._run(call), strict=True):
            outcome = _ref_or_error(result)
            if isinstance(outcome, ItemRef):
                outcome = ItemRef(outcome.id, outcome.change_key, categories)
            results[item_id] = outcome
        return results

    # Creating and changing appointments and tasks, sending mail

    def find_by_client_id(self, folder_id: str, kind: ItemKind, client_id: str) -> ItemRef | None:
        def call() -> ItemRef | None:
            folder = _folder_object(self.account, folder_id, kind)
            query = FolderCollection(account=self.account, folders=[folder]).filter(
                liaison_client_id=client_id
            )
            for item in query.only("id", "changekey")[:1]:
                return ItemRef(item.id, item.changekey)
            return None

        return self._run(call)

    def create_item(
        self, folder_id: str, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> ItemRef:
        values = appointment_values(fields) if kind is ItemKind.APPOINTMENT else task_values(fields)
        item = _ITEM_CLASSES[kind](account=self.account, **values, **mark_values(mark))
        categories = _mark_categories(mark)
        if categories:
            item.categories = categories
        # A meeting made in Liaison invites its attendees, as saving it in Outlook would.
        invitations = SEND_TO_ALL_AND_SAVE_COPY if fields.get("attendees") else SEND_TO_NONE

        def call() -> ItemRef:
            (result,) = _CreateItem(account=self.account).call(
                items=[item],
                folder=_folder_object(self.account, folder_id, kind),
                message_disposition=SAVE_ONLY,
                send_meeting_invitations=invitations,
            )
            return _created_ref(result)

        ref = self._run(call, idempotent=False)
        if kind is ItemKind.APPOINTMENT and fields.get("recurrence"):
            ref = self._write_occurrences(ref, series_change(None, fields))
        return ref

    def update_item(
        self, kind: ItemKind, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None
    ) -> ItemRef:
        if kind is ItemKind.APPOINTMENT and fields.get("recurrence"):
            return self._update_series(ref, fields, mark)
        return self._update_one(kind, ref, fields, mark)

    def _update_one(
        self, kind: ItemKind, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None
    ) -> ItemRef:
        values = appointment_values(fields) if kind is ItemKind.APPOINTMENT else task_values(fields)
        if mark is not None:
            values.update(mark_values(mark))
        item = _ITEM_CLASSES[kind](account=self.account, id=ref.id, changekey=ref.change_key)
        for name, value in values.items():
            setattr(item, name, value)
        names = list(values)

        sent = _updates_sent(kind, fields)
        return self._run(lambda: self._write_update(item, names, ref.change_key, sent))

    def _write_update(
        self, item: Any, names: list[str], change_key: str | None, updates_sent: str = SEND_TO_NONE
    ) -> ItemRef:
        """One UpdateItem of these fields: AutoResolve on a change key, else overwrite."""
        (result,) = _UpdateItem(account=self.account).call(
            items=[(item, names)],
            conflict_resolution=AUTO_RESOLVE if change_key else ALWAYS_OVERWRITE,
            message_disposition=SAVE_ONLY,
            send_meeting_invitations_or_cancellations=updates_sent,
            suppress_read_receipts=True,
        )
        outcome = _ref_or_error(result)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    # Recurring series: the pattern on the master, each changed or deleted occurrence on its own

    def _update_series(
        self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None
    ) -> ItemRef:
        """Write a series: the master's fields, then the occurrences that differ from what
        Exchange has. The pattern is rewritten only when it changed or a deleted occurrence
        comes back (which drops every exception on Exchange: they are written again)."""
        current = self.items(ItemKind.APPOINTMENT, [ref.id]).get(ref.id)
        if current is None:
            raise ItemGone(f"Item {ref.id[-12:]} is gone")
        if ref.change_key and current.change_key != ref.change_key:
            raise ChangeConflict("The series changed on Exchange since it was last read")
        master, change = series_update(dict(current.details or {}), fields, mark is not None)
        if master is not None:
            ref = self._update_one(ItemKind.APPOINTMENT, ref, master, mark)
        return self._write_occurrences(ref, change)

    def _write_occurrences(self, ref: ItemRef, change: SeriesChange) -> ItemRef:
        for index in change.deleted:
            self._run(lambda index=index: self._delete_occurrence(ref.id, index))
        for index, occurrence in change.modified:
            self._run(lambda i=index, values=occurrence: self._change_occurrence(ref, i, values))
        if not (change.deleted or change.modified):
            return ref
        fetched = self._get_items([ref.id], props.MARK_FIELDS)
        if ref.id not in fetched:
            raise ItemGone(f"Item {ref.id[-12:]} is gone")
        return ItemRef(ref.id, fetched[ref.id].changekey)

    def _delete_occurrence(self, master_id: str, index: int) -> None:
        occurrence = OccurrenceItemId(id=master_id, instance_index=index)
        results = DeleteItem(account=self.account).call(
            items=[occurrence],
            delete_type=MOVE_TO_DELETED_ITEMS,
            send_meeting_cancellations=SEND_TO_ALL_AND_SAVE_COPY,
            affected_task_occurrences=ALL_OCCURRENCES,
            suppress_read_receipts=True,
        )
        _raise_first_error(_gone_occurrences_done(results))

    def _change_occurrence(self, ref: ItemRef, index: int, fields: dict[str, Any]) -> None:
        item = CalendarItem(
            account=self.account, _id=OccurrenceItemId(id=ref.id, instance_index=index)
        )
        values = appointment_values(fields)
        for name, value in values.items():
            setattr(item, name, value)
        (result,) = _UpdateItem(account=self.account).call(
            items=[(item, list(values))],
            conflict_resolution=ALWAYS_OVERWRITE,
            message_disposition=SAVE_ONLY,
            send_meeting_invitations_or_cancellations=SEND_TO_CHANGED_AND_SAVE_COPY,
            suppress_read_receipts=True,
        )
        _raise_first_error(_gone_occurrences_done([result]))

    def delete_item(self, kind: ItemKind, item_id: str) -> None:
        # To Deleted Items, as Outlook's Delete does: the user can still take it back. Nobody is
        # told: Liaison never sends meeting requests, so it sends no cancellations either.
        def call() -> None:
            _raise_first_error(
                DeleteItem(account=self.account).call(
                    items=[ItemId(id=item_id)],
                    delete_type=MOVE_TO_DELETED_ITEMS,
                    send_meeting_cancellations=SEND_TO_ALL_AND_SAVE_COPY,
                    affected_task_occurrences=ALL_OCCURRENCES,
                    suppress_read_receipts=True,
                )
            )

        self._run(call)

    def _message(self, message: OutgoingMessage, mark: RemoteMark, **values: Any) -> Message:
        """An exchangelib Message saying what `message` says, carrying `mark`."""
        body: Any = message.body_text
        if message.body_html:
            from exchangelib import HTMLBody

            body = HTMLBody(message.body_html)
        item = Message(
            account=self.account,
            subject=message.subject,
            body=body,
            to_recipients=_mailboxes(message.to) or None,
            cc_recipients=_mailboxes(message.cc) or None,
            bcc_recipients=_mailboxes(message.bcc) or None,
            in_reply_to=message.in_reply_to,
            references=" ".join(message.references) or None,
            message_id=message.message_id,
            categories=_mark_categories(mark) or None,
            **mark_values(mark),
            **values,
        )
        item.attach([_file_attachment(content) for content in message.attachments])
        return item

    def send(self, message: OutgoingMessage, mark: RemoteMark, sent_folder_id: str) -> None:
        # Attachments go in the CreateItem itself (Exchange 2013 and later take them there).
        item = self._message(message, mark)

        def call() -> None:
            _raise_first_error(
                _CreateItem(account=self.account).call(
                    items=[item],
                    folder=_folder_object(self.account, sent_folder_id, ItemKind.MESSAGE),
                    message_disposition=SEND_AND_SAVE_COPY,
                    send_meeting_invitations=SEND_TO_NONE,
                )
            )

        self._run(call, idempotent=False)

    def find_sent(self, sent_folder_id: str, client_id: str) -> ItemRef | None:
        return self.find_by_client_id(sent_folder_id, ItemKind.MESSAGE, client_id)

    # Working with mail

    def _updates(self, elements: Sequence[str], keys: Sequence[str]) -> dict[str, Any]:
        """One UpdateItem of ready-made t:ItemChanges (no change key: they overwrite); each
        item's ref or error."""
        if not elements:
            return {}

        def call() -> list[Any]:
            return list(
                _MarkUpdate(account=self.account).call(
                    items=list(elements),
                    conflict_resolution=ALWAYS_OVERWRITE,
                    message_disposition=SAVE_ONLY,
                    send_meeting_invitations_or_cancellations=SEND_TO_NONE,
                    suppress_read_receipts=True,
                )
            )

        return {
            key: _ref_or_error(result) for key, result in zip(keys, self._run(call), strict=True)
        }

    def write_states(self, changes: Sequence[StateChange]) -> dict[str, ItemRef | Exception]:
        moment = datetime.now(UTC)
        return self._updates(
            [state_change(c.item_id, c.is_read, c.flag, moment) for c in changes],
            [c.item_id for c in changes],
        )

    def _stamped(self, transfers: Sequence[Transfer]) -> tuple[list[Transfer], dict[str, Any]]:
        """Stamp each item with its transfer's client id; the transfers whose item took it,
        and the error of each that did not."""
        stamps = self._updates(
            [client_id_change(t.item_id, t.client_id) for t in transfers],
            [t.item_id for t in transfers],
        )
        failed = {key: result for key, result in stamps.items() if isinstance(result, Exception)}
        return [t for t in transfers if t.item_id not in failed], failed

    def _transfer(
        self, transfers: Sequence[Transfer], service: type[MoveItem] | type[CopyItem]
    ) -> dict[str, ItemRef | Exception]:
        ready, results = self._stamped(transfers)
        by_folder: dict[str, list[Transfer]] = {}
        for transfer in ready:
            by_folder.setdefault(transfer.folder_id, []).append(transfer)
        for folder_id, group in by_folder.items():

            def call(group: list[Transfer] = group, folder_id: str = folder_id) -> list[Any]:
                return list(
                    service(account=self.account).call(
                        items=[ItemId(id=t.item_id) for t in group],
                        to_folder=FolderId(id=folder_id),
                    )
                )

            # Not repeated on a dropped connection: the outbox finds a transfer done by its stamp.
            for transfer, result in zip(group, self._run(call, idempotent=False), strict=True):
                results[transfer.item_id] = _ref_or_error(result)
        return results

    def move_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        return self._transfer(transfers, MoveItem)

    def copy_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        return self._transfer(transfers, CopyItem)

    def mark_junk(
        self, transfers: Sequence[Transfer], is_junk: bool
    ) -> dict[str, ItemRef | Exception]:
        if self.account.version.build < EXCHANGE_2013:
            return self._transfer(transfers, MoveItem)  # MarkAsJunk came with Exchange 2013
        ready, results = self._stamped(transfers)

        def call() -> list[Any]:
            return list(
                MarkAsJunk(account=self.account).call(
                    items=[ItemId(id=t.item_id) for t in ready], is_junk=is_junk, move_item=True
                )
            )

        if ready:
            for transfer, result in zip(ready, self._run(call, idempotent=False), strict=True):
                results[transfer.item_id] = _ref_or_error(result)
        return results

    def delete_permanently(self, item_ids: Sequence[str]) -> dict[str, Exception | None]:
        def call() -> list[Any]:
            return list(
                DeleteItem(account=self.account).call(
                    items=[ItemId(id=item_id) for item_id in item_ids],
                    delete_type=SOFT_DELETE,
                    send_meeting_cancellations=SEND_TO_NONE,
                    affected_task_occurrences=ALL_OCCURRENCES,
                    suppress_read_receipts=True,
                )
            )

        if not item_ids:
            return {}
        results = zip(item_ids, self._run(call), strict=True)
        return {
            item_id: _error_of(result) if isinstance(result, Exception) else None
            for item_id, result in results
        }

    def attachment_content(self, item_id: str, attachment_id: str) -> AttachmentContent:
        def call() -> Any:
            (found,) = _raise_first_error(
                GetAttachment(account=self.account).call(
                    items=[AttachmentId(id=attachment_id)],
                    include_mime_content=True,
                    body_type=None,
                    filter_html_content=None,
                    additional_fields=None,
                )
            )
            return found

        found = self._run(call)
        if isinstance(found, FileAttachment):
            return AttachmentContent(
                name=found.name or "attachment",
                content_type=found.content_type or "application/octet-stream",
                data=found.content or b"",
                inline=bool(found.is_inline),
                content_id=found.content_id or None,
            )
        attached = getattr(found, "item", None)
        mime = getattr(attached, "mime_content", None) or b""
        name = found.name or getattr(attached, "subject", None) or "message"
        return AttachmentContent(
            name=name if name.lower().endswith(".eml") else f"{name}.eml",
            content_type="message/rfc822",
            data=mime if isinstance(mime, bytes) else str(mime).encode("utf-8"),
            inline=bool(found.is_inline),
        )

    def save_draft(
        self,
        folder_id: str,
        message: OutgoingMessage,
        existing: ItemRef | None,
        client_id: str,
    ) -> ItemRef:
        mark = RemoteMark(client_id=client_id)
        if existing is None:
            item = self._message(message, mark)

            def create() -> ItemRef:
                (result,) = _CreateItem(account=self.account).call(
                    items=[item],
                    folder=_folder_object(self.account, folder_id, ItemKind.MESSAGE),
                    message_disposition=SAVE_ONLY,
                    send_meeting_invitations=SEND_TO_NONE,
                )
                return _created_ref(result)

            return self._run(create, idempotent=False)
        return self._update_draft(message, existing, mark)

    def _update_draft(
        self, message: OutgoingMessage, existing: ItemRef, mark: RemoteMark
    ) -> ItemRef:
        """The draft's fields overwritten, then its attachments replaced by the message's."""
        item = self._message(message, mark, id=existing.id, changekey=existing.change_key)
        names = [
            "subject",
            "body",
            "to_recipients",
            "cc_recipients",
            "bcc_recipients",
            "in_reply_to",
            "references",
            *mark_values(mark),
        ]
        wanted = list(item.attachments)
        item.attachments = []

        ref = self._run(lambda: self._write_update(item, names, existing.change_key))
        (current,) = self._get_items([ref.id], props.ATTACHMENT_FIELDS).values() or (None,)
        old = [a.attachment_id for a in (current.attachments if current is not None else ())]

        def replace() -> ItemRef:
            change_key = ref.change_key
            if old:
                for result in DeleteAttachment(account=self.account).call(items=old):
                    if isinstance(result, Exception):
                        raise result
                    change_key = result.changekey
            if wanted:
                parent = ParentItemId(id=ref.id, changekey=change_key)
                for result in CreateAttachment(account=self.account).call(
                    parent_item=parent, items=wanted
                ):
                    if isinstance(result, Exception):
                        raise result
                    change_key = result.attachment_id.root_changekey
            return ItemRef(ref.id, change_key)

        return self._run(replace, idempotent=False) if old or wanted else ref

    def message_size_limit(self) -> int | None:
        def call() -> int | None:
            address = self.connection.settings.address
            for tips in GetMailTips(protocol=self.account.protocol).call(
                sending_as=SendingAs(email_address=address),
                recipients=[Mailbox(email_address=address)],
                mail_tips_requested="MaxMessageSize",
            ):
                if isinstance(tips, Exception):
                    return None
                return int(tips.max_message_size) if tips.max_message_size else None
            return None

        return self._run(call)

    # Notifications

    def subscribe(self, folder_ids: Sequence[str]) -> str:
        folders = [FolderId(id=folder_id) for folder_id in folder_ids]

        def call() -> str:
            return SubscribeToStreaming(account=self.account).get(
                folders=folders, event_types=SubscribeToStreaming.EVENT_TYPES
            )

        return self._run(call)

    def start_feed(self) -> str | None:
        def call() -> tuple[str, str]:
            subscribed: tuple[str, str] = SubscribeToPull(account=self.account).get(
                folders=None,  # SubscribeToAllFolders
                event_types=SubscribeToPull.EVENT_TYPES,
                watermark=None,
                timeout=FEED_MINUTES,
            )
            return subscribed

        subscription, watermark = self._run(call)
        self._watermarks[subscription] = watermark
        return subscription

    def read_feed(self, feed: str) -> FeedChanges:
        """GetEvents until the server has no more: item events name the folder they happened in
        (and, for a move or copy, the one they came from); folder events change the hierarchy.
        More than FEED_PAGES calls' worth ends the feed (InvalidSyncState: read every folder)."""
        watermark = self._watermarks.get(feed)
        if watermark is None:
            raise InvalidSyncState("This change feed was not started here")
        folders: set[str] = set()
        hierarchy = False

        def call() -> str:
            try:
                return events()
            except _FEED_LOST as exc:
                raise InvalidSyncState(f"The server no longer knows this feed: {exc}") from exc

        def events() -> str:
            nonlocal hierarchy
            latest, more, pages = watermark, True, 0
            while more:
                if pages == FEED_PAGES:
                    unsubscribe(self.account, feed)
                    raise InvalidSyncState("The change feed holds too many events to read")
                more, pages = False, pages + 1
                for notification in _GetEvents(account=self.account).call(
                    subscription_id=feed, watermark=latest
                ):
                    if isinstance(notification, Exception):
                        raise notification
                    more = bool(notification.more_events)
                    for event in notification.events:
                        latest = event.watermark or latest
                        if getattr(event, "item_id", None) is None:
                            hierarchy = hierarchy or getattr(event, "folder_id", None) is not None
                        for name in ("parent_folder_id", "old_parent_folder_id"):
                            folder = getattr(event, name, None)
                            if folder is not None and event.item_id is not None:
                                folders.add(folder.id)
            return latest

        try:
            latest = self._run(call)
        except InvalidSyncState:
            self._watermarks.pop(feed, None)
            raise
        self._watermarks[feed] = latest
        return FeedChanges(frozenset(folders), hierarchy)

    def end_feed(self, feed: str) -> None:
        if self._watermarks.pop(feed, None) is not None:
            unsubscribe(self.account, feed)

    def wait_for_changes(
        self,
        folder_ids: Sequence[str],
        timeout: float,
        cancel: threading.Event,
        subscription: str | None = None,
    ) -> bool:
        """Block until the server reports a change in these folders (True), the timeout passes
        or sync is cancelled (False). Uses a streaming subscription on a connection of its own;
        one made earlier (subscribe()) also reports what changed since it was made."""
        if cancel.is_set() or not (folder_ids or subscription):
            if subscription is not None:
                unsubscribe(self.account, subscription)
            return False
        if subscription is None:
            subscription = self.subscribe(folder_ids)
        stream = _ChangeStream(self.account, subscription, max(1, min(30, round(timeout / 60))))
        stream.start()
        deadline = time.monotonic() + timeout
        try:
            while not stream.ended.wait(0.2):
                if cancel.is_set() or time.monotonic() >= deadline:
                    return False
        finally:
            # Also when interrupted (Ctrl+C in `liaison sync --watch`): no stream outlives us.
            if not stream.ended.is_set():
                stream.abandon()
        if stream.error is not None:
            raise stream.error
        return stream.changed


# A pull subscription the client does not read for this long expires (Exchange allows 1440):
# the engine reads it at every sync, and starts another when it is lost.
FEED_MINUTES = 1440
# GetEvents calls read before a feed is given up for a full check. The server answers 50 events
# a call, and a push of 10,000 marks leaves 10,000 of them: 200 requests to learn that the Inbox
# changed, where a full check is about sixteen (a new feed, the hierarchy, a request a folder).
# Past twenty, reading on would cost more than the full check, however many events are left.
FEED_PAGES = 20
_FEED_LOST = (
    ews_errors.ErrorSubscriptionNotFound,
    ews_errors.ErrorExpiredSubscription,
    ews_errors.ErrorInvalidWatermark,
    ews_errors.ErrorInvalidSubscription,
    ews_errors.ErrorReadEventsFailed,
)


ABANDON_ATTEMPTS = 100
ABANDON_RETRY_S = 0.05


class _ChangeStream(threading.Thread):
    """One GetStreamingEvents connection, read on a thread of its own.

    Why a thread: a thread blocked reading a socket cannot be woken by closing the response
    from another thread (the close waits for the reader's lock), and Exchange sends keep-alives
    only every 30 seconds, so a reader in the caller's thread could not honour a cancel. The
    caller stops waiting at once instead and shuts the socket down, which does wake the reader;
    if that is not possible, the abandoned stream ends at its next keep-alive. Either way it
    then unsubscribes.
    """

    def __init__(self, account: Any, subscription: str, minutes: int) -> None:
        super().__init__(daemon=True, name="liaison-stream")
        self._account = account
        self._subscription = subscription
        self._minutes = minutes
        self._service = GetStreamingEvents(account=account)
        self._abandoned = threading.Event()
        self.ended = threading.Event()
        self.changed = False
        self.error: SyncError | None = None

    def abandon(self, attempts: int = ABANDON_ATTEMPTS) -> None:
        self._abandoned.set()
        if self.ended.is_set() or self._shut_socket() or attempts <= 1:
            return
        # The server has not answered the request yet, so there is no socket to shut: try
        # again shortly rather than leave the stream open until its first keep-alive.
        retry = threading.Timer(ABANDON_RETRY_S, self.abandon, (attempts - 1,))
        retry.daemon = True
        retry.start()

    def _shut_socket(self) -> bool:
        # exchangelib keeps the open response privately; reach its socket if it is there.
        response = getattr(self._service, "_streaming_response", None)
        connection = getattr(getattr(response, "raw", None), "connection", None)
        sock = getattr(connection, "sock", None)
        if sock is None:
            return False
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        return True

    def run(self) -> None:
        try:
            with translate_errors():
                notifications = self._service.call(
                    subscription_ids=[self._subscription], connection_timeout=self._minutes
                )
                for notification in notifications:
                    if isinstance(notification, Exception):
                        raise notification
                    if any(_is_change(event) for event in notification.events):
                        self.changed = True
                        return
                    if self._abandoned.is_set():
                        return
        except SyncError as exc:
            self.error = exc
        except (OSError, AttributeError, ValueError) as exc:
            # Closed under us by abandon(), or the connection broke: either way, no stream.
            self.error = ServerUnreachable(f"The notification stream broke: {exc}")
        finally:
            self.ended.set()
            with contextlib.suppress(Exception):
                self._service.stop_streaming()
            unsubscribe(self._account, self._subscription)


def unsubscribe(account: Any, subscription: str) -> None:
    try:
        with translate_errors():
            Unsubscribe(account=account).get(subscription_id=subscription)
    except Exception as exc:  # the engine may have closed the connection meanwhile
        log.info("Could not unsubscribe from notifications: %s", exc)


def _remote(item: Any, exceptions: dict[str, dict[str, Any]]) -> RemoteItem:
    return item if isinstance(item, RemoteItem) else remote_item(item, exceptions)


def _was_dropped(exc: ServerUnreachable) -> bool:
    """A connection lost mid-request, as opposed to a server that refuses connections."""
    cause = exc.__cause__
    text = str(cause).lower()
    return isinstance(cause, ews_errors.ErrorTimeoutExpired) and "refused" not in text


def _is_change(event: Any) -> bool:
    return type(event).__name__ != "StatusEvent"


def _folder_object(account: Any, folder_id: str, kind: ItemKind) -> Folder:
    from exchangelib.folders import Calendar, Messages, Tasks

    folder_class = {
        ItemKind.MESSAGE: Messages,
        ItemKind.APPOINTMENT: Calendar,
        ItemKind.TASK: Tasks,
    }[kind]
    return folder_class(root=account.root, id=folder_id)


def _mailboxes(addresses: Sequence[Any]) -> list[Mailbox]:
    return [Mailbox(email_address=a.email, name=a.name or None) for a in addresses]


def _file_attachment(content: AttachmentContent) -> FileAttachment:
    return FileAttachment(
        name=content.name,
        content=content.data,
        content_type=content.content_type,
        is_inline=content.inline,
        content_id=content.content_id,
    )


def _error_of(result: Exception) -> Exception:
    outcome = _ref_or_error(result)
    assert isinstance(outcome, Exception)
    return outcome


def _updates_sent(kind: ItemKind, fields: dict[str, Any]) -> str:
    """Attendees hear of a change they would see (Exchange sends nothing for an appointment
    without attendees, or one this mailbox does not organise)."""
    if kind is ItemKind.APPOINTMENT and set(fields) & _ATTENDEES_SEE:
        return SEND_TO_CHANGED_AND_SAVE_COPY
    return SEND_TO_NONE


_ATTENDEES_SEE = frozenset(
    {"subject", "start", "end", "is_all_day", "location", "body", "recurrence", "attendees"}
)


def _gone_occurrences_done(results: Iterable[Any]) -> list[Any]:
    """An occurrence deleted or out of the series already: what was asked of it is done."""
    return [
        True
        if isinstance(
            result,
            ews_errors.ErrorCalendarOccurrenceIsDeletedFromRecurrence
            | ews_errors.ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange,
        )
        else result
        for result in results
    ]


def _mark_categories(mark: RemoteMark) -> list[str]:
    return [mark.category] if mark.category and mark.link_state == 2 else []


def _ref_or_error(result: Any) -> ItemRef | Exception:
    if isinstance(result, Exception):
        try:
            with translate_errors():
                raise result
        except SyncError as translated:
            return translated
    item_id, change_key = result
    return ItemRef(item_id, change_key)


def _created_ref(result: Any) -> ItemRef:
    if isinstance(result, Exception):
        raise result
    if result is True:
        raise ServerFailure("The server created the item but did not say which it is")
    return ItemRef(result.id, result.changekey)
