"""Kessler Medizintechnik, an installed customer: the validation audit of the quality module."""

from __future__ import annotations

from ..cast import ANDREA, ANNA, KATARZYNA
from ..mailroom import Mailroom


def write(room: Mailroom) -> None:
    agenda = room.compose(
        ANDREA, [ANNA], "Validierungsaudit am 24. November – Agenda", "11-12 09:30",
        "Sehr geehrte Frau Nowak,\n\n"
        "anbei die Agenda für das Validierungsaudit des QM-Moduls am 24. November (ISO 13485):\n"
        "9:00 Einführung, 9:30 Prüfung der Änderungshistorie, 13:00 Stichproben, 15:00 "
        "Abschlussbesprechung.\n"
        "Bitte bestätigen Sie, dass Frau Wójcik vor Ort ist.",
        cc=[KATARZYNA],
    )  # fmt: skip
    room.reply(
        agenda, ANNA, "11-12 11:40",
        "Sehr geehrte Frau Vogel,\n\n"
        "vielen Dank. Frau Wójcik ist ab 8:30 bei Ihnen in München; ich schalte mich zur "
        "Abschlussbesprechung um 15:00 per Teams dazu.",
    )  # fmt: skip
