"""Turning request XML into item state: CreateItem item elements, UpdateItem changes, and the
properties the server derives after every write."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lxml import etree

from . import ids, mime
from .calendar import all_day_bounds, parse_series, zone_of
from .embedding import embedded_xml
from .errors import EwsError, field_uri_xml, schema_violation
from .extended import ExtendedKey, ExtendedValue, parse_field, parse_property
from .model import Attachment, Item, Mailbox
from .schema import (
    COMPUTED,
    ELEMENT_ORDER,
    ITEM_CLASSES,
    MESSAGE_TYPES,
    PREFIXES,
    FieldRef,
    kind_of,
    resolve_field_uri,
)
from .store import new_guid
from .values import Address, Body, now, parse_boolean
from .xmlkit import canonical, child, child_text, children, local_name, parse_fragment

# Properties a sent or received message no longer lets anyone change.
_FROZEN_AFTER_SEND = frozenset(
    [
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "From",
        "Sender",
        "InternetMessageId",
        "ReplyTo",
        "IsReadReceiptRequested",
        "IsDeliveryReceiptRequested",
        "MimeContent",
    ]
)
_APPENDABLE = frozenset(
    [
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "ReplyTo",
        "Categories",
        "RequiredAttendees",
        "OptionalAttendees",
        "Resources",
        "Body",
        "Companies",
        "Contacts",
        "Children",
        "Members",
    ]
)
Directory = Mapping[str, Mailbox]
_SUBJECT_PREFIX = re.compile(r"^\s*((re|aw|fw|fwd|wg|odp|pd|sv|vs|tr)\s*:\s*)+", re.IGNORECASE)


@dataclass
class ParsedItem:
    item_type: str
    props: dict[str, Any] = field(default_factory=dict)
    extended: dict[ExtendedKey, ExtendedValue] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    mime: bytes | None = None


def _uri_for(item_type: str, element_name: str) -> str:
    prefixes = {
        "Message": "message",
        "CalendarItem": "calendar",
        "Task": "task",
        "Contact": "contacts",
    }
    order = ELEMENT_ORDER["Item"]
    prefix = "item" if element_name in order else prefixes.get(item_type, "item")
    return f"{prefix}:{element_name}"


def invalid_set(item_type: str, element_name: str) -> EwsError:
    return EwsError(
        "ErrorInvalidPropertySet",
        message_xml=field_uri_xml(_uri_for(item_type, element_name)),
    )


def parse_attachment(elem: etree._Element) -> Attachment:
    kind = local_name(elem)
    name = child_text(elem, "Name") or ""
    content_type = child_text(elem, "ContentType") or "application/octet-stream"
    attachment = Attachment(
        uuid=new_guid(),
        name=name,
        content_type=content_type,
        content_id=child_text(elem, "ContentId"),
        content_location=child_text(elem, "ContentLocation"),
        is_inline=_flag(elem, "IsInline"),
        is_contact_photo=_flag(elem, "IsContactPhoto"),
        last_modified=now(),
    )
    if kind == "FileAttachment":
        try:
            attachment.content = base64.b64decode(child_text(elem, "Content") or "")
        except binascii.Error as error:
            raise schema_violation("The 'Content' element is not valid base64.") from error
        return attachment
    if kind == "ItemAttachment":
        embedded = [sub for sub in children(elem) if local_name(sub) in ELEMENT_ORDER]
        if not embedded:
            raise EwsError("ErrorMissingItemForCreateItemAttachment")
        attachment.embedded_item = canonical(embedded[0])
        attachment.content_type = "message/rfc822"
        return attachment
    raise schema_violation(f"The element '{kind}' is not an attachment.")


def _flag(elem: etree._Element, name: str) -> bool:
    text = child_text(elem, name)
    if text is None:
        return False
    try:
        return parse_boolean(text)
    except ValueError as error:
        raise schema_violation(f"The '{name}' element is invalid.") from error


def parse_item(elem: etree._Element, allow_computed: bool = False) -> ParsedItem:
    """A t:Message / t:CalendarItem / ... element of CreateItem."""
    item_type = local_name(elem)
    if item_type not in ELEMENT_ORDER:
        raise schema_violation(f"The element '{item_type}' is not a supported item type.")
    parsed = ParsedItem(item_type)
    for sub in children(elem):
        name = local_name(sub)
        if name == "MimeContent":
            _apply_mime(parsed, sub)
        elif name == "ExtendedProperty":
            value = parse_property(sub)
            parsed.extended[value.field.key] = value
        elif name == "Attachments":
            # Given beside MimeContent, the Attachments element lists the item's attachments
            # (an item attached whole carries both); they are not added twice.
            parsed.attachments = [parse_attachment(a) for a in children(sub)]
        elif name in COMPUTED and not allow_computed:
            raise invalid_set(item_type, name)
        elif name in ELEMENT_ORDER[item_type] or name in ELEMENT_ORDER["Item"]:
            parsed.props[name] = kind_of(name).parse(sub)
        else:
            raise schema_violation(f"The element '{item_type}' has invalid child element '{name}'.")
    return parsed


def _apply_mime(parsed: ParsedItem, elem: etree._Element) -> None:
    try:
        raw = base64.b64decode(elem.text or "")
        content = mime.parse(raw)
    except (binascii.Error, mime.MimeError) as error:
        raise EwsError("ErrorMimeContentConversionFailed") from error
    parsed.mime = raw
    for name, value in content.props.items():
        parsed.props.setdefault(name, value)
    parsed.attachments.extend(content.attachments)
    parsed.headers = content.headers


def embed(attachment: Attachment, mailbox: Mailbox, directory: Directory) -> Attachment:
    """An ItemAttachment's item as Exchange keeps it: what the server derives filled in (item
    class, size, display names ...), as a received copy would have it."""
    if not attachment.is_file:
        parsed = parse_item(parse_fragment(attachment.embedded_item), allow_computed=True)
        attachment.embedded_item = embedded_xml(new_item(parsed, mailbox, False, directory))
    return attachment


def new_item(parsed: ParsedItem, mailbox: Mailbox, is_draft: bool, directory: Directory) -> Item:
    """A fresh item from CreateItem, before it is placed in a folder."""
    item = Item(
        uuid=new_guid(),
        item_type=parsed.item_type,
        folder=b"",
        props=dict(parsed.props),
        extended=dict(parsed.extended),
        attachments=[embed(a, mailbox, directory) for a in parsed.attachments],
        headers=list(parsed.headers),
        mime=parsed.mime,
    )
    stamp = now()
    props = item.props
    props.setdefault("DateTimeCreated", stamp)
    if parsed.mime is not None and "DateTimeSent" in props:
        props.setdefault("DateTimeReceived", stamp)
        props["IsDraft"] = False
    else:
        props["DateTimeReceived"] = stamp
        props["IsDraft"] = is_draft and item.item_type in MESSAGE_TYPES
    props["IsSubmitted"] = False
    props["IsUnmodified"] = parsed.mime is not None
    props.setdefault("ItemClass", ITEM_CLASSES[item.item_type])
    if item.item_type in MESSAGE_TYPES:
        props.setdefault("IsRead", True)
        if "From" in props:
            props["IsFromMe"] = props["From"].key == mailbox.address.casefold()
    if item.item_type == "CalendarItem":
        props.setdefault("UID", str(uuid.uuid4()).upper())
        props.setdefault("Organizer", Address(mailbox.address, mailbox.display_name))
        props.setdefault("DateTimeStamp", stamp)
    finalize(item, mailbox, directory)
    return item


def finalize(item: Item, mailbox: Mailbox, directory: Directory) -> None:
    """Recompute what the server derives from the other properties after every write.
    `directory` (address -> mailbox) lets recipients that have mailboxes here get their names."""
    props = item.props
    props.setdefault("Sensitivity", "Normal")
    props.setdefault("Importance", "Normal")
    props.setdefault("ReminderIsSet", False)
    props.setdefault("ReminderMinutesBeforeStart", 15 if item.item_type == "CalendarItem" else 0)
    props.setdefault("Culture", "en-US")
    props["LastModifiedTime"] = now()
    props["LastModifiedName"] = mailbox.display_name
    for list_name in ("ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo"):
        if list_name in props:
            props[list_name] = [_named(a, mailbox, directory) for a in props[list_name]]
    for single in ("From", "Sender", "Organizer"):
        if single in props:
            props[single] = _named(props[single], mailbox, directory)
    props["DisplayTo"] = "; ".join(a.name or a.email for a in props.get("ToRecipients", []))
    props["DisplayCc"] = "; ".join(a.name or a.email for a in props.get("CcRecipients", []))
    props["HasAttachments"] = any(not a.is_inline for a in item.attachments)
    if item.item_type in MESSAGE_TYPES:
        props["ConversationTopic"] = _SUBJECT_PREFIX.sub("", props.get("Subject", "")).strip()
    props["Size"] = _estimated_size(item)
    if item.item_type == "Task":
        _finalize_task(props)
    elif item.item_type in ("Contact", "DistributionList"):
        _finalize_contact(props)
    elif item.item_type in ("CalendarItem", "MeetingRequest"):
        _finalize_calendar(item, mailbox)


def _named(address: Address, mailbox: Mailbox, directory: Directory) -> Address:
    """Exchange resolves addresses of its own mailboxes to their display names; any other
    address stays a one-off."""
    known = mailbox if address.key == mailbox.address.casefold() else None
    if known is None:
        known = directory.get(address.key)
    if known is not None:
        return Address(
            address.email, address.name or known.display_name, address.routing_type, "Mailbox"
        )
    if address.mailbox_type == "Mailbox":
        return Address(address.email, address.name or address.email, address.routing_type, "OneOff")
    return address


def _estimated_size(item: Item) -> int:
    if item.mime is not None:
        return len(item.mime)
    body = item.props.get("Body")
    text = len(body.text.encode("utf-8")) if body else 0
    subject = len(item.props.get("Subject", "").encode("utf-8"))
    return 1024 + text + subject + sum(a.size for a in item.attachments)


def _finalize_task(props: dict[str, Any]) -> None:
    props.setdefault("Status", "NotStarted")
    percent = props.get("PercentComplete", Decimal(0))
    if props["Status"] == "Completed" or percent == 100:
        props["Status"] = "Completed"
        props["PercentComplete"] = Decimal(100)
        props.setdefault("CompleteDate", now())
    else:
        props["PercentComplete"] = percent
        props.pop("CompleteDate", None)
    props["IsComplete"] = props["Status"] == "Completed"
    props["IsRecurring"] = "Recurrence" in props
    props["ChangeCount"] = props.get("ChangeCount", 0) + 1
    props.setdefault("IsTeamTask", False)
    props.setdefault("DelegationState", "NoMatch")
    props.setdefault("IsAssignmentEditable", False)


def _finalize_contact(props: dict[str, Any]) -> None:
    names = [props.get("GivenName", ""), props.get("MiddleName", ""), props.get("Surname", "")]
    full = " ".join(n for n in names if n)
    if full:
        props.setdefault("DisplayName", full)
    if props.get("Surname") and props.get("GivenName"):
        props.setdefault("FileAs", f"{props['Surname']}, {props['GivenName']}")
    elif props.get("DisplayName"):
        props.setdefault("FileAs", props["DisplayName"])
    props.setdefault("ContactSource", "Store")
    props.setdefault("Subject", props.get("FileAs", props.get("DisplayName", "")))


def _finalize_calendar(item: Item, mailbox: Mailbox) -> None:
    props = item.props
    props.setdefault("IsAllDayEvent", False)
    props.setdefault("LegacyFreeBusyStatus", "Busy")
    attendees = props.get("RequiredAttendees", []) + props.get("OptionalAttendees", [])
    props["IsMeeting"] = bool(attendees)
    props.setdefault("IsCancelled", False)
    organizer = props.get("Organizer")
    is_organizer = organizer is None or organizer.key == mailbox.address.casefold()
    # AppointmentState bits: a meeting, received (not organised here), cancelled.
    props["AppointmentState"] = (
        (1 if attendees else 0)
        | (2 if attendees and not is_organizer else 0)
        | (4 if props["IsCancelled"] else 0)
    )
    if item.item_type == "CalendarItem":
        props.setdefault("MyResponseType", "Organizer" if is_organizer else "NoResponseReceived")
    if "Recurrence" in props and parse_series(props["Recurrence"]).pattern.regenerates:
        raise EwsError("ErrorCalendarInvalidRecurrence", "Only tasks regenerate.")
    props["IsRecurring"] = "Recurrence" in props
    props["CalendarItemType"] = "RecurringMaster" if "Recurrence" in props else "Single"
    props.setdefault("AppointmentSequenceNumber", 0)
    start, end = props.get("Start"), props.get("End")
    if start is not None and end is not None:
        if props["IsAllDayEvent"]:
            start_zone = zone_of(props.get("StartTimeZone"))
            end_zone = zone_of(props["EndTimeZone"]) if "EndTimeZone" in props else start_zone
            start, end = all_day_bounds(start, end, start_zone, end_zone)
            props["Start"], props["End"] = start, end
        props["Duration"] = _iso_duration(end - start)


def _iso_duration(delta: dt.timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    if hours or minutes or seconds or not days:
        text += "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        text += f"{seconds}S" if seconds or not (hours or minutes) else ""
    return text


# --- UpdateItem --------------------------------------------------------------------------


@dataclass
class Change:
    """One SetItemField / AppendToItemField / DeleteItemField."""

    action: str  # Set, Append, Delete
    ref: FieldRef | None = None
    extended_key: ExtendedKey | None = None
    value_elem: etree._Element | None = None  # the property element inside the item element

    @property
    def key(self) -> object:
        if self.extended_key is not None:
            return self.extended_key
        assert self.ref is not None
        return self.ref.element


_UPDATE_ACTIONS = {
    "SetItemField": "Set",
    "AppendToItemField": "Append",
    "DeleteItemField": "Delete",
}


def parse_changes(updates: etree._Element) -> list[Change]:
    changes = []
    for update in children(updates):
        action = _UPDATE_ACTIONS.get(local_name(update))
        if action is None:
            raise schema_violation(f"The element '{local_name(update)}' is not an item update.")
        # Each element's children listed once: a mark is six updates, and lxml makes a proxy
        # object for every child at every listing.
        parts = children(update)
        if not parts:
            raise schema_violation(f"The element '{local_name(update)}' has incomplete content.")
        path, holders = parts[0], parts[1:]
        change = Change(action)
        path_name = local_name(path)
        if path_name == "FieldURI":
            change.ref = resolve_field_uri(path.get("FieldURI", ""))
        elif path_name == "IndexedFieldURI":
            change.ref = resolve_field_uri(path.get("FieldURI", ""), path.get("FieldIndex", ""))
        elif path_name == "ExtendedFieldURI":
            change.extended_key = parse_field(path).key
        else:
            raise schema_violation(f"The element '{path_name}' is not a property path.")
        if action != "Delete":
            held = children(holders[0]) if len(holders) == 1 else []
            if len(held) != 1:
                raise EwsError("ErrorIncorrectUpdatePropertyCount")
            change.value_elem = held[0]
        changes.append(change)
    return changes


def check_change_key(
    item: Item, change_key: str | None, resolution: str, keys: set[object]
) -> None:
    """Exchange's optimistic concurrency for UpdateItem (ConflictResolution attribute)."""
    if change_key is None:
        if resolution != "AlwaysOverwrite":
            raise EwsError("ErrorChangeKeyRequiredForWriteOperations")
        return
    number = ids.change_number_of(change_key)
    if number > item.change_number:
        raise EwsError("ErrorInvalidChangeKey")
    if number == item.change_number or resolution == "AlwaysOverwrite":
        return
    if resolution == "NeverOverwrite":
        raise EwsError("ErrorIrresolvableConflict")
    if any(item.versions.get(key, 0) > number for key in keys):
        raise EwsError("ErrorIrresolvableConflict")


def apply_change(item: Item, change: Change) -> None:
    props = item.props
    if change.extended_key is not None:
        if change.action == "Delete":
            item.extended.pop(change.extended_key, None)
            return
        assert change.value_elem is not None
        if local_name(change.value_elem) != "ExtendedProperty":
            raise EwsError("ErrorIncorrectUpdatePropertyCount")
        value = parse_property(change.value_elem)
        item.extended[value.field.key] = value
        return
    ref = change.ref
    assert ref is not None
    name = ref.element
    if ref.prefix not in PREFIXES.get(item.item_type, PREFIXES["Item"]):
        raise EwsError("ErrorInvalidPropertySet", message_xml=field_uri_xml(ref.uri))
    if name == "MimeContent":
        _update_mime(item, change)
        return
    if name in COMPUTED:
        raise EwsError("ErrorInvalidPropertySet", message_xml=field_uri_xml(ref.uri))
    if (
        item.item_type == "Message"
        and item.props.get("IsDraft") is False
        and name in _FROZEN_AFTER_SEND
    ):
        raise EwsError("ErrorInvalidPropertyUpdateSentMessage", message_xml=field_uri_xml(ref.uri))
    if ref.index is not None:
        _apply_indexed(item, change)
        return
    if change.action == "Delete":
        props.pop(name, None)
        return
    assert change.value_elem is not None
    if local_name(change.value_elem) != name:
        raise EwsError("ErrorIncorrectUpdatePropertyCount")
    value = kind_of(name).parse(change.value_elem)
    if change.action == "Append":
        if name not in _APPENDABLE:
            raise EwsError("ErrorInvalidPropertyAppend", message_xml=field_uri_xml(ref.uri))
        if name == "Body":
            existing = props.get("Body")
            value = Body(value.body_type, (existing.text if existing else "") + value.text)
        else:
            value = list(props.get(name, [])) + list(value)
    props[name] = value


def _apply_indexed(item: Item, change: Change) -> None:
    ref = change.ref
    assert ref is not None and ref.index is not None
    entries: dict[str, str] = dict(item.props.get(ref.element, {}))
    if change.action == "Delete":
        if ref.sub_element and ref.index in entries:
            entry = parse_fragment(entries[ref.index])
            for sub in children(entry):
                if local_name(sub) == ref.sub_element:
                    entry.remove(sub)
            entries[ref.index] = canonical(entry)
            if not children(entry):
                del entries[ref.index]
        else:
            entries.pop(ref.index, None)
    else:
        assert change.value_elem is not None
        for new_entry in children(change.value_elem):
            key = new_entry.get("Key", ref.index)
            if ref.sub_element and key in entries:
                merged = parse_fragment(entries[key])
                for sub in children(new_entry):
                    existing = child(merged, local_name(sub))
                    if existing is not None:
                        merged.remove(existing)
                    merged.append(parse_fragment(canonical(sub)))
                entries[key] = canonical(merged)
            else:
                entries[key] = canonical(new_entry)
    if entries:
        item.props[ref.element] = entries
    else:
        item.props.pop(ref.element, None)


def _update_mime(item: Item, change: Change) -> None:
    if change.action == "Delete":
        return
    if item.props.get("IsDraft") is False:
        raise EwsError(
            "ErrorInvalidPropertyUpdateSentMessage", message_xml=field_uri_xml("item:MimeContent")
        )
    assert change.value_elem is not None
    parsed = ParsedItem(item.item_type)
    _apply_mime(parsed, change.value_elem)
    item.props.update(parsed.props)
    item.attachments = parsed.attachments
    item.headers = parsed.headers
    item.mime = parsed.mime


def touches_mime(keys: set[object]) -> bool:
    """Whether a write invalidates the stored MIME source (so it is generated afresh)."""
    carried = {
        "Subject",
        "Body",
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "From",
        "Sender",
        "ReplyTo",
        "InReplyTo",
        "References",
        "Importance",
        "Sensitivity",
        "Attachments",
        "Categories",
    }
    return bool(carried & {k for k in keys if isinstance(k, str)})
