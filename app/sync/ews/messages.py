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
from datetime import UTC, datetime
from typing import Any

from exchangelib.util import TNS, add_xml_child, create_element

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


# Writing marks

_PROPERTY_TYPES = {"LinkState": "Integer"}
_ITEM_ELEMENTS = {
    ItemKind.MESSAGE: "t:Message",
    ItemKind.APPOINTMENT: "t:CalendarItem",
    ItemKind.TASK: "t:Task",
}


def _extended_uri(name: str) -> dict[str, str]:
    return {
        "PropertySetId": LIAISON_PROPERTY_SET,
        "PropertyName": name,
        "PropertyType": _PROPERTY_TYPES.get(name, "String"),
    }


def _tagged_uri(tag: int, property_type: str) -> dict[str, str]:
    return {"PropertyTag": hex(tag), "PropertyType": property_type}


_FLAG_REQUEST_URI = {
    "PropertySetId": COMMON_PROPERTY_SET,
    "PropertyId": str(FLAG_REQUEST_ID),
    "PropertyType": "String",
}


def _set_extended(element: str, uri: dict[str, str], value: str) -> Any:
    set_field = create_element("t:SetItemField")
    set_field.append(create_element("t:ExtendedFieldURI", attrs=uri))
    item = create_element(element)
    prop = create_element("t:ExtendedProperty")
    prop.append(create_element("t:ExtendedFieldURI", attrs=uri))
    add_xml_child(prop, "t:Value", value)
    item.append(prop)
    set_field.append(item)
    return set_field


def _delete_extended(uri: dict[str, str]) -> Any:
    delete_field = create_element("t:DeleteItemField")
    delete_field.append(create_element("t:ExtendedFieldURI", attrs=uri))
    return delete_field


def _item_change(item_id: str, change_key: str | None, updates: list[Any]) -> Any:
    change = create_element("t:ItemChange")
    attrs = {"Id": item_id, "ChangeKey": change_key} if change_key else {"Id": item_id}
    change.append(create_element("t:ItemId", attrs=attrs))
    listed = create_element("t:Updates")
    for update in updates:
        listed.append(update)
    change.append(listed)
    return change


def mark_item_change(
    kind: ItemKind, item_id: str, change_key: str | None, categories: list[str], mark: RemoteMark
) -> Any:
    """One t:ItemChange that sets the categories and Liaison's properties (absent ones deleted)."""
    updates: list[Any] = []
    element = _ITEM_ELEMENTS[kind]
    if categories:
        set_field = create_element("t:SetItemField")
        set_field.append(create_element("t:FieldURI", attrs={"FieldURI": "item:Categories"}))
        item = create_element(element)
        listed = create_element("t:Categories")
        for category in categories:
            add_xml_child(listed, "t:String", category)
        item.append(listed)
        set_field.append(item)
        updates.append(set_field)
    else:
        delete_field = create_element("t:DeleteItemField")
        delete_field.append(create_element("t:FieldURI", attrs={"FieldURI": "item:Categories"}))
        updates.append(delete_field)
    values = {
        "LinkState": str(int(mark.link_state)) if mark.link_state is not None else None,
        "ActivityId": str(mark.activity_id) if mark.activity_id is not None else None,
        "Regarding": mark.regarding,
        "TrackCategory": mark.category,
        "ClientId": mark.client_id,
    }
    for name, value in values.items():
        uri = _extended_uri(name)
        updates.append(
            _delete_extended(uri) if value is None else _set_extended(element, uri, value)
        )
    return _item_change(item_id, change_key, updates)


def client_id_change(item_id: str, client_id: str) -> Any:
    """One t:ItemChange that stamps an outbox entry's client id on a message, nothing else."""
    uri = _extended_uri("ClientId")
    return _item_change(item_id, None, [_set_extended("t:Message", uri, client_id)])


def state_change(
    item_id: str, is_read: bool | None, flag: FlagStatus | None, completed_at: datetime
) -> Any:
    """One t:ItemChange that sets a message's read state and its follow-up flag, as Outlook
    writes a flag (MS-OXOFLAG): the status, the red icon while flagged, "Follow up", and the
    completion time once complete."""
    updates: list[Any] = []
    if is_read is not None:
        set_field = create_element("t:SetItemField")
        set_field.append(create_element("t:FieldURI", attrs={"FieldURI": "message:IsRead"}))
        message = create_element("t:Message")
        add_xml_child(message, "t:IsRead", "true" if is_read else "false")
        set_field.append(message)
        updates.append(set_field)
    status = _tagged_uri(FLAG_STATUS_TAG, "Integer")
    icon = _tagged_uri(FOLLOWUP_ICON_TAG, "Integer")
    complete_time = _tagged_uri(FLAG_COMPLETE_TIME_TAG, "SystemTime")
    if flag is FlagStatus.NONE:
        updates += [_delete_extended(uri) for uri in (status, icon, complete_time)]
        updates.append(_delete_extended(_FLAG_REQUEST_URI))
    elif flag is FlagStatus.FLAGGED:
        updates += [
            _set_extended("t:Message", status, "2"),
            _set_extended("t:Message", icon, str(RED_FLAG_ICON)),
            _set_extended("t:Message", _FLAG_REQUEST_URI, "Follow up"),
            _delete_extended(complete_time),
        ]
    elif flag is FlagStatus.COMPLETE:
        moment = completed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        updates += [
            _set_extended("t:Message", status, "1"),
            _set_extended("t:Message", complete_time, moment),
            _delete_extended(icon),
        ]
    return _item_change(item_id, None, updates)
