"""Qualifying and disqualifying a lead, as the reference product does it.

Qualify makes (or links to existing ones, which the user picks among the matches) an account
from the lead's company, a contact from the lead's person and an opportunity from its topic;
the lead becomes qualified and inactive, and its activities are regarding the opportunity from
then on (the contact when no opportunity is made, else the account). Disqualify closes the
lead with a reason. Both are in the lead's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.crm.duplicate_rules import Candidate
from app.crm.duplicates import candidate_of, duplicates_of
from app.crm.editing import create_record, regarding_activities, remember_action
from app.crm.errors import CrmError
from app.crm.fields import DISQUALIFY_REASONS, OPEN_LEAD_STATUSES, QUALIFIED
from app.crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    Record,
    SystemUser,
)
from app.crm.records import accounts_at_domain, get_record
from app.tracking.addresses import domain_of
from app.tracking.model import RecordType
from app.tracking.names import is_public_mail_domain

NEW = "new"
Pick = int | Literal["new"] | None  # an existing record's id, a new one, or none


@dataclass(frozen=True, slots=True)
class QualifyChoice:
    account: Pick = NEW  # NEW: from the lead's company (none when it has no company)
    contact: Pick = NEW
    opportunity: bool = True


@dataclass(frozen=True, slots=True)
class QualifyMatches:
    """Existing records the lead's company and person may already be."""

    accounts: tuple[Candidate, ...]
    contacts: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class QualifyResult:
    account: Account | None
    contact: Contact | None
    opportunity: Opportunity | None
    regarding: Record | None  # what the lead's activities are regarding now
    moved: tuple[int, ...]  # those activities


def open_lead(lead: Lead) -> None:
    if lead.status not in OPEN_LEAD_STATUSES:
        raise CrmError(f"The lead {lead.display_name} is {lead.status} already")


def qualify_matches(session: Session, lead: Lead) -> QualifyMatches:
    """Accounts named like the lead's company or with addresses at its domain; contacts with
    its address or its name."""
    open_lead(lead)
    accounts: dict[int, Candidate] = {}
    if lead.company:
        for match in duplicates_of(session, RecordType.ACCOUNT, {"name": lead.company}):
            if match.record.id is not None:
                accounts[match.record.id] = match.record
    for account in _accounts_at_domains(session, lead):
        accounts.setdefault(account.id, candidate_of(session, account))
    person = {"first_name": lead.first_name, "last_name": lead.last_name, "emails": lead.emails}
    contacts = [
        match.record
        for match in duplicates_of(session, RecordType.CONTACT, person)
        if match.record.type is RecordType.CONTACT
    ]
    return QualifyMatches(tuple(accounts.values()), tuple(contacts))


def _accounts_at_domains(session: Session, lead: Lead) -> list[Account]:
    """Active accounts with an address at the lead's company domains (free mail aside)."""
    domains = {domain_of(email) for email in lead.emails} - {""}
    return [
        account
        for domain in sorted(domain for domain in domains if not is_public_mail_domain(domain))
        for account in accounts_at_domain(session, domain)
    ]


def qualify_lead(
    session: Session, lead: Lead, choice: QualifyChoice, by: SystemUser | None
) -> QualifyResult:
    open_lead(lead)
    owner = by  # what Qualify makes belongs to whoever qualifies
    account = _account_for(session, lead, choice.account, owner)
    contact = _contact_for(session, lead, choice.contact, account, owner)
    opportunity: Opportunity | None = None
    if choice.opportunity:
        values = {
            "name": lead.topic or lead.company or lead.display_name,
            "account": account.id if account else None,
            "contact": contact.id if contact else None,
        }
        created = create_record(session, RecordType.OPPORTUNITY, values, owner, owner)
        assert isinstance(created, Opportunity)
        opportunity = created
        opportunity.lead_id = lead.id
    regarding: Record | None = opportunity or contact or account
    moved = tuple(regarding_activities(session, [lead.id]))
    if regarding is not None and moved:
        session.execute(
            update(Activity).where(Activity.id.in_(moved)).values(regarding_id=regarding.id)
        )
    lead.status = QUALIFIED
    lead.active = False
    lead.account_id = account.id if account else None
    lead.contact_id = contact.id if contact else None
    remember_action(
        session,
        lead,
        QUALIFIED,
        owner,
        {
            kind: {"id": made.id, "name": made.display_name}
            for kind, made in (
                ("account", account),
                ("contact", contact),
                ("opportunity", opportunity),
            )
            if made is not None
        },
    )
    session.flush()
    return QualifyResult(account, contact, opportunity, regarding, moved if regarding else ())


def _account_for(
    session: Session, lead: Lead, pick: Pick, owner: SystemUser | None
) -> Account | None:
    if pick is None or (pick == NEW and not lead.company):
        return None
    if pick == NEW:
        created = create_record(
            session, RecordType.ACCOUNT, {"name": lead.company, "phone": lead.phone}, owner, owner
        )
        assert isinstance(created, Account)
        return created
    found = get_record(session, RecordType.ACCOUNT.value, str(pick))
    assert isinstance(found, Account)
    return found


def _contact_for(
    session: Session, lead: Lead, pick: Pick, account: Account | None, owner: SystemUser | None
) -> Contact | None:
    if pick is None:
        return None
    if pick == NEW:
        values = {
            "salutation": lead.salutation,
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "suffix": lead.suffix,
            "emails": list(lead.emails),
            "account": account.id if account else None,
            "job_title": lead.job_title,
            "phone": lead.phone,
            "mobile_phone": lead.mobile_phone,
        }
        created = create_record(session, RecordType.CONTACT, values, owner, owner)
        assert isinstance(created, Contact)
        return created
    found = get_record(session, RecordType.CONTACT.value, str(pick))
    assert isinstance(found, Contact)
    return found


def disqualify_lead(session: Session, lead: Lead, reason: str, by: SystemUser | None) -> None:
    if reason not in DISQUALIFY_REASONS:
        raise CrmError(f"Disqualify for one of {', '.join(DISQUALIFY_REASONS)}, not {reason!r}")
    open_lead(lead)
    lead.status = reason
    lead.active = False
    remember_action(session, lead, "disqualified", by, reason)
    session.flush()
