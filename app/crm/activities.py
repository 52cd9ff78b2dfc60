"""Email activities: storing what the tracking engine decided, and the user's manual actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.crm.decisions import decision_to_json
from app.crm.editing import CREATED, remember_action, update_addresses
from app.crm.errors import CrmError
from app.crm.models import (
    Account,
    ActivityMailbox,
    ActivityParty,
    EmailActivity,
    IssuedToken,
    Record,
    SystemUser,
)
from app.crm.records import create_contact, create_lead, record_ref, records_with_address
from app.tracking.addresses import normalise_email
from app.tracking.model import (
    Decision,
    NewRecord,
    ParsedMessage,
    PartyRole,
    RecordType,
    ResolvedParty,
    Sensitivity,
)
from app.tracking.reasons import reasons_as_json, reasons_from_json, with_regarding_set
from app.tracking.subjects import normalise_subject

HOW_AUTOMATIC = "automatic"
HOW_MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class TrackOutcome:
    activity: EmailActivity
    created_record: Record | None
    linked_existing: bool


def activity_by_message_id(session: Session, message_id: str | None) -> EmailActivity | None:
    if not message_id:
        return None
    return session.scalars(
        select(EmailActivity)
        .where(EmailActivity.message_id == message_id)
        .options(selectinload(EmailActivity.parties), selectinload(EmailActivity.mailboxes))
    ).one_or_none()


def apply_decision(
    session: Session,
    parsed: ParsedMessage,
    decision: Decision,
    user: SystemUser,
    how: str,
    outgoing: bool,
) -> TrackOutcome | None:
    """Store a tracking decision; nothing happens for a decision not to track."""
    if not decision.track:
        return None
    facts = parsed.facts
    existing = activity_by_message_id(session, facts.message_id)
    if existing is not None:
        # One message, one activity: a second sighting links to it. Only a manual action may
        # change how it is tracked; an automatic one never undoes the user's choice.
        if how == HOW_MANUAL:
            _mark_tracked(existing, decision, user, how)
        link_mailbox(existing, user)
        session.flush()
        return TrackOutcome(existing, None, linked_existing=True)

    created = _create_sender_record(session, decision.create, user)
    activity = EmailActivity(**email_values(parsed, decision, user, how, outgoing))
    activity.parties = [
        ActivityParty(**values) for values in party_values(decision.parties, decision, created)
    ]
    link_mailbox(activity, user)
    session.add(activity)
    _remember_token(session, decision.token)
    session.flush()
    return TrackOutcome(activity, created, linked_existing=False)


def email_values(
    parsed: ParsedMessage, decision: Decision, user: SystemUser, how: str, outgoing: bool
) -> dict[str, Any]:
    """The columns of a new email activity for a decision to track (both of its tables)."""
    facts = parsed.facts
    return {
        "subject": facts.subject[:255],
        "normalized_subject": normalise_subject(facts.subject)[:255],
        "message_id": facts.message_id,
        "in_reply_to": facts.in_reply_to,
        "references": " ".join(facts.references) or None,
        "conversation_id": facts.conversation_id,
        "conversation_index": facts.conversation_index,
        "sender": _format_sender(parsed),
        "sent_at": facts.sent_at,
        "received_at": facts.received_at,
        "direction": "outgoing" if outgoing else "incoming",
        "body_text": parsed.body_text,
        "body_html": parsed.body_html,
        "tracking_token": decision.token,
        "owner_id": user.id,
        # Only a message its owner marked private by hand is tracked private (such mail is
        # tracked at all only by hand, or when the personal option allows it).
        "private": facts.sensitivity is Sensitivity.PRIVATE,
        **_tracked_values(decision, user, how, None),
    }


def mailbox_of(user: SystemUser) -> str:
    """How an activity names the mailbox of the user it was tracked from."""
    return normalise_email(user.emails[0]) if user.emails else f"user:{user.id}"


def link_mailbox(activity: EmailActivity, user: SystemUser) -> None:
    """Note that the message is in this user's mailbox (once per mailbox)."""
    mailbox = mailbox_of(user)
    if all(link.mailbox != mailbox for link in activity.mailboxes):
        activity.mailboxes.append(ActivityMailbox(mailbox=mailbox, user_id=user.id))


def _remember_token(session: Session, token: str | None) -> None:
    """A token of this org seen on tracked mail counts as issued, so the counter skips it even
    when it came from an import, another installation or a restored backup."""
    if token and session.get(IssuedToken, token) is None:
        session.add(IssuedToken(token=token))


def _mark_tracked(activity: EmailActivity, decision: Decision, user: SystemUser, how: str) -> None:
    for name, value in _tracked_values(decision, user, how, activity.regarding_id).items():
        setattr(activity, name, value)


def _tracked_values(
    decision: Decision, user: SystemUser, how: str, regarding_id: int | None
) -> dict[str, Any]:
    return {
        "tracked": True,
        "untracked_by_hand": False,
        "tracked_by_id": user.id,
        "tracked_how": how,
        "tracked_at": datetime.now(UTC),
        "regarding_id": decision.regarding.id if decision.regarding else regarding_id,
        "rule": decision.rule.value,
        # The reasons are kept as facts in `decision`; `evidence` holds the words of older
        # versions.
        "evidence": None,
        "decision": decision_to_json(decision),
    }


def _format_sender(parsed: ParsedMessage) -> str | None:
    sender = parsed.facts.sender
    if sender is None:
        return None
    return f"{sender.name} <{sender.email}>" if sender.name else sender.email


def _create_sender_record(
    session: Session, new: NewRecord | None, owner: SystemUser
) -> Record | None:
    if new is None:
        return None
    # The index the decision came from may be older than the database: never create a second
    # record for an address that has one by now.
    if records_with_address(session, new.email):
        return None
    if new.account is not None:
        return _add_role_address(session, new.account.id, new.email)
    # Unique in the store: a second client auto-creating for this address gets this record.
    claim = normalise_email(new.email)
    person = {
        "salutation": new.salutation or None,
        "suffix": new.suffix or None,
        "auto_created_for": claim,
    }
    if new.type is RecordType.LEAD:
        record: Record = create_lead(
            session,
            new.first_name,
            new.last_name,
            [new.email],
            owner,
            company=new.company,
            **person,
        )
    else:
        record = create_contact(
            session, new.first_name, new.last_name, [new.email], owner, **person
        )
    remember_action(session, record, CREATED, owner, {"automatically": claim})
    return record


def _add_role_address(session: Session, account_id: int, email: str) -> Account | None:
    """A role address (info@, biuro@) of a company the CRM knows: an address of its account."""
    account = session.get(Account, account_id)
    if account is None:
        return None
    update_addresses(account, [*account.emails, email])
    session.flush()
    return account


def party_values(
    resolved: tuple[ResolvedParty, ...], decision: Decision, created: Record | None
) -> list[dict[str, Any]]:
    """The activity_parties rows of a tracked message (without the activity's id)."""
    parties: list[dict[str, Any]] = []
    for party in resolved:
        email = party.address.email
        record_ids: list[int | None] = [record.id for record in party.records]
        if party.role is PartyRole.SENDER:
            chosen = decision.sender.id if decision.sender else None
            if chosen is None and created is not None:
                chosen = created.id
            record_ids = [chosen]
        for record_id in record_ids or [None]:
            parties.append(
                {
                    "role": party.role.value,
                    "email": email,
                    "normalized": normalise_email(email),
                    "display_name": party.address.name,
                    "record_id": record_id,
                }
            )
    return parties


def untrack(session: Session, message_id: str | None, delete: bool) -> EmailActivity:
    """Untrack by hand: the activity stays, unlinked, and automatic rules leave it alone."""
    activity = activity_by_message_id(session, message_id)
    if activity is None or (not activity.tracked and not delete):
        raise CrmError("This message is not tracked")
    if delete:
        session.delete(activity)
    else:
        activity.tracked = False
        activity.untracked_by_hand = True
        activity.regarding_id = None
        activity.tracked_how = HOW_MANUAL
    session.flush()
    return activity


def set_regarding(session: Session, activity: EmailActivity, record: Record | None) -> None:
    """Set Regarding by hand: it wins over what correlation found, and the activity's reasons
    say so (an older activity's reason in words, which named the old record, gives way)."""
    ref = record_ref(record) if record else None
    activity.regarding_id = record.id if record else None
    activity.tracked_how = HOW_MANUAL
    decision = dict(activity.decision or {})
    reasons = reasons_from_json(decision.get("reasons")) or ()
    decision["reasons"] = reasons_as_json(with_regarding_set(reasons, ref))
    decision["regarding"] = ref.as_json() if ref else None
    activity.decision = decision
    activity.evidence = None
    session.flush()
