"""The CRM store's typed models (SQLAlchemy 2.0).

Every record type (user, queue, account, contact, lead, opportunity) is a row of `records` plus
a row of its own table, so "regarding", "owner" and activity parties are real foreign keys to one
table, and any record with an address is email-enabled through `email_addresses`. Activities
(email, appointment, task) share `activities` the same way. Only portable SQL: the same models run
on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

EMAIL_MAX = 320
NAME_MAX = 255


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


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

    addresses: Mapped[list[EmailAddress]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="EmailAddress.position",
    )

    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "record"}

    @property
    def display_name(self) -> str:
        raise NotImplementedError  # every concrete record type names itself

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

    @property
    def display_name(self) -> str:
        return self.name


class Queue(Record):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))

    __mapper_args__ = {"polymorphic_identity": "queue"}

    @property
    def display_name(self) -> str:
        return self.name


class Account(Record):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), index=True)
    website: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(NAME_MAX))
    country: Mapped[str | None] = mapped_column(String(NAME_MAX))

    __mapper_args__ = {"polymorphic_identity": "account"}

    @property
    def display_name(self) -> str:
        return self.name


class Contact(Record):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    last_name: Mapped[str] = mapped_column(String(NAME_MAX), default="", index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(64))

    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])

    __mapper_args__ = {"polymorphic_identity": "contact"}

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Lead(Record):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    last_name: Mapped[str] = mapped_column(String(NAME_MAX), default="", index=True)
    company: Mapped[str | None] = mapped_column(String(NAME_MAX))
    topic: Mapped[str | None] = mapped_column(String(NAME_MAX))

    __mapper_args__ = {"polymorphic_identity": "lead"}

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


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

    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])

    __mapper_args__ = {"polymorphic_identity": "opportunity"}

    @property
    def display_name(self) -> str:
        return self.name


class Activity(Base):
    """Email, appointment or task; `regarding` is the record it is about."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    subject: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    regarding_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    modified_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    regarding: Mapped[Record | None] = relationship(foreign_keys=[regarding_id])
    parties: Mapped[list[ActivityParty]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityParty.id"
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

    __mapper_args__ = {"polymorphic_identity": "task"}


class ActivityParty(Base):
    """Who sent, received or attends, as written and as resolved (record_id None: unknown)."""

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

    activity: Mapped[Activity] = relationship(back_populates="parties")
    record: Mapped[Record | None] = relationship()


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


RECORD_CLASSES: dict[str, type[Record]] = {
    "user": SystemUser,
    "queue": Queue,
    "account": Account,
    "contact": Contact,
    "lead": Lead,
    "opportunity": Opportunity,
}
