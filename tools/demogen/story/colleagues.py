"""Mail between Brightwave colleagues that the demo points at: they are CRM users, so their
messages are tracked only with the option 'messages from email-enabled CRM records'."""

from __future__ import annotations

from ..cast import ANNA, MAGDALENA_K, PIOTR
from ..mail import Scenario
from ..mailroom import Mailroom


def write(room: Mailroom) -> None:
    pipeline = room.compose(
        PIOTR, [ANNA], "Lejek Q4 – prośba o aktualizację do piątku", "09-07 08:20",
        "Aniu,\n\n"
        "w piątek robimy przegląd lejka na Q4. Uzupełnij proszę w CRM wartości i daty zamknięcia "
        "dla Acme, Hartmanna i Thames Retail.\n"
        "Przy Pennine oznacz realną szansę – zarząd pyta o prognozę.",
        scenario=Scenario(
            "option-email-enabled-sender",
            "From a colleague who is a CRM user: not a customer, so only the email-enabled "
            "option tracks it.",
        ),
    )  # fmt: skip
    room.reply(
        pipeline, ANNA, "09-07 09:05",
        "Piotrze,\n\n"
        "zrobię to do czwartku. Pennine oceniam na 40% – czekamy na decyzję zarządu klienta "
        "po pilocie.",
    )  # fmt: skip
    invoice = room.compose(
        MAGDALENA_K, [ANNA], "Hartmann – numer zamówienia do faktury", "11-05 10:40",
        "Aniu,\n\n"
        "potrzebuję numeru zamówienia (PO) od Hartmanna do faktury za umowę serwisową – bez "
        "niego ich system odrzuca faktury.\nMożesz go zdobyć od pani Roth?",
    )  # fmt: skip
    room.reply(
        invoice, ANNA, "11-05 11:02",
        "Magdo,\n\n"
        "pani Roth podała go wczoraj: 4500187734. Faktury kwartalne, pierwsza za I kwartał 2027.",
    )  # fmt: skip
