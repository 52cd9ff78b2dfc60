"""SyncFolderItems and SyncFolderHierarchy with opaque, signed sync states.

A sync state says "this folder, changes up to change number N, of this store". It is signed with
the store's secret, so a garbled state or one from another (or a reset) store is answered with
ErrorInvalidSyncStateData, and it costs nothing to encode however large the folder is.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct

from lxml import etree

from .. import ids
from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Folder, Mailbox
from ..render import render_folder
from ..shapes import parse_folder_shape, parse_item_shape
from ..soap import failure, operation_response, success
from ..store import Store
from ..xmlkit import child, child_text, element
from .items import item_ids
from .registry import operation

_STATE_VERSION = b"S1"
_PAYLOAD = struct.Struct(">2s8s16s16sQ4s")
MAX_CHANGES = 512


def encode_state(store: Store, mailbox: Mailbox, folder_uuid: bytes, number: int) -> str:
    payload = _PAYLOAD.pack(
        _STATE_VERSION, store.epoch, mailbox.guid, folder_uuid, number, os.urandom(4)
    )
    return base64.b64encode(payload + store.state_signature(payload)).decode("ascii")


def decode_state(store: Store, mailbox: Mailbox, folder_uuid: bytes, state: str | None) -> int:
    """The change number a sync state stands for; 0 for none. ErrorInvalidSyncStateData else."""
    if not state:
        return 0
    try:
        raw = base64.b64decode(state.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise EwsError("ErrorInvalidSyncStateData") from error
    payload, signature = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    if len(payload) != _PAYLOAD.size or signature != store.state_signature(payload):
        raise EwsError("ErrorInvalidSyncStateData")
    version, epoch, mailbox_guid, state_folder, number, _ = _PAYLOAD.unpack(payload)
    if (
        version != _STATE_VERSION
        or epoch != store.epoch
        or mailbox_guid != mailbox.guid
        or state_folder != folder_uuid
        or number > mailbox.seq
    ):
        raise EwsError("ErrorInvalidSyncStateData")
    return number


def _sync_failure(name: str, error: EwsError, last_tag: str) -> str:
    tail = f"<m:SyncState/><m:{last_tag}>true</m:{last_tag}>"
    return operation_response(name, [failure(name, error, tail)])


def _max_changes(request: etree._Element) -> int:
    text = child_text(request, "MaxChangesReturned")
    try:
        value = int(text or "")
    except ValueError as error:
        raise schema_violation("The 'MaxChangesReturned' element is invalid.") from error
    if not 1 <= value <= MAX_CHANGES:
        raise schema_violation(
            f"The 'MaxChangesReturned' element is invalid - The value '{value}' is invalid"
            " according to its datatype - The MaxInclusive constraint failed."
        )
    return value


def _sync_folder(ctx: Context, request: etree._Element) -> tuple[Mailbox, Folder]:
    folder_ids = ctx.folders_in(child(request, "SyncFolderId"))
    if not folder_ids:
        return ctx.user, ctx.user.distinguished["root"]
    try:
        return ctx.folder(folder_ids[0])
    except EwsError as error:
        if error.code == "ErrorFolderNotFound":
            raise EwsError("ErrorSyncFolderNotFound") from error
        raise


@operation("SyncFolderItems")
def sync_folder_items(ctx: Context, request: etree._Element) -> str:
    name = "SyncFolderItems"
    shape = parse_item_shape(child(request, "ItemShape")).summary()
    max_changes = _max_changes(request)
    try:
        mailbox, folder = _sync_folder(ctx, request)
        since = decode_state(ctx.store, mailbox, folder.uuid, child_text(request, "SyncState"))
        ignored = set()
        for elem in item_ids(child(request, "Ignore")):
            ignored.add(ids.decode(elem.get("Id")).object)
    except EwsError as error:
        return _sync_failure(name, error, "IncludesLastItemInRange")
    renderer = ctx.services.renderer
    changes: list[str] = []
    last = since
    more = False
    for number, key in folder.changes.after(since):
        if len(changes) == max_changes:
            more = True
            break
        last = number
        item = folder.items.get(key)
        if item is None:
            tombstone = folder.tombstones.get(key)
            if tombstone is not None and tombstone.arrived <= since:
                item_id = element("t:ItemId", Id=ids.item_id(mailbox.guid, key))
                changes.append(f"<t:Delete>{item_id}</t:Delete>")
            continue
        if key in ignored:
            continue
        if item.arrived > since:
            changes.append(f"<t:Create>{renderer.item(mailbox, item, shape)}</t:Create>")
        elif item.content_changed > since:
            changes.append(f"<t:Update>{renderer.item(mailbox, item, shape)}</t:Update>")
        else:
            read = "true" if item.props.get("IsRead") else "false"
            item_id = element(
                "t:ItemId",
                Id=ids.item_id(mailbox.guid, item.uuid),
                ChangeKey=ids.change_key(item.change_number),
            )
            changes.append(
                f"<t:ReadFlagChange>{item_id}<t:IsRead>{read}</t:IsRead></t:ReadFlagChange>"
            )
    if not more:
        last = mailbox.seq
    state = encode_state(ctx.store, mailbox, folder.uuid, last)
    inner = (
        f"<m:SyncState>{state}</m:SyncState>"
        f"<m:IncludesLastItemInRange>{'false' if more else 'true'}</m:IncludesLastItemInRange>"
        f"<m:Changes>{''.join(changes)}</m:Changes>"
    )
    return operation_response(name, [success(name, inner)])


@operation("SyncFolderHierarchy")
def sync_folder_hierarchy(ctx: Context, request: etree._Element) -> str:
    name = "SyncFolderHierarchy"
    shape = parse_folder_shape(child(request, "FolderShape"))
    try:
        mailbox, root = _sync_folder(ctx, request)
        since = decode_state(ctx.store, mailbox, root.uuid, child_text(request, "SyncState"))
    except EwsError as error:
        return _sync_failure(name, error, "IncludesLastFolderInRange")
    changes: list[str] = []
    for _, key in mailbox.hierarchy.after(since):
        folder = mailbox.folders.get(key)
        if folder is None:
            tombstone = mailbox.folder_tombstones.get(key)
            if tombstone is not None and tombstone.arrived <= since:
                folder_id = element("t:FolderId", Id=ids.folder_id(mailbox.guid, key))
                changes.append(f"<t:Delete>{folder_id}</t:Delete>")
            continue
        if folder is root or not mailbox.is_under(folder, root):
            continue
        kind = "Create" if folder.arrived > since else "Update"
        changes.append(f"<t:{kind}>{render_folder(mailbox, folder, shape)}</t:{kind}>")
    state = encode_state(ctx.store, mailbox, root.uuid, mailbox.seq)
    inner = (
        f"<m:SyncState>{state}</m:SyncState>"
        "<m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange>"
        f"<m:Changes>{''.join(changes)}</m:Changes>"
    )
    return operation_response(name, [success(name, inner)])
