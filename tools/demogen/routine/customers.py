"""Fills the quarter with everyday customer threads drawn from `customer_texts` templates."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..attachments import csv_file, text_file
from ..cast import ANNA
from ..clients import DE_MONTHS, DE_WEEKDAYS, EN_MONTHS, EN_WEEKDAYS, PL_MONTHS_GENITIVE
from ..clock import YEAR, Zone, slot_after, slot_on, working_days
from ..crm import CONTACTS
from ..mail import Attachment, Mail
from ..mailroom import Mailroom
from ..people import Person
from .customer_texts import (
    AUDIENCES,
    COLLEAGUES,
    DE,
    EN,
    GREETINGS,
    HOURS,
    MODULES,
    PL,
    US,
    Template,
)

USES_PER_TEMPLATE = 2
PL_MONTHS = (
    "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
    "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
)  # fmt: skip
# "w poniedziałek", "we wtorek", "w środę"...: the weekday as it follows a preposition.
PL_ON_WEEKDAY = ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek")


def _contact(login: str) -> Person:
    return next(contact.person for contact in CONTACTS if contact.person.email.startswith(login))


def _day(spec: str) -> date:
    month, day = (int(piece) for piece in spec.split("-"))
    return date(YEAR, month, day)


def _dates(target: date, lang: str) -> dict[str, str]:
    weekday, month = target.weekday(), target.month - 1
    if lang == "pl":
        long = f"{PL_ON_WEEKDAY[weekday]} {target.day} {PL_MONTHS_GENITIVE[month]}"
        short = f"{target:%d.%m}"
    elif lang == "de":
        long = f"am {DE_WEEKDAYS[weekday]}, {target.day}. {DE_MONTHS[month]}"
        short = f"{target:%d.%m.}"
    else:
        long = f"{EN_WEEKDAYS[weekday]} {target.day} {EN_MONTHS[month]}"
        short = f"{target.day} {EN_MONTHS[month]}"
    return {"date_long": long, "date_short": short}


def _fill(rng: random.Random, template: Template, start: date, zone: Zone) -> dict[str, str]:
    lang = template.lang
    ahead = working_days(zone, start + timedelta(days=3), start + timedelta(days=12))
    previous_month = (start.month - 2) % 12
    month = {"pl": PL_MONTHS, "de": DE_MONTHS, "en": EN_MONTHS}[lang][previous_month]
    invoice = {
        "pl": f"FV/{YEAR}/{start.month:02d}/{rng.randint(100, 180)}",
        "de": f"RE-{YEAR}-{rng.randint(1000, 1999)}",
        "en": f"INV-{YEAR}-{rng.randint(2000, 2999)}",
    }[lang]
    return {
        **_dates(rng.choice(ahead[:4]), lang),
        "hour": rng.choice(HOURS),
        "invoice": invoice,
        "month": month,
        "minutes": str(rng.randint(14, 46)),
        "version": "5.4" if start < date(YEAR, 10, 15) else "5.5",
        "module": rng.choice(MODULES[lang]),
        "colleague": rng.choice(COLLEAGUES[lang]),
        "audience": rng.choice(AUDIENCES),
    }


def _attachment(kind: str, fill: dict[str, str], lang: str) -> Attachment:
    if kind == "sla":
        title = {"pl": "raport_SLA", "de": "SLA-Bericht", "en": "service_report"}[lang]
        return csv_file(f"{title}_{fill['month']}_{YEAR}.csv", (
            ("priorytet" if lang == "pl" else "priority", "tickets", "sla_met", "avg_minutes"),
            ("1", "2", "2", fill["minutes"]),
            ("2", "9", "9", "95"),
            ("3", "17", "16", "410"),
        ))  # fmt: skip
    return text_file(
        f"API_{fill['version']}_changelog.txt",
        f"Brightwave API {fill['version']} – changelog",
        "+ GET /orders/{id}/shipments",
        "+ webhook: stock.changed",
        "~ GET /stock: parameter 'warehouse' is now required",
        "- GET /legacy/export (removed, use /orders/export)",
    )


def _thread(rng: random.Random, room: Mailroom, template: Template, login: str) -> None:
    contact = _contact(login)
    to_them, to_anna = GREETINGS[login]
    first, last = (_day(spec) for spec in template.window)
    start = rng.choice(working_days(contact.zone, first, last))
    fill = _fill(rng, template, start, contact.zone)
    subject = template.subject.format(**fill)
    pending = template.attachment
    mail: Mail | None = None
    for speaker, text in template.turns:
        writer = ANNA if speaker == US else contact
        body = text.format(hello=to_them if speaker == US else to_anna, **fill)
        attachments: tuple[Attachment, ...] = ()
        if pending and speaker == US:
            attachments, pending = (_attachment(pending, fill, template.lang),), None
        if mail is None:
            recipient = contact if speaker == US else ANNA
            when = slot_on(rng, start, writer.zone)
            mail = room.compose(
                writer, [recipient], subject, when, body, lang=template.lang,
                attachments=attachments,
            )  # fmt: skip
        else:
            when = slot_after(rng, mail.sent_at, writer.zone)
            mail = room.reply(mail, writer, when, body, attachments=attachments)


def write(room: Mailroom, rng: random.Random) -> None:
    """Each template runs for up to two of its customers, never twice for the same one."""
    for template in (*PL, *DE, *EN):
        uses = min(USES_PER_TEMPLATE, len(template.contacts))
        for login in rng.sample(template.contacts, uses):
            _thread(rng, room, template, login)
