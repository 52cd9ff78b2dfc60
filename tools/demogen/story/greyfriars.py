"""Greyfriars Insurance: Piotr passed Anna a new opportunity; she sets up the first call."""

from __future__ import annotations

from ..cast import ANNA, DUNCAN, PIOTR
from ..mailroom import Mailroom


def write(room: Mailroom) -> None:
    intro = room.compose(
        ANNA, [DUNCAN], "Document workflow for claims – introduction", "10-12 10:45",
        "Hi Duncan,\n\n"
        "Piotr Zieliński told me about your plans for a document workflow in the claims "
        "department – I'll be your contact at Brightwave from now on.\n"
        "Would a video call next week suit you? I could show how two insurers run their claims "
        "correspondence on our platform.",
        cc=[PIOTR],
    )  # fmt: skip
    slots = room.reply(
        intro, DUNCAN, "10-13 08:55",
        "Hi Anna,\n\n"
        "thanks for getting in touch. Next week is fine – Wednesday or Thursday afternoon would "
        "be best. Please include someone who can talk about data retention rules.",
    )  # fmt: skip
    confirmation = room.reply(
        slots, ANNA, "10-13 10:30",
        "Hi Duncan,\n\n"
        "Thursday 22 October at 14:00 UK time it is. Katarzyna Wójcik will join to cover data "
        "retention and audit trails; the invitation follows.",
    )  # fmt: skip
    room.reply(
        confirmation, DUNCAN, "10-13 11:05", "Perfect, see you on the 22nd.",
    )  # fmt: skip
