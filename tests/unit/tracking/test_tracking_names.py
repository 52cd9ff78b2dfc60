"""Names and companies for auto-created contacts and leads, and for the pre-filled form of
"Create Contact/Lead": salutation, first and last name and suffix from real display names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.tracking.model import Address, AutoCreate, NewRecord, RecordRef, RecordType
from app.tracking.names import (
    PersonName,
    company_for,
    company_from_domain,
    is_public_mail_domain,
    new_record_for,
    parse_name,
)
from app.tracking.roles import is_role_address, role_of

# (display name, address) -> (salutation, first name, last name, suffix), as people in each
# language write and read their names.
REAL_NAMES: list[tuple[str, str, tuple[str, str, str, str]]] = [
    # Polish
    ("Jan Kowalski", "jan.kowalski@acme.pl", ("", "Jan", "Kowalski", "")),
    ("Pan Jan Kowalski", "jan.kowalski@acme.pl", ("Pan", "Jan", "Kowalski", "")),
    ("Pani Katarzyna Wiśniewska", "k.wisniewska@acme.pl", ("Pani", "Katarzyna", "Wiśniewska", "")),
    ("mgr inż. Anna Nowak", "anna.nowak@budimex-projekt.pl", ("mgr inż.", "Anna", "Nowak", "")),
    ("dr hab. inż. Jan Kowalski", "j.kowalski@pw.edu.pl", ("dr hab. inż.", "Jan", "Kowalski", "")),
    (
        "prof. dr hab. Ewa Zielińska",
        "ewa.zielinska@uj.edu.pl",
        ("prof. dr hab.", "Ewa", "Zielińska", ""),
    ),
    (
        "dr n. med. Tomasz Lewandowski",
        "t.lewandowski@szpital.pl",
        ("dr n. med.", "Tomasz", "Lewandowski", ""),
    ),
    ("Kowalski, Jan", "jan.kowalski@acme.pl", ("", "Jan", "Kowalski", "")),
    ("KOWALSKI Jan", "jk@acme.pl", ("", "Jan", "Kowalski", "")),
    ("ŁUKASZ ŻÓŁW", "lz@acme.pl", ("", "Łukasz", "Żółw", "")),
    ("Kowalski J.", "j.kowalski@acme.pl", ("", "J.", "Kowalski", "")),
    ("Anna Nowak-Kowalska", "anna.nowak@acme.pl", ("", "Anna", "Nowak-Kowalska", "")),
    (
        "Małgorzata Maria Dąbrowska",
        "m.dabrowska@acme.pl",
        ("", "Małgorzata Maria", "Dąbrowska", ""),
    ),
    # German, Austrian, Swiss
    ("Dr. Hans-Peter Müller", "hp.mueller@mueller-mb.de", ("Dr.", "Hans-Peter", "Müller", "")),
    (
        "Prof. Dr. Petra Schmidt",
        "petra.schmidt@uni-heidelberg.de",
        ("Prof. Dr.", "Petra", "Schmidt", ""),
    ),
    ("Herr Thomas Becker", "t.becker@becker-logistik.de", ("Herr", "Thomas", "Becker", "")),
    ("Frau Dr. Sabine Wolf", "s.wolf@klinikum-nord.de", ("Frau Dr.", "Sabine", "Wolf", "")),
    ("Dr. med. Klaus Fischer", "fischer@praxis-fischer.de", ("Dr. med.", "Klaus", "Fischer", "")),
    (
        "Dr. rer. nat. Petra Schmidt",
        "p.schmidt@bayer.de",
        ("Dr. rer. nat.", "Petra", "Schmidt", ""),
    ),
    (
        "Dipl.-Ing. Stefan Wagner",
        "s.wagner@wagner-ingenieure.de",
        ("Dipl.-Ing.", "Stefan", "Wagner", ""),
    ),
    ("Mag. Julia Gruber", "julia.gruber@gruber.at", ("Mag.", "Julia", "Gruber", "")),
    ("Müller, Dr. Hans", "hans.mueller@mueller-mb.de", ("Dr.", "Hans", "Müller", "")),
    ("Dr. Müller", "hans.mueller@mueller-mb.de", ("Dr.", "Hans", "Müller", "")),
    ("Ludwig van Beethoven", "ludwig@beethoven-haus.de", ("", "Ludwig", "van Beethoven", "")),
    (
        "Ursula von der Leyen",
        "ursula.vonderleyen@ec.europa.eu",
        ("", "Ursula", "von der Leyen", ""),
    ),
    ("DR. HANS MÜLLER", "hm@mueller-mb.de", ("Dr", "Hans", "Müller", "")),
    # English
    ("Mr John Smith", "john.smith@acme.co.uk", ("Mr", "John", "Smith", "")),
    ("Mrs. Emily Clarke, MBA", "emily.clarke@acme.co.uk", ("Mrs.", "Emily", "Clarke", "MBA")),
    ("Ms Sarah O'Connor", "sarah.oconnor@acme.ie", ("Ms", "Sarah", "O'Connor", "")),
    ("Dr. Michael Brown, PhD", "m.brown@harvard.edu", ("Dr.", "Michael", "Brown", "PhD")),
    ("Robert Downey Jr.", "rdj@marvel.com", ("", "Robert", "Downey", "Jr.")),
    ("William Henry Gates III", "bill@gatesfoundation.org", ("", "William Henry", "Gates", "III")),
    ("Prof. Alan Turing, OBE", "alan.turing@manchester.ac.uk", ("Prof.", "Alan", "Turing", "OBE")),
    ("J. R. R. Tolkien", "jrrt@oxford.ac.uk", ("", "J. R. R.", "Tolkien", "")),
    ("J.K. Rowling", "jk.rowling@bloomsbury.com", ("", "J.K.", "Rowling", "")),
    ("Smith, John Jr.", "john.smith@acme.com", ("", "John", "Smith", "Jr.")),
    ("jane doe", "jane.doe@acme.com", ("", "Jane", "Doe", "")),
    ("Jack Ma", "jack.ma@alibaba.com", ("", "Jack", "Ma", "")),
    ("Don Johnson", "don.johnson@acme.com", ("", "Don", "Johnson", "")),
    ("Van Morrison", "van@acme.com", ("", "Van", "Morrison", "")),
    ("Dick Van Dyke", "dick@acme.com", ("", "Dick", "Van Dyke", "")),
    # Spanish
    (
        "José María García López",
        "jmgarcia@constructora-iberia.es",
        ("", "José María", "García López", ""),
    ),
    (
        "García López, José María",
        "jm.garcia@constructora-iberia.es",
        ("", "José María", "García López", ""),
    ),
    (
        "José María GARCÍA LÓPEZ",
        "jm@constructora-iberia.es",
        ("", "José María", "García López", ""),
    ),
    (
        "Gabriel García Márquez",
        "ggm@editorial-sudamericana.co",
        ("", "Gabriel", "García Márquez", ""),
    ),
    ("Sr. Carlos Fernández", "cfernandez@transportes-sur.es", ("Sr.", "Carlos", "Fernández", "")),
    (
        "Sra. Lucía Gómez Ruiz",
        "lucia.gomez@transportes-sur.es",
        ("Sra.", "Lucía", "Gómez Ruiz", ""),
    ),
    ("Ana María Pérez", "anamaria.perez@seguros-norte.es", ("", "Ana María", "Pérez", "")),
    ("María de la Cruz", "maria.delacruz@hotel-sol.mx", ("", "María", "de la Cruz", "")),
    ("José Ortega y Gasset", "ortega@revista-occidente.es", ("", "José", "Ortega y Gasset", "")),
    ("Juan del Río", "juan.delrio@bodegas-rioja.es", ("", "Juan", "del Río", "")),
    (
        "Dra. Carmen Ruiz Sánchez",
        "carmen.ruiz@hospital-clinic.es",
        ("Dra.", "Carmen", "Ruiz Sánchez", ""),
    ),
    # Portuguese
    (
        "João Pedro Silva Santos",
        "joao.santos@construtora.com.br",
        ("", "João Pedro", "Silva Santos", ""),
    ),
    ("Maria da Silva Santos", "maria.santos@empresa.pt", ("", "Maria", "da Silva Santos", "")),
    ("João Silva Filho", "joao.filho@empresa.com.br", ("", "João", "Silva Filho", "")),
    ("Eng. Rui Costa Pereira", "rui.pereira@engenharia.pt", ("Eng.", "Rui", "Costa Pereira", "")),
    ("Dr. António Gonçalves", "antonio.goncalves@clinica.pt", ("Dr.", "António", "Gonçalves", "")),
    # French
    ("Mme Claire Dubois", "claire.dubois@societe-generale.fr", ("Mme", "Claire", "Dubois", "")),
    ("M. Jean Dupont", "jean.dupont@dupont-freres.fr", ("M.", "Jean", "Dupont", "")),
    ("Charles de Gaulle", "charles.degaulle@elysee.fr", ("", "Charles", "de Gaulle", "")),
    ("Mlle Sophie Martin", "sophie.martin@atelier.fr", ("Mlle", "Sophie", "Martin", "")),
    ("Jean-Luc Picard", "jl.picard@starfleet.fr", ("", "Jean-Luc", "Picard", "")),
    # Italian
    ("Dott. Marco Rossi", "marco.rossi@studio-rossi.it", ("Dott.", "Marco", "Rossi", "")),
    (
        "Dott.ssa Giulia Bianchi",
        "giulia.bianchi@farmacia.it",
        ("Dott.ssa", "Giulia", "Bianchi", ""),
    ),
    ("Ing. Paolo Ferrari", "p.ferrari@ferrari-impianti.it", ("Ing.", "Paolo", "Ferrari", "")),
    ("Avv. Francesca Romano", "f.romano@studiolegale.it", ("Avv.", "Francesca", "Romano", "")),
    ("Leonardo da Vinci", "leonardo@vinci.it", ("", "Leonardo", "da Vinci", "")),
    ("Guido di Stefano", "guido.distefano@azienda.it", ("", "Guido", "di Stefano", "")),
    # Dutch
    ("Dhr. Pieter de Vries", "p.devries@bedrijf.nl", ("Dhr.", "Pieter", "de Vries", "")),
    (
        "Mevr. Anneke van den Berg",
        "a.vandenberg@bedrijf.nl",
        ("Mevr.", "Anneke", "van den Berg", ""),
    ),
    ("Jan van der Berg", "jan@vanderberg.nl", ("", "Jan", "van der Berg", "")),
    ("Gerrit ten Brink", "g.tenbrink@brink-transport.nl", ("", "Gerrit", "ten Brink", "")),
    ("ir. Willem de Jong", "w.dejong@tudelft.nl", ("ir.", "Willem", "de Jong", "")),
    # Czech and Slovak
    ("Ing. Petr Novák", "novak@strojirna.cz", ("Ing.", "Petr", "Novák", "")),
    ("MUDr. Jana Svobodová", "svobodova@nemocnice.cz", ("MUDr.", "Jana", "Svobodová", "")),
    ("Mgr. Tomáš Dvořák, Ph.D.", "dvorak@muni.cz", ("Mgr.", "Tomáš", "Dvořák", "Ph.D.")),
    # Swedish, Danish
    ("Anders Lindqvist", "anders.lindqvist@volvo.se", ("", "Anders", "Lindqvist", "")),
    ("Hr. Lars Nielsen", "lars.nielsen@maersk.dk", ("Hr.", "Lars", "Nielsen", "")),
    # From the address alone
    ("", "jan.kowalski@acme.pl", ("", "Jan", "Kowalski", "")),
    ("", "łukasz.żółw@acme.pl", ("", "Łukasz", "Żółw", "")),
    ("Acme Logistics GmbH", "thomas.becker@acme-logistics.de", ("", "Thomas", "Becker", "")),
]


@pytest.mark.parametrize(("display_name", "email", "expected"), REAL_NAMES)
def test_real_world_display_names_give_salutation_first_last_and_suffix(
    display_name: str, email: str, expected: tuple[str, str, str, str]
) -> None:
    assert parse_name(display_name, email) == PersonName(*expected)


def test_the_table_covers_at_least_sixty_names() -> None:
    assert len(REAL_NAMES) >= 60


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
    name = parse_name(display_name, email)
    assert (name.first, name.last) == ("Jan", "Kowalski")


def test_initial_in_the_local_part_keeps_a_dot() -> None:
    assert parse_name("", "j.kowalski@acme.pl").first == "J."
    assert parse_name("J. Kowalski", "jk@acme.pl").first == "J."


def test_a_lone_initial_after_a_title_is_an_initial_not_a_qualifier() -> None:
    assert parse_name("Dr. N. Smith", "ns@acme.com") == PersonName("Dr.", "N.", "Smith")


def test_an_ambiguous_title_before_one_word_is_a_name() -> None:
    assert parse_name("Pan Wei", "pan.wei@acme.cn") == PersonName("", "Pan", "Wei")
    assert parse_name("M. Kowalski", "mk@acme.pl") == PersonName("", "M.", "Kowalski")


def test_mixed_case_is_kept_as_written() -> None:
    assert parse_name("Ronan McDonald", "r@x.ie") == PersonName("", "Ronan", "McDonald")


def test_single_name_is_the_last_name() -> None:
    assert parse_name("Jolanta", "jolanta@acme.pl") == PersonName("", "", "Jolanta")


@pytest.mark.parametrize(
    ("display_name", "email"),
    [
        ("", "biuro@acme.pl"),
        ("Info", "info@acme.pl"),
        ("Noreply", "noreply@acme.pl"),
        ("", "no-reply@acme.pl"),
        ("SALES", "sales@acme.pl"),
        ("Kontakt", "kontakt@firma.pl"),
    ],
)
def test_a_role_address_names_no_person(display_name: str, email: str) -> None:
    assert parse_name(display_name, email) == PersonName()


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("info@acme.pl", "info"),
        ("Sales@Acme.pl", "sales"),
        ("noreply@acme.pl", "noreply"),
        ("no-reply@acme.pl", "noreply"),
        ("do_not_reply@acme.pl", "donotreply"),
        ("office@acme.pl", "office"),
        ("biuro@acme.pl", "biuro"),
        ("kontakt@acme.pl", "kontakt"),
        ("support@acme.pl", "support"),
        ("info-pl@acme.pl", "info"),
        ("sales2@acme.pl", "sales"),
        ("faktury@acme.pl", "faktury"),
        ("buchhaltung@mueller.de", "buchhaltung"),
        ("ventas@empresa.es", "ventas"),
        ("info+crm@acme.pl", "info"),
    ],
)
def test_role_addresses_are_recognised_in_many_languages(email: str, role: str) -> None:
    assert role_of(email) == role


@pytest.mark.parametrize(
    "email",
    ["jan.kowalski@acme.pl", "ola@acme.pl", "anna@acme.pl", "info.jan@acme.pl", "j.k@acme.pl"],
)
def test_peoples_addresses_are_not_role_addresses(email: str) -> None:
    assert not is_role_address(email)


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


def test_a_display_name_that_names_a_company_is_the_leads_company() -> None:
    sender = Address("thomas.becker@acme-logistics.de", "Acme Logistics GmbH")
    assert company_for(sender) == "Acme Logistics GmbH"


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


def test_auto_created_contact_has_the_parsed_name_and_no_company() -> None:
    sender = Address("Jan.Kowalski@acme.pl", "Kowalski, Jan")

    assert new_record_for(sender, AutoCreate.CONTACT) == NewRecord(
        RecordType.CONTACT, "Jan", "Kowalski", "jan.kowalski@acme.pl"
    )


def test_auto_created_contact_keeps_the_title_in_the_salutation() -> None:
    sender = Address("hp.mueller@mueller-mb.de", "Dr. Hans-Peter Müller")

    created = new_record_for(sender, AutoCreate.CONTACT)

    assert created is not None
    assert (created.salutation, created.first_name, created.last_name) == (
        "Dr.",
        "Hans-Peter",
        "Müller",
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


def test_a_role_address_creates_no_person_and_without_an_account_nothing() -> None:
    for kind in (AutoCreate.CONTACT, AutoCreate.LEAD):
        assert new_record_for(Address("info@acme.pl", "Info"), kind) is None


def test_a_role_address_becomes_an_address_of_the_account_with_its_domain() -> None:
    acme = RecordRef(RecordType.ACCOUNT, 7, "Acme Logistics Sp. z o.o.")

    created = new_record_for(Address("noreply@acme.pl", "Noreply"), AutoCreate.CONTACT, acme)

    assert created == NewRecord(
        RecordType.ACCOUNT, "", "", "noreply@acme.pl", "Acme Logistics Sp. z o.o.", account=acme
    )


def _folded(text: str) -> str:
    """Case and accents aside (upper-cased first: a re-cased ı is I, then i)."""
    decomposed = unicodedata.normalize("NFKD", text.upper().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


NAME_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40
) | st.sampled_from([display for display, _, _ in REAL_NAMES])


@given(display_name=NAME_TEXT, email=st.text(max_size=40) | st.emails())
def test_parsing_never_fails_and_every_output_word_comes_from_the_input(
    display_name: str, email: str
) -> None:
    name = parse_name(display_name, email)

    source = _folded(f"{display_name} {email}")
    for field in (name.salutation, name.first, name.last, name.suffix):
        assert field == field.strip() and "  " not in field
        for word in field.split():
            # Each word is the input's, perhaps re-cased, or an initial with its dot.
            assert _folded(word).rstrip(".") in source
    assert not (name.first and not name.last), "a first name never comes without a last name"


@given(display_name=NAME_TEXT, email=st.emails())
def test_a_role_address_never_gives_a_person(display_name: str, email: str) -> None:
    role_email = "info@" + email.partition("@")[2]

    created = new_record_for(Address(role_email, display_name), AutoCreate.CONTACT)

    assert created is None


@given(display_name=NAME_TEXT, email=st.emails())
def test_parsing_is_stable_under_surrounding_spaces_and_quotes(
    display_name: str, email: str
) -> None:
    assert parse_name(f'  "{display_name}"  ', email) == parse_name(display_name, email)
