"""MarkAsJunk and ArchiveItem: filing mail by what it is.

MarkAsJunk puts the sender on the mailbox's blocked senders (or, for "not junk", its safe
senders), which decides where their next messages are delivered, and moves the message to Junk
Email (or back to the Inbox) if asked. ArchiveItem needs an archive mailbox, which no mailbox
here has; Exchange answers ErrorArchiveMailboxNotEnabled for each item then.
"""

from __future__ import annotations

from lxml import etree

from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..render import item_id_xml
from ..xmlkit import child
from .items import item_ids
from .registry import each, operation

_BOOLEANS = ("true", "false", "1", "0")


def _flag(request: etree._Element, name: str) -> bool:
    return enumerated(request, name, _BOOLEANS) in ("true", "1")


@operation("MarkAsJunk")
def mark_as_junk(ctx: Context, request: etree._Element) -> str:
    is_junk, move = _flag(request, "IsJunk"), _flag(request, "MoveItem")

    def one(elem: etree._Element) -> str:
        target = ctx.item(elem)
        mailbox, item = target.mailbox, target.item
        sender = item.props.get("From") or item.props.get("Sender")
        if sender is not None:
            settings = mailbox.settings
            listed, unlisted = (
                (settings.blocked_senders, settings.trusted_senders)
                if is_junk
                else (settings.trusted_senders, settings.blocked_senders)
            )
            listed.add(sender.key)
            unlisted.discard(sender.key)
            ctx.store.settings_changed(mailbox)
        if not move:
            return ""
        destination = mailbox.distinguished["junkemail" if is_junk else "inbox"]
        if item.folder != destination.uuid:
            item = ctx.store.move_item(mailbox, item, destination)
        return item_id_xml(mailbox, item, "m:MovedItemId")

    return each("MarkAsJunk", item_ids(child(request, "ItemIds")), one)


@operation("ArchiveItem")
def archive_item(ctx: Context, request: etree._Element) -> str:
    sources = ctx.folders_in(child(request, "ArchiveSourceFolderId"))
    if not sources:
        raise schema_violation("The element 'ArchiveSourceFolderId' has incomplete content.")
    ctx.folder(sources[0])

    def one(elem: etree._Element) -> str:
        ctx.item(elem)
        raise EwsError("ErrorArchiveMailboxNotEnabled")

    return each("ArchiveItem", item_ids(child(request, "ItemIds")), one, "<m:Items/>")
