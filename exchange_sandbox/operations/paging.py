"""IndexedPageItemView / IndexedPageFolderView paging and the RootFolder paging attributes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from ..errors import schema_violation

T = TypeVar("T")


@dataclass(frozen=True)
class IndexedView:
    max_entries: int | None
    offset: int
    from_end: bool


def parse_indexed_view(elem: etree._Element | None) -> IndexedView:
    if elem is None:
        return IndexedView(None, 0, False)
    try:
        max_entries = (
            int(elem.get("MaxEntriesReturned")) if elem.get("MaxEntriesReturned") else None
        )
        offset = int(elem.get("Offset", "0"))
    except ValueError as error:
        raise schema_violation("The paging attributes are not valid integers.") from error
    base_point = elem.get("BasePoint", "Beginning")
    if (
        base_point not in ("Beginning", "End")
        or offset < 0
        or (max_entries is not None and max_entries < 1)
    ):
        raise schema_violation("The paging attributes are invalid.")
    return IndexedView(max_entries, offset, base_point == "End")


def page_attributes(results: Sequence[T], view: IndexedView) -> tuple[Sequence[T], str]:
    """The page to return and the RootFolder attributes describing it."""
    total = len(results)
    if view.from_end:
        stop = max(0, total - view.offset)
        start = stop - view.max_entries if view.max_entries is not None else 0
        page = results[max(0, start) : stop]
        next_offset = view.offset + len(page)
    else:
        stop = total if view.max_entries is None else view.offset + view.max_entries
        page = results[view.offset : stop]
        next_offset = view.offset + len(page)
    last = "true" if next_offset >= total else "false"
    return page, (
        f' IndexedPagingOffset="{next_offset}" TotalItemsInView="{total}"'
        f' IncludesLastItemInRange="{last}"'
    )
