"""Mail transport: what happens when a message is sent, and delivery of received mail.

A sent message gets the headers a real server adds (Message-ID, Date, Thread-Index, Received)
and is delivered into the Inbox of every recipient that has a mailbox here; meeting requests
also place a tentative appointment in each attendee's calendar. Mail for other addresses is
kept in `outbound` so tests can see what left the organisation.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from . import ids, mime
from .itemwrite import finalize
from .model import Attachment, Item, Mailbox
from .rules import InboxRules
from .schema import ITEM_CLASSES
from .store import Store, new_guid
from .values import Address, Attendee, now
from .versions import ServerVersion
from .xmlkit import element

_COPIED_PROPERTIES = (
    "Subject",
    "Body",
    "From",
    "Sender",
    "ToRecipients",
    "CcRecipients",
    "ReplyTo",
    "InternetMessageId",
    "InReplyTo",
    "References",
    "Importance",
    "Sensitivity",
    "DateTimeSent",
    "ConversationIndex",
    "IsReadReceiptRequested",
    "IsDeliveryReceiptRequested",
)
# What a meeting response or cancellation carries beyond a message's properties.
_MEETING_MESSAGE_PROPERTIES = (
    "ItemClass",
    "UID",
    "ResponseType",
    "Start",
    "End",
    "Location",
    "IsAllDayEvent",
    "Recurrence",
    "StartTimeZone",
    "EndTimeZone",
)
MEETING_MESSAGES = frozenset({"MeetingResponse", "MeetingCancellation"})
_MEETING_PROPERTIES = (
    "UID",
    "Start",
    "End",
    "IsAllDayEvent",
    "Location",
    "Organizer",
    "RequiredAttendees",
    "OptionalAttendees",
    "Resources",
    "Recurrence",
    "StartTimeZone",
    "EndTimeZone",
)


@dataclass(frozen=True)
class OutboundMessage:
    """A message sent to addresses that have no mailbox on this server."""

    sender: str
    recipients: tuple[str, ...]
    mime: bytes


def new_message_id(address: str) -> str:
    domain = address.rpartition("@")[2] or "sandbox.local"
    return f"<{uuid.uuid4().hex.upper()}@{domain}>"


def _filetime_bytes(moment: dt.datetime) -> bytes:
    filetime = int((moment - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10**7)
    return (filetime >> 16).to_bytes(8, "big")[-5:]


def new_conversation_index(moment: dt.datetime) -> bytes:
    return b"\x01" + _filetime_bytes(moment) + uuid.uuid4().bytes


def child_conversation_index(parent: bytes) -> bytes:
    return parent + os.urandom(5)


def _copy_attachments(attachments: list[Attachment]) -> list[Attachment]:
    return [
        Attachment(
            uuid=new_guid(),
            name=a.name,
            content_type=a.content_type,
            content=a.content,
            embedded_item=a.embedded_item,
            content_id=a.content_id,
            content_location=a.content_location,
            is_inline=a.is_inline,
            is_contact_photo=a.is_contact_photo,
            last_modified=a.last_modified,
        )
        for a in attachments
    ]


class Transport:
    def __init__(self, store: Store, version: ServerVersion, hostname: str) -> None:
        self._store = store
        self._version = version
        self._hostname = hostname
        self._outbound_lock = threading.Lock()
        self._rules = InboxRules(store, self)
        self.outbound: list[OutboundMessage] = []

    # --- sending ------------------------------------------------------------------------

    def prepare_sent(self, sender: Mailbox, item: Item) -> None:
        """Stamp a message that is being sent as the server would (call under the store lock)."""
        props = item.props
        stamp = now()
        me = Address(sender.address, sender.display_name)
        props.setdefault("From", me)
        props["Sender"] = me
        props.setdefault("InternetMessageId", new_message_id(sender.address))
        props["DateTimeSent"] = stamp
        props["DateTimeReceived"] = stamp
        props["IsDraft"] = False
        props["IsRead"] = True
        props["IsFromMe"] = True
        if not props.get("ConversationIndex"):
            props["ConversationIndex"] = self._conversation_for(sender, props, stamp)
        item.mime = None
        finalize(item, sender, self._store.mailboxes)

    def deliver_sent(self, sender: Mailbox, item: Item) -> list[tuple[Mailbox, Item]]:
        """Deliver a prepared message (meeting request, response, cancellation) to its
        recipients; the copies delivered here (not meeting requests), for whoever processes them."""
        props = item.props
        recipients: list[Address] = [
            *props.get("ToRecipients", []),
            *props.get("CcRecipients", []),
            *props.get("BccRecipients", []),
        ]
        if item.item_type == "CalendarItem":
            recipients = [a.address for a in self._attendees(item)]
        wire = self._wire_mime(item)
        external: list[str] = []
        delivered: set[str] = set()
        copies: list[tuple[Mailbox, Item]] = []
        for address in recipients:
            target = self._store.mailbox(address.email)
            if target is None:
                external.append(address.email)
                continue
            if target.address.casefold() in delivered:
                continue
            if item.item_type == "CalendarItem" and target.guid == sender.guid:
                continue  # the organizer's own calendar already holds the meeting
            delivered.add(target.address.casefold())
            if item.item_type == "CalendarItem":
                self._deliver_invitation(sender, target, item, wire)
            else:
                copies.append((target, self._deliver_copy(target, item, wire)))
        if external:
            with self._outbound_lock:
                self.outbound.append(OutboundMessage(sender.address, tuple(external), wire))
        return copies

    def _attendees(self, item: Item) -> list[Attendee]:
        return [
            *item.props.get("RequiredAttendees", []),
            *item.props.get("OptionalAttendees", []),
            *item.props.get("Resources", []),
        ]

    def _wire_mime(self, item: Item) -> bytes:
        wire_item = Item(
            uuid=item.uuid,
            item_type="Message",
            folder=item.folder,
            props={k: v for k, v in item.props.items() if k != "BccRecipients"},
            attachments=item.attachments,
            headers=item.headers,
        )
        if item.item_type == "CalendarItem":
            wire_item.props.setdefault(
                "InternetMessageId", new_message_id(item.props["Organizer"].email)
            )
            wire_item.props["ToRecipients"] = [a.address for a in self._attendees(item)]
            wire_item.props.setdefault("From", item.props["Organizer"])
        return mime.generate(wire_item)

    def _received_headers(self, recipient: Mailbox, sender: str, moment: dt.datetime) -> bytes:
        date = email.utils.format_datetime(moment)
        host = self._hostname
        build = self._version.build_text
        lines = [
            f"Received: from {host} (127.0.0.1) by {host} (127.0.0.1) with Microsoft SMTP Server"
            f" (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id {build}"
            f" via Mailbox Transport; {date}",
            f"Received: from {host} (127.0.0.1) by {host} (127.0.0.1) with Microsoft SMTP Server"
            f" id {build} via Frontend Transport; {date}",
            f"Return-Path: <{sender}>",
            f"Delivered-To: {recipient.address}",
        ]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")

    def _received_item(
        self,
        recipient: Mailbox,
        item_type: str,
        props: dict[str, Any],
        attachments: list[Attachment],
        wire: bytes,
        sender: str,
        moment: dt.datetime,
    ) -> Item:
        source = self._received_headers(recipient, sender, moment) + wire
        received = Item(
            uuid=new_guid(),
            item_type=item_type,
            folder=b"",
            props=props,
            attachments=attachments,
            headers=mime.header_list(source),
            mime=source,
        )
        props["DateTimeReceived"] = moment
        props.setdefault("DateTimeSent", moment)
        props.setdefault("DateTimeCreated", moment)
        props["IsRead"] = False
        props["IsDraft"] = False
        props["IsSubmitted"] = False
        props["IsUnmodified"] = True
        author = props.get("From")
        props["IsFromMe"] = author is not None and author.key == recipient.address.casefold()
        props["ReceivedBy"] = Address(recipient.address, recipient.display_name)
        props["ReceivedRepresenting"] = Address(recipient.address, recipient.display_name)
        props.setdefault("ItemClass", ITEM_CLASSES[item_type])
        finalize(received, recipient, self._store.mailboxes)
        return received

    def _deliver_copy(self, recipient: Mailbox, item: Item, wire: bytes) -> Item:
        meeting_message = item.item_type in MEETING_MESSAGES
        copied = _COPIED_PROPERTIES + (_MEETING_MESSAGE_PROPERTIES if meeting_message else ())
        props = {k: item.props[k] for k in copied if k in item.props}
        received = self._received_item(
            recipient,
            item.item_type if meeting_message else "Message",
            props,
            _copy_attachments(item.attachments),
            wire,
            item.props["From"].email,
            now(),
        )
        return self._file_received(recipient, received)

    def _file_received(self, recipient: Mailbox, received: Item) -> Item:
        """Where delivered mail lands: Junk Email when its sender is blocked, else the Inbox,
        where the mailbox's inbox rules then act on it."""
        author = received.props.get("From")
        junk = author is not None and recipient.settings.blocks(author.email)
        folder = recipient.distinguished["junkemail" if junk else "inbox"]
        placed = self._store.add_item(recipient, folder, received, new_mail=True)
        if not junk:
            self._rules.run(recipient, placed)
        return placed

    def _deliver_invitation(
        self, organizer: Mailbox, attendee: Mailbox, item: Item, wire: bytes
    ) -> None:
        meeting = {k: item.props[k] for k in _MEETING_PROPERTIES if k in item.props}
        appointment = Item(
            uuid=new_guid(),
            item_type="CalendarItem",
            folder=b"",
            props={
                **meeting,
                "Subject": item.props.get("Subject", ""),
                "Body": item.props.get("Body"),
                "MyResponseType": "NoResponseReceived",
                "LegacyFreeBusyStatus": "Tentative",
                "ItemClass": "IPM.Appointment",
                "DateTimeCreated": now(),
                "DateTimeReceived": now(),
                "IsDraft": False,
            },
        )
        if appointment.props["Body"] is None:
            del appointment.props["Body"]
        finalize(appointment, attendee, self._store.mailboxes)
        placed = self._store.add_item(attendee, attendee.distinguished["calendar"], appointment)
        request_props = dict(meeting)
        request_props.update(
            {
                "Subject": item.props.get("Subject", ""),
                "From": item.props["Organizer"],
                "Sender": item.props["Organizer"],
                "ToRecipients": [a.address for a in self._attendees(item)],
                "InternetMessageId": new_message_id(organizer.address),
                "MeetingRequestType": "NewMeetingRequest",
                "IntendedFreeBusyStatus": item.props.get("LegacyFreeBusyStatus", "Busy"),
                "ResponseType": "NoResponseReceived",
                "AssociatedCalendarItemId": element(
                    "t:AssociatedCalendarItemId",
                    Id=ids.item_id(attendee.guid, placed.uuid),
                    ChangeKey=ids.change_key(placed.change_number),
                ),
            }
        )
        if item.props.get("Body") is not None:
            request_props["Body"] = item.props["Body"]
        request = self._received_item(
            attendee, "MeetingRequest", request_props, [], wire, organizer.address, now()
        )
        self._file_received(attendee, request)

    def _conversation_for(
        self, mailbox: Mailbox, props: dict[str, Any], moment: dt.datetime
    ) -> bytes:
        parent_ids = [props.get("InReplyTo", ""), *props.get("References", "").split()[::-1]]
        wanted = {p.strip() for p in parent_ids if p and p.strip()}
        if wanted:
            for candidate in mailbox.items.values():
                if candidate.props.get("InternetMessageId") in wanted:
                    parent = candidate.props.get("ConversationIndex")
                    if parent:
                        return child_conversation_index(parent)
        return new_conversation_index(moment)

    # --- receiving ----------------------------------------------------------------------

    def deliver_mime(
        self,
        recipient: Mailbox,
        data: bytes,
        received_at: dt.datetime | None = None,
        read: bool = False,
    ) -> Item:
        """Deliver an RFC 5322 message into the recipient's Inbox, as received mail."""
        parsed = mime.parse(data)
        props = parsed.props
        moment = received_at or now()
        props.setdefault("InternetMessageId", new_message_id(recipient.address))
        if not props.get("ConversationIndex"):
            props["ConversationIndex"] = self._conversation_for(recipient, props, moment)
        sender = props["From"].email if "From" in props else "postmaster@sandbox.local"
        received = self._received_item(
            recipient, "Message", props, parsed.attachments, data, sender, moment
        )
        received.props["IsRead"] = read
        return self._file_received(recipient, received)

    def file_mime(self, owner: Mailbox, folder_name: str, data: bytes, read: bool = True) -> Item:
        """Store an RFC 5322 message as-is in one of the owner's folders (e.g. Sent Items)."""
        parsed = mime.parse(data)
        props = parsed.props
        sent = props.get("DateTimeSent") or now()
        props.setdefault("InternetMessageId", new_message_id(owner.address))
        if not props.get("ConversationIndex"):
            props["ConversationIndex"] = self._conversation_for(owner, props, sent)
        props.update(
            {
                "DateTimeReceived": sent,
                "DateTimeCreated": sent,
                "IsRead": read,
                "IsDraft": False,
                "IsSubmitted": False,
                "IsUnmodified": True,
                "ItemClass": "IPM.Note",
            }
        )
        if "From" in props:
            props["IsFromMe"] = props["From"].key == owner.address.casefold()
        item = Item(
            uuid=new_guid(),
            item_type="Message",
            folder=b"",
            props=props,
            attachments=parsed.attachments,
            headers=parsed.headers,
            mime=data,
        )
        finalize(item, owner, self._store.mailboxes)
        return self._store.add_item(owner, owner.distinguished[folder_name], item)
