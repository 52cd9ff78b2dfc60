"""Zielony Koszyk (on Google Workspace) wants its shop tied to its ERP. Łukasz starts a new
message and types the token into its subject, as Agata asked him to."""

from __future__ import annotations

from ..attachments import csv_file, pdf, text_file
from ..cast import AGATA, ANNA, KATARZYNA, LUKASZ
from ..crm import KOSZYK_ERP
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001003"
OFFER_TOKEN = "CRM:0001007"
REGARDING = Regarding("opportunity", KOSZYK_ERP.name)


def write(room: Mailroom) -> list[TrackedMail]:
    inquiry = room.compose(
        AGATA, [ANNA], "Integracja sklepu internetowego z ERP – zapytanie", "09-07 13:25",
        "Dzień dobry Pani Anno,\n\n"
        "prowadzimy sklep internetowy (ok. 3 000 zamówień dziennie) i chcemy zintegrować go "
        "z naszym ERP: stany, ceny, zamówienia i statusy dostaw.\n"
        "Kontakt do Pani dostałam od pana Marka Wiśniewskiego z Acme Logistics.\n"
        "Czy mogłybyśmy porozmawiać w tym tygodniu?",
    )  # fmt: skip
    room.reply(
        inquiry, ANNA, "09-07 15:00",
        "Pani Agato,\n\n"
        "bardzo dziękuję za kontakt. Proponuję rozmowę w czwartek 10 września o 13:00 (Teams).\n"
        "Do tego czasu prześlę krótki kwestionariusz techniczny.",
    )  # fmt: skip
    schedule = room.compose(
        ANNA, [AGATA], f"Integracja sklepu z ERP – harmonogram {TOKEN}", "09-11 10:10",
        "Pani Agato,\n\n"
        "dziękuję za czwartkowe spotkanie. Zgodnie z ustaleniami przesyłam proponowany "
        "harmonogram:\n"
        "– wrzesień/październik: analiza API sklepu i ERP, mapowanie danych,\n"
        "– listopad: prototyp synchronizacji stanów i cen,\n"
        "– grudzień–styczeń: zamówienia i statusy dostaw, testy, uruchomienie.\n"
        "Demo prototypu proponuję na początku października w Państwa biurze.",
        cc=[LUKASZ],
    )  # fmt: skip
    room.reply(
        schedule, AGATA, "09-15 08:58",
        "Pani Anno,\n\n"
        "harmonogram wygląda dobrze. Demo 1 października o 11:00 u nas na Wielickiej?\n"
        "Pan Łukasz przygotuje dostęp do testowego API.",
        scenario=Scenario(
            "in-reply-to",
            "A Gmail reply (Re:, Message-ID at mail.gmail.com, quoted with '>' lines).",
        ),
    )  # fmt: skip
    technical = room.compose(
        LUKASZ, [ANNA], f"Integracja sklepu z ERP – pytania techniczne {TOKEN}", "09-29 12:40",
        "Dzień dobry,\n\n"
        f"zgodnie z prośbą pani Agaty zostawiam numer {TOKEN} w temacie.\n"
        "Testowe API: https://api-test.zielony-koszyk.example (klucz wyślę SMS-em).\n"
        "Pytanie: czy synchronizacja stanów co 5 minut wystarczy, czy potrzebujecie webhooków?",
        cc=[AGATA],
        scenario=Scenario(
            "tracking-token",
            "A brand-new message (no In-Reply-To, new subject) with the token typed into it.",
        ),
    )  # fmt: skip
    answer = room.reply(
        technical, ANNA, "09-29 15:30",
        "Panie Łukaszu,\n\n"
        "dziękuję za dostęp. Na start co 5 minut wystarczy; webhooki dołożymy przy "
        "zamówieniach.\nKatarzyna Wójcik (w kopii) potwierdzi szczegóły techniczne przed demo.",
        cc=[AGATA, KATARZYNA],
    )  # fmt: skip
    room.reply(
        answer, AGATA, "10-14 09:45",
        "Pani Anno,\n\n"
        "dziękujemy za demo, zespół jest pod wrażeniem. W załączniku mapowanie kategorii sklepu "
        "na grupy towarowe w ERP – prośba o weryfikację.\n"
        "Czekamy na ofertę na pełną integrację.",
        to=[ANNA], cc=[LUKASZ, KATARZYNA],
        attachments=[csv_file("mapowanie_kategorii_sklepów.csv", (
            ("kategoria_sklepu", "grupa_towarowa_erp", "uwagi"),
            ("Warzywa i owoce", "SWIEZE-01", ""),
            ("Pieczywo", "SWIEZE-02", "dostawa codzienna"),
            ("Nabiał", "CHLODNIA-01", "łańcuch chłodniczy"),
            ("Chemia gospodarcza", "SUCHE-07", ""),
        ))],
    )  # fmt: skip
    offer = room.compose(
        ANNA, [AGATA], f"Oferta: integracja sklepu z ERP {OFFER_TOKEN}", "10-23 12:30",
        "Pani Agato,\n\n"
        "w załączeniu oferta na pełną integrację sklepu z ERP, uwzględniająca mapowanie "
        "kategorii z Państwa pliku.\n"
        "Wdrożenie w czterech etapach do końca stycznia, łącznie 220 tys. zł netto.",
        cc=[LUKASZ],
        attachments=[pdf(
            "Oferta_Brightwave_integracja_ERP_Zielony_Koszyk.pdf",
            "Oferta: integracja sklepu internetowego z ERP",
            "Etap 1: stany i ceny", "Etap 2: zamówienia", "Etap 3: statusy dostaw",
            "Etap 4: testy i uruchomienie", "Razem: 220 000 PLN netto",
        )],
    )  # fmt: skip
    room.reply(
        offer, AGATA, "11-18 10:05",
        "Pani Anno,\n\n"
        "zarząd zatwierdził budżet na integrację. Prosimy o projekt umowy – chcielibyśmy "
        "wystartować w pierwszym tygodniu grudnia.",
    )  # fmt: skip
    room.compose(
        LUKASZ, [ANNA], "", "11-24 08:12",
        "Pani Anno,\n\n"
        "w załączniku logi z nocnej synchronizacji stanów – dwa razy timeout około 2:00.\n"
        "Czy to może być okno serwisowe po Państwa stronie?",
        cc=[KATARZYNA],
        attachments=[text_file(
            "sync_2026-11-24.log",
            "2026-11-24T01:58:02+01:00 stock-sync started, 14 212 items",
            "2026-11-24T02:00:32+01:00 ERROR timeout after 30 s (POST /stock/batch 41/143)",
            "2026-11-24T02:01:05+01:00 ERROR timeout after 30 s (POST /stock/batch 42/143)",
            "2026-11-24T02:03:40+01:00 stock-sync finished with 2 errors",
        )],
        scenario=Scenario(
            "option-crm-sender",
            "No subject at all: the normalised subject is empty, which smart matching never "
            "matches; only a sender-based option tracks it.",
        ),
    )  # fmt: skip
    return [TrackedMail(schedule, REGARDING, TOKEN), TrackedMail(offer, REGARDING, OFFER_TOKEN)]
