"""Drukarnia Orzeł, a customer of many years: a renewal tracked regarding the account, an answer
from the print shop's front-office address, a support ticket, and one private invitation."""

from __future__ import annotations

from ..attachments import pdf, text_file
from ..cast import ANNA, GRZEGORZ, ORZEL_OFFICE, SUPPORT_QUEUE
from ..crm import DRUKARNIA_ORZEL
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001005"


def write(room: Mailroom) -> list[TrackedMail]:
    renewal = room.compose(
        ANNA, [GRZEGORZ], f"Przedłużenie umowy serwisowej na 2027 {TOKEN}", "09-21 12:00",
        "Cześć Grzegorzu,\n\n"
        "Wasza umowa serwisowa na system produkcyjny kończy się 31 grudnia. W załączeniu "
        "propozycja przedłużenia na 2027 rok – cena bez zmian, dodaliśmy monitoring drukarek "
        "etykiet.\nDaj znać, czy mam przygotować dokumenty.",
        attachments=[pdf(
            "Umowa_serwisowa_2027_Drukarnia_Orzeł.pdf", "Umowa serwisowa 2027 – propozycja",
            "Opieka serwisowa systemu produkcyjnego", "Nowość: monitoring drukarek etykiet",
            "Cena: 3 000 PLN netto miesięcznie",
        )],
    )  # fmt: skip
    room.reply(
        renewal, ORZEL_OFFICE, "09-24 10:30",
        "Dzień dobry,\n\n"
        "w imieniu pana Grzegorza Nowickiego potwierdzamy chęć przedłużenia umowy na 2027 rok.\n"
        "Prosimy o przesłanie umowy w dwóch egzemplarzach na adres drukarni.\n"
        "Faktury prosimy nadal kierować na adres biuro@drukarnia-orzel.example.",
        scenario=Scenario(
            "tracking-token",
            "From the account's own address (biuro@): the sender resolves to the account. The "
            "provider's webmail sends no In-Reply-To, so the token correlates.",
        ),
    )  # fmt: skip
    room.compose(
        SUPPORT_QUEUE, [ANNA], "[Zgłoszenie #4821] Drukarnia Orzeł – błąd wydruku etykiet",
        "10-07 09:12",
        "Aniu,\n\n"
        "zgłoszenie od Drukarni Orzeł (Grzegorz Nowicki): od wczoraj drukarka etykiet na linii 2 "
        "drukuje puste etykiety po każdej zmianie zlecenia.\n"
        "Obejście: restart usługi wydruku. Poprawka planowana w wersji 5.4.2 (piątek).\n"
        "Klient wspominał o przedłużeniu umowy – warto zadzwonić.\n\n"
        "Zespół wsparcia Brightwave",
        headers=[("Importance", "High"), ("X-Priority", "1")],
        attachments=[text_file(
            "etykiety_linia2_log.txt",
            "2026-10-06 14:02:11 INFO  PrintService: job 88231 started (zlecenie Z/10/2026/0412)",
            "2026-10-06 14:02:12 WARN  LabelTemplate: szablon ETK-40x30 nie został przeładowany",
            "2026-10-06 14:02:12 ERROR ZPL: pusta treść etykiety, pole {nr_partii} bez wartości",
            "2026-10-06 14:05:40 INFO  PrintService: restart usługi na żądanie operatora",
        )],
        scenario=Scenario(
            "option-email-enabled-sender",
            "From the support queue's address (a CRM queue record), marked Importance: High.",
        ),
    )  # fmt: skip
    room.compose(
        GRZEGORZ, [ANNA], "Zaproszenie na moje 60. urodziny", "10-23 16:48",
        "Aniu,\n\n"
        "to prywatnie: 14 listopada kończę 60 lat i z Haliną zapraszamy kilkoro przyjaciół na "
        "kolację w Krakowie (restauracja przy Małym Rynku, 19:00).\n"
        "Bardzo się ucieszymy, jeśli przyjdziesz – oczywiście z osobą towarzyszącą.\n"
        "Daj znać do końca miesiąca.",
        headers=[("Sensitivity", "Private")],
        scenario=Scenario(
            "excluded-private",
            "Sensitivity: Private, from a CRM contact: without the exclusion the option "
            "'messages from CRM contacts' would track it.",
        ),
    )  # fmt: skip
    room.reply(
        renewal, GRZEGORZ, "11-09 11:20",
        "Aniu,\n\n"
        "umowy podpisane, wysłałem je kurierem. Dzięki też za szybką reakcję w sprawie etykiet "
        "– poprawka działa.",
        scenario=Scenario(
            "in-reply-to",
            "Thunderbird reply to the renewal: the regarding record is an account, not a deal.",
        ),
    )  # fmt: skip
    return [TrackedMail(renewal, Regarding("account", DRUKARNIA_ORZEL.name), TOKEN)]
