"""Importing CRM records from UTF-8 CSV files with a header row.

Every row is checked before anything is written; a file with bad rows imports nothing unless the
caller asks to skip them. Unknown extra columns are ignored, as spreadsheets carry many.

Rows are read strictly: lines end only at CR or LF (never at U+2028 or a form feed, which a
spreadsheet keeps inside a cell), text after a closing quote is an error, and a row that runs over
several lines with a line break in a field Liaison imports is a bad row naming the line its quote
opened on, not several rows silently read as one. A field Liaison imports may hold no control
character (a NUL in an address would pass every later check).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.orm import Session

from app.bounded_read import UnreadableFile, read_user_file
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
MAX_CSV_BYTES = 256 * 1024 * 1024
MAX_AMOUNT = Decimal(10) ** 16  # Numeric(18, 2)
# Control characters, and the line and paragraph separators that are line breaks in disguise.
_CONTROL = frozenset({"Cc", "Zl", "Zp"})


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
    optional: tuple[str, ...]  # the other columns it reads when a file has them
    check: Callable[[Session, Row], str | None]  # the reason a row is bad, or None
    create: Callable[[Session, Row, SystemUser], Record]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # the physical line it starts on
    last_line: int  # the physical line it ends on (the same, but for a quoted line break)
    values: Row


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
    if value is not None and not (value.is_finite() and abs(value) < MAX_AMOUNT):
        # NaN, infinities and 1e99999 parse as Decimals; the column keeps 16 digits and a cent.
        raise ValueError(
            f"estimated_value {value_text!r} is not an amount of at most 16 digits before the "
            "decimal point"
        )
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

    account_extras = ("website", "phone", "city", "country")
    contact_extras = ("job_title", "phone")
    lead_extras = ("company", "topic")
    return {
        "accounts": ImportKind(
            ("name", "email", "website"),
            account_extras,
            both(lambda _s, row: _require(row, "name"), emails_of("account")),
            lambda session, row, owner: create_account(
                session,
                _text(row, "name"),
                split_addresses(_text(row, "email")),
                owner,
                **_optional(row, *account_extras),
            ),
        ),
        "contacts": ImportKind(
            ("first_name", "last_name", "email", "account"),
            contact_extras,
            both(lambda _s, row: _person_named(row), _account_known, emails_of("contact")),
            lambda session, row, owner: create_contact(
                session,
                _text(row, "first_name"),
                _text(row, "last_name"),
                split_addresses(_text(row, "email")),
                owner,
                _optional_account(session, row),
                **_optional(row, *contact_extras),
            ),
        ),
        "leads": ImportKind(
            ("first_name", "last_name", "email", "company"),
            lead_extras,
            both(lambda _s, row: _person_named(row), emails_of("lead")),
            lambda session, row, owner: create_lead(
                session,
                _text(row, "first_name"),
                _text(row, "last_name"),
                split_addresses(_text(row, "email")),
                owner,
                **_optional(row, *lead_extras),
            ),
        ),
        "users": ImportKind(
            ("name", "email"),
            (),
            both(lambda _s, row: _require(row, "name", "email"), emails_of("user")),
            lambda session, row, _owner: create_user(
                session, _text(row, "name"), split_addresses(_text(row, "email"))
            ),
        ),
        "queues": ImportKind(
            ("name", "email"),
            (),
            both(lambda _s, row: _require(row, "name", "email"), emails_of("queue")),
            lambda session, row, owner: create_queue(
                session, _text(row, "name"), split_addresses(_text(row, "email")), owner
            ),
        ),
        "opportunities": ImportKind(
            ("name", "account"),
            ("estimated_value", "close_date", "currency", "stage"),
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


def _read_text(path: Path) -> str:
    try:
        data = read_user_file(path, MAX_CSV_BYTES, "a CSV file")
    except UnreadableFile as exc:
        raise CrmError(str(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CrmError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8"
        ) from None


def _records(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """Each record of the file with the physical lines it starts and ends on."""
    # newline="": only CR and LF end a line; str.splitlines() would also end one at U+2028, a
    # form feed and others that a cell may hold.
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    while True:
        first = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            runs_on = (
                f" (the row runs on to line {reader.line_num}: is a quote not closed?)"
                if reader.line_num > first
                else ""
            )
            raise CrmError(f"{path}: line {first}: {exc}{runs_on}") from None
        yield first, reader.line_num, fields


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[CsvRow]:
    """The rows of a CSV file under its (lowercased) header, blank ones left out; CrmError for
    a file that is not CSV or lacks a required column."""
    records = _records(path)
    _, _, names = next(records, (1, 1, []))
    header = [name.strip().lower() for name in names]
    missing = [column for column in required if column not in header]
    if missing:
        raise CrmError(f"{path}: the header row lacks the column(s) {', '.join(missing)}")
    for first, last, fields in records:
        if any(field.strip() for field in fields):
            yield CsvRow(first, last, dict(zip(header, fields, strict=False)))


def _field_problem(row: CsvRow, columns: tuple[str, ...]) -> str | None:
    """Why a field this import reads cannot be taken as it stands, or None."""
    for column in columns:
        value = row.values.get(column) or ""
        if row.last_line > row.line and ("\n" in value or "\r" in value):
            return (
                f"the {column} field runs from line {row.line} to line {row.last_line}: a "
                "quote opened on this line is not closed where it should be, so the lines "
                "between were read as one row"
            )
        bad = next((c for c in value.strip() if unicodedata.category(c) in _CONTROL), None)
        if bad is not None:
            return f"{column} holds a control character (U+{ord(bad):04X})"
    return None


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
    for row in read_rows(path, spec.required):
        reason = _field_problem(row, spec.columns) or spec.check(session, row.values)
        if reason is None:
            good.append(row.values)
            matches = _duplicates(session, kind, row.values, names)
            if matches:
                report.duplicates.append(DuplicateRow(row.line, tuple(matches)))
        else:
            report.bad_rows.append(BadRow(row.line, reason))
    if report.bad_rows and not skip_bad:
        return report
    for row in good:
        spec.create(session, row, owner)
        report.imported += 1
    return report
