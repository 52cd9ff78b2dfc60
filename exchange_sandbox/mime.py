"""RFC 5322 MIME content: generated for items created without it, parsed when a client or a
delivery supplies it."""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.utils
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from .bodies import plain_text
from .model import Attachment, Item
from .store import new_guid
from .values import Address, Body, format_datetime, now

_SENSITIVITY_HEADER = {
    "Private": "Private",
    "Personal": "Personal",
    "Confidential": "Company-Confidential",
}
_SENSITIVITY_FROM_HEADER = {
    "private": "Private",
    "personal": "Personal",
    "company-confidential": "Confidential",
    "confidential": "Confidential",
}


# Headers of an item that its generated MIME carries (those of the transport, not of the message).
_CARRIED_HEADERS = frozenset(
    {
        "received",
        "return-path",
        "x-ms-exchange-organization-authas",
        "x-ms-exchange-inbox-rules-loop",
    }
)


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_SPACE_RUNS = re.compile(r"\s\s")
# RFC 5322 3.2.2: unfolding removes a line break before white space and keeps the white space.
_FOLDING = re.compile(r"\r?\n(?=[ \t])")


class MimeError(ValueError):
    """The MIME content cannot be turned into an item."""


def _format_address(address: Address) -> str:
    if not address.name or address.name == address.email:
        return address.email
    if _SPACE_RUNS.search(address.name) and address.name.isascii():
        # Unquoted, a name's words are atoms and the spaces between them are not its own:
        # quoted, "Anna  Nowak" comes back as it was written.
        return f'"{email.utils.quote(address.name)}" <{address.email}>'
    return email.utils.formataddr((address.name, address.email))


def _format_addresses(addresses: list[Address]) -> str:
    return ", ".join(_format_address(a) for a in addresses)


def generate(item: Item) -> bytes:
    """The item's MIME content: its original source while it is current, else built anew."""
    if item.mime is not None:
        return item.mime
    if item.item_type == "CalendarItem":
        return _calendar_mime(item)
    return _message_mime(item)


def _set(message: EmailMessage, name: str, value: str) -> None:
    """A header; line breaks a property value may hold become spaces, as a header is one line."""
    message[name] = _LINE_BREAKS.sub(" ", value)


def _message_mime(item: Item) -> bytes:
    props = item.props
    message = EmailMessage(policy=policy.SMTP)
    for name, value in item.headers:
        if name.lower() in _CARRIED_HEADERS:
            _set(message, name, value)
    if "From" in props:
        _set(message, "From", _format_address(props["From"]))
    if "Sender" in props and props.get("Sender") != props.get("From"):
        _set(message, "Sender", _format_address(props["Sender"]))
    for header, prop in (("To", "ToRecipients"), ("Cc", "CcRecipients"), ("Reply-To", "ReplyTo")):
        if props.get(prop):
            _set(message, header, _format_addresses(props[prop]))
    if props.get("BccRecipients") and props.get("IsDraft", True):
        _set(message, "Bcc", _format_addresses(props["BccRecipients"]))
    _set(message, "Subject", props.get("Subject", ""))
    if props.get("ConversationTopic") is not None:
        _set(message, "Thread-Topic", props["ConversationTopic"])
    if props.get("ConversationIndex"):
        _set(message, "Thread-Index", base64.b64encode(props["ConversationIndex"]).decode("ascii"))
    sent = props.get("DateTimeSent") or props.get("DateTimeCreated") or now()
    _set(message, "Date", email.utils.format_datetime(sent))
    if props.get("InternetMessageId"):
        _set(message, "Message-ID", props["InternetMessageId"])
    if props.get("InReplyTo"):
        _set(message, "In-Reply-To", props["InReplyTo"])
    if props.get("References"):
        _set(message, "References", props["References"])
    if props.get("Importance", "Normal") != "Normal":
        _set(message, "Importance", props["Importance"].lower())
    sensitivity = _SENSITIVITY_HEADER.get(props.get("Sensitivity", "Normal"))
    if sensitivity:
        _set(message, "Sensitivity", sensitivity)
    if props.get("Categories"):
        _set(message, "Keywords", ", ".join(props["Categories"]))
    body: Body | None = props.get("Body")
    text = plain_text(body)
    message.set_content(text or "", charset="utf-8")
    if body is not None and body.body_type == "HTML":
        message.add_alternative(body.text, subtype="html", charset="utf-8")
    for attachment in item.attachments:
        if not attachment.is_file:
            continue
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.name,
            disposition="inline" if attachment.is_inline else "attachment",
            cid=f"<{attachment.content_id}>" if attachment.content_id else None,
        )
    return message.as_bytes()


def _ical_escape(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ical_name(name: str) -> str:
    """A CN parameter: quoted, without the quotes and line breaks it cannot hold."""
    return '"' + _LINE_BREAKS.sub(" ", name).replace('"', "") + '"'


def _ical_time(value: Any) -> str:
    return format_datetime(value).replace("-", "").replace(":", "")


def _calendar_mime(item: Item) -> bytes:
    props = item.props
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:Microsoft Exchange Server 2016",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{props.get('UID', '')}",
        f"SUMMARY:{_ical_escape(props.get('Subject', ''))}",
    ]
    if "Start" in props:
        lines.append(f"DTSTART:{_ical_time(props['Start'])}")
    if "End" in props:
        lines.append(f"DTEND:{_ical_time(props['End'])}")
    if props.get("Location"):
        lines.append(f"LOCATION:{_ical_escape(props['Location'])}")
    description = plain_text(props.get("Body"))
    if description:
        lines.append(f"DESCRIPTION:{_ical_escape(description)}")
    organizer = props.get("Organizer")
    if organizer is not None:
        lines.append(f"ORGANIZER;CN={_ical_name(organizer.name)}:mailto:{organizer.email}")
    for kind in ("RequiredAttendees", "OptionalAttendees"):
        for attendee in props.get(kind, []):
            role = "REQ-PARTICIPANT" if kind == "RequiredAttendees" else "OPT-PARTICIPANT"
            lines.append(
                f"ATTENDEE;ROLE={role};CN={_ical_name(attendee.address.name)}"
                f":mailto:{attendee.address.email}"
            )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    message = EmailMessage(policy=policy.SMTP)
    _set(message, "Subject", props.get("Subject", ""))
    message.set_content("\r\n".join(lines) + "\r\n", subtype="calendar", charset="utf-8")
    return message.as_bytes()


@dataclass
class ParsedMime:
    props: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)


class _RawHeaders(policy.Compat32):
    """compat32 (an order of magnitude faster to parse than policy.default), but header values
    come back as found, raw 8-bit bytes still surrogate-escaped, for _text to decode."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_PARSING = _RawHeaders()


def _unescaped(value: str) -> str:
    """Raw 8-bit header bytes (RFC 6532 UTF-8, or legacy Latin-1) as text."""
    try:
        raw = value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _text(value: object) -> str:
    """A header value with RFC 2047 encoded-words decoded and folding undone."""
    raw = _FOLDING.sub("", _unescaped(str(value))).strip()
    if "=?" not in raw:
        return raw
    try:
        return str(make_header(decode_header(raw)))
    except (HeaderParseError, UnicodeDecodeError, LookupError, ValueError):
        return raw


def _addresses(message: Message, header: str) -> list[Address]:
    values = message.get_all(header) or []
    return [
        Address(email=addr, name=_text(name) if name else "")
        for name, addr in email.utils.getaddresses([_unescaped(str(v)) for v in values])
        if addr
    ]


def parse(data: bytes) -> ParsedMime:
    """Properties, attachments and headers of an RFC 5322 message."""
    try:
        message = BytesParser(policy=_PARSING).parsebytes(data)
    except (ValueError, TypeError, IndexError) as error:
        raise MimeError(str(error)) from error
    if not message.keys():
        raise MimeError("no headers")
    parsed = ParsedMime()
    props = parsed.props
    parsed.headers = [(name, _text(value)) for name, value in message.items()]
    props["Subject"] = _text(message.get("Subject", "") or "")
    for header, prop in (("To", "ToRecipients"), ("Cc", "CcRecipients"), ("Bcc", "BccRecipients")):
        found = _addresses(message, header)
        if found:
            props[prop] = found
    reply_to = _addresses(message, "Reply-To")
    if reply_to:
        props["ReplyTo"] = reply_to
    senders = _addresses(message, "From")
    if senders:
        props["From"] = senders[0]
        props["Sender"] = (_addresses(message, "Sender") or senders)[0]
    date = message.get("Date")
    if date:
        with contextlib.suppress(TypeError, ValueError):
            props["DateTimeSent"] = email.utils.parsedate_to_datetime(str(date)).astimezone()
    for header, prop in (
        ("Message-ID", "InternetMessageId"),
        ("In-Reply-To", "InReplyTo"),
        ("References", "References"),
        ("Thread-Topic", "ConversationTopic"),
    ):
        value = message.get(header)
        if value:
            props[prop] = _text(value)
    thread_index = message.get("Thread-Index")
    if thread_index:
        with contextlib.suppress(binascii.Error, ValueError):
            props["ConversationIndex"] = base64.b64decode(str(thread_index).strip())
    importance = str(message.get("Importance", "") or message.get("X-Priority", "")).lower()
    if importance.startswith(("high", "1", "2")):
        props["Importance"] = "High"
    elif importance.startswith(("low", "5", "4")):
        props["Importance"] = "Low"
    sensitivity = str(message.get("Sensitivity", "") or "").strip().lower()
    if sensitivity in _SENSITIVITY_FROM_HEADER:
        props["Sensitivity"] = _SENSITIVITY_FROM_HEADER[sensitivity]
    keywords = message.get("Keywords")
    if keywords:
        props["Categories"] = [k.strip() for k in _text(keywords).split(",") if k.strip()]
    _read_parts(message, parsed)
    return parsed


def header_list(data: bytes) -> list[tuple[str, str]]:
    """The decoded headers of an RFC 5322 message, in order."""
    message = BytesParser(policy=_PARSING).parsebytes(data, headersonly=True)
    return [(name, _text(value)) for name, value in message.items()]


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";", 1)[0].strip().lower()
    return disposition == "attachment" or part.get_filename() is not None


def _read_parts(message: Message, parsed: ParsedMime) -> None:
    html_part: Message | None = None
    text_part: Message | None = None
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        content_type = part.get_content_type()
        if content_type == "text/html" and html_part is None:
            html_part = part
        elif content_type == "text/plain" and text_part is None:
            text_part = part
    if html_part is not None:
        parsed.props["Body"] = Body("HTML", _decoded_text(html_part))
    elif text_part is not None:
        parsed.props["Body"] = Body("Text", _decoded_text(text_part))
    for part in message.walk():
        if part.is_multipart() or part is html_part or part is text_part:
            continue
        if not _is_attachment(part) and part.get("Content-ID") is None:
            continue
        disposition = (part.get("Content-Disposition") or "").split(";", 1)[0].strip().lower()
        content_id = str(part.get("Content-ID", "") or "").strip("<> ") or None
        parsed.attachments.append(
            Attachment(
                uuid=new_guid(),
                name=_text(part.get_filename() or "attachment"),
                content_type=part.get_content_type(),
                content=part.get_payload(decode=True) or b"",
                content_id=content_id,
                is_inline=disposition == "inline",
                last_modified=now(),
            )
        )


def _decoded_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")
