"""Names and companies for auto-created contacts and leads."""

from __future__ import annotations

import pytest

from app.tracking.model import Address, AutoCreate, NewRecord, RecordType
from app.tracking.names import (
    company_from_domain,
    is_public_mail_domain,
    new_record_for,
    split_name,
)


@pytest.mark.parametrize(
    ("display_name", "email"),
    [
        ("Kowalski, Jan", "jan.kowalski@acme.pl"),
        ("Jan Kowalski", "jan.kowalski@acme.pl"),
        ("", "jan.kowalski@acme.pl"),
        ("jan.kowalski@acme.pl", "jan.kowalski@acme.pl"),
        ("", "jan_kowalski@acme.pl"),
        ('"Jan Kowalski"', "jk@acme.pl"),
        ("Jan Kowalski (ACME)", "jk@acme.pl"),
        ("Jan Kowalski | Acme Sp. z o.o.", "jk@acme.pl"),
        ("KOWALSKI Jan", "jk@acme.pl"),
        ("jan kowalski", "jk@acme.pl"),
        ("Jan", "jan.kowalski@acme.pl"),
        ("", "jan.kowalski85@acme.pl"),
        ("", "jan.kowalski+crm@acme.pl"),
        ("", "jan-kowalski@acme.pl"),
    ],
)
def test_every_way_of_writing_jan_kowalski_gives_first_jan_last_kowalski(
    display_name: str, email: str
) -> None:
    assert split_name(display_name, email) == ("Jan", "Kowalski")


def test_initial_in_the_local_part_keeps_a_dot() -> None:
    assert split_name("", "j.kowalski@acme.pl") == ("J.", "Kowalski")
    assert split_name("J. Kowalski", "jk@acme.pl") == ("J.", "Kowalski")


def test_polish_diacritics_are_title_cased_correctly() -> None:
    assert split_name("", "łukasz.żółw@acme.pl") == ("Łukasz", "Żółw")
    assert split_name("ŁUKASZ ŻÓŁW", "lz@acme.pl") == ("Łukasz", "Żółw")


def test_middle_names_belong_to_the_first_name() -> None:
    assert split_name("Jan Maria Kowalski", "jmk@acme.pl") == ("Jan Maria", "Kowalski")


def test_particles_belong_to_the_last_name() -> None:
    assert split_name("Jan van der Berg", "jan@berg.nl") == ("Jan", "van der Berg")


def test_double_barrelled_last_name_is_kept_and_capitalised() -> None:
    assert split_name("", "anna.nowak-kowalska@acme.pl") == ("Anna", "Nowak-Kowalska")


def test_mixed_case_is_kept_as_written() -> None:
    assert split_name("Ronan McDonald", "r@x.ie") == ("Ronan", "McDonald")


def test_single_name_is_the_last_name() -> None:
    assert split_name("Jolanta", "jolanta@acme.pl") == ("", "Jolanta")
    assert split_name("", "biuro@acme.pl") == ("", "Biuro")


@pytest.mark.parametrize(
    ("domain", "company"),
    [
        ("acme.pl", "Acme"),
        ("acme-logistics.co.uk", "Acme Logistics"),
        ("mail.acme.com.pl", "Acme"),
        ("mueller-logistik.de", "Mueller Logistik"),
        ("ACME.PL", "Acme"),
        ("localhost", None),
    ],
)
def test_company_is_named_after_the_domain(domain: str, company: str | None) -> None:
    assert company_from_domain(domain) == company


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com", "outlook.com", "hotmail.com", "hotmail.de", "yahoo.co.uk", "wp.pl", "o2.pl",
        "onet.pl", "interia.pl", "gmx.de", "gmx.net", "web.de", "icloud.com", "proton.me",
        "protonmail.com", "yandex.ru", "mail.ru", "aol.com", "live.com",
    ],
)  # fmt: skip
def test_public_mail_providers_name_no_company(domain: str) -> None:
    assert is_public_mail_domain(domain)
    assert company_from_domain(domain) is None


def test_company_domain_is_not_a_public_provider() -> None:
    assert not is_public_mail_domain("acme.pl")


def test_auto_created_contact_has_the_split_name_and_no_company() -> None:
    sender = Address("Jan.Kowalski@acme.pl", "Kowalski, Jan")

    assert new_record_for(sender, AutoCreate.CONTACT) == NewRecord(
        RecordType.CONTACT, "Jan", "Kowalski", "jan.kowalski@acme.pl"
    )


def test_auto_created_lead_gets_the_company_from_the_domain() -> None:
    sender = Address("jan.kowalski@acme-logistics.co.uk")

    assert new_record_for(sender, AutoCreate.LEAD) == NewRecord(
        RecordType.LEAD, "Jan", "Kowalski", "jan.kowalski@acme-logistics.co.uk", "Acme Logistics"
    )


def test_auto_created_lead_from_free_mail_has_no_company() -> None:
    created = new_record_for(Address("jan.kowalski@gmail.com"), AutoCreate.LEAD)

    assert created is not None
    assert created.company is None


def test_auto_creation_off_creates_nothing() -> None:
    assert new_record_for(Address("jan@acme.pl"), AutoCreate.OFF) is None
