"""Everyday mail between Anna and her colleagues, on days drawn from a window per thread."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ..attachments import pdf
from ..cast import ANNA, KATARZYNA, MAGDALENA_K, PIOTR, TOMASZ
from ..clock import POLAND, slot_after, slot_on, working_days
from ..mail import Attachment, Mail
from ..mailroom import Mailroom
from ..people import Person


@dataclass(frozen=True)
class InternalThread:
    """`turns` alternate between `opener` and `other`, starting with the opener."""

    opener: Person
    other: Person
    subject: str
    first_day: date
    last_day: date
    turns: tuple[str, ...]
    attachment: Attachment | None = None


THREADS = (
    InternalThread(
        KATARZYNA, ANNA, "Nordlicht – wymagania techniczne wysłane",
        date(2026, 9, 24), date(2026, 9, 25),
        ("Aniu,\n\nwysłałam pani Schneider wymagania techniczne do pilota (format eksportu "
         "SCADA, VPN, konta). Florian Weber ma je przejrzeć do środy.",
         "Dzięki, Kasiu! Dodałam w CRM zadanie, żeby w czwartek zapytać o postęp."),
    ),
    InternalThread(
        ANNA, KATARZYNA, "Demo dla Zielonego Koszyka – scenariusz",
        date(2026, 9, 21), date(2026, 9, 23),
        ("Kasiu,\n\n1 października o 11:00 mamy demo w Zielonym Koszyku. Przygotujesz scenariusz "
         "z synchronizacją stanów i cen? Klienta najbardziej interesują opóźnienia "
         "synchronizacji.",
         "Jasne. Zrobię demo na danych z ich testowego API – pan Łukasz dał dostęp. Scenariusz "
         "podeślę w poniedziałek."),
    ),
    InternalThread(
        MAGDALENA_K, ANNA, "Delegacja Wrocław 24.09 – rozliczenie",
        date(2026, 9, 28), date(2026, 10, 1),
        ("Aniu,\n\nbrakuje mi biletu parkingowego i faktury za obiad z delegacji do Wrocławia "
         "24 września. Podeślesz skany do piątku?",
         "Magdo,\n\nskany wrzuciłam do folderu Delegacje/2026-09: parking 36 zł, obiad 148 zł "
         "(z klientem, Acme Logistics).",
         "Dziękuję, wszystko się zgadza."),
    ),
    InternalThread(
        PIOTR, ANNA, "Notatka z rozmowy z Greyfriars",
        date(2026, 10, 5), date(2026, 10, 9),
        ("Aniu,\n\nrozmawiałem dziś z Duncanem Reidem z Greyfriars Insurance. Szukają workflow "
         "dokumentów dla działu szkód, budżet ok. 120 tys. GBP, decyzja w I kwartale.\n"
         "Przejmiesz temat? Założyłem szansę w CRM.",
         "Przejmuję. Umówię się z nim na wideo w przyszłym tygodniu."),
    ),
    InternalThread(
        ANNA, MAGDALENA_K, "Sokół Transport – termin płatności 30 dni",
        date(2026, 10, 12), date(2026, 10, 16),
        ("Magdo,\n\nSokół Transport prosi o 30 dni zamiast 14 na fakturze za planer tras. "
         "Uzgodniłam to z Piotrem – możesz wystawić fakturę z terminem 30 dni?",
         "Jasne, wystawię dziś z terminem 30 dni."),
    ),
    InternalThread(
        TOMASZ, ANNA, "Acme – zasoby od stycznia",
        date(2026, 10, 21), date(2026, 10, 23),
        ("Aniu,\n\nskoro Acme podpisuje, muszę zarezerwować ludzi od stycznia: dwóch "
         "programistów, analityka i kogoś od skanerów z Kodlabu.\nCzy start 4 stycznia jest "
         "pewny?",
         "Tomku,\n\nzamówienie ma przyjść do połowy listopada, start 4 stycznia jest realny. "
         "Rezerwuj – w razie przesunięcia dam znać od razu.",
         "OK, rezerwuję. Na spotkanie startowe 3 grudnia do Wrocławia jedziemy razem?"),
    ),
    InternalThread(
        PIOTR, ANNA, "Prognoza na listopad",
        date(2026, 10, 26), date(2026, 10, 29),
        ("Aniu,\n\nna listopad mam u Ciebie w prognozie: Acme (480 tys. zł), Thames (85 tys. "
         "GBP) i Hartmann – umowa serwisowa (96 tys. EUR). Coś jeszcze realnie zamkniemy?",
         "Piotrze,\n\nZielony Koszyk raczej na przełomie roku, Medivita w I kwartale. Listopad "
         "tak jak piszesz, plus przedłużenie umowy z Orłem (36 tys. zł)."),
    ),
    InternalThread(
        ANNA, TOMASZ, "Thames Retail – kick-off 5.11 w Londynie",
        date(2026, 10, 28), date(2026, 10, 29),
        ("Tomku,\n\nkick-off z Thames Retail 5 listopada o 10:00 u nich w Londynie. Przygotujesz "
         "plan projektu na 14 tygodni i listę ryzyk? Loty rezerwuje Magda.",
         "Jasne. Plan będzie w poniedziałek – wyślę Ci go do przejrzenia, zanim trafi do "
         "klienta."),
    ),
    InternalThread(
        MAGDALENA_K, ANNA, "Bilety do Londynu 4–5.11",
        date(2026, 10, 29), date(2026, 10, 29),
        ("Aniu,\n\nbilety kupione: 4.11 Kraków–Londyn 17:25, powrót 5.11 o 19:40. Hotel przy "
         "London Bridge, ze śniadaniem.\nPotwierdzenie w załączniku.",
         "Dziękuję, Magdo!"),
        pdf("Potwierdzenie_rezerwacji_Londyn.pdf", "Potwierdzenie rezerwacji",
            "Lot 4.11.2026 17:25 Krakow - Londyn", "Lot 5.11.2026 19:40 Londyn - Krakow",
            "Hotel: 1 noc, London Bridge, sniadanie"),
    ),
    InternalThread(
        KATARZYNA, ANNA, "Kessler – audyt walidacyjny 24.11",
        date(2026, 11, 2), date(2026, 11, 6),
        ("Aniu,\n\nKessler chce przeprowadzić audyt walidacji modułu jakości 24 listopada "
         "(wymóg ISO 13485). Będę potrzebna na cały dzień w Monachium – zgoda?",
         "Zgoda. Lot zarezerwuj przez Magdę; dołączę zdalnie na podsumowanie."),
    ),
    InternalThread(
        TOMASZ, ANNA, "Urlop 21.12–4.01 – zastępstwo",
        date(2026, 11, 16), date(2026, 11, 20),
        ("Aniu,\n\nbędę na urlopie od 21 grudnia do 4 stycznia. Przy Hartmannie zastępuje mnie "
         "Kasia, przy Acme – Piotr.\nStart Acme przesuwamy więc na 5 stycznia.",
         "Tomku, OK. Powiedz o tym Markowi Wiśniewskiemu osobiście – na 4 stycznia planował "
         "szkolenie magazynierów."),
    ),
)  # fmt: skip


def write(room: Mailroom, rng: random.Random) -> None:
    for thread in THREADS:
        day = rng.choice(working_days(POLAND, thread.first_day, thread.last_day))
        writers = (thread.opener, thread.other)
        attachments = (thread.attachment,) if thread.attachment else ()
        mail: Mail = room.compose(
            thread.opener, [thread.other], thread.subject, slot_on(rng, day, POLAND),
            thread.turns[0], attachments=attachments,
        )  # fmt: skip
        for number, text in enumerate(thread.turns[1:], start=1):
            writer = writers[number % 2]
            mail = room.reply(mail, writer, slot_after(rng, mail.sent_at, POLAND, 1), text)
