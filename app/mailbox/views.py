"""Read-only views of the mailbox cache for the window: folders, a sorted listing, rows, details.

A folder can hold 100 000 messages, so the list never loads them: a listing is the ordered item
ids alone (one indexed query, a few hundred kilobytes), and rows are fetched by id one page at a
time as they scroll into view. Sorting on another column costs one query, never a re-fetch of
every row. A listing covers one folder or, for a search, every mail folder; in the conversation
view its ids come grouped by conversation, the conversation with the newest message first.
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from app.mailbox.attachments import AttachmentInfo, listed
from app.mailbox.cache import addresses_of, flag_status
from app.mailbox.models import (
    ActivityLink,
    MailFolder,
    MailItem,
    OutboxEntry,
    SyncAccountState,
)
from app.mailbox.recurrence import Span, moment, occurrences, series_zone
from app.mailbox.remote import FlagStatus, FolderContent
from app.tracking.model import Address


class FolderKind(enum.StrEnum):
    MAIL = "mail"
    CALENDAR = "calendar"
    TASKS = "tasks"
    OTHER = "other"


_KIND_BY_CONTENT = {
    FolderContent.MAIL: FolderKind.MAIL,
    FolderContent.CALENDAR: FolderKind.CALENDAR,
    FolderContent.TASKS: FolderKind.TASKS,
}
# Outlook's order, so the tree reads the way every mail user expects.
_WELL_KNOWN_ORDER = ("inbox", "drafts", "sentitems", "outbox", "deleteditems", "junkemail")
# Folders of mail the user writes: their lists show whom it went to, not who sent it.
OUTGOING_FOLDERS = frozenset({"sentitems", "drafts", "outbox"})


@dataclass(frozen=True, slots=True)
class FolderSummary:
    id: int
    name: str
    distinguished: str | None
    kind: FolderKind
    parent_id: int | None
    unread: int
    total: int
    mapped_record_type: str | None
    mapped_record_id: int | None
    mapped_record_name: str | None = None  # filled by the service that reads the CRM


class SortKey(enum.StrEnum):
    RECEIVED = "received"
    SENDER = "sender"
    SUBJECT = "subject"
    TRACKED = "tracked"
    REGARDING = "regarding"


@dataclass(frozen=True, slots=True)
class ListingQuery:
    """Which ids a list shows, in which order. `folder_id` None: every mail folder (a search
    across the mailbox). `conversations`: grouped by conversation, newest conversation first,
    each conversation's messages oldest first (`sort` then orders nothing)."""

    folder_id: int | None
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True
    search: str = ""
    unread_only: bool = False
    flagged_only: bool = False
    conversations: bool = False


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    sender_name: str
    sender_email: str
    subject: str
    received_at: datetime | None
    is_read: bool
    has_attachments: bool
    importance: str
    tracking_state: str
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None
    folder_id: int = 0
    recipients: tuple[Address, ...] = ()  # To, then Cc
    outgoing: bool = False  # in Sent Items, Drafts or the Outbox
    flag: FlagStatus = FlagStatus.NONE
    conversation_id: str | None = None
    is_draft: bool = False
    folder_name: str = ""  # as the server names it (the window words well-known ones)
    folder_distinguished: str | None = None

    @property
    def sender(self) -> str:
        return self.sender_name or self.sender_email

    @property
    def correspondent(self) -> str:
        """Who the row is about, as Outlook's list shows it: the recipients of mail the user
        wrote (Sent Items, Drafts, Outbox), the sender of anything else."""
        if self.outgoing:
            return "; ".join(a.name or a.email for a in self.recipients)
        return self.sender


@dataclass(frozen=True, slots=True)
class MessageDetails:
    id: int
    folder_id: int
    item_class: str
    internet_message_id: str | None
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    received_at: datetime | None
    sent_at: datetime | None
    is_draft: bool
    sensitivity: str
    importance: str
    categories: tuple[str, ...]
    body_text: str | None
    body_html: str | None
    body_fetched: bool
    attachments: tuple[AttachmentInfo, ...]
    tracking_state: str
    tracking_rule: str | None
    activity_id: int | None
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None
    details: dict[str, Any]
    bcc: tuple[Address, ...] = ()
    is_read: bool = False
    flag: FlagStatus = FlagStatus.NONE
    has_attachments: bool = False
    attachments_known: bool = True  # False until sync has read what the message attaches
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    conversation_id: str | None = None
    folder: str | None = None  # the folder's distinguished name (inbox, sentitems, ...)


def folder_kind(content: str) -> FolderKind:
    """Mail, calendar, tasks; OTHER for contacts, notes, journal and the rest."""
    return _KIND_BY_CONTENT.get(FolderContent(content), FolderKind.OTHER)


def list_folders(session: Session, account: str | None) -> list[FolderSummary]:
    """The account's folders, parents resolved to local ids, well-known folders first."""
    statement = select(MailFolder)
    if account:
        statement = statement.where(MailFolder.account == account)
    folders = list(session.scalars(statement))
    local_id_by_remote = {folder.remote_id: folder.id for folder in folders}

    def order(folder: MailFolder) -> tuple[int, str]:
        well_known = folder.distinguished or ""
        rank = (
            _WELL_KNOWN_ORDER.index(well_known)
            if well_known in _WELL_KNOWN_ORDER
            else len(_WELL_KNOWN_ORDER)
        )
        return rank, folder.display_name.casefold()

    return [
        FolderSummary(
            id=folder.id,
            name=folder.display_name,
            distinguished=folder.distinguished,
            kind=folder_kind(folder.content),
            parent_id=local_id_by_remote.get(folder.parent_remote_id or ""),
            unread=folder.unread_count,
            total=folder.total_count,
            mapped_record_type=folder.mapped_record_type,
            mapped_record_id=folder.mapped_record_id,
        )
        for folder in sorted(folders, key=order)
    ]


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_condition(text: str) -> ColumnElement[bool] | None:
    """Every word must appear in the subject, the sender's name or address, or a recipient's."""
    words = text.split()
    if not words:
        return None
    clauses = []
    for word in words:
        pattern = _like_pattern(word)
        clauses.append(
            or_(
                MailItem.subject.ilike(pattern, escape="\\"),
                MailItem.sender_name.ilike(pattern, escape="\\"),
                MailItem.sender_email.ilike(pattern, escape="\\"),
                cast(MailItem.to_recipients, String).ilike(pattern, escape="\\"),
                cast(MailItem.cc_recipients, String).ilike(pattern, escape="\\"),
            )
        )
    return and_(*clauses)


def _sort_columns(sort: SortKey, descending: bool) -> list[Any]:
    primary: ColumnElement[Any]
    if sort is SortKey.SENDER:
        primary = func.lower(func.coalesce(MailItem.sender_name, MailItem.sender_email, ""))
    elif sort is SortKey.SUBJECT:
        primary = func.lower(MailItem.subject)
    elif sort is SortKey.TRACKED:
        primary = MailItem.tracking_state
    elif sort is SortKey.REGARDING:
        primary = func.lower(func.coalesce(MailItem.regarding_name, ""))
    else:
        primary = MailItem.received_at
    # The id breaks ties, so a listing is stable across refreshes.
    if descending:
        return [primary.desc(), MailItem.id.desc()]
    return [primary.asc(), MailItem.id.asc()]


def listing_ids(session: Session, query: ListingQuery, account: str | None = None) -> array[int]:
    """The ids of the listing's items in display order, and nothing else."""
    if query.conversations:
        statement = _by_conversation(query, account)
    else:
        statement = _listed(query, account).order_by(*_sort_columns(query.sort, query.descending))
    return array("q", session.scalars(statement))


def _listed(query: ListingQuery, account: str | None) -> Any:
    """The ids the query's folder, search and filters let through, in no order."""
    if query.folder_id is not None:
        statement = select(MailItem.id).where(MailItem.folder_id == query.folder_id)
    else:
        mail = select(MailFolder.id).where(MailFolder.content == FolderContent.MAIL.value)
        if account:
            mail = mail.where(MailFolder.account == account)
        statement = select(MailItem.id).where(MailItem.folder_id.in_(mail))
    condition = _search_condition(query.search)
    if condition is not None:
        statement = statement.where(condition)
    if query.unread_only:
        statement = statement.where(MailItem.is_read.is_(False))
    if query.flagged_only:
        statement = statement.where(MailItem.flag_status == FlagStatus.FLAGGED.value)
    return statement


@dataclass(frozen=True, slots=True)
class ConversationListing:
    """A listing grouped by conversation: `ids` as `listing_ids` orders them, and per
    conversation in that order how many of the ids are its, how many of those are unread and
    whether one is tracked (1) or not (0), so a conversation's row shows its state unread."""

    ids: array[int]
    sizes: array[int]
    unread: array[int]
    tracked: array[int]


# Tracked, or tracked and waiting for its mark on the server.
TRACKED_STATES = ("tracked", "pending")


def conversation_listing(
    session: Session, query: ListingQuery, account: str | None = None
) -> ConversationListing:
    """The listed ids grouped by conversation, with what each conversation's row shows. One
    query, so the groups always add up to the ids even while sync writes."""
    statement = _by_conversation(
        query,
        account,
        MailItem.is_read,
        MailItem.tracking_state.in_(TRACKED_STATES),
    )
    listing = ConversationListing(array("q"), array("q"), array("q"), array("q"))
    last: str | None = None
    for item_id, key, is_read, tracked in session.execute(statement):
        listing.ids.append(item_id)
        if key != last:
            last = key
            listing.sizes.append(0)
            listing.unread.append(0)
            listing.tracked.append(0)
        listing.sizes[-1] += 1
        listing.unread[-1] += not is_read
        listing.tracked[-1] |= bool(tracked)
    return listing


def _by_conversation(query: ListingQuery, account: str | None, *columns: Any) -> Any:
    """The listed ids grouped by conversation (a message without one is a conversation of its
    own): the conversation with the newest message first, its messages oldest first. With
    `columns`, each row also has its conversation and those columns (read for the heading
    rows of the window, at a cost `listing_ids` does not pay)."""
    wanted = _listed(query, account).subquery()
    conversation = func.coalesce(MailItem.conversation_id, cast(MailItem.id, String))
    newest = func.max(MailItem.received_at).over(partition_by=conversation)
    extra = [column.label(f"c{number}") for number, column in enumerate(columns)]
    ranked = (
        select(
            MailItem.id.label("id"),
            conversation.label("conversation"),
            newest.label("newest"),
            MailItem.received_at.label("received_at"),
            *extra,
        )
        .where(MailItem.id.in_(select(wanted.c.id)))
        .subquery()
    )
    shown = [ranked.c.id]
    if columns:
        shown += [ranked.c.conversation, *(ranked.c[f"c{n}"] for n in range(len(columns)))]
    return select(*shown).order_by(
        ranked.c.newest.desc(), ranked.c.conversation, ranked.c.received_at, ranked.c.id
    )


def conversation_ids(session: Session, item_id: int) -> list[int]:
    """Every cached message of an item's conversation, in any folder, oldest first."""
    item = session.get(MailItem, item_id)
    if item is None:
        return []
    if not item.conversation_id:
        return [item.id]
    return list(
        session.scalars(
            select(MailItem.id)
            .where(
                MailItem.account == item.account,
                MailItem.conversation_id == item.conversation_id,
            )
            .order_by(MailItem.received_at, MailItem.id)
        )
    )


def unread_counts(session: Session, account: str | None) -> dict[int, int]:
    """Unread messages per folder id, from the cache as it is now (local changes included)."""
    statement = (
        select(MailItem.folder_id, func.count())
        .where(MailItem.is_read.is_(False))
        .group_by(MailItem.folder_id)
    )
    if account:
        statement = statement.where(MailItem.account == account)
    return {folder_id: count for folder_id, count in session.execute(statement)}


_ROW_COLUMNS = (
    MailItem.id,
    MailItem.sender_name,
    MailItem.sender_email,
    MailItem.subject,
    MailItem.received_at,
    MailItem.is_read,
    MailItem.has_attachments,
    MailItem.importance,
    MailItem.tracking_state,
    MailItem.regarding_type,
    MailItem.regarding_id,
    MailItem.regarding_name,
    MailItem.folder_id,
    MailItem.to_recipients,
    MailItem.cc_recipients,
    MailItem.flag_status,
    MailItem.conversation_id,
    MailItem.is_draft,
    MailFolder.distinguished,
    MailFolder.display_name,
)


def message_rows(session: Session, ids: Sequence[int]) -> list[MessageRow]:
    """The rows for `ids`, in the order given; ids deleted meanwhile are left out."""
    if not ids:
        return []
    found = {
        row.id: MessageRow(
            id=row.id,
            sender_name=row.sender_name or "",
            sender_email=row.sender_email or "",
            subject=row.subject or "",
            received_at=row.received_at,
            is_read=bool(row.is_read),
            has_attachments=bool(row.has_attachments),
            importance=row.importance or "Normal",
            tracking_state=row.tracking_state or "none",
            regarding_type=row.regarding_type,
            regarding_id=row.regarding_id,
            regarding_name=row.regarding_name,
            folder_id=row.folder_id,
            recipients=addresses_of([*(row.to_recipients or ()), *(row.cc_recipients or ())]),
            outgoing=row.distinguished in OUTGOING_FOLDERS,
            flag=flag_status(row.flag_status),
            conversation_id=row.conversation_id,
            is_draft=bool(row.is_draft),
            folder_name=row.display_name,
            folder_distinguished=row.distinguished,
        )
        for row in session.execute(
            select(*_ROW_COLUMNS)
            .join(MailFolder, MailItem.folder_id == MailFolder.id)
            .where(MailItem.id.in_(list(ids)))
        )
    }
    return [found[item_id] for item_id in ids if item_id in found]


def message_details(session: Session, item_id: int) -> MessageDetails | None:
    item = session.get(MailItem, item_id)
    if item is None:
        return None
    folder = session.get(MailFolder, item.folder_id)
    sender = (
        Address(email=item.sender_email, name=item.sender_name or "") if item.sender_email else None
    )
    return MessageDetails(
        id=item.id,
        folder_id=item.folder_id,
        item_class=item.item_class,
        internet_message_id=item.internet_message_id,
        subject=item.subject or "",
        sender=sender,
        to=addresses_of(item.to_recipients),
        cc=addresses_of(item.cc_recipients),
        received_at=item.received_at,
        sent_at=item.sent_at,
        is_draft=item.is_draft,
        sensitivity=item.sensitivity,
        importance=item.importance,
        categories=tuple(item.categories or ()),
        body_text=item.body_text,
        body_html=item.body_html,
        body_fetched=item.body_fetched,
        attachments=listed(item.attachments),
        tracking_state=item.tracking_state,
        tracking_rule=item.tracking_rule,
        activity_id=item.activity_id,
        regarding_type=item.regarding_type,
        regarding_id=item.regarding_id,
        regarding_name=item.regarding_name,
        details=dict(item.details or {}),
        bcc=addresses_of(item.bcc_recipients),
        is_read=item.is_read,
        flag=flag_status(item.flag_status),
        has_attachments=item.has_attachments,
        attachments_known=item.attachments_fetched,
        in_reply_to=item.in_reply_to,
        references=tuple((item.references or "").split()),
        conversation_id=item.conversation_id,
        folder=folder.distinguished if folder is not None else None,
    )


# What the status bar says


@dataclass(frozen=True, slots=True)
class SyncFacts:
    last_sync: datetime | None
    last_error: str | None
    pending_changes: int
    failed_changes: int


def sync_facts(session: Session, account: str | None) -> SyncFacts:
    # Notes for sync's own work ("correlate", app.sync.outbox) are no change for the server.
    outbox = (
        select(OutboxEntry.state, func.count())
        .where(OutboxEntry.kind != "correlate")
        .group_by(OutboxEntry.state)
    )
    if account:
        outbox = outbox.where(OutboxEntry.account == account)
    counts = {state: count for state, count in session.execute(outbox)}
    state = session.get(SyncAccountState, account) if account else None
    return SyncFacts(
        last_sync=state.last_success_at if state is not None else None,
        last_error=state.last_error if state is not None else None,
        pending_changes=counts.get("pending", 0),
        failed_changes=counts.get("failed", 0),
    )


# Calendar and tasks (a few hundred items, not a mail folder's 100 000: read whole, filtered here)

_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ScheduledItem:
    """One appointment, or one occurrence of a recurring one, in UTC. `item_id` is the cached
    Exchange item (None for a CRM appointment not on Exchange yet), `activity_id` the CRM
    appointment it is linked to (None while untracked). An occurrence has `original_start`,
    the start the series gives it, which names it (for changing or deleting it alone)."""

    item_id: int | None
    activity_id: int | None
    subject: str
    start: datetime
    end: datetime
    all_day: bool
    location: str
    recurring: bool
    tracking_state: str
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None
    original_start: datetime | None = None
    show_as: str = "Busy"


@dataclass(frozen=True, slots=True)
class TaskItem:
    item_id: int | None
    activity_id: int | None
    subject: str
    start: datetime | None
    due: datetime | None
    status: str
    percent_complete: int
    priority: str
    tracking_state: str
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None


def linked_activities(session: Session, account: str | None) -> dict[str, int]:
    """Exchange item id -> the CRM activity it is linked to (appointments and tasks)."""
    statement = select(ActivityLink.remote_id, ActivityLink.activity_id).where(
        ActivityLink.remote_id.is_not(None), ActivityLink.unlinked_at.is_(None)
    )
    if account:
        statement = statement.where(ActivityLink.account == account)
    return {row.remote_id: row.activity_id for row in session.execute(statement)}


def _items_of_kind(session: Session, account: str | None, kind: FolderKind) -> list[MailItem]:
    folders = [folder.id for folder in list_folders(session, account) if folder.kind is kind]
    if not folders:
        return []
    return list(session.scalars(select(MailItem).where(MailItem.folder_id.in_(folders))))


def calendar_items(
    session: Session,
    account: str | None,
    start: datetime,
    end: datetime,
    links: Mapping[str, int],
    zone: tzinfo | None = None,
    pending: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[ScheduledItem]:
    """Appointments overlapping [start, end), recurring ones expanded (see `spans`), ordered
    by start; `links` is what `linked_activities` read, `pending` changes made in Liaison to
    untracked items that wait for the next sync (Exchange item id -> fields), shown already."""
    found: list[ScheduledItem] = []
    for item in _items_of_kind(session, account, FolderKind.CALENDAR):
        details = {**(item.details or {}), **(pending or {}).get(item.remote_id, {})}
        subject = str(details.get("subject") or item.subject or "")
        for span in spans(details, start, end, zone):
            found.append(
                ScheduledItem(
                    item_id=item.id,
                    activity_id=links.get(item.remote_id),
                    subject=span.subject or subject,
                    start=span.start,
                    end=span.end,
                    all_day=bool(details.get("is_all_day")),
                    location=span.location or str(details.get("location") or ""),
                    recurring=isinstance(details.get("recurrence"), dict),
                    tracking_state=item.tracking_state,
                    regarding_type=item.regarding_type,
                    regarding_id=item.regarding_id,
                    regarding_name=item.regarding_name,
                    original_start=span.original_start
                    if isinstance(details.get("recurrence"), dict)
                    else None,
                    show_as=str(details.get("show_as") or "Busy"),
                )
            )
    found.sort(key=lambda scheduled: (scheduled.start, scheduled.item_id or 0))
    return found


def spans(
    values: Mapping[str, Any], start: datetime, end: datetime, zone: tzinfo | None = None
) -> list[Span]:
    """The times an appointment (its flat values: start, end, is_all_day, time_zone,
    recurrence) takes in [start, end). A series is expanded in its own time zone; one cached
    before Liaison kept zones in `zone` (this computer's by default); an all-day one by days."""
    first_start, first_end = moment(values.get("start")), moment(values.get("end"))
    if first_start is None:
        return []
    first_end = first_end or first_start
    recurrence = values.get("recurrence")
    if isinstance(recurrence, dict):
        if values.get("is_all_day"):
            series_in = UTC
        elif "time_zone" in values:
            series_in = series_zone(values["time_zone"], zone)
        else:
            series_in = zone
        found = occurrences(recurrence, first_start, first_end, end, series_in)
    else:
        found = [Span(first_start, first_end, "", "", first_start)]
    return [
        span for span in found if span.start < end and (span.end > start or span.start >= start)
    ]


def task_items(
    session: Session,
    account: str | None,
    links: Mapping[str, int],
    pending: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[TaskItem]:
    """The cached tasks; `links` is what `linked_activities` read, `pending` changes waiting
    for the next sync as in `calendar_items`."""
    tasks = []
    for item in _items_of_kind(session, account, FolderKind.TASKS):
        details = {**(item.details or {}), **(pending or {}).get(item.remote_id, {})}
        percent = details.get("percent_complete")
        tasks.append(
            TaskItem(
                item_id=item.id,
                activity_id=links.get(item.remote_id),
                subject=str(details.get("subject") or item.subject or ""),
                start=moment(details.get("start")),
                due=moment(details.get("due")),
                status=str(details.get("status") or "NotStarted"),
                percent_complete=int(percent) if isinstance(percent, int | float) else 0,
                priority=str(details.get("priority") or "Normal"),
                tracking_state=item.tracking_state,
                regarding_type=item.regarding_type,
                regarding_id=item.regarding_id,
                regarding_name=item.regarding_name,
            )
        )
    return tasks


def is_overdue(task: TaskItem, today: date) -> bool:
    """Open and due before today (a due date is a day, kept as midnight UTC)."""
    return (
        task.status != "Completed"
        and task.due is not None
        and task.due.astimezone(UTC).date() < today
    )


def task_order(task: TaskItem) -> tuple[bool, datetime, str]:
    """Open tasks first, soonest due first, undated last; then the completed ones."""
    return (task.status == "Completed", task.due or _FAR_FUTURE, task.subject.casefold())
