"""Duplicate detection: the pure rules, and the store's candidates they judge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.crm.duplicate_rules import Candidate, DuplicateRule, find_duplicates, name_key
from app.crm.duplicates import duplicates_of
from app.crm.models import SystemUser
from app.crm.records import create_account, create_contact, create_lead, create_opportunity
from app.tracking.model import RecordType

ACME = Candidate(RecordType.ACCOUNT, 1, "Acme Logistics Sp. z o.o.", ("biuro@acme.pl",))
JAN = Candidate(RecordType.CONTACT, 2, "Jan Kowalski", ("jan.kowalski@acme.pl",), "Acme")
EWA = Candidate(RecordType.LEAD, 3, "Ewa Wiśniewska", ("ewa@wisniewska-design.pl",))


def rules(probe: Candidate, *others: Candidate) -> list[tuple[DuplicateRule, int | None, str]]:
    return [(m.rule, m.record.id, m.value) for m in find_duplicates(probe, others)]


def test_a_new_contact_with_an_address_a_contact_has_is_a_duplicate() -> None:
    probe = Candidate(RecordType.CONTACT, None, "Janusz Kowalski", ("Jan.Kowalski@ACME.pl",))
    assert rules(probe, JAN, ACME) == [(DuplicateRule.SAME_EMAIL, 2, "Jan.Kowalski@ACME.pl")]


def test_a_lead_with_a_contacts_address_is_a_warning_of_its_own() -> None:
    probe = Candidate(RecordType.LEAD, None, "J. Kowalski", ("jan.kowalski@acme.pl",))
    [match] = find_duplicates(probe, [JAN])
    assert match.rule is DuplicateRule.CONTACTS_ADDRESS and match.is_warning_only


def test_names_match_whatever_the_order_case_and_accents() -> None:
    probe = Candidate(RecordType.CONTACT, None, "KOWALSKI jan")
    assert rules(probe, JAN) == [(DuplicateRule.SAME_NAME, 2, "KOWALSKI jan")]
    assert rules(Candidate(RecordType.LEAD, None, "Ewa Wisniewska"), EWA)[0][0] is (
        DuplicateRule.SAME_NAME
    )


def test_an_account_name_matches_without_its_legal_form() -> None:
    probe = Candidate(RecordType.ACCOUNT, None, "acme logistics")
    assert rules(probe, ACME) == [(DuplicateRule.SAME_NAME, 1, "acme logistics")]


def test_names_match_only_within_one_type() -> None:
    assert rules(Candidate(RecordType.LEAD, None, "Jan Kowalski"), JAN) == []


def test_a_record_is_not_its_own_duplicate_and_each_match_is_listed_once() -> None:
    edited = Candidate(RecordType.CONTACT, 2, "Jan Kowalski", ("jan.kowalski@acme.pl",))
    assert rules(edited, JAN) == []
    probe = Candidate(RecordType.CONTACT, None, "Jan Kowalski", ("jan.kowalski@acme.pl",))
    assert rules(probe, JAN, JAN) == [(DuplicateRule.SAME_EMAIL, 2, "jan.kowalski@acme.pl")]


def test_addresses_come_before_names() -> None:
    namesake = Candidate(RecordType.CONTACT, 9, "Jan Kowalski", ("jan@kowalski-transport.pl",))
    probe = Candidate(RecordType.CONTACT, None, "Jan Kowalski", ("jan.kowalski@acme.pl",))
    assert [rule for rule, _, _ in rules(probe, namesake, JAN)] == [
        DuplicateRule.SAME_EMAIL,
        DuplicateRule.SAME_NAME,
    ]


CANDIDATES = st.builds(
    Candidate,
    st.sampled_from([RecordType.ACCOUNT, RecordType.CONTACT, RecordType.LEAD]),
    st.integers(1, 50),
    st.text(max_size=20),
    st.lists(st.sampled_from(["jan@acme.pl", "biuro@acme.pl", "x@y.pl", ""]), max_size=2).map(
        tuple
    ),
)


@given(probe=CANDIDATES, others=st.lists(CANDIDATES, max_size=8))
def test_matches_are_others_sharing_an_address_or_a_name(
    probe: Candidate, others: list[Candidate]
) -> None:
    for match in find_duplicates(probe, others):
        other = match.record
        assert (other.type, other.id) != (probe.type, probe.id)
        shares_address = bool({e.lower() for e in probe.emails} & {e.lower() for e in other.emails})
        same_name = other.type is probe.type and name_key(other.type, other.name) == name_key(
            probe.type, probe.name
        )
        assert shares_address or same_name


def test_the_store_finds_matches_by_address_and_by_name(
    crm_session: Session, anna: SystemUser
) -> None:
    acme = create_account(crm_session, "Acme Logistics Sp. z o.o.", ["biuro@acme.pl"], anna)
    jan = create_contact(crm_session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], anna, acme)
    create_lead(crm_session, "Jan", "Kowalski", ["jk@gmail.com"], anna)  # another type
    create_opportunity(crm_session, "Acme: WMS", acme, anna)

    by_address = duplicates_of(
        crm_session,
        RecordType.CONTACT,
        {"first_name": "Janek", "last_name": "K.", "emails": ["jan.kowalski@acme.pl"]},
    )
    by_name = duplicates_of(
        crm_session, RecordType.CONTACT, {"first_name": "jan", "last_name": "kowalski"}
    )
    account = duplicates_of(crm_session, RecordType.ACCOUNT, {"name": "ACME Logistics"})

    assert [(m.rule, m.record.id) for m in by_address] == [(DuplicateRule.SAME_EMAIL, jan.id)]
    assert [(m.rule, m.record.id) for m in by_name] == [(DuplicateRule.SAME_NAME, jan.id)]
    assert by_name[0].record.detail == "Acme Logistics Sp. z o.o."
    assert [(m.rule, m.record.id) for m in account] == [(DuplicateRule.SAME_NAME, acme.id)]


def test_an_edited_record_does_not_match_itself_and_inactive_ones_are_left_out(
    crm_session: Session, anna: SystemUser
) -> None:
    jan = create_contact(crm_session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], anna)
    old = create_contact(crm_session, "Jan", "Kowalski", ["stary@acme.pl"], anna)
    old.active = False
    crm_session.flush()

    found = duplicates_of(
        crm_session,
        RecordType.CONTACT,
        {"first_name": "Jan", "last_name": "Kowalski", "emails": ["jan.kowalski@acme.pl"]},
        jan.id,
    )

    assert found == []
