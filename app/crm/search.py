"""Read-only CRM queries for the window: type-ahead record search, record lists, a record with its
activity timeline, and the records behind a message's addresses.

Set Regarding must answer every keystroke at once over 100 000 records, and a database cannot do
an accent- and case-insensitive word-prefix search with an index portably (SQLite and
PostgreSQL differ). So the search runs on an in-memory index built once: every word of every
name, every address and every address's domain, folded (lowercase, no accents, ł -> l), in one
sorted list searched by bisection. New records are added as they appear.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.models import (
    Account,
    Activity,
    ActivityParty,
    Appointment,
    Contact,
    EmailActivity,
    EmailAddress,
    Lead,
    Opportunity,
    Record,
    Task,
)
from app.crm.records import as_utc_naive
from app.tracking.addresses import normalise_email
from app.tracking.folding import fold
from app.tracking.model import SENDER_RESOLUTION_ORDER, RecordType
from app.tracking.reasons import Reason, reasons_from_json

SEARCHABLE_TYPES: tuple[RecordType, ...] = (
    RecordType.ACCOUNT,
    RecordType.CONTACT,
    RecordType.LEAD,
    RecordType.OPPORTUNITY,
)
_TYPE_RANK = {record_type: rank for rank, record_type in enumerate(SEARCHABLE_TYPES)}
# A one-letter query matches tens of thousands of keys; ranking looks at this many and no more,
# which keeps every keystroke equally cheap.
_CANDIDATE_LIMIT = 400
_WORD_SPLIT = re.compile(r"[\s,;:/()\[\]\"'&+.-]+")
_ACCOUNTS = Account.__table__


@dataclass(frozen=True, slots=True)
class RecordKey:
    type: RecordType
    id: int


@dataclass(frozen=True, slots=True)
class RecordHit:
    key: RecordKey
    name: str
    detail: str  # the address and the company or account, to tell two Jan Kowalskis apart


class _Entry(NamedTuple):
    type: RecordType
    id: int
    name: str
    detail: str
    folded_name: str
    haystack: str  # " " + every folded key, so a word-prefix test is one substring search


@dataclass(frozen=True, slots=True)
class _Source:
    type: RecordType
    id: int
    name: str
    company: str | None


class _Columns:
    """The indexed records, one list per field. As 100 000 small objects they were each walked by
    every full garbage collection (a pause of a fifth of a second in the window); strings and
    numbers in a few lists are not walked at all."""

    def __init__(self) -> None:
        self.types: list[str] = []
        self.ids = array("q")
        self.names: list[str] = []
        self.details: list[str] = []
        self.folded_names: list[str] = []
        self.haystacks: list[str] = []

    def append(self, entry: _Entry) -> int:
        """Store `entry`; returns its slot."""
        self.types.append(entry.type.value)
        self.ids.append(entry.id)
        self.names.append(entry.name)
        self.details.append(entry.detail)
        self.folded_names.append(entry.folded_name)
        self.haystacks.append(entry.haystack)
        return len(self.types) - 1

    def entry(self, slot: int) -> _Entry:
        return _Entry(
            RecordType(self.types[slot]),
            self.ids[slot],
            self.names[slot],
            self.details[slot],
            self.folded_names[slot],
            self.haystacks[slot],
        )


class RecordSearchIndex:
    """Word-prefix search over accounts, contacts, leads and opportunities."""

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._slots = array("l")
        self._records = _Columns()
        self._highest_id = 0
        # Slots of records edited or deleted since they were indexed: skipped by search (an
        # edited record is indexed again in a new slot).
        self._stale: set[int] = set()

    @classmethod
    def build(cls, session: Session) -> RecordSearchIndex:
        index = cls()
        index._load(session, newer_than=0)
        return index

    def __len__(self) -> int:
        return len(self._records.types)

    def refresh(self, session: Session) -> int:
        """Add the records created since the index was built (ids only grow); returns how many."""
        return self._load(session, newer_than=self._highest_id)

    def reindex(self, session: Session, record_ids: Iterable[int]) -> None:
        """Records edited or deleted: found by what they are now, or no more."""
        wanted = set(record_ids)
        ids = self._records.ids
        for slot in range(len(ids)):
            if ids[slot] in wanted:
                self._stale.add(slot)
        self._load(session, newer_than=0, only=wanted)

    def search(self, text: str, limit: int = 50) -> list[RecordHit]:
        words = [word for word in _WORD_SPLIT.split(fold(text)) if word]
        whole = fold(" ".join(text.split()))
        if not words:
            return []
        # The longest word narrows the range most; the others are checked per candidate.
        anchor = max(words, key=len)
        others = [" " + word for word in words if word != anchor]
        start = bisect.bisect_left(self._keys, anchor)
        seen: set[int] = set()
        candidates: list[_Entry] = []
        for position in range(start, len(self._keys)):
            if not self._keys[position].startswith(anchor) or len(seen) >= _CANDIDATE_LIMIT:
                break
            slot = self._slots[position]
            if slot in seen or slot in self._stale:
                continue
            seen.add(slot)
            haystack = self._records.haystacks[slot]
            if all(word in haystack for word in others):
                candidates.append(self._records.entry(slot))
        candidates.sort(key=lambda entry: _rank(entry, whole))
        return [
            RecordHit(RecordKey(entry.type, entry.id), entry.name, entry.detail)
            for entry in candidates[:limit]
        ]

    def _load(self, session: Session, newer_than: int, only: set[int] | None = None) -> int:
        sources = list(_sources(session, newer_than, only))
        emails = _emails_by_record(session, [source.id for source in sources])
        new_keys: list[str] = []
        new_slots = array("l")
        # Names, companies and domains repeat across records: one string per distinct key
        # keeps a 100 000-record index a fraction of the size.
        canonical: dict[str, str] = {}
        for source in sources:
            record_emails = emails.get(source.id, [])
            keys = [canonical.setdefault(key, key) for key in _keys_for(source, record_emails)]
            detail = " · ".join(part for part in (*record_emails[:1], source.company) if part)
            entry = _Entry(
                source.type,
                source.id,
                source.name,
                detail,
                fold(source.name),
                " " + " ".join(keys),
            )
            # A record is loaded once: a refresh reads only ids above the highest seen.
            slot = self._records.append(entry)
            new_keys.extend(keys)
            new_slots.extend([slot] * len(keys))
            self._highest_id = max(self._highest_id, source.id)
        self._merge(new_keys, new_slots)
        return len(sources)

    def _merge(self, new_keys: list[str], new_slots: array[int]) -> None:
        if not new_keys:
            return
        # Few new keys go in one by one; many (the first build) are sorted together in one go,
        # as positions rather than (key, slot) pairs, which would double the peak memory.
        if len(new_keys) < 1000 and self._keys:
            for key, slot in zip(new_keys, new_slots, strict=True):
                position = bisect.bisect_right(self._keys, key)
                self._keys.insert(position, key)
                self._slots.insert(position, slot)
            return
        keys = self._keys + new_keys
        slots = self._slots + new_slots
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = [keys[position] for position in order]
        self._slots = array("l", (slots[position] for position in order))


def _rank(entry: _Entry, whole: str) -> tuple[int, int, str]:
    if entry.folded_name.startswith(whole):
        closeness = 0
    elif (" " + whole) in (" " + entry.folded_name):
        closeness = 1
    else:
        closeness = 2
    return closeness, _TYPE_RANK.get(entry.type, len(_TYPE_RANK)), entry.folded_name


def _keys_for(source: _Source, emails: Sequence[str]) -> list[str]:
    keys: set[str] = set()
    for text in (source.name, source.company or ""):
        keys.update(word for word in _WORD_SPLIT.split(fold(text)) if word)
    for email in emails:
        folded = fold(email)
        local, _, domain = folded.partition("@")
        keys.add(folded)
        if domain:
            keys.add(domain)
        keys.update(word for word in _WORD_SPLIT.split(local) if word)
    return sorted(keys)


def _sources(session: Session, newer_than: int, only: set[int] | None) -> Iterable[_Source]:
    def chosen(model: Any) -> ColumnElement[bool]:
        wanted = model.id > newer_than
        return and_(wanted, model.id.in_(only)) if only is not None else wanted

    for row in session.execute(
        select(Account.id, Account.name, Account.city).where(
            Account.active.is_(True), chosen(Account)
        )
    ):
        yield _Source(RecordType.ACCOUNT, row.id, row.name, row.city)
    for model, record_type in (
        (Contact, RecordType.CONTACT),
        (Opportunity, RecordType.OPPORTUNITY),
    ):
        name_columns: list[Any] = (
            [Contact.first_name, Contact.last_name] if model is Contact else [Opportunity.name]
        )
        statement = (
            select(model.id, *name_columns, _ACCOUNTS.c.name.label("account_name"))
            .outerjoin(_ACCOUNTS, model.account_id == _ACCOUNTS.c.id)
            .where(model.active.is_(True), chosen(model))
        )
        for row in session.execute(statement):
            name = _person_name(row.first_name, row.last_name) if model is Contact else row.name
            yield _Source(record_type, row.id, name, row.account_name)
    for row in session.execute(
        select(Lead.id, Lead.first_name, Lead.last_name, Lead.company).where(
            Lead.active.is_(True), chosen(Lead)
        )
    ):
        yield _Source(
            RecordType.LEAD, row.id, _person_name(row.first_name, row.last_name), row.company
        )


def _person_name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _emails_by_record(session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
    if not record_ids:
        return {}
    emails: dict[int, list[str]] = defaultdict(list)
    statement = select(EmailAddress.record_id, EmailAddress.email).order_by(
        EmailAddress.record_id, EmailAddress.position
    )
    lowest, highest = min(record_ids), max(record_ids)
    # A range, not IN (...100 000 ids...): SQLite limits bound parameters, and the range is
    # what a first build or a refresh covers anyway.
    statement = statement.where(EmailAddress.record_id.between(lowest, highest))
    for row in session.execute(statement):
        emails[row.record_id].append(row.email)
    return emails


# Record lists (the navigation's Accounts, Contacts, Leads, Opportunities)

_LIST_MODELS: dict[RecordType, Any] = {
    RecordType.ACCOUNT: Account,
    RecordType.CONTACT: Contact,
    RecordType.LEAD: Lead,
    RecordType.OPPORTUNITY: Opportunity,
}


@dataclass(frozen=True, slots=True)
class RecordRow:
    key: RecordKey
    name: str
    email: str
    detail: str  # city, account or company


def _name_order(record_type: RecordType) -> list[ColumnElement[Any]]:
    if record_type in (RecordType.CONTACT, RecordType.LEAD):
        model = _LIST_MODELS[record_type]
        return [func.lower(model.last_name), func.lower(model.first_name)]
    return [func.lower(_LIST_MODELS[record_type].name)]


def _name_search(record_type: RecordType, text: str) -> ColumnElement[bool] | None:
    words = text.split()
    if not words:
        return None
    model = _LIST_MODELS[record_type]
    name_columns = (
        [model.first_name, model.last_name]
        if record_type in (RecordType.CONTACT, RecordType.LEAD)
        else [model.name]
    )
    clauses = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        address_match = select(EmailAddress.id).where(
            EmailAddress.record_id == model.id,
            EmailAddress.normalized.like(pattern.lower(), escape="\\"),
        )
        clauses.append(
            or_(
                *(column.ilike(pattern, escape="\\") for column in name_columns),
                address_match.exists(),
            )
        )
    return and_(*clauses)


def record_listing_ids(session: Session, record_type: RecordType, search: str = "") -> array[int]:
    """Active records of one type by name, as ids only (the list fetches rows page by page)."""
    model = _LIST_MODELS[record_type]
    statement = select(model.id).where(model.active.is_(True))
    condition = _name_search(record_type, search)
    if condition is not None:
        statement = statement.where(condition)
    statement = statement.order_by(*_name_order(record_type), model.id)
    return array("q", session.scalars(statement))


def record_rows(session: Session, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]:
    if not ids:
        return []
    model = _LIST_MODELS[record_type]
    records = session.scalars(
        select(model).where(model.id.in_(list(ids))).options(selectinload(model.addresses))
    ).all()
    by_id = {record.id: record for record in records}
    account_names = _account_names(
        session, [getattr(record, "account_id", None) for record in records]
    )
    rows = []
    for record_id in ids:
        record = by_id.get(record_id)
        if record is None:
            continue
        rows.append(
            RecordRow(
                key=RecordKey(record_type, record.id),
                name=record.display_name,
                email=record.emails[0] if record.emails else "",
                detail=_detail_of(record, account_names),
            )
        )
    return rows


def _account_names(session: Session, account_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {account_id for account_id in account_ids if account_id is not None}
    if not wanted:
        return {}
    statement = select(_ACCOUNTS.c.id, _ACCOUNTS.c.name).where(_ACCOUNTS.c.id.in_(wanted))
    return {row.id: row.name for row in session.execute(statement)}


def record_company(session: Session, record: Record) -> str:
    """What tells two records of one name apart: an account's place, a contact's or an
    opportunity's account, a lead's company."""
    return _detail_of(record, _account_names(session, [getattr(record, "account_id", None)]))


def _detail_of(record: Record, account_names: dict[int, str]) -> str:
    if isinstance(record, Account):
        return ", ".join(part for part in (record.city, record.country) if part)
    if isinstance(record, Contact | Opportunity):
        return account_names.get(record.account_id or 0, "")
    if isinstance(record, Lead):
        return record.company or ""
    return ""


# One record with its fields and timeline


@dataclass(frozen=True, slots=True)
class RecordSummary:
    key: RecordKey
    name: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    activity_id: int
    kind: str  # email | appointment | task
    subject: str
    when: datetime | None
    tracked: bool
    direction: str | None  # incoming | outgoing, for email
    status: str | None  # a task's status
    regarding: RecordSummary | None
    linked_as: str  # regarding | party


@dataclass(frozen=True, slots=True)
class RecordDetails:
    summary: RecordSummary
    active: bool
    emails: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # (field key, value as text); the window names the keys
    owner: str | None
    timeline: tuple[TimelineEntry, ...] = field(default=())


_PERSON_FIELDS = ("salutation", "first_name", "last_name", "suffix")
_FIELDS: dict[RecordType, tuple[str, ...]] = {
    RecordType.ACCOUNT: ("website", "phone", "city", "country"),
    RecordType.CONTACT: (*_PERSON_FIELDS, "job_title", "phone", "mobile_phone"),
    RecordType.LEAD: (
        *_PERSON_FIELDS,
        "company",
        "job_title",
        "phone",
        "mobile_phone",
        "topic",
        "status",
    ),
    RecordType.OPPORTUNITY: ("stage", "probability", "estimated_value", "currency", "close_date"),
    RecordType.USER: ("name",),
    RecordType.QUEUE: ("name",),
}
TIMELINE_LIMIT = 300


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record_summary(record: Record) -> RecordSummary:
    return RecordSummary(RecordKey(RecordType(record.type), record.id), record.display_name)


def record_details(session: Session, key: RecordKey) -> RecordDetails | None:
    records = with_polymorphic(Record, "*")
    record = session.scalars(
        select(records).where(records.id == key.id).options(selectinload(records.addresses))
    ).one_or_none()
    if record is None or record.type != key.type.value:
        return None
    fields: list[tuple[str, str]] = [
        (name, _text(getattr(record, name, None))) for name in _FIELDS.get(key.type, ())
    ]
    for name in ("account_id", "contact_id"):
        linked_id = getattr(record, name, None)
        linked = session.get(Record, linked_id) if linked_id is not None else None
        if linked is not None:
            fields.append((name.removesuffix("_id"), linked.display_name))
    owner = session.get(Record, record.owner_id) if record.owner_id else None
    return RecordDetails(
        summary=record_summary(record),
        active=record.active,
        emails=tuple(record.emails),
        fields=tuple((name, value) for name, value in fields if value),
        owner=owner.display_name if owner is not None else None,
        timeline=tuple(timeline(session, key.id)),
    )


def _rolled_up(session: Session, record_id: int) -> list[int]:
    """An account's timeline includes its contacts' and opportunities' activities, as a CRM's
    account view does; any other record's is its own."""
    ids = [record_id]
    for model in (Contact, Opportunity):
        ids.extend(session.scalars(select(model.id).where(model.account_id == record_id)))
    return ids


def timeline(session: Session, record_id: int) -> list[TimelineEntry]:
    """Activities regarding the record (or, for an account, its contacts and opportunities) or
    with it among their parties, newest first."""
    activities = with_polymorphic(Activity, "*")
    record_ids = _rolled_up(session, record_id)
    as_party = select(ActivityParty.activity_id).where(ActivityParty.record_id.in_(record_ids))
    statement = (
        select(activities)
        .where(or_(activities.regarding_id.in_(record_ids), activities.id.in_(as_party)))
        .options(selectinload(activities.regarding))
        .order_by(activities.id.desc())
        .limit(TIMELINE_LIMIT)
    )
    entries = [_timeline_entry(activity, record_id) for activity in session.scalars(statement)]
    entries.sort(key=lambda entry: entry.when or datetime.min, reverse=True)
    return entries


def _timeline_entry(activity: Activity, record_id: int) -> TimelineEntry:
    when: datetime | None = None
    tracked = True
    direction: str | None = None
    status: str | None = None
    kind = activity.type
    if isinstance(activity, EmailActivity):
        when = activity.received_at or activity.sent_at or activity.tracked_at
        tracked = activity.tracked
        direction = activity.direction
    elif isinstance(activity, Appointment):
        when = activity.start
    elif isinstance(activity, Task):
        when = activity.due or activity.start
        status = activity.status
    return TimelineEntry(
        activity_id=activity.id,
        kind=kind,
        subject=activity.subject,
        when=as_utc_naive(when),
        tracked=tracked,
        direction=direction,
        status=status,
        regarding=record_summary(activity.regarding) if activity.regarding else None,
        linked_as="regarding" if activity.regarding_id == record_id else "party",
    )


# The records behind a message's addresses (the CRM pane of an untracked message)


def records_for_addresses(
    session: Session, emails: Iterable[str]
) -> dict[str, list[RecordSummary]]:
    """Every active record per normalised address, in the engine's sender-resolution order."""
    wanted = {normalise_email(email) for email in emails} - {""}
    if not wanted:
        return {}
    records = with_polymorphic(Record, "*")
    statement = (
        select(EmailAddress.normalized, records)
        .join(records, records.id == EmailAddress.record_id)
        .where(EmailAddress.normalized.in_(wanted), records.active.is_(True))
        .order_by(records.created_at, records.id)
    )
    found: dict[str, list[RecordSummary]] = defaultdict(list)
    for normalized, record in session.execute(statement):
        found[normalized].append(record_summary(record))
    order = {record_type: rank for rank, record_type in enumerate(SENDER_RESOLUTION_ORDER)}
    return {
        email: sorted(matches, key=lambda summary: order.get(summary.key.type, len(order)))
        for email, matches in found.items()
    }


@dataclass(frozen=True, slots=True)
class PartyLink:
    role: str
    email: str
    name: str
    record: RecordSummary | None


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    """A tracked email activity as the CRM pane explains it."""

    id: int
    tracked: bool
    how: str | None  # automatic | manual
    rule: str | None
    evidence: str | None  # the reason in words, as versions before structured reasons kept it
    tracked_at: datetime | None
    regarding: RecordSummary | None
    parties: tuple[PartyLink, ...]
    reasons: tuple[Reason, ...] | None = None  # None: an activity with words only


def email_activity_facts(session: Session, activity_id: int) -> ActivityFacts | None:
    activity = session.scalars(
        select(EmailActivity)
        .where(EmailActivity.id == activity_id)
        .options(
            selectinload(EmailActivity.parties).selectinload(ActivityParty.record),
            selectinload(EmailActivity.regarding),
        )
    ).one_or_none()
    if activity is None:
        return None
    return ActivityFacts(
        id=activity.id,
        tracked=activity.tracked,
        how=activity.tracked_how,
        rule=activity.rule,
        evidence=activity.evidence,
        reasons=reasons_from_json((activity.decision or {}).get("reasons")),
        tracked_at=activity.tracked_at,
        regarding=record_summary(activity.regarding) if activity.regarding else None,
        parties=tuple(
            PartyLink(
                role=party.role,
                email=party.email,
                name=party.display_name,
                record=record_summary(party.record) if party.record else None,
            )
            for party in activity.parties
        ),
    )
