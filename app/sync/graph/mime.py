"""An outgoing message as RFC 5322, the form Graph takes a message in whole: its threading
headers (In-Reply-To, References) and its own Message-ID, which Graph's JSON cannot set."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr

from app.sync.backend import OutgoingMessage
from app.tracking.model import Address


def _listed(addresses: tuple[Address, ...]) -> str:
    return ", ".join(formataddr((a.name or "", a.email)) for a in addresses)


def draft_message_id(client_id: str, sender: Address) -> str:
    """The Message-ID of a draft Liaison saves (one it sends has its own already): made of the
    client id, so the draft is found again by it before the client id is stamped on it."""
    domain = sender.email.rpartition("@")[2] or "liaison.invalid"
    return f"<{client_id}.draft.liaison@{domain}>"


def rfc822(message: OutgoingMessage, sender: Address) -> bytes:
    mail = EmailMessage()
    mail["From"] = formataddr((sender.name or "", sender.email))
    mail["Subject"] = message.subject
    for header, addresses in (("To", message.to), ("Cc", message.cc), ("Bcc", message.bcc)):
        if addresses:
            mail[header] = _listed(addresses)
    if message.message_id:
        mail["Message-ID"] = message.message_id
    if message.in_reply_to:
        mail["In-Reply-To"] = message.in_reply_to
    if message.references:
        mail["References"] = " ".join(message.references)
    mail.set_content(message.body_text or "")
    if message.body_html is not None:
        mail.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        main, _, sub = attachment.content_type.partition("/")
        mail.add_attachment(
            attachment.data,
            maintype=main or "application",
            subtype=sub or "octet-stream",
            filename=attachment.name,
            disposition="inline" if attachment.inline else "attachment",
            cid=f"<{attachment.content_id}>" if attachment.content_id else None,
        )
    return mail.as_bytes(policy=SMTP)
