"""Email composed in Liaison: queued for the next sync to send, and, when tracked, known to
tracking from the moment it is queued. The one way a message is queued for sending: the compose
window and `liaison mail send|reply|forward` (app.services.compose), and MailboxTracking.send.

Whether it is tracked was decided before (app.tracking.outgoing). A tracked message gets its
tracking token (the one a reply carries already, else a new one) and its Internet Message-ID
when it is queued, and its email activity is stored in the CRM then (tracked by hand, regarding
the record chosen), so a reply correlates by token, In-Reply-To or References whatever the order
in which sync reads the folders and however many syncs pass before the Sent Items copy is read.
That copy carries Liaison's mark asking for tracking; the tracker links it to the activity
(app.tracking.plan).

1. The token is issued (CRM).
2. The send is written to the outbox with its token and Message-ID, and shown in the Outbox
   (local, app.sync.actions.queue_send).
3. The activity is stored (CRM), found by its Message-ID if it is there already.
A crash (or a CRM that refuses the write) after step 2 leaves the activity to the push, which
stores it (step 3 again) before it sends; a crash before step 2 wastes a token and queues
nothing, as the user's window shows.

An untracked message gets no token, no activity and a mark with only the send's client id; its
Message-ID is remembered as evaluated in step 2, so the automatic rules leave its Sent Items copy
alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.activities import HOW_MANUAL, activity_by_message_id, apply_decision
from app.crm.errors import CrmError
from app.crm.index_loader import load_people_index
from app.crm.models import Record, SystemUser
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.crm.tokens import issue_token
from app.mailbox import cache
from app.mailbox.models import MailItem
from app.mailbox.personal_options import load_personal_options
from app.sync.actions import queue_send
from app.sync.outgoing import ComposedMessage, new_message_id
from app.tracking.model import Address, Folder, MessageFacts, ParsedMessage, RecordRef
from app.tracking.pipeline import manual_decision
from app.tracking.reasons import Reason, Why
from app.tracking.tokens import append_token, find_token
from app.workspace import Workspace

SENT_FROM_LIAISON = Reason(Why.SENT_FROM_LIAISON)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueuedSend:
    subject: str  # as it will be sent: with its token when tracked
    message_id: str
    item_id: int | None  # the row shown in the Outbox until it is sent


def queue_email(
    workspace: Workspace,
    account: str,
    message: ComposedMessage,
    tracked: bool,
    regarding: RecordRef | None = None,
    draft_id: int | None = None,
) -> QueuedSend:
    """Queue the message for the next sync to send, tracked (regarding the record, if any) or
    not. `draft_id`: the cached draft it was written in, which goes to the Outbox with it (a
    draft gone meanwhile leaves the message to a new Outbox row)."""
    subject = message.subject
    if tracked:
        with workspace.crm.sessions.begin() as session:
            subject = tracked_subject(session, workspace.owner(session), subject)
    message = replace(message, subject=subject)
    message_id = new_message_id(account)
    regarding_text = f"{regarding.type.value}:{regarding.id}" if tracked and regarding else None
    with workspace.local.sessions.begin() as session:
        draft = session.get(MailItem, draft_id) if draft_id is not None else None
        entry = queue_send(
            session,
            account,
            message,
            workspace.paths.data_dir,
            message_id,
            (tracked, regarding_text),
            cache.distinguished_folder(session, account, "outbox"),
            draft if draft is not None and draft.is_draft else None,
        )
        if not tracked:
            # Decided here: the automatic rules leave its Sent Items copy alone.
            cache.remember(session, account, message_id, None, {})
        payload = dict(entry.payload)
    if tracked:
        try:
            track_queued(workspace, payload)
        except (CrmError, SQLAlchemyError):
            # Queued all the same (the user must not send it twice): the push stores the
            # activity before it sends.
            log.warning("The activity of a queued email is stored at the next sync", exc_info=True)
    shown = payload.get("outbox_item_id")
    return QueuedSend(subject, message_id, shown if isinstance(shown, int) else None)


def tracked_subject(session: Session, user: SystemUser, subject: str) -> str:
    """The subject a tracked email is sent with: with this org's tracking token, the one it
    carries already (a reply's or forward's, the original's) or a new one."""
    org = load_org_settings(session)
    if find_token(subject, org) is not None:
        return subject
    return append_token(subject, issue_token(session, user, org).token)


def track_queued(workspace: Workspace, payload: dict[str, Any]) -> None:
    """Store the queued email's activity in the CRM unless it is there (by Message-ID); an
    untracked one has none. A send queued by an older version, without a Message-ID, is tracked
    from its copy in Sent Items instead."""
    message_id = payload.get("message_id")
    if not isinstance(message_id, str) or payload.get("track") is False:
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


def _facts(payload: dict[str, Any], message_id: str, sender: Address) -> MessageFacts:
    queued = payload.get("queued_at")
    return MessageFacts(
        message_id=message_id,
        subject=str(payload.get("subject", "")),
        sender=sender,
        to=cache.addresses_of(payload.get("to")),
        cc=cache.addresses_of(payload.get("cc")),
        in_reply_to=payload.get("in_reply_to") or None,
        references=tuple(payload.get("references") or ()),
        sent_at=datetime.fromisoformat(queued) if isinstance(queued, str) else None,
        folder=Folder.SENT,
    )
