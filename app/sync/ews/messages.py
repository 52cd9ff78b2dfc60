"""Messages read straight from the EWS XML, for the bulk of a sync.

exchangelib builds a full item object per message through generic field descriptors, about a
millisecond each: most of a first sync's time for a large mailbox. Messages are most of any
mailbox and sync needs a fixed, small set of their fields, so they are read here with lxml
directly (types.xsd order does not matter; unknown elements are ignored). Anything else
(appointments, tasks, meeting requests) still goes through exchangelib.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from exchangelib.util import MNS, TNS, safe_xml_value
from lxml import etree

from app.mailbox.remote import (
    Body,
    FlagStatus,
    ItemKind,
    LinkState,
    RemoteAttachment,
    RemoteItem,
    RemoteMark,
)
from app.sync.ews.properties import (
    COMMON_PROPERTY_SET,
    FLAG_COMPLETE_TIME_TAG,
    FLAG_REQUEST_ID,
    FLAG_STATUS_TAG,
    FOLLOWUP_ICON_TAG,
    LIAISON_PROPERTY_SET,
    RED_FLAG_ICON,
)
from app.sync.html_text import html_to_text
from app.tracking.model import Address

_T = f"{{{TNS}}}"
MESSAGE_TAG = f"{_T}Message"
_SENSITIVITY = {
    "Normal": "normal",
    "Personal": "personal",
    "Private": "private",
    "Confidential": "confidential",
}
_MARK_FIELDS = {
    "LinkState": "link_state",
    "ActivityId": "activity_id",
    "Regarding": "regarding",
    "TrackCategory": "category",
    "ClientId": "client_id",
}


def _bool(text: str | None) -> bool:
    return text == "true"


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _mailbox(elem: Any) -> Address | None:
    email = elem.findtext(f"{_T}EmailAddress")
    if not email:
        return None
    return Address(email=email, name=elem.findtext(f"{_T}Name") or "")


def _mailboxes(elem: Any) -> tuple[Address, ...]:
    found = (_mailbox(child) for child in elem.iterfind(f"{_T}Mailbox"))
    return tuple(address for address in found if address is not None)


def _mark(values: dict[str, str]) -> RemoteMark:
    state = values.get("link_state")
    activity = values.get("activity_id")
    return RemoteMark(
        link_state=LinkState(int(state)) if state in ("0", "1", "2") else None,
        activity_id=int(activity) if activity and activity.isdigit() else None,
        regarding=values.get("regarding") or None,
        category=values.get("category") or None,
        client_id=values.get("client_id") or None,
    )


_FLAGS = {"1": FlagStatus.COMPLETE, "2": FlagStatus.FLAGGED}


def _tag(uri: Any) -> int | None:
    text = uri.get("PropertyTag")
    if not text:
        return None
    try:
        return int(text, 0)
    except ValueError:
        return None


def _hex(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return base64.b64decode(text).hex() or None
    except (binascii.Error, ValueError):
        return None


def message_from_xml(elem: Any) -> RemoteItem:
    """A t:Message element (as SyncFolderItems and GetItem return it) as a RemoteItem."""
    values: dict[str, Any] = {"kind": ItemKind.MESSAGE}
    mark: dict[str, str] = {}
    for child in elem:
        tag = child.tag[len(_T) :] if child.tag.startswith(_T) else ""
        if tag == "ItemId":
            values["id"] = child.get("Id")
            values["change_key"] = child.get("ChangeKey")
        elif tag == "Subject":
            values["subject"] = child.text or ""
        elif tag == "ItemClass":
            values["item_class"] = child.text or "IPM.Note"
        elif tag == "Sensitivity":
            values["sensitivity"] = _SENSITIVITY.get(child.text or "", "normal")
        elif tag == "Importance":
            values["importance"] = child.text or "Normal"
        elif tag == "Categories":
            values["categories"] = tuple(s.text or "" for s in child.iterfind(f"{_T}String"))
        elif tag == "DateTimeReceived":
            values["received_at"] = _moment(child.text)
        elif tag == "DateTimeSent":
            values["sent_at"] = _moment(child.text)
        elif tag == "LastModifiedTime":
            values["modified_at"] = _moment(child.text)
        elif tag == "HasAttachments":
            values["has_attachments"] = _bool(child.text)
        elif tag == "IsRead":
            values["is_read"] = _bool(child.text)
        elif tag == "IsDraft":
            values["is_draft"] = _bool(child.text)
        elif tag == "InternetMessageId":
            values["message_id"] = child.text or None
        elif tag == "InReplyTo":
            values["in_reply_to"] = child.text or None
        elif tag == "References":
            values["references"] = tuple((child.text or "").split())
        elif tag == "ConversationId":
            values["conversation_id"] = child.get("Id")
        elif tag == "ConversationIndex":
            values["conversation_index"] = _hex(child.text)
        elif tag == "From" or (tag == "Sender" and "sender" not in values):
            found = child.find(f"{_T}Mailbox")
            values["sender"] = _mailbox(found) if found is not None else None
        elif tag == "ToRecipients":
            values["to"] = _mailboxes(child)
        elif tag == "CcRecipients":
            values["cc"] = _mailboxes(child)
        elif tag == "BccRecipients":
            values["bcc"] = _mailboxes(child)
        elif tag == "ExtendedProperty":
            uri = child.find(f"{_T}ExtendedFieldURI")
            if uri is not None and _tag(uri) == FLAG_STATUS_TAG:
                values["flag"] = _FLAGS.get(child.findtext(f"{_T}Value") or "", FlagStatus.NONE)
            elif (
                uri is not None and (uri.get("PropertySetId") or "").lower() == LIAISON_PROPERTY_SET
            ):
                name = _MARK_FIELDS.get(uri.get("PropertyName") or "")
                if name:
                    mark[name] = child.findtext(f"{_T}Value") or ""
    values["mark"] = _mark(mark)
    return RemoteItem(**values)


def body_from_xml(elem: Any) -> tuple[str, Body]:
    """The item id and body of a t:Message element returned by GetItem, with what its
    t:Attachments say of each attachment."""
    item_id = elem.find(f"{_T}ItemId")
    body = elem.find(f"{_T}Body")
    text_body = elem.findtext(f"{_T}TextBody")
    html = body.text if body is not None and body.get("BodyType") == "HTML" else None
    text = text_body
    if text is None and body is not None and body.get("BodyType") != "HTML":
        text = body.text or ""
    if text is None and html is not None:
        text = html_to_text(html)
    listed = elem.find(f"{_T}Attachments")
    attachments = tuple(
        found
        for found in (_attachment(child) for child in (listed if listed is not None else ()))
        if found is not None
    )
    item = item_id.get("Id") if item_id is not None else ""
    return item, Body(text=text, html=html, attachments=attachments)


def _attachment(elem: Any) -> RemoteAttachment | None:
    """A t:FileAttachment or t:ItemAttachment as listed on its item."""
    kind = elem.tag[len(_T) :] if elem.tag.startswith(_T) else ""
    attachment_id = elem.find(f"{_T}AttachmentId")
    if kind not in ("FileAttachment", "ItemAttachment") or attachment_id is None:
        return None
    size = elem.findtext(f"{_T}Size")
    return RemoteAttachment(
        id=attachment_id.get("Id") or "",
        name=elem.findtext(f"{_T}Name") or "",
        size=int(size) if size and size.isdigit() else None,
        content_type=elem.findtext(f"{_T}ContentType") or None,
        inline=_bool(elem.findtext(f"{_T}IsInline")),
        content_id=elem.findtext(f"{_T}ContentId") or None,
        is_item=kind == "ItemAttachment",
    )


# Writing marks and states: t:ItemChange elements as XML text. Building them node by node
# through exchangelib cost about 0.4 ms a mark, a fifth of a first sync that tracks everything;
# text costs a few microseconds, and the whole UpdateItem's changes are parsed once, in C.

_PROPERTY_TYPES = {"LinkState": "Integer"}
_ITEM_ELEMENTS = {
    ItemKind.MESSAGE: "t:Message",
    ItemKind.APPOINTMENT: "t:CalendarItem",
    ItemKind.TASK: "t:Task",
}


def _text(value: str) -> str:
    """Element content: characters XML 1.0 cannot carry replaced, as exchangelib does."""
    return escape(safe_xml_value(value))


def _attributes(values: dict[str, str]) -> str:
    return "".join(f" {name}={quoteattr(safe_xml_value(value))}" for name, value in values.items())


def _uri(values: dict[str, str]) -> str:
    return f"<t:ExtendedFieldURI{_attributes(values)}/>"


def _extended_uri(name: str) -> str:
    return _uri(
        {
            "PropertySetId": LIAISON_PROPERTY_SET,
            "PropertyName": name,
            "PropertyType": _PROPERTY_TYPES.get(name, "String"),
        }
    )


def _tagged_uri(tag: int, property_type: str) -> str:
    return _uri({"PropertyTag": hex(tag), "PropertyType": property_type})


_MARK_URIS = {
    name: _extended_uri(name)
    for name in ("LinkState", "ActivityId", "Regarding", "TrackCategory", "ClientId")
}
_FLAG_REQUEST_URI = _uri(
    {
        "PropertySetId": COMMON_PROPERTY_SET,
        "PropertyId": str(FLAG_REQUEST_ID),
        "PropertyType": "String",
    }
)
_CATEGORIES_URI = '<t:FieldURI FieldURI="item:Categories"/>'


def _set_field(uri: str, element: str, value: str) -> str:
    return f"<t:SetItemField>{uri}<{element}>{value}</{element}></t:SetItemField>"


def _set_extended(element: str, uri: str, value: str) -> str:
    prop = f"<t:ExtendedProperty>{uri}<t:Value>{_text(value)}</t:Value></t:ExtendedProperty>"
    return _set_field(uri, element, prop)


def _delete_field(uri: str) -> str:
    return f"<t:DeleteItemField>{uri}</t:DeleteItemField>"


def _item_change(item_id: str, change_key: str | None, updates: list[str]) -> str:
    ids = {"Id": item_id, "ChangeKey": change_key} if change_key else {"Id": item_id}
    return (
        f"<t:ItemChange><t:ItemId{_attributes(ids)}/>"
        f"<t:Updates>{''.join(updates)}</t:Updates></t:ItemChange>"
    )


def _message_element(name: str, children: Sequence[str]) -> Any:
    """An m: element of a request holding these t: elements' texts, parsed in one go."""
    return etree.fromstring(
        f'<m:{name} xmlns:m="{MNS}" xmlns:t="{TNS}">{"".join(children)}</m:{name}>'
    )


def item_ids_element(ids: Sequence[str]) -> Any:
    """The m:ItemIds element of a GetItem naming these items."""
    return _message_element("ItemIds", [f"<t:ItemId{_attributes({'Id': i})}/>" for i in ids])


def mark_item_change(
    kind: ItemKind, item_id: str, change_key: str | None, categories: list[str], mark: RemoteMark
) -> str:
    """One t:ItemChange that sets the categories and Liaison's properties (absent ones deleted)."""
    element = _ITEM_ELEMENTS[kind]
    if categories:
        listed = "".join(f"<t:String>{_text(category)}</t:String>" for category in categories)
        updates = [_set_field(_CATEGORIES_URI, element, f"<t:Categories>{listed}</t:Categories>")]
    else:
        updates = [_delete_field(_CATEGORIES_URI)]
    values = {
        "LinkState": str(int(mark.link_state)) if mark.link_state is not None else None,
        "ActivityId": str(mark.activity_id) if mark.activity_id is not None else None,
        "Regarding": mark.regarding,
        "TrackCategory": mark.category,
        "ClientId": mark.client_id,
    }
    for name, value in values.items():
        uri = _MARK_URIS[name]
        updates.append(_delete_field(uri) if value is None else _set_extended(element, uri, value))
    return _item_change(item_id, change_key, updates)


def client_id_change(item_id: str, client_id: str) -> str:
    """One t:ItemChange that stamps an outbox entry's client id on a message, nothing else."""
    return _item_change(
        item_id, None, [_set_extended("t:Message", _MARK_URIS["ClientId"], client_id)]
    )


_IS_READ_URI = '<t:FieldURI FieldURI="message:IsRead"/>'
_FLAG_STATUS_URI = _tagged_uri(FLAG_STATUS_TAG, "Integer")
_FOLLOWUP_ICON_URI = _tagged_uri(FOLLOWUP_ICON_TAG, "Integer")
_FLAG_COMPLETE_TIME_URI = _tagged_uri(FLAG_COMPLETE_TIME_TAG, "SystemTime")


def state_change(
    item_id: str, is_read: bool | None, flag: FlagStatus | None, completed_at: datetime
) -> str:
    """One t:ItemChange that sets a message's read state and its follow-up flag, as Outlook
    writes a flag (MS-OXOFLAG): the status, the red icon while flagged, "Follow up", and the
    completion time once complete."""
    updates: list[str] = []
    if is_read is not None:
        value = "true" if is_read else "false"
        updates.append(_set_field(_IS_READ_URI, "t:Message", f"<t:IsRead>{value}</t:IsRead>"))
    if flag is FlagStatus.NONE:
        updates += [
            _delete_field(uri)
            for uri in (
                _FLAG_STATUS_URI,
                _FOLLOWUP_ICON_URI,
                _FLAG_COMPLETE_TIME_URI,
                _FLAG_REQUEST_URI,
            )
        ]
    elif flag is FlagStatus.FLAGGED:
        updates += [
            _set_extended("t:Message", _FLAG_STATUS_URI, "2"),
            _set_extended("t:Message", _FOLLOWUP_ICON_URI, str(RED_FLAG_ICON)),
            _set_extended("t:Message", _FLAG_REQUEST_URI, "Follow up"),
            _delete_field(_FLAG_COMPLETE_TIME_URI),
        ]
    elif flag is FlagStatus.COMPLETE:
        moment = completed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        updates += [
            _set_extended("t:Message", _FLAG_STATUS_URI, "1"),
            _set_extended("t:Message", _FLAG_COMPLETE_TIME_URI, moment),
            _delete_field(_FOLLOWUP_ICON_URI),
        ]
    return _item_change(item_id, None, updates)
