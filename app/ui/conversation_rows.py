"""Which message each row of the conversation view shows, as Outlook lays a conversation out.

A conversation of one message is one row. A longer one is a heading row, which stands for its
newest message, and when expanded one row per message under it, oldest first. The listing keeps
a conversation's messages together in that order, so a conversation is a run of positions; the
layout never walks 100 000 rows: a row is found by bisection over the conversations, counting
the few expanded ones.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Slot:
    """What a row shows: the conversation, and the position in the listing of its message
    (a heading's is its newest message's)."""

    conversation: int
    position: int
    heading: bool  # the row of a conversation of several messages
    member: bool  # a message under an expanded heading


class ConversationRows:
    def __init__(self, sizes: Sequence[int]) -> None:
        self._sizes = sizes
        self._starts = array("q", accumulate(sizes, initial=0))
        self._expanded: list[int] = []  # conversations, ascending

    def __len__(self) -> int:
        return len(self._sizes) + sum(self._sizes[c] for c in self._expanded)

    def slot(self, row: int) -> Slot:
        conversation = bisect_right(range(len(self._sizes)), row, key=self.row_of) - 1
        heading_row = self.row_of(conversation)
        size = self._sizes[conversation]
        start = int(self._starts[conversation])
        if row == heading_row:
            return Slot(conversation, start + size - 1, size > 1, False)
        return Slot(conversation, start + row - heading_row - 1, False, True)

    def row_of(self, conversation: int) -> int:
        """The row of a conversation's heading (or of its only message)."""
        before = self._expanded[: bisect_left(self._expanded, conversation)]
        return conversation + sum(self._sizes[c] for c in before)

    def row_of_position(self, position: int) -> int:
        """The row showing the message at `position`: its own row when its conversation is
        expanded, else the conversation's."""
        conversation = self.conversation_of(position)
        row = self.row_of(conversation)
        if self.is_expanded(conversation):
            return row + 1 + position - int(self._starts[conversation])
        return row

    def conversation_of(self, position: int) -> int:
        return bisect_right(self._starts, position) - 1

    def positions(self, conversation: int) -> range:
        start = int(self._starts[conversation])
        return range(start, start + self._sizes[conversation])

    def size(self, conversation: int) -> int:
        return int(self._sizes[conversation])

    def is_expanded(self, conversation: int) -> bool:
        index = bisect_left(self._expanded, conversation)
        return index < len(self._expanded) and self._expanded[index] == conversation

    def expand(self, conversation: int) -> bool:
        """Show the conversation's messages; False when there is nothing to expand."""
        if self._sizes[conversation] < 2 or self.is_expanded(conversation):
            return False
        insort(self._expanded, conversation)
        return True

    def collapse(self, conversation: int) -> bool:
        if not self.is_expanded(conversation):
            return False
        self._expanded.remove(conversation)
        return True

    def expanded(self) -> list[int]:
        return list(self._expanded)
