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
from collections.abc import Callable, Sequence
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
_ITEM_ID = f"{_T}ItemId"
_CATEGORIES = f"{_T}Categories"
_STRING = f"{_T}String"
_CONVERSATION_ID = f"{_T}ConversationId"
_FROM = f"{_T}From"
_SENDER = f"{_T}Sender"
_MAILBOX = f"{_T}Mailbox"
_NAME = f"{_T}Name"
_EMAIL_ADDRESS = f"{_T}EmailAddress"
_EXTENDED_PROPERTY = f"{_T}ExtendedProperty"
_EXTENDED_URI = f"{_T}ExtendedFieldURI"
_VALUE = f"{_T}Value"
_BODY = f"{_T}Body"
_TEXT_BODY = f"{_T}TextBody"
_ATTACHMENTS = f"{_T}Attachments"
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


def _children(elem: Any) -> dict[str, Any]:
    """An element's children by tag. Reading the children once is several times cheaper than a
    find() per field: lxml answers find() through its ElementPath module, in Python."""
    return {child.tag: child for child in elem}


def _text_of(elem: Any) -> str:
    """An element's text, as findtext() gives it: "" for an empty element or none."""
    return (elem.text if elem is not None else None) or ""


def _mailbox(elem: Any) -> Address | None:
    parts = _children(elem)
    email = _text_of(parts.get(_EMAIL_ADDRESS))
    if not email:
        return None
    return Address(email=email, name=_text_of(parts.get(_NAME)))


def _mailboxes(elem: Any) -> tuple[Address, ...]:
    found = (_mailbox(child) for child in elem if child.tag == _MAILBOX)
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


def _or_empty(text: str | None) -> str:
    return text or ""


def _or_none(text: str | None) -> str | None:
    return text or None


# Fields read from an element's text alone: the element's tag, the field, how its text reads.
_TEXT_FIELDS: dict[str, tuple[str, Callable[[str | None], Any]]] = {
    f"{_T}Subject": ("subject", _or_empty),
    f"{_T}ItemClass": ("item_class", lambda text: text or "IPM.Note"),
    f"{_T}Sensitivity": ("sensitivity", lambda text: _SENSITIVITY.get(text or "", "normal")),
    f"{_T}Importance": ("importance", lambda text: text or "Normal"),
    f"{_T}DateTimeReceived": ("received_at", _moment),
    f"{_T}DateTimeSent": ("sent_at", _moment),
    f"{_T}LastModifiedTime": ("modified_at", _moment),
    f"{_T}HasAttachments": ("has_attachments", _bool),
    f"{_T}IsRead": ("is_read", _bool),
    f"{_T}IsDraft": ("is_draft", _bool),
    f"{_T}InternetMessageId": ("message_id", _or_none),
    f"{_T}InReplyTo": ("in_reply_to", _or_none),
    f"{_T}References": ("references", lambda text: tuple((text or "").split())),
    f"{_T}ConversationIndex": ("conversation_index", _hex),
}
_RECIPIENTS = {f"{_T}ToRecipients": "to", f"{_T}CcRecipients": "cc", f"{_T}BccRecipients": "bcc"}


def _extended(elem: Any, values: dict[str, Any], mark: dict[str, str]) -> None:
    """A t:ExtendedProperty of a message: the follow-up flag, or a field of Liaison's mark."""
    parts = _children(elem)
    uri = parts.get(_EXTENDED_URI)
    if uri is None:
        return
    value = _text_of(parts.get(_VALUE))
    if _tag(uri) == FLAG_STATUS_TAG:
        values["flag"] = _FLAGS.get(value, FlagStatus.NONE)
    elif (uri.get("PropertySetId") or "").lower() == LIAISON_PROPERTY_SET:
        name = _MARK_FIELDS.get(uri.get("PropertyName") or "")
        if name:
            mark[name] = value


def message_from_xml(elem: Any) -> RemoteItem:
    """A t:Message element (as SyncFolderItems and GetItem return it) as a RemoteItem."""
    values: dict[str, Any] = {"kind": ItemKind.MESSAGE}
    mark: dict[str, str] = {}
    for child in elem:
        tag = child.tag
        field = _TEXT_FIELDS.get(tag)
        if field is not None:
            name, read = field
            values[name] = read(child.text)
        elif tag in _RECIPIENTS:
            values[_RECIPIENTS[tag]] = _mailboxes(child)
        elif tag == _EXTENDED_PROPERTY:
            _extended(child, values, mark)
        elif tag == _ITEM_ID:
            values["id"] = child.get("Id")
            values["change_key"] = child.get("ChangeKey")
        elif tag == _CATEGORIES:
            values["categories"] = tuple(s.text or "" for s in child if s.tag == _STRING)
        elif tag == _CONVERSATION_ID:
            values["conversation_id"] = child.get("Id")
        elif tag == _FROM or (tag == _SENDER and "sender" not in values):
            values["sender"] = next((_mailbox(box) for box in child if box.tag == _MAILBOX), None)
    values["mark"] = _mark(mark)
    return RemoteItem(**values)


def body_from_xml(elem: Any) -> tuple[str, Body]:
    """The item id and body of a t:Message element returned by GetItem, with what its
    t:Attachments say of each attachment."""
    parts = _children(elem)
    item_id = parts.get(_ITEM_ID)
    body = parts.get(_BODY)
    text_body = parts.get(_TEXT_BODY)
    html = body.text if body is not None and body.get("BodyType") == "HTML" else None
    text = None if text_body is None else _text_of(text_body)
    if text is None and body is not None and body.get("BodyType") != "HTML":
        text = body.text or ""
    if text is None and html is not None:
        text = html_to_text(html)
    listed = parts.get(_ATTACHMENTS)
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
