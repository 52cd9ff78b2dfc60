"""FindItem: paged views, calendar views (recurrences expanded), restrictions, sorting, AQS."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from ..aqs import compile_query
from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..model import Folder, Item, Mailbox
from ..restrictions import compile_restriction, sort_items
from ..shapes import ItemShape, parse_item_shape
from ..values import parse_datetime
from ..xmlkit import child, child_text
from .paging import page_attributes, parse_indexed_view
from .registry import each, operation


def _folder_items(mailbox: Mailbox, folder: Folder, traversal: str) -> list[Item]:
    if traversal == "SoftDeleted":
        dumpster = mailbox.distinguished["recoverableitemsdeletions"]
        return [i for i in dumpster.items.values() if i.soft_deleted_from == folder.uuid]
    if traversal == "Associated":
        return []
    return list(folder.items.values())


def _view_range(view: etree._Element) -> tuple[dt.datetime, dt.datetime, int | None]:
    try:
        start = parse_datetime(view.get("StartDate", ""))
        end = parse_datetime(view.get("EndDate", ""))
    except ValueError as error:
        raise schema_violation("The CalendarView dates are invalid.") from error
    try:
        max_entries = int(view.get("MaxEntriesReturned", "0") or "0") or None
    except ValueError as error:
        raise schema_violation("The 'MaxEntriesReturned' attribute is invalid.") from error
    if end < start:
        raise EwsError("ErrorCalendarEndDateIsEarlierThanStartDate")
    if end > _two_years_after(start):
        raise EwsError("ErrorCalendarViewRangeTooBig")
    return start, end, max_entries


def _two_years_after(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + 2)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 2, day=28)


def _overlaps(
    start: dt.datetime, end: dt.datetime, view_start: dt.datetime, view_end: dt.datetime
) -> bool:
    """What a calendar view shows: what ends after its start and starts before its end (an event
    without duration, when it is inside)."""
    if start == end:
        return view_start <= start < view_end
    return start < view_end and end > view_start


def _calendar_view(
    ctx: Context,
    mailbox: Mailbox,
    folder: Folder,
    view: etree._Element,
    shape: ItemShape,
) -> str:
    """Single items and the occurrences of series in the range, by start; a view holding more
    than MaxEntriesReturned answers the first ones and says the range goes on (there is no paging
    in a calendar view, the client narrows the range)."""
    view_start, view_end, max_entries = _view_range(view)
    calendar = ctx.services.calendar
    renderer = ctx.services.renderer
    entries: list[tuple[dt.datetime, Item, str | None]] = []
    for item in folder.items.values():
        if item.item_type != "CalendarItem" or "Start" not in item.props:
            continue
        if item.props.get("CalendarItemType") == "RecurringMaster":
            for occurrence in calendar.occurrences(item, until=view_end):
                if _overlaps(occurrence.start, occurrence.end, view_start, view_end):
                    entries.append(
                        (
                            occurrence.start,
                            calendar.view(item, occurrence),
                            calendar.identity(mailbox, item, occurrence),
                        )
                    )
        elif _overlaps(
            item.props["Start"], item.props.get("End", item.props["Start"]), view_start, view_end
        ):
            entries.append((item.props["Start"], item, None))
    entries.sort(key=lambda entry: entry[0])
    shown = entries[:max_entries] if max_entries is not None else entries
    last = "true" if len(shown) == len(entries) else "false"
    inner = "".join(renderer.item(mailbox, item, shape, identity) for _, item, identity in shown)
    attrs = f' TotalItemsInView="{len(entries)}" IncludesLastItemInRange="{last}"'
    return f"<m:RootFolder{attrs}><t:Items>{inner}</t:Items></m:RootFolder>"


@operation("FindItem")
def find_item(ctx: Context, request: etree._Element) -> str:
    traversal = enumerated(
        request, "Traversal", ("Shallow", "SoftDeleted", "Associated"), "Shallow"
    )
    calendar_view = child(request, "CalendarView")
    shape = parse_item_shape(child(request, "ItemShape")).for_find()
    view = parse_indexed_view(child(request, "IndexedPageItemView"))
    predicate = compile_restriction(child(request, "Restriction"))
    query = child_text(request, "QueryString")
    query_predicate = compile_query(query) if query else None
    sort_order = child(request, "SortOrder")

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        if calendar_view is not None:
            return _calendar_view(ctx, mailbox, folder, calendar_view, shape)
        found = _folder_items(mailbox, folder, traversal)
        if predicate is not None:
            found = [i for i in found if predicate(i)]
        if query_predicate is not None:
            found = [i for i in found if query_predicate(i)]
        ordered = sort_items(found, sort_order)
        page, attrs = page_attributes(ordered, view)
        renderer = ctx.services.renderer
        inner = "".join(renderer.item(mailbox, i, shape) for i in page)
        return f"<m:RootFolder{attrs}><t:Items>{inner}</t:Items></m:RootFolder>"

    return each("FindItem", ctx.folders_in(child(request, "ParentFolderIds")), one)
