"""Creating, editing and deleting CRM records: checked values, the history of who changed what,
and what becomes of linked activities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.crm.editing import (
    create_record,
    delete_record,
    deletion_impact,
    record_history,
    record_values,
    update_record,
)
from app.crm.fields import RECORD_FIELDS, InvalidValues, Problem, check_values
from app.crm.models import (
    Account,
    Appointment,
    Contact,
    EmailActivity,
    Opportunity,
    RecordHistory,
    SystemUser,
    Task,
)
from app.crm.records import create_account, create_contact, records_with_address
from app.tracking.model import RecordType


def problems(record_type: RecordType, raw: dict[str, object], creating: bool = True) -> dict:
    with pytest.raises(InvalidValues) as refused:
        check_values(record_type, raw, creating)
    return {problem.field: problem.problem for problem in refused.value.problems}


def test_a_new_contact_needs_a_last_name() -> None:
    assert problems(RecordType.CONTACT, {"first_name": "Jan"}) == {"last_name": Problem.REQUIRED}


def test_an_edit_may_leave_out_required_fields_but_not_empty_them() -> None:
    assert check_values(RecordType.CONTACT, {"job_title": "Dyrektor"}, creating=False) == {
        "job_title": "Dyrektor"
    }
    assert problems(RecordType.ACCOUNT, {"name": "  "}, creating=False) == {
        "name": Problem.REQUIRED
    }


def test_every_wrong_field_is_named_at_once() -> None:
    found = problems(
        RecordType.OPPORTUNITY,
        {
            "name": "Wdrożenie WMS",
            "estimated_value": "dużo",
            "currency": "złote",
            "close_date": "15.12.2026",
            "probability": "120",
            "stage": "Marzenia",
        },
    )
    assert found == {
        "estimated_value": Problem.NOT_A_NUMBER,
        "currency": Problem.NOT_A_CURRENCY,
        "close_date": Problem.NOT_A_DATE,
        "probability": Problem.NOT_A_PERCENT,
        "stage": Problem.NOT_A_CHOICE,
    }


def test_amounts_are_read_as_people_write_them() -> None:
    for written in ("480 000,50", "480000.50", "480,000.50", "480.000,50", 480000.5):
        values = check_values(RecordType.OPPORTUNITY, {"estimated_value": written}, False)
        assert values["estimated_value"] == Decimal("480000.50"), written


def test_values_are_tidied_currency_upper_case_stage_as_listed() -> None:
    values = check_values(
        RecordType.OPPORTUNITY,
        {
            "name": "  Portal  pacjenta ",
            "currency": "pln",
            "stage": "propose",
            "probability": "40%",
        },
        creating=True,
    )
    assert values == {
        "name": "Portal pacjenta",
        "currency": "PLN",
        "stage": "Propose",
        "probability": 40,
    }


def test_addresses_phones_and_unknown_fields_are_checked() -> None:
    found = problems(
        RecordType.CONTACT,
        {"last_name": "Kowalski", "emails": "jan@", "phone": "zadzwoń", "pager": "1"},
    )
    assert found == {
        "emails": Problem.NOT_AN_EMAIL,
        "phone": Problem.NOT_A_PHONE,
        "pager": Problem.UNKNOWN_FIELD,
    }
    assert check_values(
        RecordType.CONTACT,
        {"emails": "jan@acme.pl; Jan.K@acme.pl", "phone": "+48 22 100 20 30 wew. 12"},
        False,
    ) == {"emails": ["jan@acme.pl", "Jan.K@acme.pl"], "phone": "+48 22 100 20 30 wew. 12"}


@given(
    record_type=st.sampled_from(list(RECORD_FIELDS)),
    raw=st.dictionaries(
        st.sampled_from(["name", "last_name", "emails", "phone", "estimated_value", "close_date",
                         "probability", "currency", "stage", "account", "status", "website"]),
        st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(), st.booleans(),
                  st.lists(st.text(max_size=20), max_size=3)),
        max_size=6,
    ),
)  # fmt: skip
def test_checking_any_input_either_gives_values_or_names_the_fields(
    record_type: RecordType, raw: dict[str, object]
) -> None:
    try:
        values = check_values(record_type, raw, creating=False)
    except InvalidValues as refused:
        assert refused.problems
        assert {problem.field for problem in refused.problems} <= set(raw)
    else:
        assert set(values) == set(raw)


def test_a_created_record_has_its_values_and_its_creation_in_the_history(
    crm_session: Session, anna: SystemUser
) -> None:
    values = check_values(
        RecordType.CONTACT,
        {
            "salutation": "Dr.",
            "first_name": "Hans-Peter",
            "last_name": "Müller",
            "emails": ["hp.mueller@mueller-mb.de"],
            "job_title": "Einkaufsleiter",
            "mobile_phone": "+49 171 555 01 23",
        },
        creating=True,
    )

    contact = create_record(crm_session, RecordType.CONTACT, values, anna, anna)

    assert isinstance(contact, Contact)
    assert record_values(contact)["salutation"] == "Dr."
    assert records_with_address(crm_session, "HP.Mueller@mueller-mb.de") == [contact]
    [created] = record_history(crm_session, contact)
    assert (created.action, created.who) == ("created", "Anna Nowak")
    assert created.new["last_name"] == "Müller"


def test_an_edit_changes_only_what_differs_and_each_change_is_in_the_history(
    crm_session: Session, anna: SystemUser
) -> None:
    acme = create_account(crm_session, "Acme Logistics Sp. z o.o.", ["biuro@acme.pl"], anna)
    jan = create_contact(crm_session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], anna)
    values = check_values(
        RecordType.CONTACT,
        {"first_name": "Jan", "job_title": "Dyrektor zakupów", "account": acme.id,
         "emails": ["jan.kowalski@acme.pl", "jk@acme.pl"]},
        creating=False,
    )  # fmt: skip

    changes = update_record(crm_session, jan, values, anna)

    assert [change.field for change in changes] == ["emails", "account", "job_title"]
    assert jan.account_id == acme.id and jan.emails == ["jan.kowalski@acme.pl", "jk@acme.pl"]
    history = {entry.field: (entry.old, entry.new) for entry in record_history(crm_session, jan)}
    assert history["job_title"] == (None, "Dyrektor zakupów")
    assert history["account"] == (None, acme.id)


def test_reordering_addresses_keeps_their_rows(crm_session: Session, anna: SystemUser) -> None:
    jan = create_contact(crm_session, "Jan", "Kowalski", ["a@acme.pl", "b@acme.pl"], anna)
    before = {address.normalized: address.id for address in jan.addresses}

    update_record(crm_session, jan, {"emails": ["B@acme.pl", "a@acme.pl"]}, anna)

    assert jan.emails == ["B@acme.pl", "a@acme.pl"]
    assert {address.normalized: address.id for address in jan.addresses} == before


def test_an_account_that_does_not_exist_is_refused_by_field(
    crm_session: Session, anna: SystemUser
) -> None:
    jan = create_contact(crm_session, "Jan", "Kowalski", [], anna)
    with pytest.raises(InvalidValues) as refused:
        update_record(crm_session, jan, {"account": 999_999}, anna)
    assert [problem.field for problem in refused.value.problems] == ["account"]


def test_an_edit_cannot_qualify_a_lead(crm_session: Session, anna: SystemUser) -> None:
    lead = create_record(crm_session, RecordType.LEAD, {"last_name": "Wiśniewska"}, anna, anna)
    assert record_values(lead)["status"] == "new"
    update_record(crm_session, lead, {"status": "contacted"}, anna)
    with pytest.raises(InvalidValues, match="with Qualify or Disqualify"):
        update_record(crm_session, lead, {"status": "qualified"}, anna)


def test_the_history_shows_values_a_merge_kept_aside(
    crm_session: Session, anna: SystemUser
) -> None:
    piotr = SystemUser(name="Piotr Zieliński", user_number=2)
    crm_session.add(piotr)
    crm_session.flush()
    jan = create_contact(crm_session, "Jan", "Kowalski", [], anna, phone="+48 22 111 11 11")
    crm_session.add(
        RecordHistory(
            table_name="contacts",
            row_id=jan.id,
            field="phone",
            lost_value="+48 600 700 800",
            kept_value="+48 22 111 11 11",
            lost_by_id=piotr.id,
            edited_at=datetime(2026, 11, 24, 9, tzinfo=UTC),
            merged_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        )
    )
    crm_session.flush()

    [kept] = [entry for entry in record_history(crm_session, jan) if entry.action == "kept-aside"]

    assert (kept.field, kept.who, kept.old, kept.new) == (
        "phone",
        "Piotr Zieliński",
        "+48 600 700 800",
        "+48 22 111 11 11",
    )


def test_deleting_says_what_becomes_of_linked_activities_and_does_it(
    crm_session: Session, anna: SystemUser
) -> None:
    acme = create_account(crm_session, "Acme Logistics", ["biuro@acme.pl"], anna)
    create_contact(crm_session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], anna, acme)
    crm_session.add(Opportunity(name="Acme: WMS", account_id=acme.id, owner_id=anna.id))
    for number in range(3):
        crm_session.add(
            EmailActivity(subject=f"Oferta {number}", direction="incoming", regarding_id=acme.id,
                          message_id=f"<oferta-{number}@acme.pl>")
        )  # fmt: skip
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    crm_session.add(Appointment(subject="Spotkanie", start=start, end=start, regarding_id=acme.id))
    crm_session.add(Task(subject="Oddzwonić", regarding_id=acme.id))
    crm_session.flush()

    impact = deletion_impact(crm_session, acme)
    assert impact.sentences() == [
        "3 tracked email(s) stay in the CRM, regarding nothing",
        "1 appointment(s) stay in the CRM, regarding nothing",
        "1 task(s) stay in the CRM, regarding nothing",
        "1 contact(s) stay, without an account",
        "1 opportunity(ies) stay, without an account",
    ]

    moved = delete_record(crm_session, acme)
    crm_session.expire_all()

    assert len(moved) == 5
    assert crm_session.get(Account, acme.id) is None
    emails = crm_session.query(EmailActivity).all()
    assert len(emails) == 3 and all(email.regarding_id is None for email in emails)
    assert crm_session.query(Contact).one().account_id is None


def test_opportunity_values_round_trip(crm_session: Session, anna: SystemUser) -> None:
    values = check_values(
        RecordType.OPPORTUNITY,
        {"name": "Medivita – portal pacjenta", "estimated_value": "150000", "currency": "PLN",
         "close_date": "2027-02-26", "stage": "Develop", "probability": 30},
        creating=True,
    )  # fmt: skip
    opportunity = create_record(crm_session, RecordType.OPPORTUNITY, values, anna, anna)

    assert record_values(opportunity) == {
        "name": "Medivita – portal pacjenta",
        "account": None,
        "contact": None,
        "estimated_value": Decimal("150000.00"),
        "currency": "PLN",
        "close_date": date(2027, 2, 26),
        "stage": "Develop",
        "probability": 30,
    }
