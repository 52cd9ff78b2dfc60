"""The quarter's everyday traffic around the story: customers, colleagues, the sales list,
newsletters and notifications."""

from __future__ import annotations

import random

from ..mailroom import Mailroom
from . import customers, internal, mailing_list, newsletters, notifications


def write_routine(room: Mailroom, rng: random.Random) -> None:
    customers.write(room, rng)
    internal.write(room, rng)
    mailing_list.write(room)
    newsletters.write(room, rng)
    notifications.write(room)
