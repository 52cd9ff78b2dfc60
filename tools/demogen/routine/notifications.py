"""Machine mail from senders no CRM record knows: cloud status and invoices, parcel tracking,
webinar reminders, the e-invoice gateway and Brightwave's own intranet robot."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, EFAKTURY, EVENTHUB, NIMBUS_BILLING, NIMBUS_STATUS, NOREPLY, PACZKI24
from ..mailroom import Mailroom
from ..people import Person

AUTOMATED = [("Auto-Submitted", "auto-generated")]

STATUS_INCIDENTS = (
    ("09-09 03:14", "[Resolved] Elevated API latency in eu-central-2",
     "Between 01:02 and 02:47 UTC some API requests in eu-central-2 took longer than usual.\n"
     "The cause was a faulty load balancer update, which has been rolled back."),
    ("09-30 14:20", "[Investigating] Object storage errors in eu-central-2",
     "We are investigating increased error rates for object storage uploads in eu-central-2.\n"
     "Downloads are not affected. Next update in 30 minutes."),
    ("09-30 15:35", "[Resolved] Object storage errors in eu-central-2",
     "Upload error rates are back to normal since 15:10 CEST. A post-incident report will "
     "follow within five working days."),
    ("10-22 22:00", "[Scheduled] Network maintenance in eu-central-2 on 3 November",
     "On 3 November between 01:00 and 03:00 CET we will replace core routers in eu-central-2.\n"
     "Brief connection drops of under a minute are possible."),
    ("11-17 09:41", "[Resolved] Console login failures",
     "Between 08:55 and 09:30 CET some users could not sign in to the console. API access was "
     "not affected."),
)  # fmt: skip
INVOICES = (("09-01 07:05", "2026-08", "04817", "412.60"),
            ("10-01 07:05", "2026-09", "05122", "418.90"),
            ("11-02 07:05", "2026-10", "05460", "431.15"))  # fmt: skip
PARCELS = (
    ("09-17 07:40", "Twoja przesyłka 6230 4471 9902 jest w drodze",
     "Przesyłka od: Brightwave Sp. z o.o. (Kraków)\nPlanowane doręczenie: 18.09, 9:00–13:00.\n"
     "Śledź przesyłkę: https://paczki24.example/s/623044719902"),
    ("09-18 11:12", "Twoja przesyłka 6230 4471 9902 została doręczona",
     "Przesyłka została doręczona do adresata. Odebrała: A. Nowak."),
    ("11-10 08:02", "Twoja przesyłka 6230 5982 1147 czeka w automacie KRA17M",
     "Odbierz przesyłkę do 12.11 w automacie KRA17M (ul. Zabłocie 20).\nKod odbioru: 381 664."),
    ("11-12 17:31", "Odebrano przesyłkę 6230 5982 1147",
     "Przesyłka została odebrana z automatu KRA17M. Dziękujemy!"),
)  # fmt: skip
WEBINARS = (
    ("09-28 16:00", "Reminder: 'Selling software to procurement teams' starts tomorrow",
     "Tomorrow, 29 September, 14:00 BST\nJoin link: https://eventhub.example/w/8812/join"),
    ("10-13 16:00", "Reminder: 'Pricing managed services in 2027' starts tomorrow",
     "Tomorrow, 14 October, 15:00 BST\nJoin link: https://eventhub.example/w/8930/join"),
    ("10-15 09:00", "Recording: 'Pricing managed services in 2027'",
     "Thanks for attending! The recording and slides are available for 30 days:\n"
     "https://eventhub.example/w/8930/recording"),
    ("11-23 16:00", "Reminder: 'Logistics software trends 2027' starts tomorrow",
     "Tomorrow, 24 November, 14:00 GMT\nJoin link: https://eventhub.example/w/9105/join"),
)  # fmt: skip
E_INVOICES = (
    ("10-05 12:31", "FV/2026/09/114", "Drukarnia Orzeł Sp. j."),
    ("11-04 12:07", "FV/2026/10/131", "Sokół Transport Sp. z o.o."),
    ("11-06 09:48", "FV/2026/11/007", "Hartmann Maschinenbau GmbH"),
)  # fmt: skip
INTRANET = (
    ("09-11 12:15", "Rezerwacja sali potwierdzona: Wisła, 14.09 13:00–14:00",
     "Sala: Wisła (6 osób, ekran, Teams)\nOrganizator: Anna Nowak\nTemat: Przegląd lejka Q4"),
    ("10-09 08:30", "Wniosek urlopowy zaakceptowany: 30.10.2026",
     "Twój wniosek o urlop wypoczynkowy na 30.10.2026 (1 dzień) został zaakceptowany przez: "
     "Piotr Zieliński."),
    ("10-19 15:02", "Rezerwacja sali potwierdzona: Dunajec, 22.10 10:00–11:30",
     "Sala: Dunajec (12 osób, projektor)\nOrganizator: Anna Nowak\nTemat: Warsztat z Kodlab"),
    ("11-20 10:44", "Przypomnienie: karta czasu pracy za listopad",
     "Uzupełnij kartę czasu pracy za listopad do 30.11. Link: https://intranet.brightwave.test/czas"),
    ("11-25 14:10", "Rezerwacja sali potwierdzona: Wisła, 27.11 09:00–12:00",
     "Sala: Wisła (6 osób, ekran, Teams)\nOrganizator: Anna Nowak\nTemat: Raport kwartalny"),
)  # fmt: skip


def write(room: Mailroom) -> None:
    for at, subject, text in STATUS_INCIDENTS:
        signed = f"{text}\n\nNimbusCloud Status · https://status.nimbuscloud.example"
        _notify(room, NIMBUS_STATUS, at, subject, signed, "en")
    for at, period, number, amount in INVOICES:
        invoice = f"NC-{period}-{number}"
        room.compose(
            NIMBUS_BILLING, [ANNA], f"Your NimbusCloud invoice {invoice} is ready", at,
            f"Hello Brightwave Sp. z o.o.,\n\nyour invoice {invoice} for {period} is attached.\n"
            f"Amount due: EUR {amount}, charged to the card ending 4417 on the 15th.\n\n"
            "NimbusCloud Billing",
            lang="en", headers=AUTOMATED,
            attachments=[pdf(f"{invoice}.pdf", f"NimbusCloud invoice {invoice}",
                             f"Billing period: {period}", f"Amount due: EUR {amount}",
                             "Customer: Brightwave Sp. z o.o., Krakow")],
        )  # fmt: skip
    for at, subject, text in PARCELS:
        _notify(room, PACZKI24, at, subject, f"{text}\n\nZespół Paczki24", "pl")
    for at, subject, text in WEBINARS:
        _notify(room, EVENTHUB, at, subject,
                f"Hi Anna,\n\n{text}\n\nEventHub Webinars · Manage your registrations at "
                "https://eventhub.example/account", "en")  # fmt: skip
    for at, number, buyer in E_INVOICES:
        ksef_number = f"6762231475-2026{at[:2]}{at[3:5]}-{number[-3:]}A1B2C3-4F"
        _notify(
            room, EFAKTURY, at, f"Faktura {number} została przyjęta w KSeF",
            f"Faktura {number} dla: {buyer} została przyjęta w Krajowym Systemie e-Faktur.\n"
            f"Numer KSeF: {ksef_number}\n\n"
            "eFaktury Bramka – powiadomienie automatyczne, prosimy nie odpowiadać.", "pl",
        )  # fmt: skip
    for at, subject, text in INTRANET:
        _notify(room, NOREPLY, at, subject, f"{text}\n\nIntranet Brightwave", "pl")


def _notify(room: Mailroom, sender: Person, at: str, subject: str, text: str, lang: str) -> None:
    room.compose(sender, [ANNA], subject, at, text, lang=lang, headers=AUTOMATED)
