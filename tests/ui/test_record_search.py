"""The Set Regarding search: word prefixes of names, addresses and companies; accents and case
folded; new records found after a refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.crm.models import Contact, SystemUser
from app.crm.records import (
    create_account,
    create_contact,
    create_lead,
    create_opportunity,
    create_user,
)
from app.crm.search import RecordSearchIndex
from app.db import open_database
from app.tracking.folding import fold
from app.tracking.model import RecordType


@pytest.fixture
def crm_session(tmp_path: Path) -> Iterator[Session]:
    database = open_database(f"sqlite:///{tmp_path}/crm.sqlite3", "crm")
    with database.sessions() as session:
        yield session
    database.dispose()


@pytest.fixture
def anna(crm_session: Session) -> SystemUser:
    return create_user(crm_session, "Anna Nowak", ["anna.nowak@brightwave.pl"])


@pytest.fixture
def crm(crm_session: Session, anna: SystemUser) -> Session:
    acme = create_account(crm_session, "Acme Sp. z o.o.", ["biuro@acme.pl"], anna, city="Łódź")
    create_contact(crm_session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], anna, acme)
    create_contact(crm_session, "Joanna", "Kowalska", ["j.kowalska@nordlicht.se"], anna)
    create_contact(crm_session, "Łukasz", "Żółć", ["lukasz.zolc@acme.pl"], anna, acme)
    create_lead(
        crm_session,
        "Ewa",
        "Wiśniewska",
        ["ewa@wisniewska-design.pl"],
        anna,
        company="Wiśniewska Design",
    )
    create_opportunity(crm_session, "Acme: 40 licences for 2027", acme, anna)
    return crm_session


def names(index: RecordSearchIndex, text: str) -> list[str]:
    return [hit.name for hit in index.search(text)]


def test_a_prefix_of_a_last_name_finds_every_person_with_it(crm: Session) -> None:
    index = RecordSearchIndex.build(crm)
    assert names(index, "kowal") == ["Jan Kowalski", "Joanna Kowalska"]


def test_accents_and_case_do_not_matter(crm: Session) -> None:
    index = RecordSearchIndex.build(crm)
    assert names(index, "LUKASZ zolc") == ["Łukasz Żółć"]
    assert names(index, "żółć") == ["Łukasz Żółć"]


def test_every_word_must_match_so_a_second_word_narrows(crm: Session) -> None:
    index = RecordSearchIndex.build(crm)
    assert names(index, "jo kowal") == ["Joanna Kowalska"]


def test_a_domain_finds_the_account_and_its_people_with_the_name_match_first(crm: Session) -> None:
    index = RecordSearchIndex.build(crm)
    found = index.search("acme")
    assert [hit.key.type for hit in found[:2]] == [RecordType.ACCOUNT, RecordType.OPPORTUNITY]
    assert {hit.name for hit in found[2:]} == {"Jan Kowalski", "Łukasz Żółć"}


def test_hits_say_enough_to_tell_two_records_apart(crm: Session) -> None:
    index = RecordSearchIndex.build(crm)
    jan = index.search("jan.kowalski")[0]
    assert jan.detail == "jan.kowalski@acme.pl · Acme Sp. z o.o."


def test_records_created_after_the_build_are_found_after_a_refresh(
    crm: Session, anna: SystemUser
) -> None:
    index = RecordSearchIndex.build(crm)
    create_contact(crm, "Piotr", "Zieliński", ["p.zielinski@acme.pl"], anna)
    assert names(index, "zielinski") == []
    assert index.refresh(crm) == 1
    assert names(index, "zielinski") == ["Piotr Zieliński"]


def test_an_edited_record_is_found_by_its_new_name_and_a_deleted_one_no_more(
    crm: Session, anna: SystemUser
) -> None:
    index = RecordSearchIndex.build(crm)
    [jan] = index.search("jan kowalski")
    [joanna] = index.search("joanna")
    contact = crm.get(Contact, jan.key.id)
    assert contact is not None
    contact.last_name = "Kowalski-Nowak"
    crm.delete(crm.get(Contact, joanna.key.id))
    crm.flush()

    index.reindex(crm, [jan.key.id, joanna.key.id])

    assert names(index, "nowak") == ["Jan Kowalski-Nowak"]
    assert names(index, "kowal") == ["Jan Kowalski-Nowak"]
    assert names(index, "joanna") == []


def test_nothing_typed_finds_nothing(crm: Session) -> None:
    assert RecordSearchIndex.build(crm).search("  ") == []


@given(st.text())
def test_folding_never_fails_and_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=30))
def test_any_typed_text_searches_without_error(text: str) -> None:
    index = RecordSearchIndex()
    assert index.search(text) == []
