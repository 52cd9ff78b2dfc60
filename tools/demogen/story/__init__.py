"""The hand-written threads of the demo: each module is one customer's (or group's) story."""

from __future__ import annotations

from ..mail import TrackedMail
from ..mailroom import Mailroom
from . import (
    acme,
    colleagues,
    greyfriars,
    hartmann,
    kessler,
    leads,
    medivita,
    nordlicht,
    orzel,
    pennine,
    prospects,
    thames,
    zielony_koszyk,
)


def write_story(room: Mailroom) -> list[TrackedMail]:
    """Writes every story thread into `room`; returns the messages tracked before the demo."""
    tracked: list[TrackedMail] = []
    for storyline in (acme, hartmann, thames, nordlicht, zielony_koszyk, pennine, orzel, medivita):
        tracked += storyline.write(room)
    tracked += leads.write(room)
    greyfriars.write(room)
    kessler.write(room)
    prospects.write(room)
    colleagues.write(room)
    return tracked
