"""Reading a saved message (RFC 5322 / MIME) into what the tracking pipeline and the store need."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from app.tracking.addresses import parse_address_list
from app.tracking.model import Folder, MessageFacts, ParsedMessage, Sensitivity

MAX_MESSAGE_BYTES = 64 * 1024 * 1024

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
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not _looks_like_email(message):
        raise MessageFormatError("no email headers found (From, Date, Message-ID)")
    try:
        facts = MessageFacts(
            message_id=_message_id(message.get("Message-ID")),
            subject=_header_text(message, "Subject"),
            sender=_first(parse_address_list(_header_text(message, "From"))),
            to=tuple(parse_address_list(_header_text(message, "To"))),
            cc=tuple(parse_address_list(_header_text(message, "Cc"))),
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
    except (ValueError, TypeError, IndexError, LookupError) as exc:
        raise MessageFormatError(f"the message headers are malformed: {exc}") from exc
    text, html = _bodies(message)
    return ParsedMessage(facts, text, html)


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


def _first(items: list) -> object:  # type: ignore[type-arg]
    return items[0] if items else None


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
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None


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
