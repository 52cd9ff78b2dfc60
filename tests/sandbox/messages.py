"""RFC 5322 messages from outside the organisation, for delivery into sandbox mailboxes."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime


def inbound(
    sender: str,
    to: str,
    subject: str,
    body: str = "Dzień dobry,\nproszę o ofertę.\n",
    date: dt.datetime | None = None,
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    message.set_content(body)
    if attachment is not None:
        name, content = attachment
        message.add_attachment(
            content, maintype="application", subtype="octet-stream", filename=name
        )
    return message.as_bytes()
