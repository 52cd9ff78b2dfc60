"""Qualifying and disqualifying leads as the reference product does."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.crm.editing import create_record, record_history
from app.crm.errors import CrmError
from app.crm.models import Account, Contact, EmailActivity, Lead, Opportunity, SystemUser
from app.crm.qualification import (
    NEW,
    QualifyChoice,
    disqualify_lead,
    qualify_lead,
    qualify_matches,
)
from app.crm.records import create_account, create_contact
from app.tracking.model import RecordType


@pytest.fixture
def ewa(crm_session: Session, anna: SystemUser) -> Lead:
    lead = create_record(
        crm_session,
        RecordType.LEAD,
        {
            "salutation": "Pani",
            "first_name": "Ewa",
            "last_name": "Wiśniewska",
            "emails": ["ewa@wisniewska-design.pl"],
            "company": "Wiśniewska Design",
            "job_title": "Właścicielka",
            "phone": "+48 61 222 33 44",
            "topic": "Nowa strona sklepu",
        },
        anna,
        anna,
    )
    assert isinstance(lead, Lead)
    for number in (1, 2):
        crm_session.add(
            EmailActivity(
                subject=f"Strona sklepu, wiadomość {number}",
                direction="incoming",
                regarding_id=lead.id,
                message_id=f"<strona-{number}@wisniewska-design.pl>",
            )
        )
    crm_session.flush()
    return lead


def test_qualify_makes_account_contact_and_opportunity_and_moves_the_activities(
    crm_session: Session, anna: SystemUser, ewa: Lead
) -> None:
    result = qualify_lead(crm_session, ewa, QualifyChoice(), anna)

    assert isinstance(result.account, Account) and result.account.name == "Wiśniewska Design"
    assert isinstance(result.contact, Contact)
    assert (result.contact.salutation, result.contact.first_name, result.contact.last_name) == (
        "Pani",
        "Ewa",
        "Wiśniewska",
    )
    assert result.contact.account_id == result.account.id
    assert result.contact.emails == ["ewa@wisniewska-design.pl"]
    assert isinstance(result.opportunity, Opportunity)
    assert result.opportunity.name == "Nowa strona sklepu"
    assert (result.opportunity.account_id, result.opportunity.lead_id) == (
        result.account.id,
        ewa.id,
    )
    crm_session.expire_all()
    regarding = {activity.regarding_id for activity in crm_session.query(EmailActivity)}
    assert regarding == {result.opportunity.id}
    assert (ewa.status, ewa.active) == ("qualified", False)
    assert record_history(crm_session, ewa)[0].action == "qualified"


def test_without_an_opportunity_the_activities_go_to_the_contact(
    crm_session: Session, anna: SystemUser, ewa: Lead
) -> None:
    result = qualify_lead(crm_session, ewa, QualifyChoice(opportunity=False), anna)

    assert result.opportunity is None and result.contact is not None
    assert result.regarding is result.contact and len(result.moved) == 2


def test_qualify_links_to_the_existing_account_and_contact_the_user_picks(
    crm_session: Session, anna: SystemUser, ewa: Lead
) -> None:
    design = create_account(crm_session, "Wiśniewska Design s.c.", ["biuro@wisniewska-design.pl"])
    known = create_contact(crm_session, "Ewa", "Wiśniewska", ["e.wisniewska@gmail.com"], anna)

    matches = qualify_matches(crm_session, ewa)
    result = qualify_lead(
        crm_session, ewa, QualifyChoice(account=design.id, contact=known.id), anna
    )

    assert [candidate.id for candidate in matches.accounts] == [design.id]
    assert [candidate.id for candidate in matches.contacts] == [known.id]
    assert (result.account, result.contact) == (design, known)
    assert crm_session.query(Account).count() == 1 and crm_session.query(Contact).count() == 1


def test_a_lead_without_a_company_makes_no_account(crm_session: Session, anna: SystemUser) -> None:
    lead = create_record(crm_session, RecordType.LEAD, {"last_name": "Nowicki"}, anna, anna)
    assert isinstance(lead, Lead)

    result = qualify_lead(crm_session, lead, QualifyChoice(account=NEW), anna)

    assert result.account is None and result.opportunity is not None
    assert result.opportunity.name == "Nowicki"


def test_disqualify_closes_the_lead_with_its_reason(
    crm_session: Session, anna: SystemUser, ewa: Lead
) -> None:
    disqualify_lead(crm_session, ewa, "no-longer-interested", anna)

    assert (ewa.status, ewa.active) == ("no-longer-interested", False)
    with pytest.raises(CrmError, match="no-longer-interested already"):
        qualify_lead(crm_session, ewa, QualifyChoice(), anna)


def test_a_reason_that_is_not_one_is_refused(
    crm_session: Session, anna: SystemUser, ewa: Lead
) -> None:
    with pytest.raises(CrmError, match="lost, cannot-contact, no-longer-interested, canceled"):
        disqualify_lead(crm_session, ewa, "bored", anna)
