"""Mailbox objects in Graph's JSON: message, mailFolder, attachment, extended properties.

A message's MAPI properties are the ones EWS reads and writes (one store), so a property Graph
names "String {guid} Name LinkState" is the one EWS names by PropertySetId and PropertyName.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from ..bodies import as_type, plain_text
from ..extended import ExtendedField, ExtendedKey, ExtendedValue, parse_field
from ..model import Attachment, Folder, Item, Mailbox
from ..values import Address, Body
from ..xmlkit import escape_attr, parse_fragment
from . import resources
from .wire import bad_request

FLAG_STATUS_TAG = 0x1090
_FLAGS = {"2": "flagged", "1": "complete"}
_PROPERTY_ID = re.compile(
    r"^(?P<type>\w+)\s+(?:(?P<tag>0x[0-9a-f]{1,4})|\{(?P<set>[0-9a-f-]{36})\}\s+"
    r"(?:Name\s+(?P<name>\S.*)|Id\s+(?P<number>0x[0-9a-f]+)))$",
    re.IGNORECASE,
)
# Graph's Edm types for MAPI types it names differently.
_GRAPH_TYPES = {"string": "String", "integer": "Integer", "boolean": "Boolean"}
_GRAPH_TYPES.update({"systemtime": "SystemTime", "binary": "Binary", "long": "Long"})
_GRAPH_TYPES.update({"double": "Double", "short": "Short", "float": "Float"})


def moment(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def recipient(address: Address) -> dict[str, Any]:
    return {"emailAddress": {"name": address.name or address.email, "address": address.email}}


def address_of(value: Any) -> Address:
    try:
        email = value["emailAddress"]
        return Address(str(email["address"]), str(email.get("name") or ""))
    except (KeyError, TypeError) as error:
        raise bad_request("A recipient needs emailAddress.address.") from error


# --- extended properties --------------------------------------------------------------


def property_field(property_id: str) -> ExtendedField:
    """The MAPI property a Graph extended property id names."""
    match = _PROPERTY_ID.match(property_id.strip())
    if match is None:
        raise bad_request(f"'{property_id}' is not a valid extended property id.")
    property_type = _GRAPH_TYPES.get(match["type"].lower())
    if property_type is None:
        raise bad_request(f"'{match['type']}' is not a supported property type.")
    attrs = {"PropertyType": property_type}
    if match["tag"]:
        attrs["PropertyTag"] = match["tag"]
    else:
        attrs["PropertySetId"] = match["set"]
        if match["name"]:
            attrs["PropertyName"] = match["name"].strip()
        else:
            attrs["PropertyId"] = str(int(match["number"], 16))
    rendered = "".join(f' {name}="{escape_attr(value)}"' for name, value in attrs.items())
    fragment = f"<t:ExtendedFieldURI{rendered}/>"
    return parse_field(parse_fragment(fragment))


def property_id(key: ExtendedKey, property_type: str) -> str:
    if key.tag is not None:
        return f"{property_type} 0x{key.tag:04x}"
    if key.name is not None:
        return f"{property_type} {{{key.property_set}}} Name {key.name}"
    return f"{property_type} {{{key.property_set}}} Id 0x{key.number or 0:04x}"


def extended_json(item: Item | Folder, wanted: list[ExtendedKey] | None) -> list[dict[str, str]]:
    """The single-value extended properties an item has of those wanted (None: all)."""
    found = []
    for key, value in item.extended.items():
        if isinstance(value.value, tuple) or (wanted is not None and key not in wanted):
            continue
        found.append({"id": property_id(key, value.field.property_type), "value": value.value})
    return found


def extended_value(entry: Any) -> ExtendedValue:
    try:
        field = property_field(str(entry["id"]))
        text = entry["value"]
    except (KeyError, TypeError) as error:
        raise bad_request("An extended property needs an id and a value.") from error
    if not isinstance(text, str):
        raise bad_request("An extended property's value is a string.")
    if field.property_type in ("Integer", "Long", "Short"):
        try:
            text = str(int(text.strip()))
        except ValueError as error:
            raise bad_request(f"'{text}' is not a valid {field.property_type}.") from error
    return ExtendedValue(field, text)


# --- messages ---------------------------------------------------------------------------


def flag_status(item: Item) -> str:
    value = item.extended.get(ExtendedKey(None, None, None, FLAG_STATUS_TAG))
    return _FLAGS.get(str(value.value) if value else "", "notFlagged")


def body_json(item: Item, content_type: str) -> dict[str, str]:
    body = item.props.get("Body") or Body("Text", "")
    wanted = "Text" if content_type == "text" else "HTML"
    shown = as_type(body, wanted)
    return {"contentType": "text" if shown.body_type == "Text" else "html", "content": shown.text}


def message_json(
    mailbox: Mailbox,
    item: Item,
    select: set[str] | None = None,
    extended: list[ExtendedKey] | None = None,
    body_type: str = "html",
) -> dict[str, Any]:
    props = item.props
    conversation = props.get("ConversationIndex") or b""
    sender = props.get("Sender") or props.get("From")
    value: dict[str, Any] = {
        "createdDateTime": moment(props.get("DateTimeCreated")),
        "lastModifiedDateTime": moment(
            props.get("LastModifiedTime") or props.get("DateTimeCreated")
        ),
        "changeKey": resources.change_key(item),
        "categories": list(props.get("Categories", [])),
        "receivedDateTime": moment(props.get("DateTimeReceived")),
        "sentDateTime": moment(props.get("DateTimeSent")),
        "hasAttachments": any(not a.is_inline for a in item.attachments),
        "internetMessageId": props.get("InternetMessageId"),
        "subject": props.get("Subject", ""),
        "bodyPreview": plain_text(props.get("Body"))[:255],
        "importance": str(props.get("Importance", "Normal")).lower(),
        "parentFolderId": resources.folder_rest_id(mailbox, mailbox.folders[item.folder]),
        "conversationId": resources.rest_id(
            base64.b64encode(b"\x01" + conversation[:22]).decode("ascii")
        ),
        "conversationIndex": base64.b64encode(conversation).decode("ascii"),
        "isRead": bool(props.get("IsRead", False)),
        "isDraft": bool(props.get("IsDraft", False)),
        "inferenceClassification": "focused",
        "body": body_json(item, body_type),
        "sender": recipient(sender) if sender else None,
        "from": recipient(props["From"]) if props.get("From") else None,
        "toRecipients": [recipient(a) for a in props.get("ToRecipients", [])],
        "ccRecipients": [recipient(a) for a in props.get("CcRecipients", [])],
        "bccRecipients": [recipient(a) for a in props.get("BccRecipients", [])],
        "replyTo": [recipient(a) for a in props.get("ReplyTo", [])],
        "flag": {"flagStatus": flag_status(item)},
    }
    if select is not None:
        value = {name: v for name, v in value.items() if name in select}
        if "internetMessageHeaders" in select:
            value["internetMessageHeaders"] = [
                {"name": name, "value": text} for name, text in item.headers
            ]
    answer: dict[str, Any] = {
        "@odata.etag": resources.etag(item),
        "id": resources.item_rest_id(mailbox, item),
    }
    answer.update(value)
    if extended is not None:
        answer["singleValueExtendedProperties"] = extended_json(item, extended)
    return answer


def attachment_json(mailbox: Mailbox, item: Item, attachment: Attachment) -> dict[str, Any]:
    kind = "fileAttachment" if attachment.is_file else "itemAttachment"
    value: dict[str, Any] = {
        "@odata.type": f"#microsoft.graph.{kind}",
        "id": resources.attachment_rest_id(mailbox, item, attachment),
        "lastModifiedDateTime": moment(attachment.last_modified),
        "name": attachment.name,
        "contentType": attachment.content_type,
        "size": attachment.size,
        "isInline": attachment.is_inline,
    }
    if attachment.is_file:
        value["contentId"] = attachment.content_id
        value["contentLocation"] = attachment.content_location
    return value


# --- folders ----------------------------------------------------------------------------


def folder_json(mailbox: Mailbox, folder: Folder) -> dict[str, Any]:
    parent = mailbox.folders.get(folder.parent) if folder.parent else None
    return {
        "id": resources.folder_rest_id(mailbox, folder),
        "displayName": folder.name,
        "parentFolderId": resources.folder_rest_id(mailbox, parent) if parent else None,
        "childFolderCount": len(mailbox.children_of(folder)),
        "unreadItemCount": folder.unread_count,
        "totalItemCount": len(folder.items),
        "isHidden": False,
    }


def is_mail_folder(folder: Folder) -> bool:
    """What Graph lists as mailFolders: folders of mail (IPF.Note, or no class)."""
    return folder.folder_class is None or folder.folder_class.startswith("IPF.Note")
