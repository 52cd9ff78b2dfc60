"""The local mailbox cache: folders and items as last synced, written by sync only.

Items are matched by ItemId; a message seen under a new ItemId (a move or a copy) inherits the
tracking state of a cached item with the same Internet Message-ID, or of the message's memory
(EvaluatedMessage), so a move never loses what the pipeline decided. A delete removes the cached
item only: its activity lives in the CRM and its memory stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db.bulk import execute_many
from app.db.value_lists import one_of
from app.mailbox.attachments import stored
from app.mailbox.models import (
    Correspondent,
    EvaluatedMessage,
    MailFolder,
    MailItem,
    SyncAccountState,
)
from app.mailbox.remote import (
    Body,
    FlagStatus,
    FolderContent,
    ItemKind,
    LinkState,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
)
from app.tracking.folding import fold
from app.tracking.model import Address


@dataclass(frozen=True, slots=True)
class TrackingState:
    """What tracking decided for one item, as the cache keeps it."""

    tracking_state: str  # none | pending | tracked | failed
    activity_id: int | None = None
    regarding_type: str | None = None
    regarding_id: int | None = None
    regarding_name: str | None = None
    rule: str | None = None

    @classmethod
    def of(cls, item: MailItem) -> TrackingState:
        return cls(
            item.tracking_state,
            item.activity_id,
            item.regarding_type,
            item.regarding_id,
            item.regarding_name,
            item.tracking_rule,
        )

    def values(self) -> dict[str, Any]:
        return {
            "tracking_state": self.tracking_state,
            "activity_id": self.activity_id,
            "regarding_type": self.regarding_type,
            "regarding_id": self.regarding_id,
            "regarding_name": self.regarding_name,
            "tracking_rule": self.rule,
        }

    def apply(self, item: MailItem) -> None:
        for name, value in self.values().items():
            setattr(item, name, value)


# Folders


def account_state(session: Session, account: str) -> SyncAccountState:
    state = session.get(SyncAccountState, account)
    if state is None:
        state = SyncAccountState(account=account)
        session.add(state)
        session.flush()
    return state


# Every sync that ends well says so: one statement, built once (the row exists after the first).
_SUCCEEDED = (
    update(SyncAccountState)
    .where(SyncAccountState.account == bindparam("account_key"))
    .values(last_success_at=bindparam("moment"), last_error=None)
)


def record_success(session: Session, account: str, moment: datetime) -> None:
    """The account's last sync ended well at `moment`: no error to show."""
    changed = session.connection().execute(_SUCCEEDED, {"account_key": account, "moment": moment})
    if changed.rowcount == 0:
        state = account_state(session, account)
        state.last_success_at, state.last_error = moment, None


def folders(session: Session, account: str) -> list[MailFolder]:
    return list(
        session.scalars(
            select(MailFolder).where(MailFolder.account == account).order_by(MailFolder.id)
        )
    )


def distinguished_folder(session: Session, account: str, name: str) -> MailFolder | None:
    return session.scalars(
        select(MailFolder).where(MailFolder.account == account, MailFolder.distinguished == name)
    ).first()


def distinguished_names(session: Session, account: str) -> set[str]:
    """The well-known folders (inbox, sentitems, …) the cache knows for the account."""
    return set(
        session.scalars(
            select(MailFolder.distinguished).where(
                MailFolder.account == account, MailFolder.distinguished.is_not(None)
            )
        )
    )


def upsert_folders(
    session: Session, account: str, found: Iterable[tuple[RemoteFolder, str | None]]
) -> None:
    """Cache these folders as the server describes them, each with its well-known name (None:
    keep the one it has). One question finds those already cached."""
    found = list(found)
    listed = (remote.id for remote, _ in found)
    known = {
        folder.remote_id: folder
        for folder in session.scalars(
            select(MailFolder).where(
                MailFolder.account == account, one_of(MailFolder.remote_id, listed)
            )
        )
    }
    for remote, distinguished in found:
        folder = known.get(remote.id)
        if folder is None:
            folder = MailFolder(account=account, remote_id=remote.id, unread_count=0, total_count=0)
            session.add(folder)
            known[remote.id] = folder
        folder.change_key = remote.change_key
        folder.parent_remote_id = remote.parent_id
        folder.display_name = remote.name or folder.display_name or ""
        folder.content = remote.content.value
        folder.total_count = remote.total_count
        folder.unread_count = remote.unread_count
        if distinguished is not None:
            folder.distinguished = distinguished
    session.flush()


def remove_folders(session: Session, account: str, remote_ids: Sequence[str]) -> None:
    if not remote_ids:
        return
    doomed = select(MailFolder.id).where(
        MailFolder.account == account, MailFolder.remote_id.in_(list(remote_ids))
    )
    session.execute(delete(MailItem).where(MailItem.folder_id.in_(doomed)))
    session.execute(
        delete(MailFolder).where(
            MailFolder.account == account, MailFolder.remote_id.in_(list(remote_ids))
        )
    )


def is_mail_folder(folder: MailFolder) -> bool:
    return folder.content == FolderContent.MAIL


def kind_of(distinguished: str | None, content: str) -> ItemKind | None:
    """What a folder holds for sync; None for folders sync leaves alone (contacts, notes, …)."""
    if distinguished == "calendar":
        return ItemKind.APPOINTMENT
    if distinguished == "tasks":
        return ItemKind.TASK
    if content == FolderContent.MAIL:
        return ItemKind.MESSAGE
    return None


def refresh_folder_counts(session: Session, folder: MailFolder) -> None:
    """Counts from the cache itself, so the list and the tree always agree."""
    folder.total_count = folder_total(session, folder.id)
    folder.unread_count = int(session.scalar(FOLDER_UNREAD, {"folder_id": folder.id}) or 0)


def folder_total(session: Session, folder_id: int) -> int:
    return int(session.scalar(FOLDER_TOTAL, {"folder_id": folder_id}) or 0)


# Every page a sync writes counts its folder: built once.
FOLDER_TOTAL = (
    select(func.count()).select_from(MailItem).where(MailItem.folder_id == bindparam("folder_id"))
)
# Counted in ix_mail_items_unread alone, without reading a row: its WHERE is implied.
FOLDER_UNREAD = FOLDER_TOTAL.where(MailItem.is_read.is_(False))


# Items


def items_by_remote_id(
    session: Session, account: str, remote_ids: Iterable[str]
) -> dict[str, MailItem]:
    return {
        item.remote_id: item
        for item in session.scalars(
            select(MailItem).where(
                MailItem.account == account, one_of(MailItem.remote_id, remote_ids)
            )
        )
    }


def held_as_they_are(
    session: Session, account: str, remote_ids: Iterable[str]
) -> dict[str, tuple[Any, ...]]:
    """What the cache holds of these messages that a write by this client or another can change
    (`as_held` of a remote item says the same of it), for those whose body is cached too (one
    that is not is fetched when the item is read again)."""
    query = select(
        MailItem.remote_id,
        MailItem.change_key,
        MailItem.folder_id,
        MailItem.is_read,
        MailItem.flag_status,
        MailItem.categories,
        MailItem.remote_mark,
    ).where(
        MailItem.account == account,
        one_of(MailItem.remote_id, remote_ids),
        MailItem.body_fetched.is_(True),
    )
    return {row[0]: (*row[1:5], list(row[5] or ()), row[6]) for row in session.execute(query)}


def as_held(folder_id: int, remote: RemoteItem) -> tuple[Any, ...]:
    """`held_as_they_are`'s values, for an item the server gives in this folder."""
    return (
        remote.change_key,
        folder_id,
        remote.is_read,
        remote.flag.value,
        list(remote.categories),
        mark_json(remote.mark),
    )


def items_by_message_id(
    session: Session, account: str, message_ids: Iterable[str]
) -> dict[str, list[MailItem]]:
    found: dict[str, list[MailItem]] = {}
    wanted = {message_id for message_id in message_ids if message_id}
    if wanted:
        for item in session.scalars(copies_of(account, wanted)):
            found.setdefault(item.internet_message_id or "", []).append(item)
    return found


def copies_of(account: str, message_ids: Iterable[str]) -> Select[Any]:
    """The cached copies of these messages, oldest first; every page of a pull asks, so the
    index ix_mail_items_account_message_id answers."""
    return (
        select(MailItem)
        .where(MailItem.account == account, one_of(MailItem.internet_message_id, message_ids))
        .order_by(MailItem.id)
    )


def memories(
    session: Session, account: str, message_ids: Iterable[str]
) -> dict[str, EvaluatedMessage]:
    wanted = {message_id for message_id in message_ids if message_id}
    if not wanted:
        return {}
    return {
        memory.message_id: memory
        for memory in session.scalars(
            select(EvaluatedMessage).where(
                EvaluatedMessage.account == account, one_of(EvaluatedMessage.message_id, wanted)
            )
        )
    }


def remember(
    session: Session,
    account: str,
    message_id: str | None,
    activity_id: int | None,
    known: dict[str, EvaluatedMessage],
    known_is_complete: bool = False,
) -> None:
    """Remember that the pipeline has seen this message; `known` holds memories already read
    (all of them for these messages when `known_is_complete`)."""
    if not message_id:
        return
    memory = known.get(message_id)
    if memory is None and not known_is_complete:
        memory = memories(session, account, [message_id]).get(message_id)
    if memory is None:
        memory = EvaluatedMessage(account=account, message_id=message_id, activity_id=activity_id)
        session.add(memory)
    elif activity_id is not None:
        memory.activity_id = activity_id
    known[message_id] = memory


def item_values(folder_id: int, remote: RemoteItem, body: Body | None) -> dict[str, Any]:
    """The cached columns of a remote item (tracking columns are not among them)."""
    values: dict[str, Any] = {
        "folder_id": folder_id,
        "change_key": remote.change_key,
        "item_class": remote.item_class,
        "subject": remote.subject[:1024],
        "sender_email": remote.sender.email if remote.sender else None,
        "sender_name": remote.sender.name if remote.sender else None,
        "to_recipients": [_recipient(a) for a in remote.to],
        "cc_recipients": [_recipient(a) for a in remote.cc],
        "bcc_recipients": [_recipient(a) for a in remote.bcc],
        "received_at": remote.received_at,
        "sent_at": remote.sent_at,
        "modified_at": remote.modified_at,
        "is_read": remote.is_read,
        "is_draft": remote.is_draft,
        "sensitivity": remote.sensitivity,
        "importance": remote.importance,
        "categories": list(remote.categories),
        "conversation_id": remote.conversation_id,
        "conversation_index": remote.conversation_index,
        "internet_message_id": remote.message_id,
        "in_reply_to": remote.in_reply_to,
        "references": " ".join(remote.references) or None,
        "has_attachments": remote.has_attachments,
        "flag_status": remote.flag.value,
        "details": remote.details,
        "remote_mark": mark_json(remote.mark),
    }
    if remote.kind is not ItemKind.MESSAGE:
        values.update(body_text=(remote.details or {}).get("body"), body_fetched=True)
    elif body is not None:
        values.update(
            body_text=body.text,
            body_html=body.html,
            body_fetched=True,
            attachments=[stored(attachment) for attachment in body.attachments],
            attachments_fetched=True,
        )
    return values


def update_item(item: MailItem, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "internet_message_id" and value is None:
            continue  # a change that does not repeat the Message-ID does not erase it
        setattr(item, name, value)


def new_item_values(account: str, remote_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of a new row, so a page of them goes to the database in one statement."""
    row: dict[str, Any] = {
        "account": account,
        "remote_id": remote_id,
        "body_text": None,
        "body_html": None,
        "body_fetched": False,
        "attachments": [],
        "attachments_fetched": False,
        "evaluated": False,
        "tracking_state": "none",
        "activity_id": None,
        "regarding_type": None,
        "regarding_id": None,
        "regarding_name": None,
        "tracking_rule": None,
        "track_failures": 0,
    }
    row.update(values)
    return row


def insert_items(session: Session, account: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert new rows of this account (`new_item_values`, every column given) in one
    executemany, without the ORM's bookkeeping: a first sync writes thousands. Their ids by
    remote_id, read back by the unique (account, remote_id): an executemany returns none."""
    if not rows:
        return {}
    connection = session.connection()
    execute_many(connection, _INSERT_ITEM, rows)
    return {
        remote_id: item_id
        for remote_id, item_id in connection.execute(
            select(_ITEMS.c.remote_id, _ITEMS.c.id).where(
                _ITEMS.c.account == account,
                one_of(_ITEMS.c.remote_id, (r["remote_id"] for r in rows)),
            )
        )
    }


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_ITEMS = _table(MailItem)
_INSERT_ITEM = insert(_ITEMS)
_INSERT_MEMORY = insert(_table(EvaluatedMessage))


def insert_memories(session: Session, account: str, found: dict[str, int | None]) -> None:
    """Remember messages the pipeline has now seen for the first time (Message-ID: activity)."""
    execute_many(
        session.connection(),
        _INSERT_MEMORY,
        [
            {"account": account, "message_id": message_id, "activity_id": activity_id}
            for message_id, activity_id in found.items()
        ],
    )


def _recipient(address: Any) -> dict[str, str]:
    return {"email": address.email, "name": address.name}


def recipients_json(addresses: Iterable[Address]) -> list[dict[str, str]]:
    return [_recipient(address) for address in addresses]


def addresses_of(entries: Iterable[dict[str, str]] | None) -> tuple[Address, ...]:
    """The cache's JSON recipients as addresses (entries without an address left out)."""
    return tuple(
        Address(str(entry["email"]).strip(), str(entry.get("name") or "").strip())
        for entry in entries or ()
        if str(entry.get("email") or "").strip()
    )


def flag_status(text: str | None) -> FlagStatus:
    try:
        return FlagStatus(text or FlagStatus.NONE.value)
    except ValueError:
        return FlagStatus.NONE


_CORRESPONDENTS = _table(Correspondent)
_INSERT_CORRESPONDENT = insert(_CORRESPONDENTS)
_UPDATE_CORRESPONDENT = (
    update(_CORRESPONDENTS)
    .where(_CORRESPONDENTS.c.id == bindparam("row_id"))
    .values({column: bindparam(column) for column in ("name", "folded", "last_at", "times")})
)


def remember_correspondents(
    session: Session, account: str, seen: Iterable[tuple[Address, datetime | None]]
) -> None:
    """Note who mail came from or went to (address, when), keeping the newest name: what
    address completion offers beside the CRM. Core statements, one per kind of change: a first
    sync meets thousands of correspondents, a page hundreds."""
    newest: dict[str, tuple[Address, datetime | None, int]] = {}
    for address, moment in seen:
        email = address.email.strip().casefold()
        if "@" not in email:
            continue
        known, last, times = newest.get(email, (address, moment, 0))
        if last is None or (moment is not None and moment >= last):
            known, last = (address if address.name else known), moment
        newest[email] = (known, last, times + 1)
    if not newest:
        return
    table = _CORRESPONDENTS
    existing = {
        row.email: row
        for row in session.execute(
            select(table.c.id, table.c.email, table.c.name, table.c.last_at, table.c.times).where(
                table.c.account == account, one_of(table.c.email, newest)
            )
        )
    }
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for email, (address, moment, times) in newest.items():
        row = existing.get(email)
        if row is None:
            name, last_at, times_before = address.name, moment, 0
        elif row.last_at is None or (moment is not None and _aware(moment) >= _aware(row.last_at)):
            name, last_at, times_before = address.name or row.name, moment or row.last_at, row.times
        else:
            name, last_at, times_before = row.name, row.last_at, row.times
        values = {
            "name": name,
            "folded": fold(f"{name} {email}"),
            "last_at": last_at,
            "times": times_before + times,
        }
        if row is None:
            new_rows.append({"account": account, "email": email, **values})
        else:
            changed.append({"row_id": row.id, **values})
    connection = session.connection()
    execute_many(connection, _INSERT_CORRESPONDENT, new_rows)
    execute_many(connection, _UPDATE_CORRESPONDENT, changed)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def mark_json(mark: RemoteMark) -> dict[str, Any] | None:
    if mark == RemoteMark():
        return None
    return {
        "link_state": int(mark.link_state) if mark.link_state is not None else None,
        "activity_id": mark.activity_id,
        "regarding": mark.regarding,
        "category": mark.category,
        "client_id": mark.client_id,
    }


def set_read_flags(session: Session, account: str, flags: Sequence[tuple[str, bool]]) -> None:
    for remote_id, is_read in flags:
        session.execute(
            update(MailItem)
            .where(MailItem.account == account, MailItem.remote_id == remote_id)
            .values(is_read=is_read)
        )


def delete_items(session: Session, account: str, remote_ids: Sequence[str]) -> None:
    if remote_ids:
        session.execute(
            delete(MailItem).where(
                MailItem.account == account, MailItem.remote_id.in_(list(remote_ids))
            )
        )


def finish_page(folder: MailFolder, sync_state: str) -> None:
    folder.sync_state = sync_state
    folder.synced_at = datetime.now(UTC)


_PAGE_FINISHED = (
    update(MailFolder)
    .where(MailFolder.id == bindparam("folder_id"))
    .values(sync_state=bindparam("sync_state"), synced_at=bindparam("synced_at"))
    .execution_options(synchronize_session=False)
)


def finish_empty_page(session: Session, folder_id: int, sync_state: str) -> None:
    """finish_page for a page that listed nothing (every empty folder at a first sync), with
    no folder loaded; a folder removed meanwhile is left removed."""
    session.execute(
        _PAGE_FINISHED,
        {"folder_id": folder_id, "sync_state": sync_state, "synced_at": datetime.now(UTC)},
    )


def remote_from_row(item: MailItem) -> RemoteItem:
    """The cached copy of an item as the server last described it (to decide it again)."""
    mark = item.remote_mark or {}
    link_state = mark.get("link_state")
    return RemoteItem(
        id=item.remote_id,
        change_key=item.change_key,
        kind=ItemKind.MESSAGE,
        item_class=item.item_class,
        subject=item.subject,
        sender=Address(item.sender_email, item.sender_name or "") if item.sender_email else None,
        to=addresses_of(item.to_recipients),
        cc=addresses_of(item.cc_recipients),
        bcc=addresses_of(item.bcc_recipients),
        received_at=item.received_at,
        sent_at=item.sent_at,
        modified_at=item.modified_at,
        is_read=item.is_read,
        is_draft=item.is_draft,
        sensitivity=item.sensitivity,
        importance=item.importance,
        categories=tuple(item.categories or ()),
        conversation_id=item.conversation_id,
        conversation_index=item.conversation_index,
        message_id=item.internet_message_id,
        in_reply_to=item.in_reply_to,
        references=tuple((item.references or "").split()),
        has_attachments=item.has_attachments,
        flag=flag_status(item.flag_status),
        mark=RemoteMark(
            link_state=LinkState(link_state) if link_state is not None else None,
            activity_id=mark.get("activity_id"),
            regarding=mark.get("regarding"),
            category=mark.get("category"),
            client_id=mark.get("client_id"),
        ),
        details=item.details,
    )
