"""Assembles the whole demo in memory; `output.py` writes it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .mail import Mail, TrackedMail
from .mailroom import Mailroom
from .routine import write_routine
from .story import write_story

SEED = 20260901


@dataclass(frozen=True)
class Demo:
    mails: tuple[Mail, ...]
    external_parents: tuple[Mail, ...]
    tracked: tuple[TrackedMail, ...]


def build_demo() -> Demo:
    """The story first, then the routine traffic; each draws from its own seeded generator."""
    room = Mailroom(random.Random(SEED))
    tracked = write_story(room)
    write_routine(room, random.Random(SEED + 1))
    return Demo(tuple(room.mails), tuple(room.ghosts), tuple(tracked))
