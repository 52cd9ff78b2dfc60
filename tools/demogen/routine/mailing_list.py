"""The internal list brightwave-sales@lists.brightwave.test: the list server tags subjects with
[brightwave-sales] and adds List-Id. Anna's own posts sit in Sent Items untagged (the list does
not echo a member's own posts); her colleagues' replies come back tagged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..attachments import csv_file
from ..cast import ANNA, KATARZYNA, MAGDALENA_K, PIOTR, SALES_LIST, TOMASZ
from ..mail import Attachment, Mail, Scenario
from ..mailroom import Mailroom
from ..people import Person

TAG = "[brightwave-sales]"
LIST_HEADERS = (
    ("List-Id", "Brightwave sales team <brightwave-sales.lists.brightwave.test>"),
    ("List-Post", "<mailto:brightwave-sales@lists.brightwave.test>"),
    ("List-Unsubscribe", "<mailto:brightwave-sales-leave@lists.brightwave.test>"),
    ("Precedence", "list"),
)


def _post(
    room: Mailroom,
    sender: Person,
    subject: str,
    at: str,
    text: str,
    *,
    attachments: Sequence[Attachment] = (),
    scenario: Scenario | None = None,
) -> Mail:
    """The copy the list delivers: the sender's message with a tagged subject and list headers."""
    posted = room.compose(
        sender, [SALES_LIST], subject, at, text, attachments=attachments, ghost=True
    )
    delivered = replace(
        posted, subject=f"{TAG} {subject}", extra_headers=LIST_HEADERS, scenario=scenario
    )
    room.ghosts.remove(posted)
    return room.keep(delivered)


def _answer(room: Mailroom, parent: Mail, sender: Person, at: str, text: str) -> Mail:
    """A reply to the list; only copies the list delivers carry the list headers."""
    subject = parent.subject if TAG in parent.subject else f"{TAG} {parent.subject}"
    via_list = sender.email != ANNA.email
    return room.reply(
        parent, sender, at, text, to=[SALES_LIST], cc=[],
        subject=sender.client.reply_subject(subject),
        headers=LIST_HEADERS if via_list else (),
    )  # fmt: skip


def write(room: Mailroom) -> None:
    prices = _post(
        room, PIOTR, "Cennik 2027 – wersja robocza", "09-08 09:10",
        "Cześć,\n\n"
        "w załączniku robocza wersja cennika na 2027. Główne zmiany: licencje WMS +4%, nowy "
        "pakiet wsparcia Premium 24/7, rabaty wolumenowe od 50 użytkowników.\n"
        "Uwagi proszę do piątku – w poniedziałek cennik idzie do zarządu.",
        attachments=[csv_file("cennik_2027_projekt.csv", (
            ("pozycja", "cena_2026_pln", "cena_2027_pln", "zmiana"),
            ("Licencja WMS / użytkownik / rok", "1 150", "1 196", "+4%"),
            ("Wsparcie Standard / miesiąc", "2 400", "2 400", "0%"),
            ("Wsparcie Premium 24/7 / miesiąc", "", "4 900", "nowość"),
            ("Dzień pracy konsultanta", "1 600", "1 680", "+5%"),
        ))],
        scenario=Scenario(
            "mailing list",
            "A post through the internal list: List-Id header and the [brightwave-sales] tag, "
            "which subject normalisation strips. From a CRM user, so only the email-enabled "
            "option tracks it.",
        ),
    )  # fmt: skip
    on_call = _answer(
        room, prices, KATARZYNA, "09-08 11:30",
        "Piotrze,\n\n"
        "pakiet Premium 24/7 wymaga dyżurów – czy Tomek ma już na to ludzi? Bez tego nie "
        "obiecujmy 4 godzin reakcji w nocy.",
    )  # fmt: skip
    _answer(
        room, prices, ANNA, "09-09 08:45",
        "Piotrze,\n\n"
        "z mojej strony: +4% na licencje przejdzie, ale klienci z Niemiec pytają o ceny w EUR "
        "stałe przez 24 miesiące. Warto dodać taką opcję do cennika.",
    )  # fmt: skip
    _answer(
        room, on_call, TOMASZ, "09-09 10:15",
        "Dyżury od stycznia obsadzimy w trzy osoby. Dajcie znać, ile kontraktów Premium się "
        "spodziewacie.",
    )  # fmt: skip
    demo = _post(
        room, KATARZYNA, "Nowe środowisko demo WMS – gotowe", "09-22 15:30",
        "Cześć,\n\n"
        "nowe środowisko demo WMS działa: https://demo.brightwave.test (login: demo, hasło "
        "w sejfie zespołu).\n"
        "Są w nim dane przykładowego magazynu, skanery w emulatorze i raporty KPI.\n"
        "Przed demo u klienta dajcie znać, zresetuję dane.",
    )  # fmt: skip
    _answer(
        room, demo, PIOTR, "09-22 16:10",
        "Super, Kasiu! Pokażmy je Acme przy następnym spotkaniu.",
    )  # fmt: skip
    for at, month in (("09-23 08:05", "wrzesień"), ("10-21 08:10", "październik"),
                      ("11-18 08:02", "listopad")):  # fmt: skip
        _post(
            room, PIOTR, "Przypomnienie: prognozy w CRM do piątku", at,
            f"Cześć,\n\nprzypominam o aktualizacji prognoz w CRM za {month} do piątku, 12:00.\n"
            "Szanse bez daty zamknięcia albo z datą w przeszłości wracają do was w poniedziałek.",
        )  # fmt: skip
    fair = _post(
        room, TOMASZ, "Targi w Norymberdze 20–22.10 – grafik stoiska", "09-29 12:00",
        "Cześć,\n\n"
        "grafik dyżurów na stoisku w Norymberdze (20–22 października): Ania i Kasia "
        "wtorek–środa, Piotr i ja środa–czwartek.\n"
        "Hotel zarezerwowany, bilety lotnicze prześle Magda.",
    )  # fmt: skip
    _answer(
        room, fair, ANNA, "09-29 13:20",
        "Tomku,\n\npasuje. Wezmę ulotki w wersji niemieckiej i angielskiej.",
    )  # fmt: skip
    results = _post(
        room, PIOTR, "Wyniki Q3 – podsumowanie", "10-02 16:20",
        "Cześć,\n\n"
        "Q3 zamknęliśmy na 108% planu. Największe wygrane: Drukarnia Orzeł (przedłużenie), "
        "Kessler (moduł jakości), Sokół Transport (planer tras).\n"
        "Przegrana: Pennine Freight – klient został przy obecnym dostawcy telematyki.\n"
        "Dziękuję wszystkim – w piątek pizza o 15:00.",
    )  # fmt: skip
    _answer(
        room, results, MAGDALENA_K, "10-05 09:05",
        "Gratulacje! Przypominam o rozliczeniu delegacji za wrzesień do 10 października.",
    )  # fmt: skip
    case_study = room.compose(
        ANNA, [SALES_LIST], "Case study Hartmann – prośba o uwagi", "10-29 14:10",
        "Cześć,\n\n"
        "Hartmann zgodził się na case study o wdrożeniu WMS (bez liczb finansowych). Szkic jest "
        "na dysku zespołu w folderze Marketing/Case studies.\n"
        "Proszę o uwagi do środy – potem wysyłam tekst klientowi do akceptacji.",
    )  # fmt: skip
    _answer(
        room, case_study, PIOTR, "10-29 15:02",
        "Aniu,\n\nświetny tekst. Dodałbym cytat Klausa Beckera o skróceniu czasu kompletacji.",
    )  # fmt: skip
    _answer(
        room, case_study, KATARZYNA, "10-30 09:40",
        "Aniu,\n\nw części technicznej poprawiłam opis integracji ze skanerami – zmiany są w "
        "trybie recenzji.",
    )  # fmt: skip
    _post(
        room, MAGDALENA_K, "Wigilia firmowa 18 grudnia – ankieta", "11-16 09:00",
        "Cześć,\n\n"
        "wigilia firmowa odbędzie się 18 grudnia o 17:00. Prośba o wypełnienie ankiety (menu, "
        "osoby towarzyszące) do 27 listopada: https://intranet.brightwave.test/ankiety/wigilia",
    )  # fmt: skip
