"""Duplicate detection as the reference product's default rules do it, as pure functions.

A record about to be created or saved is compared with the active records of the CRM:
- the same email address (any account, contact or lead): the same mailbox is the same party;
- a lead with a contact's address is told apart: that person is a customer already, and a
  lead must not carry their address silently;
- the same name within one type: a person's first and last name in any order, case and
  accents aside (`Kowalski Jan`, `jan kowalski`); an account's name without its legal form
  (`Acme Logistics` and `Acme Logistics Sp. z o.o.`); an opportunity's name.
Each other record matches once, by its strongest rule; the caller decides what to do (the
window offers to open the match or save anyway; the CSV import reports the line).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from app.tracking.addresses import normalise_email
from app.tracking.folding import fold
from app.tracking.model import RecordType
from app.tracking.names import without_legal_form

PERSON_TYPES = frozenset({RecordType.CONTACT, RecordType.LEAD})
ADDRESSED_TYPES = frozenset({RecordType.ACCOUNT, RecordType.CONTACT, RecordType.LEAD})


class DuplicateRule(enum.StrEnum):
    SAME_EMAIL = "same-email"
    CONTACTS_ADDRESS = "contacts-address"  # a lead carrying a contact's address
    SAME_NAME = "same-name"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record as duplicate detection compares it; `id` None for one not saved yet."""

    type: RecordType
    id: int | None
    name: str
    emails: tuple[str, ...] = ()
    detail: str = ""  # the company or account, to tell two matches apart


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    rule: DuplicateRule
    record: Candidate
    value: str  # the address or the name both have

    @property
    def is_warning_only(self) -> bool:
        """A lead with a contact's address is worth saying, not a second copy of the record."""
        return self.rule is DuplicateRule.CONTACTS_ADDRESS


def name_key(record_type: RecordType, name: str) -> frozenset[str]:
    """What two names of one type share when they name the same party."""
    text = without_legal_form(name) if record_type is RecordType.ACCOUNT else name
    return frozenset(word for word in fold(text).replace(",", " ").split() if word)


def find_duplicates(probe: Candidate, others: Iterable[Candidate]) -> list[DuplicateMatch]:
    """The records `probe` duplicates, addresses before names, each record once."""
    emails = (
        {normalise_email(email): email for email in probe.emails if normalise_email(email)}
        if probe.type in ADDRESSED_TYPES
        else {}
    )
    own_name = name_key(probe.type, probe.name)
    matches: list[DuplicateMatch] = []
    seen: set[tuple[RecordType, int | None]] = set()
    for other in others:
        key = (other.type, other.id)
        if key in seen or (other.id is not None and key == (probe.type, probe.id)):
            continue
        match = _match(probe, other, emails, own_name)
        if match is not None:
            seen.add(key)
            matches.append(match)
    order = {rule: rank for rank, rule in enumerate(DuplicateRule)}
    matches.sort(key=lambda match: order[match.rule])
    return matches


def _match(
    probe: Candidate, other: Candidate, emails: dict[str, str], own_name: frozenset[str]
) -> DuplicateMatch | None:
    if other.type in ADDRESSED_TYPES:
        for email in other.emails:
            shared = emails.get(normalise_email(email))
            if shared is None:
                continue
            rule = (
                DuplicateRule.CONTACTS_ADDRESS
                if probe.type is RecordType.LEAD and other.type is RecordType.CONTACT
                else DuplicateRule.SAME_EMAIL
            )
            return DuplicateMatch(rule, other, shared)
    if own_name and other.type is probe.type and name_key(other.type, other.name) == own_name:
        return DuplicateMatch(DuplicateRule.SAME_NAME, other, probe.name)
    return None
