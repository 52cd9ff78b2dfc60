"""GetAttachment, CreateAttachment, DeleteAttachment."""

from __future__ import annotations

import base64

from lxml import etree

from .. import ids
from ..context import Context
from ..errors import EwsError, schema_violation
from ..itemwrite import embed, finalize, parse_attachment
from ..model import Attachment, Item, Mailbox
from ..render import attachment_fields
from ..xmlkit import child, children, element
from .registry import each, operation


def _locate(ctx: Context, elem: etree._Element) -> tuple[Mailbox, Item, Attachment]:
    object_id = ids.decode(elem.get("Id"))
    if object_id.kind is not ids.IdKind.ATTACHMENT:
        raise EwsError("ErrorInvalidIdMalformed")
    mailbox = ctx.mailbox_for_id(object_id, "ErrorInvalidAttachmentId")
    item = mailbox.items.get(object_id.object)
    if item is None:
        raise EwsError("ErrorInvalidAttachmentId")
    for attachment in item.attachments:
        if attachment.uuid == object_id.attachment:
            return mailbox, item, attachment
    raise EwsError("ErrorInvalidAttachmentId")


def _full(mailbox: Mailbox, item: Item, attachment: Attachment) -> str:
    parts = attachment_fields(mailbox, item, attachment)
    if attachment.is_file:
        parts.append(
            f"<t:Content>{base64.b64encode(attachment.content).decode('ascii')}</t:Content>"
        )
        return f"<t:FileAttachment>{''.join(parts)}</t:FileAttachment>"
    parts.append(attachment.embedded_item)
    return f"<t:ItemAttachment>{''.join(parts)}</t:ItemAttachment>"


@operation("GetAttachment")
def get_attachment(ctx: Context, request: etree._Element) -> str:
    container = child(request, "AttachmentIds")
    attachment_ids = children(container)

    def one(elem: etree._Element) -> str:
        mailbox, item, attachment = _locate(ctx, elem)
        return f"<m:Attachments>{_full(mailbox, item, attachment)}</m:Attachments>"

    return each("GetAttachment", attachment_ids, one, "<m:Attachments/>")


@operation("CreateAttachment")
def create_attachment(ctx: Context, request: etree._Element) -> str:
    parent_elem = child(request, "ParentItemId")
    if parent_elem is None:
        raise schema_violation("The element 'ParentItemId' is missing.")
    container = child(request, "Attachments")
    new_attachments = children(container)

    def one(elem: etree._Element) -> str:
        target = ctx.item(parent_elem)
        attachment = embed(parse_attachment(elem), target.mailbox, ctx.store.mailboxes)
        target.item.attachments.append(attachment)
        target.item.mime = None
        finalize(target.item, target.mailbox, ctx.store.mailboxes)
        ctx.store.item_changed(target.mailbox, target.item, {"Attachments"})
        mailbox, item = target.mailbox, target.item
        tag = "t:FileAttachment" if attachment.is_file else "t:ItemAttachment"
        attachment_id = element(
            "t:AttachmentId",
            Id=ids.attachment_id(mailbox.guid, item.uuid, attachment.uuid),
            RootItemId=ids.item_id(mailbox.guid, item.uuid),
            RootItemChangeKey=ids.change_key(item.change_number),
        )
        return f"<m:Attachments><{tag}>{attachment_id}</{tag}></m:Attachments>"

    return each("CreateAttachment", new_attachments, one, "<m:Attachments/>")


@operation("DeleteAttachment")
def delete_attachment(ctx: Context, request: etree._Element) -> str:
    container = child(request, "AttachmentIds")
    attachment_ids = children(container)

    def one(elem: etree._Element) -> str:
        mailbox, item, attachment = _locate(ctx, elem)
        item.attachments.remove(attachment)
        item.mime = None
        finalize(item, mailbox, ctx.store.mailboxes)
        ctx.store.item_changed(mailbox, item, {"Attachments"})
        return element(
            "m:RootItemId",
            RootItemId=ids.item_id(mailbox.guid, item.uuid),
            RootItemChangeKey=ids.change_key(item.change_number),
        )

    return each("DeleteAttachment", attachment_ids, one)
