"""Response objects of CreateItem: ReplyToItem, ReplyAllToItem and ForwardItem.

Exchange composes the new message from the one referenced: subject prefix, recipients, the new
body above the quoted original, In-Reply-To/References for threading, and (for a forward) the
original attachments.
"""

from __future__ import annotations

import copy
import html

from lxml import etree

from .bodies import plain_text
from .context import Context
from .errors import EwsError, schema_violation
from .itemwrite import ParsedItem
from .model import Item, Mailbox
from .schema import kind_of
from .store import new_guid
from .transport import child_conversation_index
from .values import Address, Body, format_datetime
from .xmlkit import child, children, local_name

RESPONSE_OBJECTS = ("ReplyToItem", "ReplyAllToItem", "ForwardItem")
_PREFIXES = {"ReplyToItem": "RE: ", "ReplyAllToItem": "RE: ", "ForwardItem": "FW: "}
_COPIED = (
    "Subject",
    "ToRecipients",
    "CcRecipients",
    "BccRecipients",
    "IsReadReceiptRequested",
    "IsDeliveryReceiptRequested",
    "From",
)


def _quoted(original: Item, new_body: Body | None) -> Body:
    props = original.props
    sender = props.get("From")
    header = (
        f"From: {sender.name or sender.email if sender else ''}\n"
        f"Sent: {format_datetime(props['DateTimeSent']) if 'DateTimeSent' in props else ''}\n"
        f"Subject: {props.get('Subject', '')}"
    )
    old = props.get("Body")
    if (new_body and new_body.body_type == "HTML") or (old and old.body_type == "HTML"):
        new_html = (
            new_body.text
            if new_body and new_body.body_type == "HTML"
            else html.escape(plain_text(new_body))
        )
        old_html = old.text if old and old.body_type == "HTML" else html.escape(plain_text(old))
        quoted_header = html.escape(header).replace("\n", "<br>")
        return Body(
            "HTML",
            f"{new_html}<hr><div>{quoted_header}</div><div>{old_html}</div>",
        )
    return Body("Text", f"{plain_text(new_body)}\n\n-----\n{header}\n\n{plain_text(old)}")


def build_response(ctx: Context, mailbox: Mailbox, elem: etree._Element) -> ParsedItem:
    kind = local_name(elem)
    reference = child(elem, "ReferenceItemId")
    if reference is None:
        raise schema_violation(f"The element '{kind}' has incomplete content.")
    target = ctx.item(reference)
    original = target.item
    if original.item_type not in ("Message", "MeetingRequest"):
        raise EwsError(
            "ErrorInvalidReferenceItem",
            "The reference item does not support the requested operation.",
        )
    given = {}
    for sub in children(elem):
        name = local_name(sub)
        if name in _COPIED:
            given[name] = kind_of(name).parse(sub)
        elif name in ("Body", "NewBodyContent"):
            given[name] = kind_of("Body").parse(sub)
    props = original.props
    parsed = ParsedItem("Message")
    subject = props.get("Subject", "")
    parsed.props["Subject"] = given.get("Subject", _PREFIXES[kind] + subject)
    me = mailbox.address.casefold()
    if kind != "ForwardItem":
        recipients: list[Address] = []
        sender = props.get("From")
        if sender is not None:
            recipients.append(sender)
        if kind == "ReplyAllToItem":
            recipients += [a for a in props.get("ToRecipients", []) if a.key != me]
            parsed.props["CcRecipients"] = [a for a in props.get("CcRecipients", []) if a.key != me]
        parsed.props["ToRecipients"] = recipients
    for name in ("ToRecipients", "CcRecipients", "BccRecipients", "From"):
        if name in given:
            parsed.props[name] = given[name]
    parsed.props["Body"] = given.get("Body") or _quoted(original, given.get("NewBodyContent"))
    message_id = props.get("InternetMessageId")
    if message_id and kind != "ForwardItem":
        parsed.props["InReplyTo"] = message_id
        parsed.props["References"] = " ".join(p for p in (props.get("References"), message_id) if p)
    if props.get("ConversationIndex"):
        parsed.props["ConversationIndex"] = child_conversation_index(props["ConversationIndex"])
    if kind == "ForwardItem":
        for attachment in original.attachments:
            duplicate = copy.copy(attachment)
            duplicate.uuid = new_guid()
            parsed.attachments.append(duplicate)
    return parsed
