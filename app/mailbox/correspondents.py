"""The people this mailbox wrote to and heard from lately: the address book beside the CRM when
inviting someone to an appointment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mailbox.models import MailItem
from app.tracking.model import Address

RECENT_MESSAGES = 2000  # how far back the address book looks


def recent_correspondents(session: Session, account: str | None, limit: int = 500) -> list[Address]:
    """Senders and recipients of the latest messages, newest first, each address once (with
    the first name it was seen with), the mailbox's own address left out."""
    own = (account or "").casefold()
    statement = (
        select(
            MailItem.sender_email,
            MailItem.sender_name,
            MailItem.to_recipients,
            MailItem.cc_recipients,
        )
        .where(MailItem.item_class.like("IPM.Note%"))
        .order_by(MailItem.received_at.desc().nulls_last(), MailItem.id.desc())
        .limit(RECENT_MESSAGES)
    )
    if account:
        statement = statement.where(MailItem.account == account)
    found: dict[str, Address] = {}
    for sender_email, sender_name, to, cc in session.execute(statement):
        people = [(sender_email, sender_name)]
        people += [(entry.get("email"), entry.get("name")) for entry in (*(to or ()), *(cc or ()))]
        for email, name in people:
            key = (email or "").strip().casefold()
            if key and key != own and key not in found:
                found[key] = Address(email=email.strip(), name=name or "")
        if len(found) >= limit:
            break
    return list(found.values())
