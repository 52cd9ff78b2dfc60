"""Rows of a long ordered id list fetched a page at a time, with the last pages kept.

A list view asks for the rows it paints; at 100 000 items that must never mean loading them all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Row = TypeVar("Row")

PAGE_SIZE = 200
PAGES_KEPT = 40


class PagedRows(Generic[Row]):
    def __init__(
        self,
        ids: Sequence[int],
        fetch: Callable[[Sequence[int]], list[Row]],
        row_id: Callable[[Row], int],
    ) -> None:
        self.ids = ids
        self._fetch = fetch
        self._row_id = row_id
        self._pages: OrderedDict[int, dict[int, Row]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, position: int) -> Row | None:
        """The row at `position`; None if it vanished from the store since the listing."""
        if not 0 <= position < len(self.ids):
            return None
        page_number = position // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * PAGE_SIZE
            rows = self._fetch(self.ids[start : start + PAGE_SIZE])
            page = {self._row_id(row): row for row in rows}
            self._pages[page_number] = page
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self.ids[position])

    def position_of(self, item_id: int) -> int | None:
        try:
            return self.ids.index(item_id)
        except ValueError:
            return None

    def forget(self, position: int) -> None:
        """Drop the page holding `position`, so its rows are read again when next painted."""
        self._pages.pop(position // PAGE_SIZE, None)
