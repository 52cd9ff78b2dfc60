"""Importing CRM records from UTF-8 CSV files with a header row.

Every row is checked before anything is written; a file with bad rows imports nothing unless the
caller asks to skip them. Unknown extra columns are ignored, as spreadsheets carry many.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.orm import Session

from app.crm.duplicate_rules import DuplicateMatch
from app.crm.duplicates import NameIndex, duplicates_of
from app.crm.errors import CrmError
from app.crm.models import Account, Record, SystemUser
from app.crm.records import (
    create_account,
    create_contact,
    create_lead,
    create_opportunity,
    create_queue,
    create_user,
    find_account_by_name,
    records_with_address,
    split_addresses,
)
from app.tracking.addresses import is_valid_email, normalise_email
from app.tracking.model import RecordType

Row = dict[str, str]


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    """A good row whose record may be one the CRM has (imported all the same)."""

    line: int
    matches: tuple[DuplicateMatch, ...]


@dataclass
class ImportReport:
    imported: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportKind:
    required: tuple[str, ...]
    check: Callable[[Session, Row], str | None]  # the reason a row is bad, or None
    create: Callable[[Session, Row, SystemUser], Record]


def _text(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def _check_emails(session: Session, row: Row, record_type: str, seen: set[str]) -> str | None:
    for email in split_addresses(_text(row, "email")):
        if not is_valid_email(email):
            return f"{email!r} is not an email address"
        normalized = normalise_email(email)
        if normalized in seen:
            return f"{email} appears twice in this file"
        taken = [
            record for record in records_with_address(session, email) if record.type == record_type
        ]
        if taken:
            return f"a {record_type} with {email} exists already (id {taken[0].id})"
    for email in split_addresses(_text(row, "email")):
        seen.add(normalise_email(email))
    return None


def _require(row: Row, *columns: str) -> str | None:
    missing = [column for column in columns if not _text(row, column)]
    return f"empty {' and '.join(missing)}" if missing else None


def _person_named(row: Row) -> str | None:
    if not (_text(row, "first_name") or _text(row, "last_name")):
        return "empty first_name and last_name"
    return None


def _account_known(session: Session, row: Row) -> str | None:
    name = _text(row, "account")
    if name and find_account_by_name(session, name) is None:
        return f"no account named {name!r}; import accounts first"
    return None


def _optional_account(session: Session, row: Row) -> Account | None:
    name = _text(row, "account")
    return find_account_by_name(session, name) if name else None


def _opportunity_values(row: Row) -> tuple[Decimal | None, date | None]:
    value_text = _text(row, "estimated_value").replace(" ", "").replace(",", ".")
    date_text = _text(row, "close_date")
    try:
        value = Decimal(value_text) if value_text else None
    except InvalidOperation:
        raise ValueError(f"estimated_value {value_text!r} is not a number") from None
    try:
        close = date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise ValueError(f"close_date {date_text!r} is not a date like 2026-12-31") from None
    return value, close


def _check_opportunity(session: Session, row: Row) -> str | None:
    try:
        _opportunity_values(row)
    except ValueError as exc:
        return str(exc)
    return _require(row, "name") or _account_known(session, row)


def _optional(row: Row, *columns: str) -> dict[str, str | None]:
    return {column: _text(row, column) or None for column in columns}


def _kinds(seen: set[str]) -> dict[str, ImportKind]:
    def emails_of(record_type: str) -> Callable[[Session, Row], str | None]:
        return lambda session, row: _check_emails(session, row, record_type, seen)

    def both(*checks: Callable[[Session, Row], str | None]) -> Callable[[Session, Row], str | None]:
        return lambda session, row: next(
            (reason for check in checks if (reason := check(session, row))), None
        )

    return {
        "accounts": ImportKind(
            ("name", "email", "website"),
            both(lambda _s, row: _require(row, "name"), emails_of("account")),
            lambda session, row, owner: create_account(
                session,
                _text(row, "name"),
                split_addresses(_text(row, "email")),
                owner,
                **_optional(row, "website", "phone", "city", "country"),
            ),
        ),
        "contacts": ImportKind(
            ("first_name", "last_name", "email", "account"),
            both(lambda _s, row: _person_named(row), _account_known, emails_of("contact")),
            lambda session, row, owner: create_contact(
                session,
                _text(row, "first_name"),
                _text(row, "last_name"),
                split_addresses(_text(row, "email")),
                owner,
                _optional_account(session, row),
                **_optional(row, "job_title", "phone"),
            ),
        ),
        "leads": ImportKind(
            ("first_name", "last_name", "email", "company"),
            both(lambda _s, row: _person_named(row), emails_of("lead")),
            lambda session, row, owner: create_lead(
                session,
                _text(row, "first_name"),
                _text(row, "last_name"),
                split_addresses(_text(row, "email")),
                owner,
                **_optional(row, "company", "topic"),
            ),
        ),
        "users": ImportKind(
            ("name", "email"),
            both(lambda _s, row: _require(row, "name", "email"), emails_of("user")),
            lambda session, row, _owner: create_user(
                session, _text(row, "name"), split_addresses(_text(row, "email"))
            ),
        ),
        "queues": ImportKind(
            ("name", "email"),
            both(lambda _s, row: _require(row, "name", "email"), emails_of("queue")),
            lambda session, row, owner: create_queue(
                session, _text(row, "name"), split_addresses(_text(row, "email")), owner
            ),
        ),
        "opportunities": ImportKind(
            ("name", "account"),
            _check_opportunity,
            lambda session, row, owner: create_opportunity(
                session,
                _text(row, "name"),
                _optional_account(session, row),
                owner,
                estimated_value=_opportunity_values(row)[0],
                close_date=_opportunity_values(row)[1],
                currency=_text(row, "currency").upper() or None,
                stage=_text(row, "stage") or None,
            ),
        ),
    }


IMPORT_KINDS = ("accounts", "contacts", "leads", "users", "queues", "opportunities")


def _read_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, Row]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CrmError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CrmError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8"
        ) from None
    except OSError as exc:
        raise CrmError(f"{path}: cannot read: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [column.strip().lower() for column in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        raise CrmError(f"{path}: the header row lacks the column(s) {', '.join(missing)}")
    reader.fieldnames = header
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            yield (
                reader.line_num,
                {key: value for key, value in row.items() if isinstance(key, str)},
            )
    except csv.Error as exc:
        raise CrmError(f"{path}: line {reader.line_num}: {exc}") from None


_DUPLICATE_CHECKED = {
    "accounts": RecordType.ACCOUNT,
    "contacts": RecordType.CONTACT,
    "leads": RecordType.LEAD,
    "opportunities": RecordType.OPPORTUNITY,
}


def _duplicates(
    session: Session, kind: str, row: Row, names: NameIndex | None
) -> list[DuplicateMatch]:
    record_type = _DUPLICATE_CHECKED.get(kind)
    if record_type is None:
        return []
    values = {
        "name": _text(row, "name"),
        "first_name": _text(row, "first_name"),
        "last_name": _text(row, "last_name"),
        "emails": split_addresses(_text(row, "email")),
    }
    return duplicates_of(session, record_type, values, names=names)


def import_csv(
    session: Session, kind: str, path: Path, owner: SystemUser, skip_bad: bool
) -> ImportReport:
    """Import a file into the session's transaction; the caller commits or rolls back."""
    if kind not in IMPORT_KINDS:
        raise CrmError(f"cannot import {kind!r}; use one of {', '.join(IMPORT_KINDS)}")
    spec = _kinds(set())[kind]
    report = ImportReport()
    checked = _DUPLICATE_CHECKED.get(kind)
    names = NameIndex(session, checked) if checked is not None else None
    good: list[Row] = []
    for line, row in _read_rows(path, spec.required):
        reason = spec.check(session, row)
        if reason is None:
            good.append(row)
            matches = _duplicates(session, kind, row, names)
            if matches:
                report.duplicates.append(DuplicateRow(line, tuple(matches)))
        else:
            report.bad_rows.append(BadRow(line, reason))
    if report.bad_rows and not skip_bad:
        return report
    for row in good:
        spec.create(session, row, owner)
        report.imported += 1
    return report
