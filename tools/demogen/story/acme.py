"""Acme Logistics buys a WMS: inquiry, offer with a token, questions, a partner's estimate, the CFO
joining from a forward, negotiation and the order. The thread most tracking rules show up in."""

from __future__ import annotations

from ..attachments import csv_file, pdf
from ..cast import ALEKSANDRA, ANNA, BARBARA, JOANNA, KATARZYNA, MAREK, PIOTR, TOMASZ
from ..crm import ACME_WMS
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001002"
REGARDING = Regarding("opportunity", ACME_WMS.name)


def write(room: Mailroom) -> list[TrackedMail]:
    inquiry = room.compose(
        MAREK, [ANNA], "Zapytanie – system WMS dla magazynu we Wrocławiu", "09-02 09:12",
        "Dzień dobry Pani Anno,\n\n"
        "nawiązując do naszej rozmowy na targach w Poznaniu: szukamy systemu WMS dla nowego "
        "magazynu we Wrocławiu (ok. 12 000 m², trzy zmiany, 40 skanerów ręcznych).\n"
        "Obecnie pracujemy na arkuszach i module magazynowym ERP, który nie nadąża za wolumenem.\n"
        "Czy mogłaby Pani przygotować wstępną propozycję i zaproponować termin rozmowy?",
        scenario=Scenario(
            "already-tracked",
            "Tracked by hand before the demo (tracked.json): sync links it to the existing "
            "activity and never creates a second one.",
        ),
    )  # fmt: skip
    call = room.reply(
        inquiry, ANNA, "09-02 14:30",
        "Dzień dobry Panie Marku,\n\n"
        "dziękuję za wiadomość i miłą rozmowę w Poznaniu.\n"
        "Proponuję rozmowę online w czwartek 3 września o 10:00 – pokażę, jak nasz WMS obsługuje "
        "przyjęcia, kompletację i inwentaryzację ciągłą.\n"
        "Do rozmowy dołączy Katarzyna Wójcik, nasz Solutions Engineer.",
        cc=[KATARZYNA],
    )  # fmt: skip
    room.reply(
        call, MAREK, "09-02 16:05",
        "Pani Anno,\n\n"
        "czwartek 10:00 pasuje. Dołączy też Joanna Kaczmarek, kierownik magazynu – "
        "to ona najlepiej zna nasze procesy.",
        cc=[KATARZYNA, JOANNA],
    )  # fmt: skip
    room.compose(
        JOANNA, [ANNA], "Dane do warsztatu – lokalizacje i stany", "09-08 13:40",
        "Dzień dobry Pani Anno,\n\n"
        "zgodnie z prośbą przesyłam wyciąg z lokalizacji i stanów magazynowych z ostatniego "
        "tygodnia (plik CSV, separator średnik).\n"
        "Strefa C to towary wysokiej rotacji – tam mamy najwięcej błędów kompletacji.",
        cc=[MAREK],
        attachments=[csv_file("stany_magazynowe_wrzesień.csv", (
            ("lokalizacja", "indeks", "nazwa", "ilość", "jm"),
            ("A-01-01", "PAL-1200", "Paleta EUR 1200x800", "118", "szt"),
            ("C-04-12", "KRT-0450", "Karton klapowy 450x300x300", "2 400", "szt"),
            ("C-04-13", "TSM-0048", "Taśma pakowa 48 mm brązowa", "860", "rolka"),
            ("D-11-02", "FOL-0023", "Folia stretch 23 µm", "74", "rolka"),
        ))],
        scenario=Scenario(
            "option-crm-sender",
            "A new message from a CRM contact (Joanna Kaczmarek, Acme): tracked only with the "
            "option 'messages from CRM leads, contacts and accounts'; carries a CSV attachment.",
        ),
    )  # fmt: skip
    offer = room.compose(
        ANNA, [MAREK], f"Oferta wdrożenia systemu WMS {TOKEN}", "09-10 16:05",
        "Dzień dobry Panie Marku,\n\n"
        "w załączeniu przesyłam ofertę wdrożenia systemu Brightwave WMS dla magazynu we "
        "Wrocławiu, przygotowaną na podstawie rozmowy z 3 września i danych od pani Joanny.\n"
        "Oferta obejmuje licencje dla 45 użytkowników, integrację z ERP, wdrożenie w trzech "
        "etapach (styczeń–kwiecień 2027) oraz szkolenia.\n"
        "Cena jest ważna do 31 października. Chętnie omówię szczegóły w przyszłym tygodniu.",
        cc=[KATARZYNA, JOANNA],
        attachments=[pdf(
            "Oferta_Brightwave_WMS_Acme_Logistics.pdf",
            "Brightwave WMS – oferta dla Acme Logistics",
            "Licencje: 45 użytkowników", "Integracja z ERP i skanerami", "Wdrożenie: 3 etapy",
            "Cena ważna do 31.10.2026",
        )],
        scenario=Scenario(
            "tracked sent item",
            f"Anna's offer, tracked with token {TOKEN} regarding the Acme opportunity; with "
            "'also track sent items' on, sync finds it already tracked.",
        ),
    )  # fmt: skip
    questions = room.reply(
        offer, MAREK, "09-14 10:22",
        "Dzień dobry Pani Anno,\n\n"
        "dziękujemy za ofertę. Mamy trzy pytania:\n"
        "1. Czy licencje można rozliczać rocznie zamiast jednorazowo?\n"
        "2. Czy integracja obejmuje skanery Zebra, które już mamy?\n"
        "3. Czy etap 1 da się zakończyć przed inwentaryzacją w marcu?",
        scenario=Scenario(
            "in-reply-to",
            "Polish Outlook reply (ODP:) whose In-Reply-To is the tracked offer: it inherits "
            "the Acme opportunity.",
        ),
    )  # fmt: skip
    to_partner = room.forward(
        questions, ANNA, [ALEKSANDRA], "09-14 13:40",
        "Cześć Olu,\n\n"
        "prośba o szybką wycenę integracji skanerów Zebra (pkt 2 poniżej) – ok. 40 urządzeń "
        "z Androidem.\nPotrzebuję liczby do środy.",
        scenario=Scenario(
            "forward",
            "Anna forwards (PD:) a tracked thread to a partner who shares no address with the "
            "original. With 'also track sent items' on it would correlate by token, unless the "
            "org option not to correlate such forwards is on.",
        ),
    )  # fmt: skip
    room.reply(
        to_partner, ALEKSANDRA, "09-16 09:50",
        "Cześć Aniu,\n\n"
        "integracja Zebra TC52 przez ich SDK to u nas ok. 12 osobodni, z testami na miejscu 15.\n"
        "Możemy zacząć od połowy stycznia.",
        scenario=Scenario(
            "tracking-token",
            "The partner's reply keeps the token. Its In-Reply-To is Anna's untracked forward, "
            "so the token is what correlates; the sender (Kodlab) is in no CRM record.",
        ),
    )  # fmt: skip
    answers = room.reply(
        questions, ANNA, "09-16 14:20",
        "Panie Marku,\n\n"
        "odpowiadam na pytania:\n"
        "1. Tak – możemy rozliczać licencje w modelu rocznej subskrypcji (ok. 31% ceny licencji "
        "rocznie).\n"
        "2. Tak, integrację skanerów Zebra wykona nasz partner Kodlab; koszt jest już w ofercie.\n"
        "3. Etap 1 (przyjęcia i lokalizacje) zakończymy do 26 lutego, przed inwentaryzacją.",
    )  # fmt: skip
    room.reply(
        answers, MAREK, "09-18 11:05",
        "Pani Anno,\n\n"
        "dziękuję, to wyjaśnia sprawę. Model subskrypcyjny jest dla nas ciekawy.\n"
        "Przekazałem ofertę naszej dyrektor finansowej, pani Barbarze Lis – odezwie się w "
        "sprawie warunków płatności.",
        scenario=Scenario(
            "in-reply-to",
            "Answers Anna's reply, which is not tracked; the References header still names the "
            "tracked offer, so it correlates.",
        ),
    )  # fmt: skip
    internal_forward = room.forward(
        offer, MAREK, [BARBARA], "09-18 11:12",
        "Basiu,\n\nprzesyłam ofertę Brightwave na WMS – proszę o uwagi do warunków płatności.",
        ghost=True,
    )  # fmt: skip
    terms = room.reply(
        internal_forward, BARBARA, "09-22 09:30",
        "Dzień dobry Pani Anno,\n\n"
        "kontaktuję się w sprawie warunków płatności do oferty na system WMS.\n"
        "Prosimy o rozłożenie płatności za wdrożenie na trzy raty powiązane z odbiorami etapów "
        "oraz o 60-dniowy termin płatności faktur.\n"
        "Czy takie warunki są do przyjęcia?",
        to=[ANNA], cc=[MAREK],
        scenario=Scenario(
            "tracking-token",
            "The CFO answers Marek's internal forward: In-Reply-To points outside the demo, the "
            "token still correlates. Barbara Lis is in no CRM record: with auto-creation on she "
            "becomes a contact.",
        ),
    )  # fmt: skip
    terms_answer = room.reply(
        terms, ANNA, "09-22 13:15",
        "Pani Barbaro,\n\n"
        "trzy raty powiązane z odbiorami etapów – jak najbardziej.\n"
        "Standardowo mamy 30 dni; 60 dni możemy przyjąć przy płatności subskrypcji rocznej "
        "z góry.\nPrzygotuję zaktualizowaną ofertę do końca tygodnia.",
    )  # fmt: skip
    discount = room.reply(
        terms_answer, MAREK, "10-06 10:00",
        "Pani Anno,\n\n"
        "rozmawialiśmy wewnętrznie. Jesteśmy gotowi iść dalej, jeśli cena wdrożenia spadnie "
        "o 8%.\nKonkurencyjna oferta jest niższa, ale wolimy Państwa rozwiązanie.",
        to=[ANNA], cc=[BARBARA],
    )  # fmt: skip
    revised = room.reply(
        discount, ANNA, "10-07 15:20",
        "Panie Marku,\n\n"
        "rozmawiałam z naszym dyrektorem sprzedaży (w kopii). Możemy zaproponować rabat 5% na "
        "wdrożenie oraz bezpłatne szkolenie dodatkowej grupy operatorów.\n"
        "W załączeniu zaktualizowana oferta (wersja 2).",
        cc=[BARBARA, PIOTR],
        attachments=[pdf(
            "Oferta_Brightwave_WMS_Acme_Logistics_v2.pdf",
            "Brightwave WMS – oferta dla Acme Logistics (wersja 2)",
            "Rabat 5% na wdrożenie", "Dodatkowe szkolenie operatorów gratis",
            "Płatność w trzech ratach", "Cena ważna do 30.11.2026",
        )],
    )  # fmt: skip
    accepted = room.reply(
        revised, MAREK, "10-20 09:05",
        "Pani Anno,\n\n"
        "zarząd zaakceptował ofertę w wersji 2. Zamówienie i umowę prześlemy do połowy "
        "listopada.\nProponuję spotkanie startowe na początku grudnia we Wrocławiu.",
    )  # fmt: skip
    kickoff = room.reply(
        accepted, ANNA, "10-20 11:30",
        "Panie Marku,\n\n"
        "bardzo dziękuję – to świetna wiadomość! Przygotujemy projekt umowy i harmonogram "
        "spotkania startowego.\n"
        "Tomasz Lewandowski, kierownik projektu po naszej stronie (w kopii), skontaktuje się "
        "z Panem w przyszłym tygodniu.",
        cc=[BARBARA, PIOTR, TOMASZ],
    )  # fmt: skip
    room.reply(
        kickoff, MAREK, "11-13 14:45",
        "Pani Anno,\n\n"
        "w załączeniu podpisane zamówienie. Umowę w dwóch egzemplarzach wysłaliśmy kurierem.\n"
        "Spotkanie startowe 3 grudnia o 10:00 u nas – potwierdzam.",
        to=[ANNA], cc=[TOMASZ],
        attachments=[pdf(
            "Zamowienie_ACME_2026_118.pdf", "Zamówienie nr 2026/118",
            "Dostawca: Brightwave Sp. z o.o.", "Przedmiot: wdrożenie systemu WMS (oferta v2)",
            "Podpisano: Marek Wiśniewski, Barbara Lis",
        )],
    )  # fmt: skip
    return [
        TrackedMail(inquiry, REGARDING, None),
        TrackedMail(offer, REGARDING, TOKEN),
    ]
