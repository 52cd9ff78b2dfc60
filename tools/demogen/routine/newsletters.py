"""Two weekly newsletters with List-Id and one-click unsubscribe: a quarter's worth of mail that
only the option 'all messages' would track."""

from __future__ import annotations

import html
import random
import re
import zlib
from datetime import date, time, timedelta

from ..cast import ANNA, CYFROWA_FIRMA, IT_CHANNEL
from ..clients import EN_MONTHS, PL_MONTHS_GENITIVE
from ..clock import BRITAIN, POLAND, Zone
from ..mailroom import Mailroom
from ..people import Person

ISSUES = 13
IT_CHANNEL_HEADLINES = (
    "Distributors brace for a tighter Q4 as hardware prices climb",
    "Why mid-market buyers now ask for EU data residency first",
    "Five lessons from failed warehouse software roll-outs",
    "Partner programmes: the rise of usage-based incentives",
    "Survey: most logistics firms plan to retire spreadsheets by 2028",
    "Interview: building a channel team from scratch",
    "EWS retirement: what partners should tell Exchange customers",
    "Cyber insurance premiums rise again for small IT firms",
    "How to price managed services in an inflationary year",
    "The quiet return of on-premise deployments in healthcare",
    "AI assistants in CRM: a hype check",
    "Supply chain software: the quarter's deals in review",
    "Event recap: Logistics Tech Summit, Birmingham",
    "Procurement portals: a survival guide for small vendors",
    "Reseller margins under pressure as vendors go direct",
    "What NIS2 means for your managed service contracts",
)
CYFROWA_FIRMA_HEADLINES = (
    "KSeF w praktyce: co muszą przygotować dostawcy oprogramowania",
    "Jak wycenić wdrożenie, żeby nie stracić marży",
    "Praca hybrydowa w IT: wyniki badania",
    "E-faktury a integracje z ERP – najczęstsze błędy",
    "NIS2 w praktyce: obowiązki firm usługowych",
    "Magazyny automatyczne rosną w Wielkopolsce",
    "Dotacje na cyfryzację MŚP – nowy nabór",
    "Jak rozmawiać z działem zakupów",
    "Rynek pracy IT: stawki w 2026 roku",
    "Chmura czy on-premise? Co wybierają szpitale",
    "Sprzedaż B2B w Niemczech – poradnik dla eksporterów",
    "Tydzień w skrócie: fuzje i przejęcia w branży IT",
    "Cyberbezpieczeństwo w łańcuchu dostaw",
    "Sztuczna inteligencja w obsłudze klienta: fakty i mity",
)


def write(room: Mailroom, rng: random.Random) -> None:
    for week in range(ISSUES):
        _it_channel(room, rng, week)
        _cyfrowa_firma(room, rng, week)


def _slug(headline: str) -> str:
    ascii_headline = headline.lower().encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_headline).strip("-")


def _list_headers(list_id: str, domain: str, subscriber: str) -> list[tuple[str, str]]:
    return [
        ("List-Id", list_id),
        (
            "List-Unsubscribe",
            f"<mailto:unsubscribe@{domain}?subject=unsubscribe>, "
            f"<https://www.{domain}/unsubscribe?u={subscriber}>",
        ),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "bulk"),
    ]


def _issue(
    room: Mailroom,
    sender: Person,
    zone: Zone,
    day: date,
    subject: str,
    title: str,
    stories: list[tuple[str, str]],
    footer: str,
    list_id: str,
    lang: str,
) -> None:
    text = "\n\n".join(
        [title, *(f"{number}. {headline}\n   {link}" for number, (headline, link) in
                  enumerate(stories, start=1)), footer]
    )  # fmt: skip
    items = "\n".join(
        f'<tr><td style="padding:12px 0;border-bottom:1px solid #ddd"><a href="{link}" '
        f'style="color:#0b5394;font-size:16px;text-decoration:none">{html.escape(headline)}</a>'
        "</td></tr>"
        for headline, link in stories
    )
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
        '<body style="margin:0;background:#f4f4f4">\n'
        '<table width="600" align="center" style="background:#fff;font-family:Arial,sans-serif">\n'
        f'<tr><td style="background:#0b5394;color:#fff;padding:16px;font-size:20px">'
        f"{html.escape(title)}</td></tr>\n{items}\n"
        f'<tr><td style="padding:16px;color:#777;font-size:11px">{html.escape(footer)}</td></tr>\n'
        "</table>\n</body></html>\n"
    )
    domain = sender.domain
    room.compose(
        sender, [ANNA], subject, zone.at(day, time(6, 30)), text,
        lang=lang, html_override=markup,
        headers=_list_headers(list_id, domain, f"{zlib.crc32(sender.email.encode()):08x}"),
    )  # fmt: skip


def _it_channel(room: Mailroom, rng: random.Random, week: int) -> None:
    day = date(2026, 9, 3) + timedelta(weeks=week)
    number = 214 + week
    headlines = rng.sample(IT_CHANNEL_HEADLINES, 3)
    stories = [
        (headline, f"https://www.itchannel-weekly.example/{day:%Y/%m/%d}/{_slug(headline)}")
        for headline in headlines
    ]
    _issue(
        room, IT_CHANNEL, BRITAIN, day, f"IT Channel Weekly #{number}: {headlines[0]}",
        f"IT Channel Weekly – issue #{number}, {day.day} {EN_MONTHS[day.month - 1]} {day.year}",
        stories,
        "You receive this newsletter because you subscribed at itchannel-weekly.example. "
        "Unsubscribe with one click from the link in the List-Unsubscribe header.",
        "IT Channel Weekly <weekly.itchannel-weekly.example>", "en",
    )  # fmt: skip


def _cyfrowa_firma(room: Mailroom, rng: random.Random, week: int) -> None:
    day = date(2026, 9, 1) + timedelta(weeks=week)
    number = 35 + week
    headlines = rng.sample(CYFROWA_FIRMA_HEADLINES, 3)
    stories = [
        (headline, f"https://www.cyfrowa-firma.example/artykul/{_slug(headline)}")
        for headline in headlines
    ]
    _issue(
        room, CYFROWA_FIRMA, POLAND, day, f"Cyfrowa Firma nr {number}/2026: {headlines[0]}",
        f"Cyfrowa Firma – newsletter nr {number}, {day.day} {PL_MONTHS_GENITIVE[day.month - 1]} "
        f"{day.year}",
        stories,
        "Otrzymujesz ten newsletter, ponieważ zapisałeś się na cyfrowa-firma.example. "
        "Wypisz się jednym kliknięciem lub odpowiadając słowem STOP.",
        "Cyfrowa Firma <newsletter.cyfrowa-firma.example>", "pl",
    )  # fmt: skip
