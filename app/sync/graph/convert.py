"""Graph's JSON as sync's plain data: messages, folders, bodies, attachments, marks; and a
mark as the extended properties and categories Graph writes."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from app.mailbox.remote import (
    Body,
    FlagStatus,
    FolderContent,
    ItemKind,
    LinkState,
    RemoteAttachment,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
)
from app.sync import mark_properties as names
from app.tracking.model import Address

_SET = names.LIAISON_PROPERTY_SET


def property_id(name: str) -> str:
    kind = "Integer" if name == names.LINK_STATE else "String"
    return f"{kind} {{{_SET}}} Name {name}"


MARK_PROPERTY_IDS = {
    name: property_id(name)
    for name in (
        names.LINK_STATE,
        names.ACTIVITY_ID,
        names.REGARDING,
        names.TRACK_CATEGORY,
        names.CLIENT_ID,
    )
}
CLIENT_ID_PROPERTY = MARK_PROPERTY_IDS[names.CLIENT_ID]
# $expand of the mark's properties, as a message read asks for it.
MARK_EXPAND = "singleValueExtendedProperties($filter={})".format(
    " or ".join(f"id eq '{value}'" for value in MARK_PROPERTY_IDS.values())
)
MESSAGE_FIELDS = ",".join(
    [
        "id",
        "changeKey",
        "subject",
        "categories",
        "sender",
        "from",
        "toRecipients",
        "ccRecipients",
        "bccRecipients",
        "receivedDateTime",
        "sentDateTime",
        "lastModifiedDateTime",
        "isRead",
        "isDraft",
        "importance",
        "conversationId",
        "conversationIndex",
        "internetMessageId",
        "hasAttachments",
        "flag",
        "internetMessageHeaders",
        "parentFolderId",
    ]
)
_FLAGS = {"flagged": FlagStatus.FLAGGED, "complete": FlagStatus.COMPLETE}
FLAG_VALUES = {FlagStatus.FLAGGED: "flagged", FlagStatus.COMPLETE: "complete"}


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _address(value: Any) -> Address | None:
    email = (value or {}).get("emailAddress") if isinstance(value, dict) else None
    if not isinstance(email, dict) or not email.get("address"):
        return None
    return Address(str(email["address"]), str(email.get("name") or ""))


def _addresses(values: Any) -> tuple[Address, ...]:
    found = (_address(value) for value in values or ())
    return tuple(address for address in found if address is not None)


def _hex(text: Any) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return base64.b64decode(text).hex()
    except (binascii.Error, ValueError):
        return None


def mark_of(properties: Any) -> RemoteMark:
    """Liaison's mark from a message's singleValueExtendedProperties; values both backends write
    for "absent" ("" and a link state outside 0-2) read as None."""
    by_name = {
        name: str(entry.get("value") or "")
        for entry in properties or ()
        for name, wanted in MARK_PROPERTY_IDS.items()
        if str(entry.get("id", "")).casefold() == wanted.casefold()
    }
    state = by_name.get(names.LINK_STATE, "")
    activity = by_name.get(names.ACTIVITY_ID, "")
    return RemoteMark(
        link_state=LinkState(int(state)) if state in ("0", "1", "2") else None,
        activity_id=int(activity) if activity.isdigit() else None,
        regarding=by_name.get(names.REGARDING) or None,
        category=by_name.get(names.TRACK_CATEGORY) or None,
        client_id=by_name.get(names.CLIENT_ID) or None,
    )


def mark_properties(mark: RemoteMark) -> list[dict[str, str]]:
    """The mark as Graph writes it (absent values as the absent marker: Graph cannot delete)."""
    values = {
        names.LINK_STATE: (
            str(int(mark.link_state)) if mark.link_state is not None else names.ABSENT_LINK_STATE
        ),
        names.ACTIVITY_ID: str(mark.activity_id) if mark.activity_id is not None else "",
        names.REGARDING: mark.regarding or "",
        names.TRACK_CATEGORY: mark.category or "",
        names.CLIENT_ID: mark.client_id or "",
    }
    return [{"id": MARK_PROPERTY_IDS[name], "value": value} for name, value in values.items()]


def message(value: dict[str, Any], properties: Any = None) -> RemoteItem:
    headers = {
        str(h.get("name", "")).casefold(): str(h.get("value", ""))
        for h in value.get("internetMessageHeaders") or ()
    }
    flag = (value.get("flag") or {}).get("flagStatus", "notFlagged")
    return RemoteItem(
        id=str(value["id"]),
        change_key=value.get("changeKey"),
        kind=ItemKind.MESSAGE,
        subject=str(value.get("subject") or ""),
        sender=_address(value.get("from")) or _address(value.get("sender")),
        to=_addresses(value.get("toRecipients")),
        cc=_addresses(value.get("ccRecipients")),
        bcc=_addresses(value.get("bccRecipients")),
        received_at=_moment(value.get("receivedDateTime")),
        sent_at=_moment(value.get("sentDateTime")),
        modified_at=_moment(value.get("lastModifiedDateTime")),
        is_read=bool(value.get("isRead")),
        is_draft=bool(value.get("isDraft")),
        importance=str(value.get("importance") or "normal").capitalize(),
        categories=tuple(value.get("categories") or ()),
        conversation_id=value.get("conversationId"),
        conversation_index=_hex(value.get("conversationIndex")),
        message_id=value.get("internetMessageId"),
        in_reply_to=headers.get("in-reply-to") or None,
        references=tuple(headers.get("references", "").split()),
        has_attachments=bool(value.get("hasAttachments")),
        flag=_FLAGS.get(flag, FlagStatus.NONE),
        mark=mark_of(
            properties if properties is not None else value.get("singleValueExtendedProperties")
        ),
    )


def folder(value: dict[str, Any], content: FolderContent = FolderContent.MAIL) -> RemoteFolder:
    return RemoteFolder(
        id=str(value["id"]),
        change_key=None,
        parent_id=value.get("parentFolderId"),
        name=str(value.get("displayName") or value.get("name") or ""),
        content=content,
        total_count=int(value.get("totalItemCount") or 0),
        unread_count=int(value.get("unreadItemCount") or 0),
    )


def attachment(value: dict[str, Any]) -> RemoteAttachment:
    return RemoteAttachment(
        id=str(value["id"]),
        name=str(value.get("name") or ""),
        size=value.get("size"),
        content_type=value.get("contentType"),
        inline=bool(value.get("isInline")),
        content_id=value.get("contentId"),
        is_item=value.get("@odata.type") == "#microsoft.graph.itemAttachment",
    )


def body(text: Any, html: Any, attachments: Any) -> Body:
    def content(value: Any) -> str | None:
        found = (value or {}).get("body") if isinstance(value, dict) else None
        return str(found.get("content") or "") if isinstance(found, dict) else None

    listed = attachments.get("value", []) if isinstance(attachments, dict) else []
    return Body(content(text), content(html), tuple(attachment(a) for a in listed))
