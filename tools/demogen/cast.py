"""The people of the demo: Brightwave's staff, its customers, prospects and the machines that mail.

Customer domains are all under .example and Brightwave's under .test; UK phone numbers come from
Ofcom's ranges reserved for drama. Whether a person is in the CRM is decided in `crm.py`.
"""

from __future__ import annotations

from .clients import (
    APPLE_MAIL,
    BULK_MAILER,
    GMAIL_PL,
    OUTLOOK_DE,
    OUTLOOK_EN,
    OUTLOOK_IOS,
    OUTLOOK_PL,
    THE_BAT,
    THUNDERBIRD_DE,
    THUNDERBIRD_PL,
    WEBMAIL_PL,
    MailClient,
)
from .clock import BRITAIN, GERMANY, POLAND, Zone
from .people import Person, system_sender

PL_FORMAL = {"pl": "Z poważaniem"}
PL_WARM = {"pl": "Pozdrawiam serdecznie"}
PL_PLAIN = {"pl": "Pozdrawiam"}
DE_FORMAL = {"de": "Mit freundlichen Grüßen"}
DE_PLAIN = {"de": "Viele Grüße"}
DE_WARM = {"de": "Beste Grüße"}
EN_PLAIN = {"en": "Best regards"}
EN_KIND = {"en": "Kind regards"}
EN_SHORT = {"en": "Thanks,"}


def _person(
    name: str,
    email: str,
    zone: Zone,
    client: MailClient,
    lang: str,
    signoffs: dict[str, str],
    card: tuple[str, ...],
    *,
    phone: str = "",
    host: str = "MAIL01",
    display: str | None = None,
) -> Person:
    """`card` is the signature below the name: job title first, then company and address lines."""
    first, last = name.split(" ", 1)
    signature = "\n".join((name, *card, phone) if phone else (name, *card))
    return Person(
        first=first,
        last=last,
        email=email,
        zone=zone,
        client=client,
        lang=lang,
        signoffs=signoffs,
        signature=signature,
        display=display,
        mail_host=host,
        job_title=card[0] if card else "",
        phone=phone.split(" ", 1)[1] if phone else "",
    )


BRIGHTWAVE = ("Brightwave Sp. z o.o.", "ul. Zabłocie 43B, 30-701 Kraków")


def _staff(name: str, login: str, title: str, extension: str, signoffs: dict[str, str]) -> Person:
    return _person(
        name, f"{login}@brightwave.test", POLAND, OUTLOOK_PL, "pl", signoffs,
        (title, *BRIGHTWAVE), phone=f"tel. +48 12 345 67 {extension}", host="EX01",
    )  # fmt: skip


# Brightwave Sp. z o.o., Kraków: the mailbox owner and the colleagues with mailboxes.
ANNA = _staff(
    "Anna Nowak", "anna.nowak", "Key Account Manager", "10",
    {"pl": "Pozdrawiam serdecznie", "de": "Viele Grüße", "en": "Best regards"},
)  # fmt: skip
COLLEAGUE_SIGNOFFS = {"pl": "Pozdrawiam", "de": "Viele Grüße", "en": "Best regards"}
PIOTR = _staff("Piotr Zieliński", "piotr.zielinski", "Dyrektor Sprzedaży", "11", COLLEAGUE_SIGNOFFS)
KATARZYNA = _staff(
    "Katarzyna Wójcik", "katarzyna.wojcik", "Solutions Engineer", "14", COLLEAGUE_SIGNOFFS
)
TOMASZ = _staff("Tomasz Lewandowski", "tomasz.lewandowski", "Project Manager", "17", PL_PLAIN)
MAGDALENA_K = _staff(
    "Magdalena Kamińska", "magdalena.kaminska", "Specjalistka ds. rozliczeń", "20", PL_WARM
)
COLLEAGUES = (PIOTR, KATARZYNA, TOMASZ, MAGDALENA_K)
PASSWORD = "demo"

# Brightwave's shared addresses: two CRM queues, the sales mailing list, the no-reply robot.
SUPPORT_QUEUE = system_sender(
    "Brightwave Support", "support@brightwave.test", POLAND, OUTLOOK_PL, "pl"
)
SALES_QUEUE = system_sender("Brightwave Sales", "sales@brightwave.test", POLAND, OUTLOOK_PL, "pl")
SALES_LIST = system_sender(
    "brightwave-sales", "brightwave-sales@lists.brightwave.test", POLAND, OUTLOOK_PL, "pl"
)
NOREPLY = system_sender("Brightwave Intranet", "noreply@brightwave.test", POLAND, BULK_MAILER, "pl")

# Acme Logistics Sp. z o.o., Wrocław
ACME = ("Acme Logistics Sp. z o.o.", "ul. Magazynowa 12, 54-610 Wrocław")
MAREK = _person(
    "Marek Wiśniewski", "marek.wisniewski@acme-logistics.example", POLAND, OUTLOOK_PL, "pl",
    PL_WARM, ("Dyrektor IT", *ACME), phone="tel. +48 71 300 12 45", host="EXCH01",
)  # fmt: skip
JOANNA = _person(
    "Joanna Kaczmarek", "joanna.kaczmarek@acme-logistics.example", POLAND, OUTLOOK_PL, "pl",
    PL_PLAIN, ("Kierownik Magazynu", *ACME), phone="tel. +48 71 300 12 60", host="EXCH01",
)  # fmt: skip
BARBARA = _person(
    "Barbara Lis", "barbara.lis@acme-logistics.example", POLAND, OUTLOOK_PL, "pl",
    PL_FORMAL, ("Dyrektor Finansowa", *ACME), phone="tel. +48 71 300 12 02", host="EXCH01",
)  # fmt: skip

# Zielony Koszyk S.A., Kraków (on Google Workspace)
KOSZYK = ("Zielony Koszyk S.A.", "ul. Wielicka 250, 30-663 Kraków")
AGATA = _person(
    "Agata Wróbel", "agata.wrobel@zielony-koszyk.example", POLAND, GMAIL_PL, "pl",
    PL_PLAIN, ("Kierownik E-commerce", *KOSZYK), phone="tel. +48 12 260 44 18",
)  # fmt: skip
LUKASZ = _person(
    "Łukasz Pawlak", "lukasz.pawlak@zielony-koszyk.example", POLAND, GMAIL_PL, "pl",
    PL_PLAIN, ("Specjalista ds. Integracji", *KOSZYK), phone="tel. +48 12 260 44 31",
)  # fmt: skip

# Medivita Sp. z o.o., Warszawa
MEDIVITA = ("Medivita Sp. z o.o.", "al. Jerozolimskie 181, 02-222 Warszawa")
EWA = _person(
    "Ewa Sikora", "ewa.sikora@medivita.example", POLAND, OUTLOOK_PL, "pl",
    PL_WARM, ("Dyrektor Operacyjna", *MEDIVITA), phone="tel. +48 22 510 33 05", host="EX2016",
)  # fmt: skip
ROBERT = _person(
    "Robert Adamczyk", "robert.adamczyk@medivita.example", POLAND, OUTLOOK_PL, "pl",
    PL_PLAIN, ("Kierownik Działu IT", *MEDIVITA), phone="tel. +48 22 510 33 40", host="EX2016",
)  # fmt: skip

# Drukarnia Orzeł Sp. j., Katowice: a long-standing customer on first-name terms with Anna.
ORZEL = ("Drukarnia Orzeł Sp. j.", "ul. Graniczna 29, 40-017 Katowice")
GRZEGORZ = _person(
    "Grzegorz Nowicki", "grzegorz.nowicki@drukarnia-orzel.example", POLAND, THUNDERBIRD_PL, "pl",
    PL_PLAIN, ("Współwłaściciel", *ORZEL), phone="tel. +48 32 251 70 12",
)  # fmt: skip
ORZEL_OFFICE = Person(
    first="", last="", email="biuro@drukarnia-orzel.example", zone=POLAND, client=WEBMAIL_PL,
    lang="pl", signoffs={"pl": "Pozdrawiamy"},
    signature="Biuro Obsługi Klienta\nDrukarnia Orzeł Sp. j.\ntel. +48 32 251 70 00",
    display="Drukarnia Orzeł - Biuro",
)  # fmt: skip

# Sokół Transport Sp. z o.o., Rzeszów
SOKOL = ("Sokół Transport Sp. z o.o.", "ul. Przemysłowa 8, 35-105 Rzeszów")
BARTOSZ = _person(
    "Bartosz Michalski", "bartosz.michalski@sokol-transport.example", POLAND, OUTLOOK_PL, "pl",
    PL_PLAIN, ("Kierownik Floty", *SOKOL), phone="tel. +48 17 862 15 40", host="POCZTA",
)  # fmt: skip

# Hartmann Maschinenbau GmbH, Stuttgart: Klaus also writes from the group's new domain.
HARTMANN = (
    "Hartmann Maschinenbau GmbH",
    "Industriestraße 24 · 70565 Stuttgart",
    "Sitz der Gesellschaft: Stuttgart · Amtsgericht Stuttgart HRB 731204",
)
KLAUS = _person(
    "Klaus Becker", "klaus.becker@hartmann-maschinenbau.example", GERMANY, OUTLOOK_DE, "de",
    DE_PLAIN, ("Leiter IT", *HARTMANN), phone="Tel. +49 711 480 22 310", host="EXCH02",
)  # fmt: skip
KLAUS_GROUP_ADDRESS = "k.becker@hartmann-gruppe.example"
KLAUS_AT_GROUP = KLAUS.writing_as(KLAUS_GROUP_ADDRESS)
JENS = _person(
    "Jens Hoffmann", "jens.hoffmann@hartmann-maschinenbau.example", GERMANY, OUTLOOK_DE, "de",
    DE_PLAIN, ("Produktionsleiter", *HARTMANN), phone="Tel. +49 711 480 22 150", host="EXCH02",
)  # fmt: skip
SABINE = _person(
    "Sabine Roth", "sabine.roth@hartmann-maschinenbau.example", GERMANY, OUTLOOK_DE, "de",
    DE_FORMAL, ("Strategischer Einkauf", *HARTMANN), phone="Tel. +49 711 480 22 412",
    host="EXCH02",
)  # fmt: skip

# Nordlicht Energie AG, Hamburg
NORDLICHT = ("Nordlicht Energie AG", "Überseeallee 10 · 20457 Hamburg")
JULIA = _person(
    "Julia Schneider", "julia.schneider@nordlicht-energie.example", GERMANY, OUTLOOK_DE, "de",
    DE_WARM, ("Projektleiterin Digitalisierung", *NORDLICHT), phone="Tel. +49 40 822 190 57",
    host="NLEXCH",
)  # fmt: skip
FLORIAN = _person(
    "Florian Weber", "florian.weber@nordlicht-energie.example", GERMANY, THUNDERBIRD_DE, "de",
    DE_PLAIN, ("Data Engineer", *NORDLICHT), phone="Tel. +49 40 822 190 81",
)  # fmt: skip

# Kessler Medizintechnik GmbH, München
KESSLER = ("Kessler Medizintechnik GmbH", "Landsberger Straße 302 · 80687 München")
ANDREA = _person(
    "Andrea Vogel", "andrea.vogel@kessler-medtech.example", GERMANY, OUTLOOK_DE, "de",
    DE_FORMAL, ("Leiterin Qualitätsmanagement", *KESSLER), phone="Tel. +49 89 540 411 27",
    host="KMTEX",
)  # fmt: skip

# Thames Retail Ltd, London: Oliver answers from his phone now and then.
THAMES = ("Thames Retail Ltd", "12 Wharf Street, London SE1 2AB")
OLIVER = _person(
    "Oliver Grant", "oliver.grant@thames-retail.example", BRITAIN, OUTLOOK_EN, "en",
    EN_PLAIN, ("Head of Digital", *THAMES), phone="T: +44 20 7946 0321", host="TRLEX01",
)  # fmt: skip
OLIVER_ON_PHONE = OLIVER.writing_as(OLIVER.email, OUTLOOK_IOS)
# Thames Retail's till vendor, whose mail reaches Anna only forwarded.
MARK = _person(
    "Mark Ellis", "mark.ellis@tillwise.example", BRITAIN, OUTLOOK_EN, "en", EN_KIND,
    ("Integration Support", "Tillwise Ltd"), phone="T: +44 20 7946 0950", host="TWEX",
)  # fmt: skip
PRIYA = _person(
    "Priya Shah", "priya.shah@thames-retail.example", BRITAIN, OUTLOOK_EN, "en",
    EN_KIND, ("Procurement Manager", *THAMES), phone="T: +44 20 7946 0588", host="TRLEX01",
)  # fmt: skip

# Pennine Freight Ltd, Leeds
PENNINE = ("Pennine Freight Ltd", "Unit 4, Aire Valley Park, Leeds LS9 0PS")
EMMA = _person(
    "Emma Clarke", "emma.clarke@pennine-freight.example", BRITAIN, THE_BAT, "en",
    EN_PLAIN, ("Operations Director", *PENNINE), phone="T: +44 113 496 0172",
)  # fmt: skip

# Greyfriars Insurance Ltd, Edinburgh
GREYFRIARS = ("Greyfriars Insurance Ltd", "3 Candlemaker Row, Edinburgh EH1 2QE")
DUNCAN = _person(
    "Duncan Reid", "duncan.reid@greyfriars-insurance.example", BRITAIN, APPLE_MAIL, "en",
    EN_SHORT, ("IT Director", *GREYFRIARS), phone="T: +44 131 496 0845",
)  # fmt: skip

# Kelso Garden Centres Ltd, Scottish Borders: an installed customer of some years.
KELSO = ("Kelso Garden Centres Ltd", "Bridge Street, Kelso TD5 7JD")
HANNAH = _person(
    "Hannah Brooks", "hannah.brooks@kelso-garden.example", BRITAIN, OUTLOOK_EN, "en",
    EN_KIND, ("Operations Manager", *KELSO), phone="T: +44 131 496 0512", host="KGCMAIL",
)  # fmt: skip

# Leads already in the CRM.
MAGDALENA_KR = _person(
    "Magdalena Krawczyk", "m.krawczyk@ekopak.example", POLAND, OUTLOOK_PL, "pl", PL_WARM,
    ("Kierownik Logistyki", "EkoPak Sp. z o.o.", "ul. Fabryczna 5, 62-080 Tarnowo Podgórne"),
    phone="tel. +48 61 814 20 77", host="SRV-MAIL",
)  # fmt: skip
JAMES = _person(
    "James Whitfield", "james.whitfield@harbourline.example", BRITAIN, OUTLOOK_EN, "en", EN_KIND,
    ("Fleet Systems Manager", "Harbourline Shipping Ltd", "Albert Dock, Liverpool L3 4AF"),
    phone="T: +44 151 496 0233", host="HLEX",
)  # fmt: skip
TOBIAS = _person(
    "Tobias Wagner", "t.wagner@alpenholz.example", GERMANY, OUTLOOK_DE, "de", DE_PLAIN,
    ("Geschäftsführer", "Alpenholz GmbH", "Sägewerkstraße 3 · 83022 Rosenheim"),
    phone="Tel. +49 8031 220 90", host="AHEX",
)  # fmt: skip
NATALIA = _person(
    "Natalia Kubiak", "natalia.kubiak@hotel-zacisze.example", POLAND, OUTLOOK_PL, "pl", PL_PLAIN,
    ("Dyrektor Hotelu", "Hotel Zacisze", "ul. Kościeliska 40, 34-500 Zakopane"),
)  # fmt: skip

# Prospects and strangers nobody has put in the CRM.
JAN = _person(
    "Jan Kowalski", "jan.kowalski@kowalski-transport.example", POLAND, OUTLOOK_PL, "pl",
    PL_FORMAL, ("Właściciel", "Kowalski Transport", "ul. Składowa 3, 32-020 Wieliczka"),
    phone="tel. +48 12 278 40 11", host="SERWER", display="Kowalski, Jan",
)  # fmt: skip
AGNIESZKA = Person(
    first="Agnieszka", last="Mazur", email="agnieszka.mazur@mazur-meble.example", zone=POLAND,
    client=WEBMAIL_PL, lang="pl", signoffs={"pl": "pozdrawiam"},
    signature="Agnieszka Mazur\nMazur Meble - salon w Tarnowie\ntel. 604 118 220", display="",
)  # fmt: skip
KRZYSZTOF = _person(
    "Krzysztof Zając", "krzysztof.zajac@wp.pl", POLAND, WEBMAIL_PL, "pl", PL_PLAIN,
    ("Auto-Serwis Zając", "Nowy Targ"), phone="tel. 501 224 968",
)  # fmt: skip
STEFAN = _person(
    "Stefan Müller", "stefan.mueller@rheinland-logistik.example", GERMANY, OUTLOOK_DE, "de",
    DE_FORMAL,
    ("Leiter Lagerlogistik", "Rheinland Logistik GmbH", "Hafenstraße 51 · 47119 Duisburg"),
    phone="Tel. +49 203 771 840", host="RLEX", display="Müller, Stefan",
)  # fmt: skip
SARAH = _person(
    "Sarah Mitchell", "sarah.mitchell@northbridge-foods.example", BRITAIN, APPLE_MAIL, "en",
    EN_PLAIN, ("E-commerce Lead", "Northbridge Foods Ltd", "Bristol"), phone="T: +44 117 496 0619",
)  # fmt: skip
PAWEL = _person(
    "Paweł Górski", "pawel.gorski.dev@gmail.com", POLAND, GMAIL_PL, "pl", PL_PLAIN, (),
    phone="tel. 512 330 418",
)  # fmt: skip
ALEKSANDRA = _person(
    "Aleksandra Szymańska", "aleksandra.szymanska@kodlab.example", POLAND, THUNDERBIRD_PL, "pl",
    PL_PLAIN, ("Team Leader", "Kodlab Sp. z o.o. - partner technologiczny"),
    phone="tel. +48 12 395 20 14",
)  # fmt: skip

# Mailers: newsletters and notifications from senders the CRM does not know.
IT_CHANNEL = system_sender(
    "IT Channel Weekly", "newsletter@itchannel-weekly.example", BRITAIN, BULK_MAILER, "en"
)
CYFROWA_FIRMA = system_sender(
    "Cyfrowa Firma", "newsletter@cyfrowa-firma.example", POLAND, BULK_MAILER, "pl"
)
NIMBUS_STATUS = system_sender(
    "NimbusCloud Status", "status@nimbuscloud.example", GERMANY, BULK_MAILER, "en"
)
NIMBUS_BILLING = system_sender(
    "NimbusCloud Billing", "billing@nimbuscloud.example", GERMANY, BULK_MAILER, "en"
)
PACZKI24 = system_sender("Paczki24", "powiadomienia@paczki24.example", POLAND, BULK_MAILER, "pl")
EVENTHUB = system_sender(
    "EventHub Webinars", "no-reply@eventhub.example", BRITAIN, BULK_MAILER, "en"
)
EFAKTURY = system_sender(
    "eFaktury Bramka", "powiadomienia@efaktury-bramka.example", POLAND, BULK_MAILER, "pl"
)
