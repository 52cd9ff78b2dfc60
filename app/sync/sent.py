"""Email composed in Liaison: queued for the next sync to send, and known to tracking from the
moment it is queued.

The message gets its tracking token and its Internet Message-ID when it is queued, and its
email activity is stored in the CRM then (tracked by hand, regarding the record chosen), so a
reply correlates by token, In-Reply-To or References whatever the order in which sync reads the
folders and however many syncs pass before the Sent Items copy is read. That copy carries
Liaison's mark asking for tracking; the tracker links it to the activity (app.tracking.plan).

1. The token is issued (CRM).
2. The send is written to the outbox with its token and Message-ID (local).
3. The activity is stored (CRM), found by its Message-ID if it is there already.
A crash (or a CRM that refuses the write) after step 2 leaves the activity to the push, which
stores it (step 3 again) before it sends; a crash before step 2 wastes a token and queues
nothing, as the user's window shows.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.activities import HOW_MANUAL, activity_by_message_id, apply_decision
from app.crm.errors import CrmError
from app.crm.index_loader import load_people_index
from app.crm.models import Record
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.crm.tokens import issue_token
from app.mailbox.personal_options import load_personal_options
from app.sync.outbox import OutboxKind, enqueue
from app.tracking.model import Address, Folder, MessageFacts, ParsedMessage
from app.tracking.pipeline import manual_decision
from app.tracking.reasons import Reason, Why
from app.tracking.tokens import append_token
from app.workspace import Workspace

SENT_FROM_LIAISON = Reason(Why.SENT_FROM_LIAISON)
log = logging.getLogger(__name__)


def queue_email(
    workspace: Workspace,
    to: Sequence[Address],
    subject: str,
    body_text: str,
    regarding: tuple[str, str] | None = None,
    cc: Sequence[Address] = (),
    body_html: str | None = None,
) -> str:
    """Queue an email with this org's tracking token in the subject, tracked regarding the
    record; returns the subject as it will be sent."""
    address = workspace.owner_address or ""
    with workspace.crm.sessions.begin() as session:
        user = workspace.owner(session)
        record = get_record(session, *regarding) if regarding else None
        token = issue_token(session, user, load_org_settings(session)).token
        full_subject = append_token(subject, token)
        regarding_text = f"{record.type}:{record.id}" if record else None
    payload: dict[str, Any] = {
        "subject": full_subject,
        "to": [{"email": a.email, "name": a.name} for a in to],
        "cc": [{"email": a.email, "name": a.name} for a in cc],
        "body_text": body_text,
        "body_html": body_html,
        "regarding": regarding_text,
        "message_id": new_message_id(address),
        "queued_at": datetime.now(UTC).isoformat(),
    }
    with workspace.local.sessions.begin() as session:
        enqueue(session, address, OutboxKind.SEND, payload)
    try:
        track_queued(workspace, payload)
    except (CrmError, SQLAlchemyError):
        # Queued all the same (the user must not send it twice): the push stores the activity
        # before it sends.
        log.warning("The activity of a queued email is stored at the next sync", exc_info=True)
    return full_subject


def track_queued(workspace: Workspace, payload: dict[str, Any]) -> None:
    """Store the queued email's activity in the CRM unless it is there (by Message-ID).
    A send queued by an older version, without a Message-ID, is tracked from its copy in Sent
    Items instead."""
    message_id = payload.get("message_id")
    if not isinstance(message_id, str):
        return
    with workspace.crm.sessions() as session:
        if activity_by_message_id(session, message_id) is not None:
            return
    with workspace.local.sessions() as session:
        options = load_personal_options(session)
    with workspace.crm.sessions.begin() as session:
        user = workspace.owner(session)
        sender = Address(workspace.owner_address or "", user.display_name or "")
        facts = _facts(payload, message_id, sender)
        record = _record(session, payload.get("regarding"))
        people = load_people_index(session, [a.email for a in (*facts.to, *facts.cc)])
        decision = manual_decision(
            facts,
            people,
            options,
            load_org_settings(session),
            record_ref(user),
            regarding=record_ref(record) if record else None,
            cause=SENT_FROM_LIAISON,
        )
        parsed = ParsedMessage(facts, payload.get("body_text"), payload.get("body_html"))
        apply_decision(session, parsed, decision, user, HOW_MANUAL, outgoing=True)


def _record(session: Session, regarding: object) -> Record | None:
    """The record the email is about; one deleted since it was queued is no longer."""
    if not isinstance(regarding, str) or ":" not in regarding:
        return None
    record_type, _, key = regarding.partition(":")
    try:
        return get_record(session, record_type, key)
    except CrmError:
        return None


def new_message_id(address: str) -> str:
    """An Internet Message-ID for a message Liaison sends, in the sender's domain."""
    domain = address.rpartition("@")[2] or "liaison.invalid"
    return f"<{uuid.uuid4().hex}.liaison@{domain}>"


def _facts(payload: dict[str, Any], message_id: str, sender: Address) -> MessageFacts:
    def addresses(key: str) -> tuple[Address, ...]:
        return tuple(
            Address(str(a["email"]), str(a.get("name", ""))) for a in payload.get(key) or []
        )

    queued = payload.get("queued_at")
    return MessageFacts(
        message_id=message_id,
        subject=str(payload.get("subject", "")),
        sender=sender,
        to=addresses("to"),
        cc=addresses("cc"),
        sent_at=datetime.fromisoformat(queued) if isinstance(queued, str) else None,
        folder=Folder.SENT,
    )
