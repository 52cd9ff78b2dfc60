"""A small, realistic CRM and the messages the tracking tests send through it.

Anna Nowak is the tracking user (anna.nowak@liaison.example). Her CRM holds the account Acme
Sp. z o.o. with its contact Jan Kowalski (who writes from two addresses), the German customer
Müller Logistik GmbH with Klaus Becker, the lead Ewa Zielińska, her colleague Piotr Wiśniewski and
the Support queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import count

from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Address,
    Folder,
    MessageFacts,
    RecordRef,
    RecordType,
    Sensitivity,
    TrackedActivity,
)

NOW = datetime(2026, 5, 20, 9, 30)
EARLIER = datetime(2025, 1, 1)

ANNA = RecordRef(RecordType.USER, 1, "Anna Nowak", created_at=EARLIER)
PIOTR = RecordRef(RecordType.USER, 2, "Piotr Wiśniewski", created_at=EARLIER)
SUPPORT = RecordRef(RecordType.QUEUE, 3, "Support", created_at=EARLIER)
ACME = RecordRef(RecordType.ACCOUNT, 10, "Acme Sp. z o.o.", owner_id=1, created_at=EARLIER)
MUELLER = RecordRef(RecordType.ACCOUNT, 11, "Müller Logistik GmbH", owner_id=2, created_at=EARLIER)
JAN = RecordRef(RecordType.CONTACT, 20, "Jan Kowalski", owner_id=1, created_at=EARLIER)
KLAUS = RecordRef(RecordType.CONTACT, 21, "Klaus Becker", owner_id=2, created_at=EARLIER)
EWA = RecordRef(RecordType.LEAD, 30, "Ewa Zielińska", owner_id=1, created_at=EARLIER)

ANNA_MAIL = Address("anna.nowak@liaison.example", "Anna Nowak")
PIOTR_MAIL = Address("piotr.wisniewski@liaison.example", "Piotr Wiśniewski")
SUPPORT_MAIL = Address("support@liaison.example", "Support")
ACME_MAIL = Address("biuro@acme.pl", "Acme Biuro")
JAN_MAIL = Address("Jan.Kowalski@acme.pl", "Kowalski, Jan")
JAN_PRIVATE_MAIL = Address("jan@kowalski.dev", "Jan Kowalski")
KLAUS_MAIL = Address("klaus.becker@mueller-logistik.de", "Klaus Becker")
EWA_MAIL = Address("ewa@zielinska-design.pl", "Ewa Zielińska")
STRANGER_MAIL = Address("marta.lewandowska@nowafirma.pl", "Marta Lewandowska")

_message_numbers = count(1)


def crm() -> TrackingIndex:
    """A fresh index of Anna's CRM, with no tracked activities yet."""
    index = TrackingIndex()
    index.add_record(ANNA, [ANNA_MAIL.email])
    index.add_record(PIOTR, [PIOTR_MAIL.email])
    index.add_record(SUPPORT, [SUPPORT_MAIL.email])
    index.add_record(ACME, [ACME_MAIL.email])
    index.add_record(MUELLER, ["info@mueller-logistik.de"])
    index.add_record(JAN, [JAN_MAIL.email, JAN_PRIVATE_MAIL.email])
    index.add_record(KLAUS, [KLAUS_MAIL.email])
    index.add_record(EWA, [EWA_MAIL.email])
    return index


def message(
    subject: str,
    sender: Address | None = JAN_MAIL,
    to: Iterable[Address] = (ANNA_MAIL,),
    cc: Iterable[Address] = (),
    *,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    conversation_id: str | None = None,
    conversation_index: str | None = None,
    folder: Folder = Folder.INBOX,
    sensitivity: Sensitivity = Sensitivity.NORMAL,
    is_draft: bool = False,
    received_at: datetime = NOW,
) -> MessageFacts:
    return MessageFacts(
        message_id=message_id or f"<msg{next(_message_numbers)}@mail.example>",
        subject=subject,
        sender=sender,
        to=tuple(to),
        cc=tuple(cc),
        in_reply_to=in_reply_to,
        references=tuple(references),
        conversation_id=conversation_id,
        conversation_index=conversation_index,
        sent_at=received_at - timedelta(minutes=2),
        received_at=received_at,
        is_draft=is_draft,
        sensitivity=sensitivity,
        folder=folder,
    )


def tracked(
    activity_id: int,
    subject: str,
    regarding: RecordRef | None,
    *,
    message_id: str | None = None,
    days_ago: float = 2,
    token: str | None = None,
    conversation_id: str | None = None,
    conversation_index: str | None = None,
    addresses: Iterable[Address] = (ANNA_MAIL, JAN_MAIL),
) -> TrackedActivity:
    return TrackedActivity(
        id=activity_id,
        message_id=message_id,
        subject=subject,
        regarding=regarding,
        tracked_at=NOW - timedelta(days=days_ago),
        token=token,
        conversation_id=conversation_id,
        conversation_index=conversation_index,
        addresses=frozenset(address.email.lower() for address in addresses),
    )
