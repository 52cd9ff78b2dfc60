"""/me/messages and a folder's messages: delta, read, patch, delete, move, copy, drafts (JSON or
MIME), send and sendMail, attachments, and mail tips (the send size limit)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .. import deletion
from ..context import Context
from ..errors import EwsError
from ..extended import ExtendedKey, ExtendedValue
from ..itemwrite import finalize
from ..mime import MimeError, generate, parse
from ..model import Attachment, Item
from ..schema import MESSAGE_TYPES
from ..sending import send_message
from ..store import duplicate, new_guid
from ..values import Address, Body, now
from . import query, resources, shapes
from .folders import DELTA, FOLDER, item_delta
from .routes import route
from .wire import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    json_response,
    no_content,
)

MESSAGE = r"(?P<message_id>[^/]+)"
ATTACHMENT = r"(?P<attachment_id>[^/]+)"
_FLAG_VALUES = {"flagged": "2", "complete": "1"}
_FLAG_KEY = ExtendedKey(None, None, None, shapes.FLAG_STATUS_TAG)
_RECIPIENTS = {
    "toRecipients": "ToRecipients",
    "ccRecipients": "CcRecipients",
    "bccRecipients": "BccRecipients",
    "replyTo": "ReplyTo",
}


def _context(request: GraphRequest) -> Context:
    return Context(request.store, request.mailbox, request.services)


def _message(request: GraphRequest, item: Item) -> dict[str, Any]:
    value = shapes.message_json(
        request.mailbox,
        item,
        query.select(request),
        query.expanded_properties(request),
        query.body_type(request),
    )
    fields = query.expanded_attachments(request)
    if fields is not None:
        value["attachments"] = [
            _attachment_json(request, item, a, fields) for a in item.attachments
        ]
    return value


def _attachment_json(
    request: GraphRequest, item: Item, attachment: Attachment, fields: set[str]
) -> dict[str, Any]:
    value = shapes.attachment_json(request.mailbox, item, attachment)
    if attachment.is_file:
        value["contentBytes"] = base64.b64encode(attachment.content).decode("ascii")
    if not fields:
        return value
    kept = {"@odata.type", "id"} | fields
    return {name: v for name, v in value.items() if name in kept}


# --- delta ------------------------------------------------------------------------------


@route("GET", f"/me/mailFolders/{FOLDER}/messages/{DELTA}")
def messages_delta(request: GraphRequest, folder_id: str) -> GraphResponse:
    mailbox = request.mailbox
    folder = resources.folder(mailbox, folder_id)
    if request.query.get("$expand"):
        raise bad_request("$expand is not supported on a delta query of messages.")
    select = query.select(request)
    body_type = query.body_type(request)
    return item_delta(
        request,
        folder,
        # Graph v1.0's links name the folder in OData's key syntax (message: delta).
        f"/me/mailfolders('{folder_id}')/messages/delta",
        "#microsoft.graph.message",
        lambda item: shapes.message_json(mailbox, item, select, None, body_type),
        # An appointment or a task is not a message: Graph lists it as an event or a task.
        lambda item: item.item_type in MESSAGE_TYPES,
    )


# --- reading ----------------------------------------------------------------------------


@route("GET", f"/me/mailFolders/{FOLDER}/messages")
def list_messages(request: GraphRequest, folder_id: str) -> GraphResponse:
    folder = resources.folder(request.mailbox, folder_id)
    wanted = query.message_filter(request)
    size = query.page_size(request)
    skip = int(request.query.get("$skip", "0") or 0)
    found = [item for item in folder.items.values() if wanted(item)]
    found.sort(key=lambda item: item.props.get("DateTimeReceived") or now(), reverse=True)
    page = found[skip : skip + size]
    answer: dict[str, Any] = {"value": [_message(request, item) for item in page]}
    if skip + size < len(found):
        answer["@odata.nextLink"] = (
            f"{request.base_url}/me/mailFolders/{folder_id}/messages?$skip={skip + size}"
            f"&$top={size}"
        )
    return json_response(answer)


@route("GET", f"/me/messages/{MESSAGE}")
def get_message(request: GraphRequest, message_id: str) -> GraphResponse:
    return json_response(_message(request, resources.item(request.mailbox, message_id)))


@route("GET", f"/me/messages/{MESSAGE}/\\$value")
def get_mime(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    return GraphResponse(200, generate(item), "text/plain")


# --- writing ----------------------------------------------------------------------------


def _apply(request: GraphRequest, item: Item, values: dict[str, Any], draft: bool) -> set[object]:
    """Write Graph message properties to an item; the properties changed."""
    props = item.props
    changed: set[object] = set()
    for name, value in values.items():
        if name == "categories":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad_request("categories is a list of strings.")
            props["Categories"] = list(dict.fromkeys(value))
            if not props["Categories"]:
                del props["Categories"]
            changed.add("Categories")
        elif name == "isRead":
            props["IsRead"] = bool(value)
            changed.add("IsRead")
        elif name == "flag":
            status = (value or {}).get("flagStatus", "notFlagged")
            if status == "notFlagged":
                item.extended.pop(_FLAG_KEY, None)
            elif status in _FLAG_VALUES:
                flag_field = shapes.property_field("Integer 0x1090")
                item.extended[_FLAG_KEY] = ExtendedValue(flag_field, _FLAG_VALUES[status])
            else:
                raise bad_request(f"'{status}' is not a flag status.")
            changed.add(_FLAG_KEY)
        elif name == "singleValueExtendedProperties":
            for entry in value or []:
                extended = shapes.extended_value(entry)
                item.extended[extended.field.key] = extended
                changed.add(extended.field.key)
        elif name in ("subject", "body", "importance", *_RECIPIENTS, "internetMessageId"):
            if not draft:
                raise GraphError(
                    400,
                    "ErrorInvalidPropertyUpdateSentMessage",
                    "Update operation is invalid for property of a sent message.",
                )
            _apply_content(props, name, value)
            changed.add(name)
        elif name in ("@odata.type", "id", "@odata.etag", "changeKey"):
            continue
        elif name == "attachments":
            for entry in value or []:
                item.attachments.append(_attachment(entry))
            changed.add("Attachments")
        else:
            raise bad_request(f"The property '{name}' does not exist on type 'message'.")
    if changed:
        item.mime = None
        props["LastModifiedTime"] = now()
    return changed


def _apply_content(props: dict[str, Any], name: str, value: Any) -> None:
    if name == "subject":
        props["Subject"] = str(value or "")
    elif name == "body":
        kind = "HTML" if str((value or {}).get("contentType", "text")).lower() == "html" else "Text"
        props["Body"] = Body(kind, str((value or {}).get("content", "")))
    elif name == "importance":
        props["Importance"] = str(value or "normal").capitalize()
    elif name == "internetMessageId":
        props["InternetMessageId"] = str(value)
    else:
        addresses = [shapes.address_of(entry) for entry in value or []]
        if addresses:
            props[_RECIPIENTS[name]] = addresses
        else:
            props.pop(_RECIPIENTS[name], None)


def _attachment(entry: Any) -> Attachment:
    if not isinstance(entry, dict) or entry.get("@odata.type") != "#microsoft.graph.fileAttachment":
        raise bad_request("Only file attachments can be added here.")
    try:
        content = base64.b64decode(str(entry.get("contentBytes", "")), validate=True)
    except binascii.Error as error:
        raise bad_request("contentBytes is not base64.") from error
    return Attachment(
        uuid=new_guid(),
        name=str(entry.get("name") or "attachment"),
        content_type=str(entry.get("contentType") or "application/octet-stream"),
        content=content,
        content_id=entry.get("contentId"),
        is_inline=bool(entry.get("isInline", False)),
        last_modified=now(),
    )


@route("PATCH", f"/me/messages/{MESSAGE}")
def patch_message(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    resources.check_etag(request.headers, item)
    values = request.json()
    changed = _apply(request, item, values, bool(item.props.get("IsDraft")))
    if changed:
        if set(changed) & {"subject", "body", *_RECIPIENTS, "Attachments"}:
            finalize(item, request.mailbox, request.store.mailboxes)
        request.store.item_changed(request.mailbox, item, changed, changed == {"IsRead"})
    return json_response(_message(request, item))


def _new_draft(request: GraphRequest) -> Item:
    """A draft from a JSON message, or from MIME (base64 in a text/plain body)."""
    mailbox = request.mailbox
    if request.headers.get("content-type", "").startswith("text/plain"):
        try:
            parsed = parse(base64.b64decode(request.body, validate=True))
        except (binascii.Error, MimeError) as error:
            raise bad_request(
                "Invalid base64 string for MIME content.", "ErrorMimeContentInvalidBase64String"
            ) from error
        item = Item(
            uuid=new_guid(),
            item_type="Message",
            folder=b"",
            props=parsed.props,
            attachments=parsed.attachments,
            headers=parsed.headers,
        )
    else:
        item = Item(uuid=new_guid(), item_type="Message", folder=b"", props={})
        _apply(request, item, request.json(), draft=True)
    stamp = now()
    props = item.props
    props.update({"IsDraft": True, "IsRead": True, "ItemClass": "IPM.Note"})
    props.setdefault("DateTimeCreated", stamp)
    props.setdefault("From", Address(mailbox.address, mailbox.display_name))
    props.setdefault("Body", Body("Text", ""))
    item.mime = None
    finalize(item, mailbox, request.store.mailboxes)
    return item


@route("POST", "/me/messages")
def create_draft(request: GraphRequest) -> GraphResponse:
    item = _new_draft(request)
    request.store.add_item(request.mailbox, request.mailbox.distinguished["drafts"], item)
    return json_response(_message(request, item), 201)


@route("POST", f"/me/mailFolders/{FOLDER}/messages")
def create_in_folder(request: GraphRequest, folder_id: str) -> GraphResponse:
    folder = resources.folder(request.mailbox, folder_id)
    item = _new_draft(request)
    request.store.add_item(request.mailbox, folder, item)
    return json_response(_message(request, item), 201)


@route("DELETE", f"/me/messages/{MESSAGE}")
def delete_message(request: GraphRequest, message_id: str) -> GraphResponse:
    """Graph's DELETE moves the message to Deleted Items (from there: to Recoverable Items)."""
    item = resources.item(request.mailbox, message_id)
    deletion.delete_item(request.store, request.mailbox, item, "MoveToDeletedItems")
    return no_content()


@route("POST", f"/me/messages/{MESSAGE}/permanentDelete")
def permanent_delete(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    deletion.delete_item(request.store, request.mailbox, item, "SoftDelete")
    return no_content()


def _destination(request: GraphRequest) -> Any:
    target = request.json().get("destinationId")
    if not isinstance(target, str) or not target:
        raise bad_request("destinationId is required.", "ErrorInvalidParameter")
    return resources.folder(request.mailbox, target)


@route("POST", f"/me/messages/{MESSAGE}/move")
def move_message(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    destination = _destination(request)
    moved = request.store.move_item(request.mailbox, item, destination)
    return json_response(_message(request, moved), 201)


@route("POST", f"/me/messages/{MESSAGE}/copy")
def copy_message(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    destination = _destination(request)
    placed = request.store.copy_item(request.mailbox, item, destination, duplicate(item))
    return json_response(_message(request, placed), 201)


# --- sending ----------------------------------------------------------------------------


def _send(request: GraphRequest, item: Item, save: bool) -> None:
    sent = request.mailbox.distinguished["sentitems"] if save else None
    try:
        send_message(_context(request), request.mailbox, item, sent)
    except EwsError as error:
        if error.code == "ErrorMessageSizeExceeded":
            raise GraphError(
                413, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size."
            ) from error
        if error.code == "ErrorInvalidRecipients":
            raise bad_request(
                "At least one recipient is not valid.", "ErrorInvalidRecipients"
            ) from error
        raise


@route("POST", f"/me/messages/{MESSAGE}/send")
def send_draft(request: GraphRequest, message_id: str) -> GraphResponse:
    mailbox = request.mailbox
    draft = resources.item(mailbox, message_id)
    if not draft.props.get("IsDraft"):
        raise bad_request("Only a draft can be sent.", "ErrorInvalidOperation")
    outgoing = duplicate(draft)
    _send(request, outgoing, save=True)
    request.store.remove_item(mailbox, draft)
    return GraphResponse(202, b"", "")


@route("POST", "/me/sendMail")
def send_mail(request: GraphRequest) -> GraphResponse:
    if request.headers.get("content-type", "").startswith("text/plain"):
        item = _new_draft(request)
        save = True
    else:
        values = request.json()
        message = values.get("message")
        if not isinstance(message, dict):
            raise bad_request("sendMail needs a message.", "ErrorInvalidParameter")
        item = Item(uuid=new_guid(), item_type="Message", folder=b"", props={})
        _apply(request, item, message, draft=True)
        item.props.setdefault("Body", Body("Text", ""))
        save = values.get("saveToSentItems", True) is not False
    item.props["ItemClass"] = "IPM.Note"
    _send(request, item, save)
    return GraphResponse(202, b"", "")


@route("POST", "/me/getMailTips")
def mail_tips(request: GraphRequest) -> GraphResponse:
    values = request.json()
    addresses = values.get("EmailAddresses") or values.get("emailAddresses") or []
    limit = request.mailbox.settings.max_send_size
    return json_response(
        {
            "value": [
                {"emailAddress": {"address": address}, "maxMessageSize": limit}
                for address in addresses
            ]
        }
    )


# --- attachments ------------------------------------------------------------------------


@route("GET", f"/me/messages/{MESSAGE}/attachments")
def list_attachments(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    listed = [shapes.attachment_json(request.mailbox, item, a) for a in item.attachments]
    return json_response({"value": listed})


@route("GET", f"/me/messages/{MESSAGE}/attachments/{ATTACHMENT}")
def get_attachment(request: GraphRequest, message_id: str, attachment_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    found = resources.attachment(request.mailbox, item, attachment_id)
    return json_response(_attachment_json(request, item, found, set()))


@route("GET", f"/me/messages/{MESSAGE}/attachments/{ATTACHMENT}/\\$value")
def attachment_value(request: GraphRequest, message_id: str, attachment_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    found = resources.attachment(request.mailbox, item, attachment_id)
    if found.is_file:
        return GraphResponse(200, found.content, found.content_type)
    return GraphResponse(200, found.embedded_item.encode("utf-8"), "message/rfc822")


@route("POST", f"/me/messages/{MESSAGE}/attachments")
def add_attachment(request: GraphRequest, message_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    attachment = _attachment(request.json())
    item.attachments.append(attachment)
    item.mime = None
    finalize(item, request.mailbox, request.store.mailboxes)
    request.store.item_changed(request.mailbox, item, {"Attachments"})
    return json_response(shapes.attachment_json(request.mailbox, item, attachment), 201)


@route("DELETE", f"/me/messages/{MESSAGE}/attachments/{ATTACHMENT}")
def delete_attachment(request: GraphRequest, message_id: str, attachment_id: str) -> GraphResponse:
    item = resources.item(request.mailbox, message_id)
    found = resources.attachment(request.mailbox, item, attachment_id)
    item.attachments.remove(found)
    item.mime = None
    finalize(item, request.mailbox, request.store.mailboxes)
    request.store.item_changed(request.mailbox, item, {"Attachments"})
    return no_content()
