"""Finding the records a new or edited one duplicates: the store's candidates, judged by
app.crm.duplicate_rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.duplicate_rules import (
    PERSON_TYPES,
    Candidate,
    DuplicateMatch,
    find_duplicates,
)
from app.crm.fields import Value
from app.crm.models import Account, Contact, EmailAddress, Lead, Opportunity, Record
from app.crm.search import fold, record_company
from app.tracking.addresses import normalise_email
from app.tracking.model import RecordType
from app.tracking.names import without_legal_form


def values_name(record_type: RecordType, values: Mapping[str, Value]) -> str:
    """The display name the values give a record."""
    if record_type in PERSON_TYPES:
        parts = (values.get("first_name"), values.get("last_name"))
        return " ".join(str(part) for part in parts if part)
    return str(values.get("name") or "")


def duplicates_of(
    session: Session,
    record_type: RecordType,
    values: Mapping[str, Value],
    record_id: int | None = None,
) -> list[DuplicateMatch]:
    """The active records that the record with these values (all of its fields) duplicates."""
    emails = values.get("emails") or []
    assert isinstance(emails, list)
    probe = Candidate(record_type, record_id, values_name(record_type, values), tuple(emails))
    return find_duplicates(probe, candidates(session, probe))


def candidates(session: Session, probe: Candidate) -> list[Candidate]:
    """Active records sharing an address with the probe, or possibly its name (a superset:
    the rules decide)."""
    records = with_polymorphic(Record, "*")
    conditions: list[ColumnElement[bool]] = []
    normalized = {normalise_email(email) for email in probe.emails} - {""}
    if normalized:
        conditions.append(
            records.id.in_(
                select(EmailAddress.record_id).where(EmailAddress.normalized.in_(normalized))
            )
        )
    named = _same_name(probe)
    if named is not None:
        conditions.append(records.id.in_(named))
    if not conditions:
        return []
    found = session.scalars(
        select(records)
        .where(or_(*conditions), records.active.is_(True))
        .options(selectinload(records.addresses))
        .order_by(records.created_at, records.id)
    )
    return [candidate_of(session, record) for record in found]


def candidate_of(session: Session, record: Record) -> Candidate:
    return Candidate(
        RecordType(record.type),
        record.id,
        record.display_name,
        tuple(record.emails),
        record_company(session, record),
    )


def _same_name(probe: Candidate) -> Sequence[object] | None:
    """Ids of records of the probe's type whose name may be the probe's: compared as written
    and in lower case (the rules fold accents after)."""
    words = probe.name.split()
    if not words:
        return None
    if probe.type in PERSON_TYPES:
        model: type[Contact] | type[Lead] = Contact if probe.type is RecordType.CONTACT else Lead
        # Either word order (Jan Kowalski, Kowalski Jan), with or without accents.
        return select(model.id).where(
            or_(*(_like_word(model.last_name, w) for w in {words[-1], words[0]}))
        )
    if probe.type is RecordType.ACCOUNT:
        first = without_legal_form(probe.name).split()[:1] or words[:1]
        return select(Account.id).where(
            or_(
                Account.name.like(f"{_escaped(first[0])}%", escape="\\"),
                func.lower(Account.name).like(f"{_escaped(first[0].lower())}%", escape="\\"),
            )
        )
    if probe.type is RecordType.OPPORTUNITY:
        return select(Opportunity.id).where(_spelled(Opportunity.name, (probe.name,)))
    return None


def _like_word(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """Names of the word's length starting with its first letter in any case or accent
    (Wiśniewski for Wisniewski, Żak for zak): few enough to compare folded in Python."""
    return and_(
        func.length(column) == len(word),
        func.substr(column, 1, 1).in_(letter_variants(word[:1])),
    )


def _spelled(column: ColumnElement[str], texts: Iterable[str]) -> ColumnElement[bool]:
    spellings = {variant for text in texts for variant in (text, text.lower(), text.title())}
    return or_(column.in_(spellings), func.lower(column).in_({text.lower() for text in texts}))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Latin letters with their accents and cases, by what they fold to (a: a A à á â ä ą Ą ...).
_LATIN = [chr(code) for code in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250))]
_VARIANTS: dict[str, set[str]] = {}
for _letter in _LATIN:
    _VARIANTS.setdefault(fold(_letter)[:1], set()).add(_letter)


def letter_variants(letter: str) -> list[str]:
    """Every Latin letter that folds to the same one as `letter`, `letter` itself included."""
    return sorted(_VARIANTS.get(fold(letter)[:1], set()) | {letter, letter.lower(), letter.upper()})
