"""Strangers write: prospects, a private person, a job applicant. None is in the CRM, so they
show what auto-creation makes of a display name, a bare address and a public mail provider."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import AGNIESZKA, ANNA, BARTOSZ, JAN, KRZYSZTOF, PAWEL, SARAH, STEFAN
from ..mail import Scenario
from ..mailroom import Mailroom


def write(room: Mailroom) -> None:
    fleet = room.compose(
        JAN, [ANNA], "Zapytanie ofertowe – system do zarządzania flotą", "09-16 10:40",
        "Dzień dobry,\n\n"
        "prowadzę firmę transportową (28 ciągników siodłowych, baza w Wieliczce). Szukamy "
        "systemu do planowania tras i rozliczania kierowców, zintegrowanego z tachografami.\n"
        "Proszę o informację, czy mają Państwo takie rozwiązanie i jaki jest orientacyjny koszt.",
        scenario=Scenario(
            "option-all",
            "An unknown sender written surname first, \"Kowalski, Jan\": tracked with the option "
            "'all messages'; auto-creation makes Jan Kowalski (a lead gets the company "
            "Kowalski Transport from the domain).",
        ),
    )  # fmt: skip
    call = room.reply(
        fleet, ANNA, "09-16 14:00",
        "Dzień dobry Panie Janie,\n\n"
        "dziękuję za zapytanie. Nasz planer tras obsługuje integrację z tachografami cyfrowymi.\n"
        "Czy możemy porozmawiać w piątek? Przygotuję krótką prezentację i orientacyjną wycenę "
        "dla 28 pojazdów.",
    )  # fmt: skip
    room.reply(
        call, JAN, "09-17 08:30",
        "Pani Anno,\n\npiątek o 11:00 mi pasuje. Proszę dzwonić na numer z podpisu.",
    )  # fmt: skip
    reference = room.compose(
        ANNA, [BARTOSZ], "Prośba o referencje – planer tras", "09-21 09:40",
        "Dzień dobry Panie Bartoszu,\n\n"
        "czy zgodziłby się Pan porozmawiać z firmą transportową z Wieliczki, która rozważa nasz "
        "planer tras? Chodzi o 15 minut rozmowy o Państwa doświadczeniach z tachografami.",
    )  # fmt: skip
    room.reply(
        reference, BARTOSZ, "09-21 12:15",
        "Pani Anno,\n\noczywiście – proszę podać mój numer. Najlepiej dzwonić po 14:00.",
    )  # fmt: skip
    room.compose(
        AGNIESZKA, [ANNA], "wycena aplikacji mobilnej", "10-05 20:47",
        "dzień dobry,\n"
        "mam salon meblowy w Tarnowie i chciałabym aplikację dla klientów do zamawiania mebli na "
        "wymiar. ile kosztuje taka aplikacja i jak długo się ją robi?",
        scenario=Scenario(
            "option-all",
            "A bare address with no display name: auto-creation takes first name Agnieszka and "
            "last name Mazur from the address, and a lead's company Mazur Meble from the domain.",
        ),
    )  # fmt: skip
    garage = room.compose(
        KRZYSZTOF, [ANNA], "Strona internetowa dla warsztatu", "10-12 18:05",
        "Dzień dobry,\n\n"
        "mam warsztat samochodowy w Nowym Targu i potrzebuję strony z rezerwacją terminów "
        "online.\nCzy robią Państwo takie małe projekty? Budżet do 8 tys. zł.",
        scenario=Scenario(
            "option-all",
            "A private person at a public provider (wp.pl): an auto-created lead gets no "
            "company from the domain.",
        ),
    )  # fmt: skip
    room.reply(
        garage, ANNA, "10-13 09:20",
        "Panie Krzysztofie,\n\n"
        "dziękuję za zapytanie. Realizujemy głównie większe projekty dla firm, ale polecam "
        "Kodlab z Krakowa – robią dokładnie takie strony. Kontakt: "
        "aleksandra.szymanska@kodlab.example.",
    )  # fmt: skip
    room.compose(
        STEFAN, [ANNA], "Anfrage: Lagerverwaltung für zwei Standorte", "10-21 10:25",
        "Sehr geehrte Frau Nowak,\n\n"
        "wir suchen für unsere Standorte Duisburg und Venlo eine Lagerverwaltung mit Anbindung an "
        "unser ERP-System.\n"
        "Bitte senden Sie uns Unterlagen und Referenzen aus der Kontraktlogistik.",
        scenario=Scenario(
            "option-all",
            "\"Müller, Stefan\": surname first with an umlaut; auto-creation gives Stefan Müller "
            "of Rheinland Logistik.",
        ),
    )  # fmt: skip
    room.compose(
        PAWEL, [ANNA], "Aplikacja na stanowisko Junior Python Developer", "10-26 12:02",
        "Dzień dobry,\n\n"
        "w odpowiedzi na ogłoszenie przesyłam CV. Mam rok doświadczenia w Pythonie (Django, "
        "pytest), skończyłem informatykę na AGH.\n"
        "Będę wdzięczny za informację o dalszych krokach.",
        attachments=[pdf(
            "CV_Pawel_Gorski.pdf", "Paweł Górski – CV", "Junior Python Developer",
            "Python, Django, pytest, PostgreSQL", "AGH, Informatyka, 2025",
        )],
        scenario=Scenario(
            "option-all",
            "A job application from gmail.com: 'all messages' tracks even this; a case for the "
            "never-track list.",
        ),
    )  # fmt: skip
    room.compose(
        SARAH, [ANNA], "Enquiry: ERP integration for our online shop", "11-03 11:50",
        "Hi Anna,\n\n"
        "Oliver Grant at Thames Retail recommended you. We run an online grocery shop (Bristol "
        "and Bath) and need our shop, warehouse and ERP to talk to each other.\n"
        "Could we arrange a call in the next two weeks?",
        scenario=Scenario(
            "not-tracked",
            "An unknown prospect under the default option; with auto-creation set to leads and "
            "'all messages' she becomes Sarah Mitchell of Northbridge Foods.",
        ),
    )  # fmt: skip
