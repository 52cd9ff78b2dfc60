"""Reading a saved message (RFC 5322 / MIME) into what the tracking pipeline and the store need.

Any bytes at all give a ParsedMessage or a MessageFormatError that says what is wrong; nothing
else escapes (a hostile message can overflow a date or nest parts thousands deep). Address lists
are cut at MAX_ADDRESSES per header before they are parsed: the standard library's address parser
takes a minute and half a gigabyte over a Cc of 50 000, and no tracking rule needs more than the
first few hundred. The headers that were cut are named in `cut_headers`, which the explanation
of a decision carries.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from app.tracking.addresses import parse_address_list
from app.tracking.model import Address, Folder, MessageFacts, ParsedMessage, Sensitivity

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_ADDRESSES = 500
# The standard library's parser checks every line against every open multipart's boundary, so a
# message nesting thousands of them takes minutes (or ends in a RecursionError). Real mail, a
# forwarded thread with its attachments included, declares a few dozen at most.
MAX_MULTIPARTS = 200
_BOUNDARY = re.compile(rb"boundary\s*=", re.IGNORECASE)
# One entry of an address list up to a top-level comma: quoted strings, comments and angle
# brackets may hold commas of their own ("Kowalski, Jan" <jan@acme.pl>).
_ADDRESS_PART = re.compile(r'"(?:[^"\\]|\\.)*"?|\((?:[^()\\]|\\.)*\)?|<[^>]*>?|,|[^",(<]+')

_SENSITIVITY = {
    "personal": Sensitivity.PERSONAL,
    "private": Sensitivity.PRIVATE,
    "company-confidential": Sensitivity.CONFIDENTIAL,
    "confidential": Sensitivity.CONFIDENTIAL,
}


class MessageFormatError(ValueError):
    """The bytes are not an email message; the text says why, for the user."""


def parse_message(raw: bytes, folder: Folder = Folder.INBOX) -> ParsedMessage:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageFormatError(
            "the file is larger than any email message Liaison accepts (64 MB)"
        )
    if b"\x00" in raw[:4096]:
        raise MessageFormatError("the file is binary, not an email message")
    if len(_BOUNDARY.findall(raw)) > MAX_MULTIPARTS:
        raise MessageFormatError(
            f"the message has more than {MAX_MULTIPARTS} multipart sections; Liaison does not "
            "read a message built like that (it is made to slow mail programs down)"
        )
    try:
        return _parse(raw, folder)
    except RecursionError:
        raise MessageFormatError(
            "the message's parts are nested too deeply to read (a message built to break mail "
            "programs)"
        ) from None
    except OverflowError as exc:
        raise MessageFormatError(f"a value in the message is out of range ({exc})") from None


def _parse(raw: bytes, folder: Folder) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not _looks_like_email(message):
        raise MessageFormatError("no email headers found (From, Date, Message-ID)")
    cut: list[str] = []
    try:
        senders = _addresses(message, "From", 1, [])
        facts = MessageFacts(
            message_id=_message_id(message.get("Message-ID")),
            subject=_header_text(message, "Subject"),
            sender=senders[0] if senders else None,
            to=_addresses(message, "To", MAX_ADDRESSES, cut),
            cc=_addresses(message, "Cc", MAX_ADDRESSES, cut),
            in_reply_to=_message_id(message.get("In-Reply-To")),
            references=tuple(_message_ids(_header_text(message, "References"))),
            conversation_id=None,
            conversation_index=_thread_index(message.get("Thread-Index")),
            sent_at=_date(message.get("Date")),
            received_at=None,
            is_draft=_header_text(message, "X-Unsent").strip() == "1",
            sensitivity=_SENSITIVITY.get(
                _header_text(message, "Sensitivity").strip().lower(), Sensitivity.NORMAL
            ),
            folder=folder,
        )
    except MessageFormatError:
        raise
    except (ValueError, TypeError, IndexError, LookupError) as exc:
        raise MessageFormatError(f"the message headers are malformed: {exc}") from exc
    text, html = _bodies(message)
    return ParsedMessage(facts, text, html, tuple(cut), MAX_ADDRESSES if cut else 0)


def _looks_like_email(message: EmailMessage) -> bool:
    present = {key.lower() for key in message}
    if message.defects and not present:
        return False
    return "from" in present and bool(present & {"date", "message-id", "subject"})


def _header_text(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):
        # The default policy raises on some broken structured headers; the raw text still helps.
        value = message.get_all(name, failobj=[""])[0]
    return "" if value is None else " ".join(str(value).split())


def _raw_header(message: EmailMessage, name: str) -> str:
    """The first `name` header as it stands in the message, not yet parsed by the policy;
    raw 8-bit text in it (UTF-8 where it should be encoded words) read as UTF-8."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            # The parser keeps undecoded bytes as surrogates; the policy would decode them so.
            return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return ""


def _addresses(message: EmailMessage, name: str, limit: int, cut: list[str]) -> tuple[Address, ...]:
    """The first `limit` mailboxes of an address header; its name in `cut` if there are more."""
    entries: list[str] = []
    current = ""
    for match in _ADDRESS_PART.finditer(" ".join(_raw_header(message, name).split())):
        if match.group() != ",":
            current += match.group()
            continue
        if current.strip():
            entries.append(current)
        current = ""
        if len(entries) > limit:
            break
    if current.strip() and len(entries) <= limit:
        entries.append(current)
    if len(entries) > limit and limit > 1:
        cut.append(name)
    return tuple(parse_address_list(", ".join(entries[:limit])))[:limit]


def _message_ids(text: str) -> list[str]:
    ids: list[str] = []
    for part in text.replace(">", "> ").split():
        part = part.strip()
        if part.startswith("<") and part.endswith(">") and len(part) > 2:
            ids.append(part)
    return ids


def _message_id(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    ids = _message_ids(text)
    if ids:
        return ids[0]
    return f"<{text}>" if text and "@" in text and " " not in text else None


def _thread_index(value: object) -> str | None:
    if value is None:
        return None
    try:
        return base64.b64decode(str(value).strip(), validate=True).hex() or None
    except (binascii.Error, ValueError):
        return None


def _date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    try:
        # Every moment is compared in UTC; one that has none (year 9999 west of Greenwich)
        # would overflow there, far from this header. A moment without a zone is UTC already.
        if moment.tzinfo is not None:
            moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise MessageFormatError(f"the Date header {str(value)!r} is out of range") from None
    return moment


def _bodies(message: EmailMessage) -> tuple[str | None, str | None]:
    parts: dict[str, str | None] = {"plain": None, "html": None}
    for subtype in parts:
        part = message.get_body(preferencelist=(subtype,))
        if part is None:
            continue
        try:
            parts[subtype] = part.get_content()
        except (LookupError, UnicodeError, ValueError):
            payload = part.get_payload(decode=True)
            parts[subtype] = (
                payload.decode("utf-8", "replace") if isinstance(payload, bytes) else None
            )
    return parts["plain"], parts["html"]
