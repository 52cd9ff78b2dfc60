"""How often Python's cycle collector runs, set once for the process by the entry point.

CPython starts a young collection every 700 allocations that outnumber frees. A sync holds tens
of thousands of objects that live as long as it does (the tracking index, a page's rows, values
and decisions), and every collection that reaches the older generations walks them all to free
next to nothing: ~10 % of a first sync's CPU at 10 000 messages. Young collections every
YOUNG_EVERY allocations instead; garbage held in cycles waits a little longer for its pass.
"""

from __future__ import annotations

import gc

YOUNG_EVERY = 50_000


def tune() -> None:
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_EVERY, middle, old)
