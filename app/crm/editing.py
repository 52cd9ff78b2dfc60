"""Creating, editing and deleting accounts, contacts, leads and opportunities, with the record's
history of who changed what.

Every change goes through the ORM in the caller's transaction, so a team client's replica
records it in its outbox (app.team.capture) and the shared store merges it field by field
(app.team.merge); the history rows travel with it. Values come checked by app.crm.fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.crm.fields import (
    OPEN_LEAD_STATUSES,
    RECORD_FIELDS,
    FieldKind,
    FieldProblem,
    FieldSpec,
    InvalidValues,
    Problem,
    Value,
)
from app.crm.models import (
    RECORD_CLASSES,
    Account,
    Activity,
    ActivityParty,
    Contact,
    EmailAddress,
    Lead,
    Opportunity,
    Record,
    RecordChange,
    RecordHistory,
    SystemUser,
)
from app.crm.records import get_record
from app.tracking.addresses import normalise_email
from app.tracking.model import RecordType

CREATED = "created"
EDITED = "edited"
_REFERENCED: dict[FieldKind, type[Record]] = {
    FieldKind.ACCOUNT: Account,
    FieldKind.CONTACT: Contact,
}


def editable_type(record: Record) -> RecordType:
    record_type = RecordType(record.type)
    if record_type not in RECORD_FIELDS:
        raise CrmError(f"A {record_type.value} cannot be edited here")
    return record_type


def record_values(record: Record) -> dict[str, Value]:
    """The record's fields as the form and `--json` show them (references by id)."""
    values: dict[str, Value] = {}
    for spec in RECORD_FIELDS[editable_type(record)]:
        if spec.kind is FieldKind.EMAILS:
            values[spec.name] = list(record.emails)
        else:
            values[spec.name] = getattr(record, spec.column)
    return values


def create_record(
    session: Session,
    record_type: RecordType,
    values: Mapping[str, Value],
    owner: SystemUser | None,
    by: SystemUser | None = None,
) -> Record:
    """A new record with these (checked) values, its creation in its history."""
    model = RECORD_CLASSES[record_type.value]
    record = model(owner_id=owner.id if owner else None)
    if isinstance(record, Lead):
        record.status = OPEN_LEAD_STATUSES[0]
        _check_lead_status(record, values)
    _assign(session, record, values)
    session.add(record)
    session.flush()
    shown = {name: to_json(value) for name, value in values.items() if value not in (None, "", [])}
    _remember(session, record, CREATED, None, None, shown, by)
    return record


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # as JSON
    new: Any


def update_record(
    session: Session, record: Record, values: Mapping[str, Value], by: SystemUser | None
) -> list[FieldChange]:
    """Change only the given fields that differ; each change goes into the history."""
    current = record_values(record)
    changed = {name: value for name, value in values.items() if _differs(current[name], value)}
    if not changed:
        return []
    if isinstance(record, Lead):
        _check_lead_status(record, changed)
    _assign(session, record, changed)
    session.flush()
    changes = [
        FieldChange(name, to_json(current[name]), to_json(value)) for name, value in changed.items()
    ]
    for change in changes:
        _remember(session, record, EDITED, change.field, change.old, change.new, by)
    return changes


def _check_lead_status(lead: Lead, values: Mapping[str, Value]) -> None:
    """An edit moves a lead between open statuses only: Qualify and Disqualify close it."""
    status = values.get("status")
    if "status" not in values or status == lead.status:
        return
    if lead.status not in OPEN_LEAD_STATUSES or status not in OPEN_LEAD_STATUSES:
        raise InvalidValues(
            [
                FieldProblem(
                    "status",
                    Problem.NOT_A_CHOICE,
                    f"status: a lead is qualified or disqualified with Qualify or Disqualify, "
                    f"not by editing its status (it is {lead.status})",
                )
            ]
        )


def _differs(current: Value, new: Value) -> bool:
    if isinstance(current, list) and isinstance(new, list):
        return current != new
    return to_json(current) != to_json(new)


def _assign(session: Session, record: Record, values: Mapping[str, Value]) -> None:
    specs = {spec.name: spec for spec in RECORD_FIELDS[editable_type(record)]}
    problems: list[FieldProblem] = []
    for name, value in values.items():
        spec = specs[name]
        if spec.kind is FieldKind.EMAILS:
            assert isinstance(value, list)
            update_addresses(record, value)
        elif spec.is_reference:
            try:
                setattr(record, spec.column, _referenced_id(session, spec, value))
            except CrmError as exc:
                problems.append(FieldProblem(name, Problem.NOT_A_RECORD, f"{name}: {exc}"))
        else:
            setattr(record, spec.column, value)
    if problems:
        raise InvalidValues(problems)


def _referenced_id(session: Session, spec: FieldSpec, value: Value) -> int | None:
    if value is None:
        return None
    # get_record also finds a record created offline by the id it had before the team store
    # gave it its own.
    return get_record(session, spec.kind.value, str(value)).id


def update_addresses(record: Record, emails: list[str]) -> None:
    """Give the record exactly these addresses in this order, keeping the rows of those it has
    (a row removed and added again in one flush would break its unique key)."""
    kept = {address.normalized: address for address in record.addresses}
    addresses: list[EmailAddress] = []
    for position, email in enumerate(emails):
        normalized = normalise_email(email)
        address = kept.pop(normalized, None) or EmailAddress(normalized=normalized)
        address.email = email
        address.position = position
        addresses.append(address)
    record.addresses = addresses


def _remember(
    session: Session,
    record: Record,
    action: str,
    field: str | None,
    old: Any,
    new: Any,
    by: SystemUser | None,
) -> None:
    session.add(
        RecordChange(
            record_id=record.id,
            action=action,
            field=field,
            old_value=old,
            new_value=new,
            changed_by_id=by.id if by else None,
            changed_at=datetime.now(UTC),
        )
    )


def remember_action(
    session: Session, record: Record, action: str, by: SystemUser | None, detail: Any = None
) -> None:
    """A change of state (qualified, disqualified…) in the record's history."""
    _remember(session, record, action, None, None, detail, by)


def to_json(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


# Deleting


@dataclass(frozen=True, slots=True)
class DeletionImpact:
    """What becomes of what is linked to a record when it is deleted: activities regarding it
    stay in the CRM, regarding nothing; activities it took part in keep the address, known to
    no record; an account's contacts and opportunities stay, without an account."""

    emails: int = 0
    appointments: int = 0
    tasks: int = 0
    as_party: int = 0
    contacts: int = 0
    opportunities: int = 0

    @property
    def activities(self) -> int:
        return self.emails + self.appointments + self.tasks

    def sentences(self) -> list[str]:
        """In English, for the CLI; the window words the same counts itself."""
        said = []
        for count, what in (
            (self.emails, "tracked email(s)"),
            (self.appointments, "appointment(s)"),
            (self.tasks, "task(s)"),
        ):
            if count:
                said.append(f"{count} {what} stay in the CRM, regarding nothing")
        if self.as_party:
            said.append(f"{self.as_party} activity(ies) keep the address, known to no record")
        if self.contacts:
            said.append(f"{self.contacts} contact(s) stay, without an account")
        if self.opportunities:
            said.append(f"{self.opportunities} opportunity(ies) stay, without an account")
        return said


def deletion_impact(session: Session, record: Record) -> DeletionImpact:
    regarding = dict(
        session.execute(
            select(Activity.type, func.count())
            .where(Activity.regarding_id == record.id)
            .group_by(Activity.type)
        ).all()
    )
    as_party = session.scalar(
        select(func.count(func.distinct(ActivityParty.activity_id))).where(
            ActivityParty.record_id == record.id
        )
    )
    return DeletionImpact(
        emails=regarding.get("email", 0),
        appointments=regarding.get("appointment", 0),
        tasks=regarding.get("task", 0),
        as_party=as_party or 0,
        contacts=_count(session, Contact.account_id == record.id),
        opportunities=_count(session, Opportunity.account_id == record.id),
    )


def _count(session: Session, condition: Any) -> int:
    return int(session.scalar(select(func.count()).where(condition)) or 0)


def regarding_activities(session: Session, record_ids: Iterable[int]) -> list[int]:
    wanted = list(record_ids)
    if not wanted:
        return []
    return list(session.scalars(select(Activity.id).where(Activity.regarding_id.in_(wanted))))


def delete_record(session: Session, record: Record) -> list[int]:
    """Delete the record; returns the activities that were regarding it (now regarding nothing:
    the store's foreign keys say so, on SQLite and PostgreSQL alike)."""
    editable_type(record)
    moved = regarding_activities(session, [record.id])
    session.delete(record)
    session.flush()
    return moved


# History


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a record's history. `action` is created, edited, qualified, disqualified…,
    or kept-aside: a value of `field` that lost a merge of two users' edits (`old`, written by
    `who`), while `new` was kept."""

    at: datetime | None
    who: str | None
    action: str
    field: str | None
    old: Any
    new: Any


KEPT_ASIDE = "kept-aside"
_RECORD_TABLES = frozenset({"records", "accounts", "contacts", "leads", "opportunities"})


def record_history(session: Session, record: Record) -> list[HistoryEntry]:
    """Newest first: every change users made, and every value a merge kept aside."""
    names = _user_names(session)
    entries = [
        HistoryEntry(
            change.changed_at,
            names.get(change.changed_by_id or 0),
            change.action,
            change.field,
            change.old_value,
            change.new_value,
        )
        for change in session.scalars(
            select(RecordChange).where(RecordChange.record_id == record.id)
        )
    ]
    fields = {spec.column: spec.name for spec in RECORD_FIELDS.get(RecordType(record.type), ())}
    for lost in session.scalars(
        select(RecordHistory).where(
            RecordHistory.row_id == record.id, RecordHistory.table_name.in_(_RECORD_TABLES)
        )
    ):
        entries.append(
            HistoryEntry(
                lost.merged_at,
                names.get(lost.lost_by_id or 0),
                KEPT_ASIDE,
                fields.get(lost.field, lost.field),
                lost.lost_value,
                lost.kept_value,
            )
        )
    entries.sort(key=lambda entry: _utc(entry.at), reverse=True)
    return entries


def _user_names(session: Session) -> dict[int, str]:
    return {user.id: user.name for user in session.scalars(select(SystemUser))}


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
