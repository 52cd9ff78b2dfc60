"""ExportItems and UploadItems: an item's full content as an opaque blob, and back.

Exchange's blob is a MAPI fast-transfer stream; clients only keep it and hand it back, so the
sandbox's own encoding of the same content (serial.py, behind a marker) is as good to them. A
blob that is not one is refused; uploading creates a new item or replaces the content of one.
"""

from __future__ import annotations

import base64
import binascii
import json

from lxml import etree

from .. import serial
from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..itemwrite import finalize
from ..model import Item
from ..render import item_id_xml
from ..store import new_guid
from ..xmlkit import child, child_text, children, escape_text
from .items import item_ids
from .registry import each, operation

_MARKER = b"EWS-SANDBOX-ITEM/1\n"
_CREATE_ACTIONS = ("CreateNew", "Update", "UpdateOrCreate")


def export_blob(item: Item) -> str:
    content = json.dumps(serial.content_of(item), ensure_ascii=False).encode("utf-8")
    return base64.b64encode(_MARKER + content).decode("ascii")


def import_blob(text: str) -> Item:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        if not raw.startswith(_MARKER):
            raise ValueError("not an exported item")
        return serial.item_from_content(new_guid(), json.loads(raw[len(_MARKER) :]))
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise EwsError("ErrorInvalidRequest", "The data is not an exported item.") from error


@operation("ExportItems")
def export_items(ctx: Context, request: etree._Element) -> str:
    def one(elem: etree._Element) -> str:
        target = ctx.item(elem)
        item_id = item_id_xml(target.mailbox, target.item, "m:ItemId")
        return f"{item_id}<m:Data>{escape_text(export_blob(target.item))}</m:Data>"

    return each("ExportItems", item_ids(child(request, "ItemIds")), one)


@operation("UploadItems")
def upload_items(ctx: Context, request: etree._Element) -> str:
    def one(spec: etree._Element) -> str:
        action = enumerated(spec, "CreateAction", _CREATE_ACTIONS)
        parent = child(spec, "ParentFolderId")
        data = child_text(spec, "Data")
        if parent is None or data is None:
            raise schema_violation("The element 'Item' has incomplete content.")
        mailbox, folder = ctx.folder(parent)
        content = import_blob(data)
        existing = child(spec, "ItemId")
        if action != "CreateNew" and existing is not None:
            try:
                target = ctx.item(existing)
            except EwsError:
                if action == "Update":
                    raise
            else:
                ctx.store.replace_content(target.mailbox, target.item, content)
                return item_id_xml(target.mailbox, target.item, "m:ItemId")
        elif action == "Update":
            raise schema_violation("An update needs the ItemId of the item to update.")
        finalize(content, mailbox, ctx.store.mailboxes)
        ctx.store.add_item(mailbox, folder, content)
        return item_id_xml(mailbox, content, "m:ItemId")

    return each("UploadItems", children(child(request, "Items")), one)
