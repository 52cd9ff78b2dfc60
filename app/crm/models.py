"""The CRM store's typed models (SQLAlchemy 2.0).

Every record type (user, queue, account, contact, lead, opportunity) is a row of `records` plus
a row of its own table, so "regarding", "owner" and activity parties are real foreign keys to one
table, and any record with an address is email-enabled through `email_addresses`. Activities
(email, appointment, task) share `activities` the same way. Only portable SQL: the same models run
on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.db.naming import NAMING_CONVENTION

EMAIL_MAX = 320
NAME_MAX = 255
TITLE_MAX = 64
PHONE_MAX = 64


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def joined_name(parts: Iterable[str | None]) -> str:
    """A record's name from the values of its NAME_COLUMNS, blanks left out."""
    return " ".join(part for part in parts if part)


class Record(Base):
    """Anything an activity can be regarding or a party can resolve to."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    # The owner is a system user; the key points at `records` so the two tables have no cycle.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    modified_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    # Grows with every change of the record (a trigger on PostgreSQL); a team client's offline
    # edit carries the version it started from, so the merge knows whether anyone else wrote.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The normalised address a record was created for automatically: unique, so two clients
    # auto-creating a contact for one new address at once end up with one record.
    auto_created_for: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)

    addresses: Mapped[list[EmailAddress]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="EmailAddress.position",
    )

    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "record"}

    # The columns a record's name is made of (joined_name): a concrete type says which.
    NAME_COLUMNS: ClassVar[tuple[str, ...]] = ()

    @property
    def display_name(self) -> str:
        if not self.NAME_COLUMNS:
            raise NotImplementedError  # every concrete record type names itself
        return joined_name(getattr(self, column) for column in self.NAME_COLUMNS)

    @property
    def emails(self) -> list[str]:
        return [address.email for address in self.addresses]


class EmailAddress(Base):
    """One address of a record; matching compares `normalized` (see app.tracking.addresses)."""

    __tablename__ = "email_addresses"
    __table_args__ = (UniqueConstraint("record_id", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    normalized: Mapped[str] = mapped_column(String(EMAIL_MAX), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    record: Mapped[Record] = relationship(back_populates="addresses")


class SystemUser(Record):
    """A CRM user; `user_number` feeds the tracking token, `token_counter` never goes back."""

    __tablename__ = "system_users"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    user_number: Mapped[int] = mapped_column(Integer, unique=True)
    token_counter: Mapped[int] = mapped_column(Integer, default=0)

    __mapper_args__ = {
        "polymorphic_identity": "user",
        "inherit_condition": id == Record.id,
    }

    NAME_COLUMNS = ("name",)


class Queue(Record):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))

    __mapper_args__ = {"polymorphic_identity": "queue"}

    NAME_COLUMNS = ("name",)


class Account(Record):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), index=True)
    website: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(NAME_MAX))
    country: Mapped[str | None] = mapped_column(String(NAME_MAX))

    __mapper_args__ = {"polymorphic_identity": "account"}

    NAME_COLUMNS = ("name",)


class Contact(Record):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    salutation: Mapped[str | None] = mapped_column(String(TITLE_MAX))  # Dr., Herr, mgr inż.
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    last_name: Mapped[str] = mapped_column(String(NAME_MAX), default="", index=True)
    suffix: Mapped[str | None] = mapped_column(String(TITLE_MAX))  # PhD, Jr.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    mobile_phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))

    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])

    __mapper_args__ = {"polymorphic_identity": "contact"}

    NAME_COLUMNS = ("first_name", "last_name")


class Lead(Record):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    salutation: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    last_name: Mapped[str] = mapped_column(String(NAME_MAX), default="", index=True)
    suffix: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    company: Mapped[str | None] = mapped_column(String(NAME_MAX))
    topic: Mapped[str | None] = mapped_column(String(NAME_MAX))
    job_title: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    mobile_phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    # Open: new, contacted; qualified; disqualified: lost, cannot-contact, no-longer-interested,
    # canceled (the status reasons of the reference product; app.crm.qualification).
    status: Mapped[str] = mapped_column(String(24), default="new", server_default="new")
    # The account and contact the lead was qualified into (made or chosen).
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )

    __mapper_args__ = {"polymorphic_identity": "lead"}

    NAME_COLUMNS = ("first_name", "last_name")


class Opportunity(Record):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    close_date: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(64))
    probability: Mapped[int | None] = mapped_column(Integer)  # per cent
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # The lead this opportunity was qualified from.
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )

    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])

    __mapper_args__ = {"polymorphic_identity": "opportunity"}

    NAME_COLUMNS = ("name",)


class Activity(Base):
    """Email, appointment or task; `regarding` is the record it is about."""

    __tablename__ = "activities"
    # Every sync reads the owner's appointments and tasks: by owner alone that read went
    # through all of the owner's email activities, a tracked mailbox's thousands.
    __table_args__ = (Index("ix_activities_owner_type", "owner_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    subject: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    regarding_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("system_users.id", ondelete="SET NULL"))
    # Tracked from a message its owner marked private: nobody else sees it.
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    modified_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    regarding: Mapped[Record | None] = relationship(foreign_keys=[regarding_id])
    parties: Mapped[list[ActivityParty]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityParty.id"
    )
    mailboxes: Mapped[list[ActivityMailbox]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityMailbox.id"
    )

    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "activity"}


class EmailActivity(Activity):
    """A message tied to the CRM; `tracked` false means it was untracked and kept unlinked."""

    __tablename__ = "email_activities"
    __table_args__ = (Index("ix_email_activities_smart", "normalized_subject", "tracked_at"),)

    id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str | None] = mapped_column(Text)  # space-separated, as in the header
    conversation_id: Mapped[str | None] = mapped_column(String(512), index=True)
    conversation_index: Mapped[str | None] = mapped_column(String(1024))
    normalized_subject: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    sender: Mapped[str | None] = mapped_column(String(EMAIL_MAX + NAME_MAX))
    sent_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    direction: Mapped[str] = mapped_column(String(10))  # incoming | outgoing
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    tracking_token: Mapped[str | None] = mapped_column(String(64), index=True)
    tracked: Mapped[bool] = mapped_column(Boolean, default=True)
    tracked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_users.id", ondelete="SET NULL")
    )
    tracked_how: Mapped[str | None] = mapped_column(String(20))  # automatic | manual
    tracked_at: Mapped[datetime | None]
    untracked_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    rule: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    tracked_by: Mapped[SystemUser | None] = relationship(foreign_keys=[tracked_by_id])

    __mapper_args__ = {"polymorphic_identity": "email"}


class Appointment(Activity):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[datetime]
    end: Mapped[datetime]
    is_all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str | None] = mapped_column(String(NAME_MAX))
    body: Mapped[str | None] = mapped_column(Text)
    recurrence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The zone the appointment was made in (IANA name): a series keeps its wall-clock time in
    # it across daylight-saving changes, as Exchange expands it. None: UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    reminder_minutes: Mapped[int | None] = mapped_column(Integer)  # None: no reminder
    # Exchange's LegacyFreeBusyStatus: Free, Tentative, Busy, OOF, WorkingElsewhere, NoData.
    show_as: Mapped[str] = mapped_column(String(20), default="Busy", server_default="Busy")

    __mapper_args__ = {"polymorphic_identity": "appointment"}


class Task(Activity):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[datetime | None]
    due: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="NotStarted")
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[str] = mapped_column(String(10), default="Normal")
    body: Mapped[str | None] = mapped_column(Text)
    reminder_at: Mapped[datetime | None]  # None: no reminder

    __mapper_args__ = {"polymorphic_identity": "task"}


class ActivityParty(Base):
    """Who sent, received or attends, as written and as resolved (record_id None: unknown).
    An appointment's attendees have the role required, optional or resource, and `response`
    their answer as Exchange reports it (Unknown, Accept, Tentative, Decline, ...)."""

    __tablename__ = "activity_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(12))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    normalized: Mapped[str] = mapped_column(String(EMAIL_MAX), index=True)
    display_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )
    response: Mapped[str | None] = mapped_column(String(24))

    activity: Mapped[Activity] = relationship(back_populates="parties")
    record: Mapped[Record | None] = relationship()


class ActivityMailbox(Base):
    """A mailbox the activity's message was tracked from: two users tracking one message share
    one activity, linked to both mailboxes (unique, so a replay or a race adds no second link)."""

    __tablename__ = "activity_mailboxes"
    __table_args__ = (UniqueConstraint("activity_id", "mailbox"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    mailbox: Mapped[str] = mapped_column(String(EMAIL_MAX))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_users.id", ondelete="SET NULL"), index=True
    )
    linked_at: Mapped[datetime] = mapped_column(server_default=func.now())

    activity: Mapped[Activity] = relationship(back_populates="mailboxes")


class RecordHistory(Base):
    """A value that lost a field-level merge of two users' edits (app.team.merge): kept, never
    silently dropped, with who wrote it and when."""

    __tablename__ = "record_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(64))
    lost_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    lost_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_users.id", ondelete="SET NULL")
    )
    edited_at: Mapped[datetime | None]
    merged_at: Mapped[datetime] = mapped_column(server_default=func.now())


class RecordChange(Base):
    """One field of a record changed by a user (or the record created or deleted), for the
    record's history: who, when, from what to what. Written with the change, in its transaction."""

    __tablename__ = "record_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # created | edited | qualified | ...
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_users.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime]


class AppliedChange(Base):
    """The idempotency key of every team client's change applied to this store, written in the
    same transaction as the change: a replay finds it and applies nothing twice. `result` holds
    the ids the change was given, so a replay answers as the first application did."""

    __tablename__ = "applied_changes"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(server_default=func.now())


class DeletedRow(Base):
    """Rows deleted from a replicated table (written by a trigger on PostgreSQL), so a team
    client's replica removes them too on its next incremental refresh."""

    __tablename__ = "deleted_rows"

    change_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(64))
    row_key: Mapped[str] = mapped_column(String(255))


class OrgSetting(Base):
    """Organisation settings as key and JSON value, so a new setting needs no migration."""

    __tablename__ = "org_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class IssuedToken(Base):
    """Every tracking token ever handed out: the unique key is what makes reuse impossible."""

    __tablename__ = "issued_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("system_users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ReplicaOutboxEntry(Base):
    """A team client's replica only: the changes of one local transaction, waiting to go to
    the shared store; `key` is the idempotency key the store keeps in `applied_changes`."""

    __tablename__ = "replica_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    done_at: Mapped[datetime | None]


class ReplicaIdMap(Base):
    """A team client's replica only: the id the shared store gave a row this client created
    (with a provisional id) offline; `duplicate` when it folded into a row another client made."""

    __tablename__ = "replica_ids"

    provisional_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    server_id: Mapped[int | None] = mapped_column(Integer)
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)


class ReplicaState(Base):
    """A team client's replica only: refresh watermark, provisional id counter, store identity."""

    __tablename__ = "replica_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# Tables a team client keeps in its local replica. Each has a `change_seq` column that the
# database stamps from one counter on every insert and update (PostgreSQL triggers, see the
# crm migration 0002); the ORM never writes it, so it is a table column but not a mapped one.
REPLICATED_TABLES = (
    "org_settings",
    "records",
    "system_users",
    "queues",
    "accounts",
    "contacts",
    "leads",
    "opportunities",
    "email_addresses",
    "activities",
    "email_activities",
    "appointments",
    "tasks",
    "activity_parties",
    "activity_mailboxes",
    "record_changes",
    "record_history",
)
for _name in REPLICATED_TABLES:
    Base.metadata.tables[_name].append_column(Column("change_seq", BigInteger, index=True))


RECORD_CLASSES: dict[str, type[Record]] = {
    "user": SystemUser,
    "queue": Queue,
    "account": Account,
    "contact": Contact,
    "lead": Lead,
    "opportunity": Opportunity,
}
