"""Finding the records a new or edited one duplicates: the store's candidates, judged by
app.crm.duplicate_rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from app.crm.duplicate_rules import (
    PERSON_TYPES,
    Candidate,
    DuplicateMatch,
    find_duplicates,
    name_key,
)
from app.crm.fields import Value
from app.crm.models import Account, Contact, EmailAddress, Lead, Opportunity, Record
from app.crm.search import record_company
from app.tracking.addresses import normalise_email
from app.tracking.folding import fold
from app.tracking.model import RecordType
from app.tracking.names import without_legal_form


def values_name(record_type: RecordType, values: Mapping[str, Value]) -> str:
    """The display name the values give a record."""
    if record_type in PERSON_TYPES:
        parts = (values.get("first_name"), values.get("last_name"))
        return " ".join(str(part) for part in parts if part)
    return str(values.get("name") or "")


class NameIndex:
    """Every record of one type by its folded name: many records checked at once (a CSV
    import) read the names once instead of once per record."""

    def __init__(self, session: Session, record_type: RecordType) -> None:
        self._ids: dict[frozenset[str], list[int]] = defaultdict(list)
        model = _NAMED.get(record_type)
        if model is None:
            return
        columns = (
            [model.first_name, model.last_name] if record_type in PERSON_TYPES else [model.name]
        )
        for row in session.execute(select(model.id, *columns)):
            name = " ".join(part for part in row[1:] if part)
            self._ids[name_key(record_type, name)].append(row.id)

    def ids(self, probe: Candidate) -> set[int]:
        key = name_key(probe.type, probe.name)
        return set(self._ids.get(key, ())) if key else set()


def duplicates_of(
    session: Session,
    record_type: RecordType,
    values: Mapping[str, Value],
    record_id: int | None = None,
    names: NameIndex | None = None,
) -> list[DuplicateMatch]:
    """The active records that the record with these values (all of its fields) duplicates;
    `names` when many are checked against the same store."""
    emails = values.get("emails") or []
    assert isinstance(emails, list)
    probe = Candidate(record_type, record_id, values_name(record_type, values), tuple(emails))
    return find_duplicates(probe, candidates(session, probe, names))


def candidates(
    session: Session, probe: Candidate, names: NameIndex | None = None
) -> list[Candidate]:
    """Active records sharing an address with the probe, or its name."""
    ids: set[int] = set()
    normalized = {normalise_email(email) for email in probe.emails} - {""}
    if normalized:
        ids.update(
            session.scalars(
                select(EmailAddress.record_id).where(EmailAddress.normalized.in_(normalized))
            )
        )
    ids.update(names.ids(probe) if names is not None else _same_name_ids(session, probe))
    if not ids:
        return []
    records = with_polymorphic(Record, "*")
    found = session.scalars(
        select(records)
        .where(records.id.in_(ids), records.active.is_(True))
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


_NAMED: dict[RecordType, Any] = {
    RecordType.ACCOUNT: Account,
    RecordType.CONTACT: Contact,
    RecordType.LEAD: Lead,
    RecordType.OPPORTUNITY: Opportunity,
}


def _same_name_ids(session: Session, probe: Candidate) -> set[int]:
    """Records of the probe's type with its name, folded as the rules fold it. The database
    narrows by what it can compare (a word's length and first letter in any case or accent,
    a first word's prefix); only names, not records, are read to finish in Python."""
    words = probe.name.split()
    if not words:
        return set()
    wanted = name_key(probe.type, probe.name)
    if probe.type in PERSON_TYPES:
        model: type[Contact] | type[Lead] = Contact if probe.type is RecordType.CONTACT else Lead
        # Either word order (Jan Kowalski, Kowalski Jan), with or without accents.
        rows = session.execute(
            select(model.id, model.first_name, model.last_name).where(
                or_(*(_like_word(model.last_name, word) for word in {words[-1], words[0]}))
            )
        )
        return {
            row.id
            for row in rows
            if name_key(probe.type, f"{row.first_name or ''} {row.last_name or ''}") == wanted
        }
    if probe.type is RecordType.ACCOUNT:
        first = (without_legal_form(probe.name).split() or words)[0]
        rows = session.execute(
            select(Account.id, Account.name).where(
                or_(
                    Account.name.like(f"{_escaped(first)}%", escape="\\"),
                    func.lower(Account.name).like(f"{_escaped(first.lower())}%", escape="\\"),
                )
            )
        )
        return {row.id for row in rows if name_key(probe.type, row.name) == wanted}
    if probe.type is RecordType.OPPORTUNITY:
        return set(
            session.scalars(select(Opportunity.id).where(_spelled(Opportunity.name, (probe.name,))))
        )
    return set()


def _like_word(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """Names of the word's length with its first and last letters in any case or accent
    (Wiśniewski for Wisniewski, Żak for zak): few enough to compare folded in Python."""
    return and_(
        func.length(column) == len(word),
        func.substr(column, 1, 1).in_(letter_variants(word[:1])),
        func.substr(column, func.length(column), 1).in_(letter_variants(word[-1:])),
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
