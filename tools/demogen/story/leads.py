"""Leads already in the CRM get in touch: EkoPak (then tracked regarding the lead), Harbourline,
Alpenholz, and Hotel Zacisze through the website form."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, JAMES, MAGDALENA_KR, NATALIA, SALES_QUEUE, TOBIAS
from ..crm import EKOPAK_LEAD
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001006"


def write(room: Mailroom) -> list[TrackedMail]:
    tracked = _ekopak(room)
    _harbourline(room)
    room.compose(
        TOBIAS, [ANNA], "Anfrage nach der Messe: ERP-Anbindung Sägewerk", "10-26 15:35",
        "Hallo Frau Nowak,\n\n"
        "wir hatten uns auf der Messe in Nürnberg kurz unterhalten. Wir möchten unser Sägewerk "
        "(Holzeingang, Trocknung, Versand) an unser ERP anbinden.\n"
        "Haben Sie Referenzen in der Holzindustrie? Ein kurzes Telefonat wäre schön.",
        scenario=Scenario("option-crm-sender", "A German lead writes after a trade fair."),
    )  # fmt: skip
    room.compose(
        SALES_QUEUE, [ANNA], "Formularz kontaktowy: Hotel Zacisze – system rezerwacji",
        "10-28 07:58",
        "Nowe zgłoszenie z formularza na www.brightwave.test:\n\n"
        "Imię i nazwisko: Natalia Kubiak\n"
        "Firma: Hotel Zacisze, Zakopane\n"
        f"E-mail: {NATALIA.email}\n"
        "Temat: system rezerwacji\n"
        "Wiadomość: Szukamy systemu rezerwacji pokoi zintegrowanego z kasą restauracji. "
        "Sezon zimowy startuje 19 grudnia.\n\n"
        "Zgłoszenie przypisano do: Anna Nowak",
        headers=[("Reply-To", f"{NATALIA.name} <{NATALIA.email}>")],
        scenario=Scenario(
            "option-email-enabled-sender",
            "From the sales queue (the web form robot); the prospect, already a lead, is only "
            "in Reply-To.",
        ),
    )  # fmt: skip
    return tracked


def _ekopak(room: Mailroom) -> list[TrackedMail]:
    room.compose(
        MAGDALENA_KR, [ANNA], "Zapytanie o system magazynowy dla nowej hali", "09-30 09:05",
        "Dzień dobry Pani Anno,\n\n"
        "dziękuję za rozmowę na stoisku podczas targów. Budujemy nową halę w Tarnowie "
        "Podgórnym (start w marcu 2027) i szukamy systemu WMS z obsługą palet i kompletacji.\n"
        "Proszę o wstępną wycenę i informację o czasie wdrożenia.",
        scenario=Scenario(
            "option-crm-sender",
            "The sender is a CRM lead (EkoPak): tracked with the option 'messages from CRM "
            "leads, contacts and accounts'.",
        ),
    )  # fmt: skip
    estimate = room.compose(
        ANNA, [MAGDALENA_KR], f"EkoPak – wstępna wycena {TOKEN}", "10-02 11:15",
        "Pani Magdaleno,\n\n"
        "w załączeniu wstępna wycena systemu Brightwave WMS dla nowej hali: licencje dla "
        "15 użytkowników, integracja z Państwa ERP i wdrożenie w ok. 10 tygodni.\n"
        "Chętnie przyjadę do Tarnowa Podgórnego, żeby zobaczyć plany hali.",
        attachments=[pdf(
            "Brightwave_WMS_EkoPak_wycena_wstepna.pdf",
            "Brightwave WMS – wstępna wycena dla EkoPak",
            "Licencje: 15 użytkowników", "Integracja z ERP", "Wdrożenie: ok. 10 tygodni",
        )],
    )  # fmt: skip
    room.reply(
        estimate, MAGDALENA_KR, "10-05 14:20",
        "Pani Anno,\n\n"
        "dziękuję, cena mieści się w budżecie. Zapraszam 19 października o 10:00 – pokażę halę "
        "i plan rozmieszczenia regałów.",
        scenario=Scenario("in-reply-to", "The tracked message is regarding a lead."),
    )  # fmt: skip
    return [TrackedMail(estimate, Regarding("lead", EKOPAK_LEAD.name), TOKEN)]


def _harbourline(room: Mailroom) -> None:
    intro = room.compose(
        JAMES, [ANNA], "Fleet tracking integration – intro call?", "10-06 09:35",
        "Hi Anna,\n\n"
        "we met briefly at the Logistics Tech Summit in Birmingham. We're looking at bringing "
        "our vessel and truck tracking into one dashboard, and your name came up.\n"
        "Would you have 30 minutes next week for an intro call?",
    )  # fmt: skip
    room.reply(
        intro, ANNA, "10-06 12:10",
        "Hi James,\n\n"
        "great to hear from you. How about Tuesday 13 October at 14:00 UK time (15:00 in "
        "Kraków)? I'll send a Teams invitation.",
    )  # fmt: skip
