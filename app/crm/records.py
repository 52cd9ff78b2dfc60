"""Creating and finding CRM records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.crm.errors import CrmError
from app.crm.models import (
    RECORD_CLASSES,
    Account,
    ActivityParty,
    Contact,
    EmailAddress,
    Lead,
    Opportunity,
    Queue,
    Record,
    ReplicaIdMap,
    SystemUser,
)
from app.tracking.addresses import normalise_email
from app.tracking.model import RecordRef, RecordType

# Record types a user may name by one of its addresses instead of its id.
ADDRESSABLE_BY_EMAIL = frozenset({"account", "contact", "lead"})
# The largest id SQLite's INTEGER and PostgreSQL's bigint hold.
MAX_RECORD_ID = 2**63 - 1


def set_addresses(record: Record, emails: Iterable[str]) -> None:
    """Give `record` these addresses in order, dropping blanks and duplicates."""
    seen: set[str] = set()
    addresses: list[EmailAddress] = []
    for raw in emails:
        email = raw.strip()
        normalized = normalise_email(email)
        if not normalized or normalized in seen:
            continue
        seen.add(normalized)
        addresses.append(EmailAddress(email=email, normalized=normalized, position=len(addresses)))
    record.addresses = addresses


def split_addresses(cell: str) -> list[str]:
    """An `email` cell may hold several addresses separated by `;` (or `,`, as people type)."""
    return [part.strip() for part in cell.replace(",", ";").split(";") if part.strip()]


def next_user_number(session: Session) -> int:
    highest = session.scalar(select(func.max(SystemUser.user_number)))
    return (highest or 0) + 1


def create_user(session: Session, name: str, emails: Sequence[str]) -> SystemUser:
    user = SystemUser(name=name, user_number=next_user_number(session))
    set_addresses(user, emails)
    session.add(user)
    session.flush()
    return user


def user_for_address(session: Session, address: str, name: str) -> SystemUser:
    """The system user with this address, created (as `name`) when there is none yet."""
    users = [
        record
        for record in records_with_address(session, address)
        if isinstance(record, SystemUser)
    ]
    return users[0] if users else create_user(session, name, [address])


def create_queue(
    session: Session, name: str, emails: Sequence[str], owner: SystemUser | None
) -> Queue:
    queue = Queue(name=name, owner_id=owner.id if owner else None)
    set_addresses(queue, emails)
    session.add(queue)
    session.flush()
    return queue


def create_account(
    session: Session,
    name: str,
    emails: Sequence[str] = (),
    owner: SystemUser | None = None,
    **fields: str | None,
) -> Account:
    account = Account(name=name, owner_id=owner.id if owner else None, **fields)
    set_addresses(account, emails)
    session.add(account)
    session.flush()
    return account


def create_contact(
    session: Session,
    first_name: str,
    last_name: str,
    emails: Sequence[str] = (),
    owner: SystemUser | None = None,
    account: Account | None = None,
    **fields: str | None,
) -> Contact:
    contact = Contact(
        first_name=first_name,
        last_name=last_name,
        owner_id=owner.id if owner else None,
        account_id=account.id if account else None,
        **fields,
    )
    set_addresses(contact, emails)
    session.add(contact)
    session.flush()
    return contact


def create_lead(
    session: Session,
    first_name: str,
    last_name: str,
    emails: Sequence[str] = (),
    owner: SystemUser | None = None,
    **fields: str | None,
) -> Lead:
    lead = Lead(
        first_name=first_name, last_name=last_name, owner_id=owner.id if owner else None, **fields
    )
    set_addresses(lead, emails)
    session.add(lead)
    session.flush()
    return lead


def create_opportunity(
    session: Session, name: str, account: Account | None, owner: SystemUser | None, **fields: object
) -> Opportunity:
    opportunity = Opportunity(
        name=name,
        account_id=account.id if account else None,
        owner_id=owner.id if owner else None,
        **fields,
    )
    session.add(opportunity)
    session.flush()
    return opportunity


def records_with_address(session: Session, email: str) -> list[Record]:
    normalized = normalise_email(email)
    if not normalized:
        return []
    statement = (
        select(Record)
        .join(EmailAddress, EmailAddress.record_id == Record.id)
        .where(EmailAddress.normalized == normalized)
        .order_by(Record.created_at, Record.id)
    )
    return list(session.scalars(statement).unique())


def accounts_at_domain(session: Session, domain: str) -> list[Account]:
    """Active accounts with an address at this domain, oldest first: where a company's role
    address (info@) belongs and what a lead from it may be qualified into."""
    domain = domain.strip().lower()
    if not domain:
        return []
    at_domain = select(EmailAddress.record_id).where(EmailAddress.normalized.like(f"%@{domain}"))
    return list(
        session.scalars(
            select(Account)
            .where(Account.id.in_(at_domain), Account.active.is_(True))
            .order_by(Account.created_at, Account.id)
        )
    )


def find_account_by_name(session: Session, name: str) -> Account | None:
    wanted = name.strip().casefold()
    if not wanted:
        return None
    # Names are few per lookup and casefold is not portable SQL, so compare in Python after a
    # case-insensitive prefilter that both SQLite and PostgreSQL understand.
    candidates = session.scalars(
        select(Account).where(func.lower(Account.name) == name.strip().lower())
    ).all()
    for account in candidates:
        if account.name.casefold() == wanted:
            return account
    return candidates[0] if candidates else None


def get_record(session: Session, record_type: str, key: str) -> Record:
    """A record by `TYPE` and `KEY`: an id, or for accounts, contacts and leads an address."""
    model = RECORD_CLASSES.get(record_type)
    if model is None:
        known = ", ".join(sorted(RECORD_CLASSES))
        raise CrmError(f"Unknown record type {record_type!r}; use one of {known}")
    key = key.strip()
    if key.isascii() and key.isdigit():  # str.isdigit() alone takes "²", which int() refuses
        record = _by_id(session, model, int(key))
        if record is None:
            raise CrmError(f"No {record_type} has id {key}")
        return record
    if record_type not in ADDRESSABLE_BY_EMAIL or "@" not in key:
        raise CrmError(f"Name a {record_type} by its id (a number), not {key!r}")
    matches = [record for record in records_with_address(session, key) if isinstance(record, model)]
    if not matches:
        raise CrmError(f"No {record_type} has the address {key}")
    return matches[0]


def _by_id(session: Session, model: type[Record], record_id: int) -> Record | None:
    if record_id > MAX_RECORD_ID:
        return None  # no record can have it, and asking the database would overflow
    return session.get(model, record_id) or _settled(session, model, record_id)


def _settled(session: Session, model: type[Record], record_id: int) -> Record | None:
    """In a team client's replica, a record created offline is known by a provisional id until
    the shared store gives it its own; a caller holding the old id (a search index, the mark on
    an Exchange item) still finds it."""
    moved = session.get(ReplicaIdMap, record_id)
    if moved is None or moved.server_id is None:
        return None
    return session.get(model, moved.server_id)


def record_ref(record: Record) -> RecordRef:
    return named_ref(record, record.display_name)


def named_ref(record: Any, name: str) -> RecordRef:
    """The RecordRef of a record or of a row of its columns (type, id, owner_id, created_at,
    active), named `name`."""
    return RecordRef(
        type=RecordType(record.type),
        id=record.id,
        name=name,
        owner_id=record.owner_id,
        created_at=as_utc_naive(record.created_at),
        active=record.active,
    )


def as_utc_naive(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive timestamps and PostgreSQL aware ones; tie-breaking compares them,
    # so they are made comparable here.
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def list_records(session: Session, record_type: str) -> list[Record]:
    model = RECORD_CLASSES[record_type]
    statement = select(model).options(selectinload(model.addresses)).order_by(model.id)
    return list(session.scalars(statement))


def find_record_by_name(session: Session, record_type: str, name: str) -> Record | None:
    """The oldest record of a type whose display name is `name`, ignoring case."""
    wanted = " ".join(name.split()).casefold()
    for record in list_records(session, record_type):
        if record.display_name.casefold() == wanted:
            return record
    return None


def claim_unresolved_parties(session: Session, email: str, record: Record) -> None:
    """Activities that had `email` as a party no record matched now resolve it to `record`."""
    session.execute(
        update(ActivityParty)
        .where(
            ActivityParty.normalized == normalise_email(email), ActivityParty.record_id.is_(None)
        )
        .values(record_id=record.id)
    )
