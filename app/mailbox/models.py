"""This user's local state (always a SQLite file of the profile): personal options, the mailbox
cache the app works from offline, the outbox of changes waiting for the server, and the sync log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.db.naming import NAMING_CONVENTION


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class PersonalSetting(LocalBase):
    """A personal option as key and JSON value; absent keys mean the documented default."""

    __tablename__ = "personal_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class MailFolder(LocalBase):
    """A folder of the mailbox as last synced; `sync_state` covers exactly the cached items."""

    __tablename__ = "mail_folders"
    __table_args__ = (UniqueConstraint("account", "remote_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320), index=True)
    remote_id: Mapped[str] = mapped_column(String(512))
    change_key: Mapped[str | None] = mapped_column(String(512))
    parent_remote_id: Mapped[str | None] = mapped_column(String(512))
    distinguished: Mapped[str | None] = mapped_column(String(40))  # inbox, sentitems, calendar, …
    display_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(String(20))  # app.mailbox.remote.FolderContent
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    total_count: Mapped[int] = mapped_column(Integer, default=0)
    sync_state: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[datetime | None]
    # Folder-level tracking: mail in this folder is tracked regarding this CRM record.
    mapped_record_type: Mapped[str | None] = mapped_column(String(20))
    mapped_record_id: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list[MailItem]] = relationship(back_populates="folder")


class MailItem(LocalBase):
    """A cached message, appointment or task, with its tracking state for the list and CRM pane."""

    __tablename__ = "mail_items"
    __table_args__ = (
        UniqueConstraint("account", "remote_id"),
        Index("ix_mail_items_folder_received", "folder_id", "received_at"),
        Index("ix_mail_items_account_conversation", "account", "conversation_id"),
        # A message's copies: every page of a pull asks for its own messages' (see local
        # revision 0010); the account comes first, as every such question names it.
        Index("ix_mail_items_account_message_id", "account", "internet_message_id"),
        # Every sync asks for these few rows; partial indexes find them without reading the
        # whole cache (the WHERE is the one the sync's query says, so SQLite can use them).
        Index(
            "ix_mail_items_attachments_unknown",
            "account",
            sqlite_where=text("has_attachments IS 1 AND attachments_fetched IS 0"),
        ),
        Index(
            "ix_mail_items_tracking_retried",
            "account",
            sqlite_where=text("tracking_state = 'pending' AND tracking_rule = 'retrying'"),
        ),
        # A folder's unread count, counted in the index alone (every page of a pull counts it).
        Index("ix_mail_items_unread", "folder_id", "is_read", sqlite_where=text("is_read IS 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    folder_id: Mapped[int] = mapped_column(ForeignKey("mail_folders.id", ondelete="CASCADE"))
    remote_id: Mapped[str] = mapped_column(String(512))
    change_key: Mapped[str | None] = mapped_column(String(512))
    item_class: Mapped[str] = mapped_column(String(64), default="IPM.Note")
    internet_message_id: Mapped[str | None] = mapped_column(String(998))
    subject: Mapped[str] = mapped_column(String(1024), default="")
    sender_email: Mapped[str | None] = mapped_column(String(320))
    sender_name: Mapped[str | None] = mapped_column(String(255))
    to_recipients: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    cc_recipients: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    bcc_recipients: Mapped[list[dict[str, str]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    received_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # The server's time of the item's last change: a change made both here and elsewhere
    # goes to the later one (app.sync.actions).
    modified_at: Mapped[datetime | None]
    is_read: Mapped[bool] = mapped_column(Boolean, default=False)
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    sensitivity: Mapped[str] = mapped_column(String(20), default="normal")
    importance: Mapped[str] = mapped_column(String(10), default="Normal")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    conversation_id: Mapped[str | None] = mapped_column(String(512))
    conversation_index: Mapped[str | None] = mapped_column(String(1024))
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str | None] = mapped_column(Text)
    has_attachments: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the message says of each attachment (app.mailbox.attachments.stored); only once
    # `attachments_fetched` is it the whole list.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attachments_fetched: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    flag_status: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    body_fetched: Mapped[bool] = mapped_column(Boolean, default=False)
    # Appointments and tasks keep their own fields as JSON: start, end, location, due, status, …
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Tracking: `evaluated` makes the pipeline run once per message, even after a move.
    evaluated: Mapped[bool] = mapped_column(Boolean, default=False)
    # none | pending | tracked | failed
    tracking_state: Mapped[str] = mapped_column(String(12), default="none")
    activity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    regarding_type: Mapped[str | None] = mapped_column(String(20))
    regarding_id: Mapped[int | None] = mapped_column(Integer)
    regarding_name: Mapped[str | None] = mapped_column(String(255))
    tracking_rule: Mapped[str | None] = mapped_column(String(40))
    cached_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Liaison's mark as last read from the server (link state, activity id, regarding, category,
    # client id; see app.sync.backend.RemoteMark): tells a change made by another client apart
    # from our own.
    remote_mark: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Attempts to store this message's tracking decision in the CRM that failed; at 5 it is
    # marked "could not track" instead of being retried forever.
    track_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    folder: Mapped[MailFolder] = relationship(back_populates="items")


class OutboxEntry(LocalBase):
    """A local change waiting for the server, written in the same transaction as the change.

    `client_id` is stamped on the Exchange item, so a replay after a crash finds its earlier
    effect instead of repeating it.
    """

    __tablename__ = "outbox"
    # Marks waiting for the server, by the item and the Message-ID they name: every page of a
    # pull asks which of its messages have one (app.sync.outbox.pending_marks_among).
    __table_args__ = tuple(
        Index(
            f"ix_outbox_waiting_mark_{key}",
            "account",
            text(f"json_extract(payload, '$.{key}')"),
            sqlite_where=text("state = 'pending' AND kind = 'mark'"),
        )
        for key in ("mail_item_id", "message_id")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    account: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(40))  # track, untrack, set-regarding, create-task, …
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending | done | failed
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    done_at: Mapped[datetime | None]


class SyncRun(LocalBase):
    """One sync as its history shows it: when, how long, how it ended and what it did. The
    sync log lines written during it point to it (`SyncLogEntry.run_id`)."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20))  # app.sync.status.SyncState
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[int] = mapped_column(Integer, default=0)  # changes pulled and pushed
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    tracked: Mapped[int] = mapped_column(Integer, default=0)
    untracked: Mapped[int] = mapped_column(Integer, default=0)
    marks_written: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    appointments_and_tasks: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    given_up: Mapped[int] = mapped_column(Integer, default=0)


class SyncLogEntry(LocalBase):
    """What sync did that a user may ask about: conflicts lost values, failures, resyncs."""

    __tablename__ = "sync_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    level: Mapped[str] = mapped_column(String(10))  # info|warning|error
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The sync this line belongs to; set when that sync ends (a line written by a sync that was
    # killed goes with the next one).
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True
    )


class EvaluatedMessage(LocalBase):
    """A message the tracking pipeline has seen, by Internet Message-ID.

    It outlives the cached item, so a message moved out of a synced folder and back later is
    not evaluated again, and its activity is found again.
    """

    __tablename__ = "evaluated_messages"
    __table_args__ = (UniqueConstraint("account", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(998))
    activity_id: Mapped[int | None] = mapped_column(Integer)
    evaluated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ActivityLink(LocalBase):
    """A CRM appointment or task and its Exchange item, mapped 1:1.

    `snapshot` holds the field values both sides agreed on at the last sync (see
    app.sync.activity_fields); a change on either side is a difference from it. `client_id` is
    stamped on the Exchange item when Liaison creates it, so a create replayed after a crash
    finds the item instead of making a second one.
    """

    __tablename__ = "activity_links"
    __table_args__ = (UniqueConstraint("account", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    activity_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # appointment | task
    remote_id: Mapped[str | None] = mapped_column(String(512), index=True)
    change_key: Mapped[str | None] = mapped_column(String(512))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    synced_at: Mapped[datetime | None]
    # Set when the pair was unlinked for good (app.sync.activity_deletion.Unlinked says why):
    # the row stays, so sync never pairs the activity with a new Exchange item again.
    unlinked_at: Mapped[datetime | None]
    unlinked_reason: Mapped[str | None] = mapped_column(String(40))


class SyncAccountState(LocalBase):
    """Per account: the folder hierarchy's sync state and how the last sync went."""

    __tablename__ = "sync_accounts"

    account: Mapped[str] = mapped_column(String(320), primary_key=True)
    hierarchy_sync_state: Mapped[str | None] = mapped_column(Text)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The largest message the server accepts, in bytes as sent, as it last said.
    message_size_limit: Mapped[int | None] = mapped_column(Integer)


class Correspondent(LocalBase):
    """An address mail came from or the user wrote to, with the name last seen with it:
    what address completion offers beside the CRM's records."""

    __tablename__ = "correspondents"
    __table_args__ = (
        UniqueConstraint("account", "email"),
        Index("ix_correspondents_account_last_at", "account", "last_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    email: Mapped[str] = mapped_column(String(320))  # case-folded
    name: Mapped[str] = mapped_column(String(255))
    # The name and the address as completion compares them (app.tracking.folding.fold: "Łukasz"
    # is "lukasz"), one space between.
    folded: Mapped[str] = mapped_column(String(600))
    last_at: Mapped[datetime | None]
    times: Mapped[int] = mapped_column(Integer)
