"""The CRM as it stands when the demo starts: accounts, contacts, leads, users, queues and deals.

It matches the mail on purpose: most customer senders are contacts, a few are leads, and some
senders are missing so that auto-creation has something to do (Barbara Lis and Sabine Roth
write into tracked threads; the prospects write out of the blue).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cast
from .people import Person


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    website: str
    phone: str
    city: str
    country: str


@dataclass(frozen=True)
class Contact:
    person: Person
    account: Account
    extra_emails: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def emails(self) -> tuple[str, ...]:
        return (self.person.email, *self.extra_emails)


@dataclass(frozen=True)
class Lead:
    person: Person
    company: str
    topic: str

    @property
    def name(self) -> str:
        return self.person.name


@dataclass(frozen=True)
class Opportunity:
    name: str
    account: Account
    estimated_value: int
    currency: str
    close_date: str
    stage: str


def _account(name: str, mailbox: str, domain: str, phone: str, city: str, country: str) -> Account:
    return Account(name, f"{mailbox}@{domain}", f"https://www.{domain}", phone, city, country)


ACME = _account(
    "Acme Logistics Sp. z o.o.", "kontakt", "acme-logistics.example", "+48 71 300 12 00",
    "Wrocław", "Poland",
)  # fmt: skip
ZIELONY_KOSZYK = _account(
    "Zielony Koszyk S.A.", "biuro", "zielony-koszyk.example", "+48 12 260 44 00", "Kraków",
    "Poland",
)  # fmt: skip
MEDIVITA = _account(
    "Medivita Sp. z o.o.", "sekretariat", "medivita.example", "+48 22 510 33 01", "Warszawa",
    "Poland",
)  # fmt: skip
# The account's own address writes too (the print shop's front office).
DRUKARNIA_ORZEL = _account(
    "Drukarnia Orzeł Sp. j.", "biuro", "drukarnia-orzel.example", "+48 32 251 70 00", "Katowice",
    "Poland",
)  # fmt: skip
SOKOL = _account(
    "Sokół Transport Sp. z o.o.", "biuro", "sokol-transport.example", "+48 17 862 15 00",
    "Rzeszów", "Poland",
)  # fmt: skip
HARTMANN = _account(
    "Hartmann Maschinenbau GmbH", "info", "hartmann-maschinenbau.example", "+49 711 480 22 0",
    "Stuttgart", "Germany",
)  # fmt: skip
NORDLICHT = _account(
    "Nordlicht Energie AG", "kontakt", "nordlicht-energie.example", "+49 40 822 190 0", "Hamburg",
    "Germany",
)  # fmt: skip
KESSLER = _account(
    "Kessler Medizintechnik GmbH", "info", "kessler-medtech.example", "+49 89 540 411 0",
    "München", "Germany",
)  # fmt: skip
THAMES = _account(
    "Thames Retail Ltd", "hello", "thames-retail.example", "+44 20 7946 0300", "London",
    "United Kingdom",
)  # fmt: skip
PENNINE = _account(
    "Pennine Freight Ltd", "office", "pennine-freight.example", "+44 113 496 0100", "Leeds",
    "United Kingdom",
)  # fmt: skip
GREYFRIARS = _account(
    "Greyfriars Insurance Ltd", "enquiries", "greyfriars-insurance.example", "+44 131 496 0800",
    "Edinburgh", "United Kingdom",
)  # fmt: skip
KELSO = _account(
    "Kelso Garden Centres Ltd", "hello", "kelso-garden.example", "+44 131 496 0500", "Kelso",
    "United Kingdom",
)  # fmt: skip
ACCOUNTS = (
    ACME, ZIELONY_KOSZYK, MEDIVITA, DRUKARNIA_ORZEL, SOKOL,
    HARTMANN, NORDLICHT, KESSLER, THAMES, PENNINE, GREYFRIARS, KELSO,
)  # fmt: skip

EWA_SIKORA = Contact(cast.EWA, MEDIVITA)
CONTACTS = (
    Contact(cast.MAREK, ACME),
    Contact(cast.JOANNA, ACME),
    Contact(cast.AGATA, ZIELONY_KOSZYK),
    Contact(cast.LUKASZ, ZIELONY_KOSZYK),
    EWA_SIKORA,
    Contact(cast.ROBERT, MEDIVITA),
    Contact(cast.GRZEGORZ, DRUKARNIA_ORZEL),
    Contact(cast.BARTOSZ, SOKOL),
    # One customer, two addresses: Hartmann is moving to the group's domain.
    Contact(cast.KLAUS, HARTMANN, (cast.KLAUS_GROUP_ADDRESS,)),
    Contact(cast.JENS, HARTMANN),
    Contact(cast.JULIA, NORDLICHT),
    Contact(cast.FLORIAN, NORDLICHT),
    Contact(cast.ANDREA, KESSLER),
    Contact(cast.OLIVER, THAMES),
    Contact(cast.PRIYA, THAMES),
    Contact(cast.EMMA, PENNINE),
    Contact(cast.DUNCAN, GREYFRIARS),
    Contact(cast.HANNAH, KELSO),
)

EKOPAK_LEAD = Lead(cast.MAGDALENA_KR, "EkoPak Sp. z o.o.", "System magazynowy dla nowej hali")
LEADS = (
    EKOPAK_LEAD,
    Lead(cast.JAMES, "Harbourline Shipping Ltd", "Fleet tracking integration"),
    Lead(cast.TOBIAS, "Alpenholz GmbH", "Messe-Kontakt: ERP-Anbindung für das Sägewerk"),
    Lead(cast.NATALIA, "Hotel Zacisze", "System rezerwacji zintegrowany z restauracją"),
)

USERS = (cast.ANNA, *cast.COLLEAGUES)
QUEUES = (cast.SUPPORT_QUEUE, cast.SALES_QUEUE)

ACME_WMS = Opportunity(
    "Acme Logistics – wdrożenie WMS", ACME, 480_000, "PLN", "2026-12-15", "Negotiate"
)
KOSZYK_ERP = Opportunity(
    "Zielony Koszyk – integracja sklepu z ERP", ZIELONY_KOSZYK, 220_000, "PLN", "2027-01-29",
    "Propose",
)  # fmt: skip
MEDIVITA_PORTAL = Opportunity(
    "Medivita – portal pacjenta", MEDIVITA, 150_000, "PLN", "2027-02-26", "Develop"
)
ORZEL_SERVICE = Opportunity(
    "Drukarnia Orzeł – umowa serwisowa 2027", DRUKARNIA_ORZEL, 36_000, "PLN", "2026-12-31", "Won"
)
HARTMANN_MAINTENANCE = Opportunity(
    "Hartmann – Wartungsvertrag 2027", HARTMANN, 96_000, "EUR", "2026-11-30", "Won"
)
HARTMANN_MES = Opportunity(
    "Hartmann – MES-Schnittstelle", HARTMANN, 140_000, "EUR", "2027-03-31", "Develop"
)
NORDLICHT_PILOT = Opportunity(
    "Nordlicht – Datenplattform Pilot", NORDLICHT, 60_000, "EUR", "2026-12-18", "Propose"
)
THAMES_LOYALTY = Opportunity(
    "Thames Retail – loyalty app phase 1", THAMES, 85_000, "GBP", "2026-11-15", "Won"
)
PENNINE_ROUTES = Opportunity(
    "Pennine Freight – route planner", PENNINE, 40_000, "GBP", "2026-09-30", "Lost"
)
GREYFRIARS_WORKFLOW = Opportunity(
    "Greyfriars Insurance – document workflow", GREYFRIARS, 120_000, "GBP", "2027-03-31", "Qualify"
)
OPPORTUNITIES = (
    ACME_WMS, KOSZYK_ERP, MEDIVITA_PORTAL, ORZEL_SERVICE, HARTMANN_MAINTENANCE, HARTMANN_MES,
    NORDLICHT_PILOT, THAMES_LOYALTY, PENNINE_ROUTES, GREYFRIARS_WORKFLOW,
)  # fmt: skip
