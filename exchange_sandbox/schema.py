"""Item properties as types.xsd lays them out: which element each FieldURI names, how its value
is read from a request, written into a response and kept in the store, and in which order each
item type lists its elements.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from .errors import schema_violation
from .values import (
    Address,
    Attendee,
    Body,
    Member,
    format_datetime,
    parse_boolean,
    parse_datetime,
)
from .xmlkit import (
    canonical,
    child,
    child_text,
    children,
    element,
    escape_text,
    local_name,
    parse_fragment,
)


class Kind:
    """How one kind of property value travels: request XML -> value -> response XML / JSON."""

    name = "text"

    def parse(self, elem: etree._Element) -> Any:
        return elem.text or ""

    def render(self, tag: str, value: Any) -> str:
        return f"<t:{tag}>{escape_text(value)}</t:{tag}>"

    def dump(self, value: Any) -> Any:
        return value

    def load(self, data: Any) -> Any:
        return data


class TextKind(Kind):
    name = "text"


class BoolKind(Kind):
    name = "bool"

    def parse(self, elem: etree._Element) -> bool:
        try:
            return parse_boolean(elem.text or "")
        except ValueError as error:
            raise schema_violation(
                f"The '{local_name(elem)}' element is invalid: {error}"
            ) from error

    def render(self, tag: str, value: bool) -> str:
        return f"<t:{tag}>{'true' if value else 'false'}</t:{tag}>"


class IntKind(Kind):
    name = "int"

    def parse(self, elem: etree._Element) -> int:
        try:
            return int((elem.text or "").strip())
        except ValueError as error:
            raise schema_violation(
                f"The '{local_name(elem)}' element is invalid - The value '{elem.text}' is invalid"
                " according to its datatype 'Int'"
            ) from error

    def render(self, tag: str, value: int) -> str:
        return f"<t:{tag}>{value}</t:{tag}>"


class DecimalKind(Kind):
    name = "decimal"

    def parse(self, elem: etree._Element) -> Decimal:
        try:
            return Decimal((elem.text or "").strip())
        except InvalidOperation as error:
            raise schema_violation(
                f"The '{local_name(elem)}' element is invalid - The value '{elem.text}' is invalid"
                " according to its datatype 'Double'"
            ) from error

    def render(self, tag: str, value: Decimal) -> str:
        text = str(int(value)) if value == value.to_integral_value() else str(value.normalize())
        return f"<t:{tag}>{text}</t:{tag}>"

    def dump(self, value: Decimal) -> str:
        return str(value)

    def load(self, data: str) -> Decimal:
        return Decimal(data)


class DateTimeKind(Kind):
    name = "datetime"

    def parse(self, elem: etree._Element) -> dt.datetime:
        try:
            return parse_datetime(elem.text or "")
        except ValueError as error:
            raise schema_violation(
                f"The '{local_name(elem)}' element is invalid - The value '{elem.text}' is invalid"
                " according to its datatype 'DateTime'"
            ) from error

    def render(self, tag: str, value: dt.datetime) -> str:
        return f"<t:{tag}>{format_datetime(value)}</t:{tag}>"

    def dump(self, value: dt.datetime) -> str:
        return format_datetime(value)

    def load(self, data: str) -> dt.datetime:
        return parse_datetime(data)


class StringListKind(Kind):
    name = "strings"

    def parse(self, elem: etree._Element) -> list[str]:
        return [sub.text or "" for sub in children(elem) if local_name(sub) == "String"]

    def render(self, tag: str, value: list[str]) -> str:
        inner = "".join(f"<t:String>{escape_text(v)}</t:String>" for v in value)
        return f"<t:{tag}>{inner}</t:{tag}>"

    def dump(self, value: list[str]) -> list[str]:
        return list(value)

    def load(self, data: list[str]) -> list[str]:
        return list(data)


class BodyKind(Kind):
    name = "body"

    def parse(self, elem: etree._Element) -> Body:
        body_type = elem.get("BodyType", "Text")
        if body_type not in ("HTML", "Text", "Best"):
            raise schema_violation(f"The 'BodyType' attribute is invalid - '{body_type}'")
        return Body("HTML" if body_type == "HTML" else "Text", elem.text or "")

    def render(self, tag: str, value: Body) -> str:
        return f'<t:{tag} BodyType="{value.body_type}">{escape_text(value.text)}</t:{tag}>'

    def dump(self, value: Body) -> list[str]:
        return [value.body_type, value.text]

    def load(self, data: list[str]) -> Body:
        return Body(data[0], data[1])


def parse_address(elem: etree._Element) -> Address:
    """A t:Mailbox (or t:Address) element."""
    email = child_text(elem, "EmailAddress") or ""
    return Address(
        email=email.strip(),
        name=child_text(elem, "Name") or "",
        routing_type=child_text(elem, "RoutingType") or "SMTP",
        mailbox_type=child_text(elem, "MailboxType") or "Mailbox",
    )


def render_mailbox(address: Address) -> str:
    return (
        "<t:Mailbox>"
        + element("t:Name", address.name or address.email)
        + element("t:EmailAddress", address.email)
        + element("t:RoutingType", address.routing_type)
        + element("t:MailboxType", address.mailbox_type)
        + "</t:Mailbox>"
    )


def dump_address(address: Address) -> list[str]:
    return [address.email, address.name, address.routing_type, address.mailbox_type]


def load_address(data: list[str]) -> Address:
    return Address(*data)


class AddressKind(Kind):
    name = "mailbox"

    def parse(self, elem: etree._Element) -> Address:
        mailbox = child(elem, "Mailbox")
        if mailbox is None:
            raise schema_violation(f"The element '{local_name(elem)}' has incomplete content.")
        return parse_address(mailbox)

    def render(self, tag: str, value: Address) -> str:
        return f"<t:{tag}>{render_mailbox(value)}</t:{tag}>"

    def dump(self, value: Address) -> list[str]:
        return dump_address(value)

    def load(self, data: list[str]) -> Address:
        return load_address(data)


class AddressListKind(Kind):
    name = "mailboxes"

    def parse(self, elem: etree._Element) -> list[Address]:
        return [parse_address(sub) for sub in children(elem) if local_name(sub) == "Mailbox"]

    def render(self, tag: str, value: list[Address]) -> str:
        return f"<t:{tag}>{''.join(render_mailbox(a) for a in value)}</t:{tag}>"

    def dump(self, value: list[Address]) -> list[list[str]]:
        return [dump_address(a) for a in value]

    def load(self, data: list[list[str]]) -> list[Address]:
        return [load_address(a) for a in data]


class AttendeeListKind(Kind):
    name = "attendees"

    def parse(self, elem: etree._Element) -> list[Attendee]:
        attendees = []
        for sub in children(elem):
            mailbox = child(sub, "Mailbox")
            if local_name(sub) != "Attendee" or mailbox is None:
                continue
            last_response = child_text(sub, "LastResponseTime")
            attendees.append(
                Attendee(
                    address=parse_address(mailbox),
                    response_type=child_text(sub, "ResponseType") or "Unknown",
                    last_response_time=parse_datetime(last_response) if last_response else None,
                )
            )
        return attendees

    def render(self, tag: str, value: list[Attendee]) -> str:
        parts = []
        for attendee in value:
            last = (
                element("t:LastResponseTime", format_datetime(attendee.last_response_time))
                if attendee.last_response_time
                else ""
            )
            parts.append(
                "<t:Attendee>"
                + render_mailbox(attendee.address)
                + element("t:ResponseType", attendee.response_type)
                + last
                + "</t:Attendee>"
            )
        return f"<t:{tag}>{''.join(parts)}</t:{tag}>"

    def dump(self, value: list[Attendee]) -> list[list[Any]]:
        return [
            [
                dump_address(a.address),
                a.response_type,
                format_datetime(a.last_response_time) if a.last_response_time else None,
            ]
            for a in value
        ]

    def load(self, data: list[list[Any]]) -> list[Attendee]:
        return [Attendee(load_address(a), r, parse_datetime(t) if t else None) for a, r, t in data]


class MembersKind(Kind):
    """The Members of a distribution list; each gets a Key of its own, as in Exchange."""

    name = "members"

    def parse(self, elem: etree._Element) -> list[Member]:
        members = []
        for sub in children(elem):
            mailbox = child(sub, "Mailbox")
            if local_name(sub) != "Member" or mailbox is None:
                raise schema_violation("The element 'Members' has invalid child content.")
            members.append(Member(parse_address(mailbox), child_text(sub, "Status") or "Normal"))
        return members

    def render(self, tag: str, value: list[Member]) -> str:
        inner = "".join(
            f'<t:Member Key="{_member_key(m)}">{render_mailbox(m.address)}'
            f"{element('t:Status', m.status)}</t:Member>"
            for m in value
        )
        return f"<t:{tag}>{inner}</t:{tag}>"

    def dump(self, value: list[Member]) -> list[list[Any]]:
        return [[dump_address(m.address), m.status] for m in value]

    def load(self, data: list[list[Any]]) -> list[Member]:
        return [Member(load_address(address), status) for address, status in data]


def _member_key(member: Member) -> str:
    digest = hashlib.sha1(member.address.key.encode("utf-8"), usedforsecurity=False).digest()
    return base64.b64encode(digest[:12]).decode("ascii")


class Base64Kind(Kind):
    name = "base64"

    def parse(self, elem: etree._Element) -> bytes:
        try:
            return base64.b64decode((elem.text or "").encode("ascii"), validate=False)
        except (binascii.Error, UnicodeEncodeError) as error:
            raise schema_violation(
                f"The '{local_name(elem)}' element is invalid according to its datatype"
                " 'Base64Binary'"
            ) from error

    def render(self, tag: str, value: bytes) -> str:
        return f"<t:{tag}>{base64.b64encode(value).decode('ascii')}</t:{tag}>"

    def dump(self, value: bytes) -> str:
        return base64.b64encode(value).decode("ascii")

    def load(self, data: str) -> bytes:
        return base64.b64decode(data)


class IndexedKind(Kind):
    """Contact dictionaries (EmailAddresses, PhoneNumbers, ...): entries keyed by their Key."""

    name = "indexed"

    def parse(self, elem: etree._Element) -> dict[str, str]:
        return {sub.get("Key", ""): canonical(sub) for sub in children(elem)}

    def render(self, tag: str, value: dict[str, str]) -> str:
        return f"<t:{tag}>{''.join(value.values())}</t:{tag}>"

    def dump(self, value: dict[str, str]) -> dict[str, str]:
        return dict(value)

    def load(self, data: dict[str, str]) -> dict[str, str]:
        return dict(data)


class RawKind(Kind):
    """A structure the sandbox keeps as it was given (the element itself, re-serialised)."""

    name = "raw"

    def parse(self, elem: etree._Element) -> str:
        return canonical(elem)

    def render(self, tag: str, value: str) -> str:
        return value


class RecurrenceKind(RawKind):
    """A Recurrence as Exchange answers it: the range's StartDate and EndDate are dates with a
    zone ("2026-10-09Z", "2026-10-09+02:00"), whatever form of xs:date the client sent."""

    name = "recurrence"

    def parse(self, elem: etree._Element) -> str:
        recurrence = parse_fragment(canonical(elem))
        for range_elem in children(recurrence):
            for date_elem in children(range_elem):
                if local_name(date_elem) in ("StartDate", "EndDate"):
                    date_elem.text = _zoned_date(date_elem.text or "")
        return canonical(recurrence)


def _zoned_date(text: str) -> str:
    value = text.strip()
    return value if len(value) > 10 else value[:10] + "Z"


TEXT, BOOL, INT, DECIMAL, DATETIME = (
    TextKind(),
    BoolKind(),
    IntKind(),
    DecimalKind(),
    DateTimeKind(),
)
STRINGS, BODY, ADDRESS, ADDRESSES = StringListKind(), BodyKind(), AddressKind(), AddressListKind()
ATTENDEES, BASE64, INDEXED, RAW = AttendeeListKind(), Base64Kind(), IndexedKind(), RawKind()
RECURRENCE, MEMBERS = RecurrenceKind(), MembersKind()


def _kinds(kind: Kind, names: str) -> dict[str, Kind]:
    return dict.fromkeys(names.split(), kind)


PROPERTY_KINDS: dict[str, Kind] = {
    **_kinds(
        TEXT,
        """ItemClass Subject Sensitivity Importance InReplyTo Culture LastModifiedName DisplayCc
        DisplayTo WebClientReadFormQueryString WebClientEditFormQueryString ConversationTopic
        InternetMessageId References UID Location When LegacyFreeBusyStatus CalendarItemType
        MyResponseType Duration TimeZone MeetingWorkspaceUrl NetShowUrl BillingInformation
        DelegationState Delegator Mileage Owner Status StatusDescription FileAs FileAsMapping
        DisplayName GivenName Initials MiddleName Nickname CompanyName AssistantName
        BusinessHomePage ContactSource Department Generation JobTitle Manager OfficeLocation
        PostalAddressIndex Profession SpouseName Surname PhoneticFullName PhoneticFirstName
        PhoneticLastName Alias Notes DirectoryId ResponseType MeetingRequestType
        IntendedFreeBusyStatus""",
    ),
    **_kinds(
        BOOL,
        """IsSubmitted IsDraft IsFromMe IsResend IsUnmodified ReminderIsSet HasAttachments
        IsAssociated IsReadReceiptRequested IsDeliveryReceiptRequested IsRead IsResponseRequested
        IsAllDayEvent IsMeeting IsCancelled IsRecurring MeetingRequestWasSent AllowNewTimeProposal
        IsOnlineMeeting IsAssignmentEditable IsComplete IsTeamTask HasPicture IsDelegated
        IsOutOfDate HasBeenProcessed""",
    ),
    **_kinds(
        INT,
        """Size ReminderMinutesBeforeStart ConflictingMeetingCount AdjacentMeetingCount
        AppointmentSequenceNumber AppointmentState ConferenceType ActualWork ChangeCount
        TotalWork""",
    ),
    "PercentComplete": DECIMAL,
    **_kinds(
        DATETIME,
        """DateTimeReceived DateTimeSent DateTimeCreated ReminderDueBy LastModifiedTime
        RecurrenceId DateTimeStamp Start End OriginalStart AppointmentReplyTime AssignedTime
        CompleteDate DueDate StartDate Birthday WeddingAnniversary ProposedStart ProposedEnd""",
    ),
    **_kinds(STRINGS, "Categories Companies Children Contacts"),
    **_kinds(BODY, "Body UniqueBody TextBody"),
    **_kinds(ADDRESS, "Sender From ReceivedBy ReceivedRepresenting Organizer ManagerMailbox"),
    **_kinds(ADDRESSES, "ToRecipients CcRecipients BccRecipients ReplyTo DirectReports"),
    **_kinds(ATTENDEES, "RequiredAttendees OptionalAttendees Resources"),
    **_kinds(BASE64, "ConversationIndex Photo UserSMIMECertificate MSExchangeCertificate"),
    **_kinds(INDEXED, "EmailAddresses PhysicalAddresses PhoneNumbers ImAddresses"),
    "Recurrence": RECURRENCE,
    "Members": MEMBERS,
    **_kinds(
        RAW,
        """CompleteName StartTimeZone EndTimeZone MeetingTimeZone ReminderMessageData
        AssociatedCalendarItemId""",
    ),
}

# Elements the server computes for every item; a client never sets them.
COMPUTED = frozenset(
    [
        "ItemId",
        "ParentFolderId",
        "Attachments",
        "DateTimeReceived",
        "Size",
        "IsSubmitted",
        "IsDraft",
        "IsFromMe",
        "IsResend",
        "IsUnmodified",
        "InternetMessageHeaders",
        "DateTimeSent",
        "DateTimeCreated",
        "ResponseObjects",
        "DisplayCc",
        "DisplayTo",
        "HasAttachments",
        "EffectiveRights",
        "LastModifiedName",
        "LastModifiedTime",
        "IsAssociated",
        "WebClientReadFormQueryString",
        "WebClientEditFormQueryString",
        "ConversationId",
        "UniqueBody",
        "TextBody",
        "ConversationIndex",
        "ConversationTopic",
        "ReceivedBy",
        "ReceivedRepresenting",
        "IsMeeting",
        "IsCancelled",
        "IsRecurring",
        "MeetingRequestWasSent",
        "CalendarItemType",
        "MyResponseType",
        "ConflictingMeetingCount",
        "AdjacentMeetingCount",
        "ConflictingMeetings",
        "AdjacentMeetings",
        "Duration",
        "AppointmentReplyTime",
        "AppointmentSequenceNumber",
        "AppointmentState",
        "FirstOccurrence",
        "LastOccurrence",
        "ModifiedOccurrences",
        "DeletedOccurrences",
        "IsOnlineMeeting",
        "ChangeCount",
        "CompleteDate",
        "DelegationState",
        "Delegator",
        "IsAssignmentEditable",
        "IsComplete",
        "IsRecurring",
        "IsTeamTask",
        "Owner",
        "StatusDescription",
        "AssignedTime",
        "ContactSource",
        "HasPicture",
        "PhoneticFullName",
        "PhoneticFirstName",
        "PhoneticLastName",
        "Alias",
        "Notes",
        "Photo",
        "UserSMIMECertificate",
        "MSExchangeCertificate",
        "DirectoryId",
        "ManagerMailbox",
        "DirectReports",
        "RecurrenceId",
        "OriginalStart",
        "MimeContent",
    ]
)

_ITEM = """MimeContent ItemId ParentFolderId ItemClass Subject Sensitivity Body Attachments
DateTimeReceived Size Categories Importance InReplyTo IsSubmitted IsDraft IsFromMe IsResend
IsUnmodified InternetMessageHeaders DateTimeSent DateTimeCreated ResponseObjects ReminderDueBy
ReminderIsSet ReminderMinutesBeforeStart DisplayCc DisplayTo HasAttachments ExtendedProperty
Culture EffectiveRights LastModifiedName LastModifiedTime IsAssociated
WebClientReadFormQueryString WebClientEditFormQueryString ConversationId UniqueBody TextBody"""

_MESSAGE = """Sender ToRecipients CcRecipients BccRecipients IsReadReceiptRequested
IsDeliveryReceiptRequested ConversationIndex ConversationTopic From InternetMessageId IsRead
IsResponseRequested References ReplyTo ReceivedBy ReceivedRepresenting ReminderMessageData"""

_CALENDAR = """UID RecurrenceId DateTimeStamp Start End OriginalStart IsAllDayEvent
LegacyFreeBusyStatus Location When IsMeeting IsCancelled IsRecurring MeetingRequestWasSent
IsResponseRequested CalendarItemType MyResponseType Organizer RequiredAttendees
OptionalAttendees Resources ConflictingMeetingCount AdjacentMeetingCount ConflictingMeetings
AdjacentMeetings Duration TimeZone AppointmentReplyTime AppointmentSequenceNumber
AppointmentState Recurrence FirstOccurrence LastOccurrence ModifiedOccurrences
DeletedOccurrences MeetingTimeZone StartTimeZone EndTimeZone ConferenceType AllowNewTimeProposal
IsOnlineMeeting MeetingWorkspaceUrl NetShowUrl"""

_MEETING_MESSAGE = """AssociatedCalendarItemId IsDelegated IsOutOfDate HasBeenProcessed ResponseType
UID RecurrenceId DateTimeStamp"""

_MEETING_REQUEST = """MeetingRequestType IntendedFreeBusyStatus Start End
OriginalStart IsAllDayEvent LegacyFreeBusyStatus Location When IsMeeting IsCancelled
IsRecurring MeetingRequestWasSent CalendarItemType MyResponseType Organizer RequiredAttendees
OptionalAttendees Resources Duration Recurrence StartTimeZone EndTimeZone"""

_MEETING_RESPONSE = "Start End Location Recurrence CalendarItemType ProposedStart ProposedEnd"

_MEETING_CANCELLATION = "Start End Location Recurrence CalendarItemType"

_TASK = """ActualWork AssignedTime BillingInformation ChangeCount Companies CompleteDate Contacts
DelegationState Delegator DueDate IsAssignmentEditable IsComplete IsRecurring IsTeamTask
Mileage Owner PercentComplete Recurrence StartDate Status StatusDescription TotalWork"""

_CONTACT = """FileAs FileAsMapping DisplayName GivenName Initials MiddleName Nickname
CompleteName CompanyName EmailAddresses PhysicalAddresses PhoneNumbers AssistantName Birthday
BusinessHomePage Children Companies ContactSource Department Generation ImAddresses JobTitle
Manager Mileage OfficeLocation PostalAddressIndex Profession SpouseName Surname
WeddingAnniversary HasPicture PhoneticFullName PhoneticFirstName PhoneticLastName Alias Notes
Photo UserSMIMECertificate MSExchangeCertificate DirectoryId ManagerMailbox DirectReports"""

_DISTRIBUTION_LIST = "DisplayName FileAs ContactSource Members"

ELEMENT_ORDER: dict[str, tuple[str, ...]] = {
    "Item": tuple(_ITEM.split()),
    "Message": tuple((_ITEM + " " + _MESSAGE).split()),
    "MeetingRequest": tuple(
        " ".join((_ITEM, _MESSAGE, _MEETING_MESSAGE, _MEETING_REQUEST)).split()
    ),
    "MeetingResponse": tuple(
        " ".join((_ITEM, _MESSAGE, _MEETING_MESSAGE, _MEETING_RESPONSE)).split()
    ),
    "MeetingCancellation": tuple(
        " ".join((_ITEM, _MESSAGE, _MEETING_MESSAGE, _MEETING_CANCELLATION)).split()
    ),
    "CalendarItem": tuple((_ITEM + " " + _CALENDAR).split()),
    "Task": tuple((_ITEM + " " + _TASK).split()),
    "Contact": tuple((_ITEM + " " + _CONTACT).split()),
    "DistributionList": tuple((_ITEM + " " + _DISTRIBUTION_LIST).split()),
}

# The FieldURI prefixes whose properties each item type has.
PREFIXES: dict[str, frozenset[str]] = {
    "Item": frozenset({"item"}),
    "Message": frozenset({"item", "message"}),
    "MeetingRequest": frozenset({"item", "message", "meeting", "meetingRequest", "calendar"}),
    "MeetingResponse": frozenset({"item", "message", "meeting", "calendar"}),
    "MeetingCancellation": frozenset({"item", "message", "meeting", "calendar"}),
    "CalendarItem": frozenset({"item", "calendar"}),
    "Task": frozenset({"item", "task"}),
    "Contact": frozenset({"item", "contacts"}),
    "DistributionList": frozenset({"item", "contacts", "distributionlist"}),
}

# The item types that are messages: sent, received, read and replied to.
MESSAGE_TYPES = frozenset({"Message", "MeetingRequest", "MeetingResponse", "MeetingCancellation"})

ITEM_CLASSES = {
    "Item": "IPM",
    "Message": "IPM.Note",
    "MeetingRequest": "IPM.Schedule.Meeting.Request",
    "MeetingResponse": "IPM.Schedule.Meeting.Resp.Pos",
    "MeetingCancellation": "IPM.Schedule.Meeting.Canceled",
    "CalendarItem": "IPM.Appointment",
    "Task": "IPM.Task",
    "Contact": "IPM.Contact",
    "DistributionList": "IPM.DistList",
}

KNOWN_URI_PREFIXES = frozenset(
    {
        "item",
        "message",
        "meeting",
        "meetingRequest",
        "calendar",
        "task",
        "contacts",
        "distributionlist",
        "postitem",
        "conversation",
        "persona",
        "folder",
    }
)

# FieldURIs whose element is not simply the part after the colon.
_INDEXED_ELEMENTS = {
    "contacts:EmailAddress": "EmailAddresses",
    "contacts:PhoneNumber": "PhoneNumbers",
    "contacts:ImAddress": "ImAddresses",
    "contacts:PhysicalAddress": "PhysicalAddresses",
}


@dataclass(frozen=True)
class FieldRef:
    """A FieldURI (or IndexedFieldURI) resolved to the element it names."""

    uri: str
    element: str
    prefix: str
    index: str | None = None  # FieldIndex of an IndexedFieldURI
    sub_element: str | None = None  # e.g. Street for contacts:PhysicalAddress:Street


def resolve_field_uri(uri: str, index: str | None = None) -> FieldRef:
    """Map a FieldURI to its element; unknown shapes are schema violations as in Exchange."""
    prefix, _, rest = uri.partition(":")
    if not rest or prefix not in KNOWN_URI_PREFIXES:
        raise schema_violation(
            f"The 'FieldURI' attribute is invalid - The value '{uri}' is invalid according to its"
            " datatype 'UnindexedFieldURIType' - The Enumeration constraint failed."
        )
    if index is not None:
        base, _, sub = uri.rpartition(":") if uri.count(":") == 2 else (uri, "", "")
        element_name = _INDEXED_ELEMENTS.get(base)
        if element_name is None:
            raise schema_violation(f"The 'FieldURI' attribute is invalid - '{uri}'")
        return FieldRef(uri, element_name, prefix, index=index, sub_element=sub or None)
    return FieldRef(uri, rest, prefix)


def kind_of(element_name: str) -> Kind:
    return PROPERTY_KINDS.get(element_name, RAW)


def render_value(element_name: str, value: Any) -> str:
    return kind_of(element_name).render(element_name, value)
