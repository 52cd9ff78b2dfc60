"""The fields of each record type a user edits, and the checking of what they typed.

One description serves the window's form (a widget per field, required ones marked), the CLI
(a flag per field, JSON in and out) and the CRM writes: a value is checked here, once, whatever
it came from. Text typed in a form and values read from JSON are both accepted. Problems come
back per field with a code the window translates and an English sentence the CLI prints.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.crm.models import NAME_MAX, PHONE_MAX, TITLE_MAX
from app.tracking.addresses import is_valid_email, normalise_email
from app.tracking.model import RecordType


class FieldKind(enum.StrEnum):
    TEXT = "text"
    EMAILS = "emails"  # several addresses, the first the primary one
    PHONE = "phone"
    WEBSITE = "website"
    ACCOUNT = "account"  # a reference to an account, by id
    CONTACT = "contact"  # a reference to a contact, by id
    MONEY = "money"
    CURRENCY = "currency"
    DATE = "date"
    PERCENT = "percent"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    max_length: int = NAME_MAX
    choices: tuple[str, ...] = ()
    default: str | None = None  # what an empty value becomes

    @property
    def is_reference(self) -> bool:
        return self.kind in (FieldKind.ACCOUNT, FieldKind.CONTACT)

    @property
    def column(self) -> str:
        """The model attribute holding the value (a reference's id column)."""
        return f"{self.name}_id" if self.is_reference else self.name


# The stages of an opportunity, in the order a sale goes through them.
OPPORTUNITY_STAGES = ("Qualify", "Develop", "Propose", "Negotiate", "Won", "Lost")
# A lead's status: open (new, contacted) until it is qualified or disqualified for a reason;
# only Qualify and Disqualify close it (app.crm.qualification).
OPEN_LEAD_STATUSES = ("new", "contacted")
QUALIFIED = "qualified"
DISQUALIFY_REASONS = ("lost", "cannot-contact", "no-longer-interested", "canceled")
LEAD_STATUSES = (*OPEN_LEAD_STATUSES, QUALIFIED, *DISQUALIFY_REASONS)

_PERSON = (
    FieldSpec("salutation", max_length=TITLE_MAX),
    FieldSpec("first_name"),
    FieldSpec("last_name", required=True),
    FieldSpec("suffix", max_length=TITLE_MAX),
)
_PHONES = (
    FieldSpec("phone", FieldKind.PHONE, max_length=PHONE_MAX),
    FieldSpec("mobile_phone", FieldKind.PHONE, max_length=PHONE_MAX),
)
RECORD_FIELDS: dict[RecordType, tuple[FieldSpec, ...]] = {
    RecordType.ACCOUNT: (
        FieldSpec("name", required=True),
        FieldSpec("emails", FieldKind.EMAILS),
        FieldSpec("website", FieldKind.WEBSITE),
        FieldSpec("phone", FieldKind.PHONE, max_length=PHONE_MAX),
        FieldSpec("city"),
        FieldSpec("country"),
    ),
    RecordType.CONTACT: (
        *_PERSON,
        FieldSpec("emails", FieldKind.EMAILS),
        FieldSpec("account", FieldKind.ACCOUNT),
        FieldSpec("job_title"),
        *_PHONES,
    ),
    RecordType.LEAD: (
        *_PERSON,
        FieldSpec("emails", FieldKind.EMAILS),
        FieldSpec("company"),
        FieldSpec("job_title"),
        *_PHONES,
        FieldSpec("topic"),
        FieldSpec("status", FieldKind.CHOICE, choices=LEAD_STATUSES, default="new"),
    ),
    RecordType.OPPORTUNITY: (
        FieldSpec("name", required=True),
        FieldSpec("account", FieldKind.ACCOUNT),
        FieldSpec("contact", FieldKind.CONTACT),
        FieldSpec("estimated_value", FieldKind.MONEY),
        FieldSpec("currency", FieldKind.CURRENCY, max_length=3),
        FieldSpec("close_date", FieldKind.DATE),
        FieldSpec("stage", FieldKind.CHOICE, choices=OPPORTUNITY_STAGES),
        FieldSpec("probability", FieldKind.PERCENT),
    ),
}
EDITABLE_TYPES = tuple(RECORD_FIELDS)

Value = str | list[str] | Decimal | date | int | None


class Problem(enum.StrEnum):
    """Why a value is refused; the window words each one."""

    REQUIRED = "required"
    TOO_LONG = "too-long"
    NOT_AN_EMAIL = "not-an-email"
    EMAIL_TWICE = "email-twice"
    NOT_A_PHONE = "not-a-phone"
    NOT_A_WEBSITE = "not-a-website"
    NOT_A_NUMBER = "not-a-number"
    NOT_A_CURRENCY = "not-a-currency"
    NOT_A_DATE = "not-a-date"
    NOT_A_PERCENT = "not-a-percent"
    NOT_A_CHOICE = "not-a-choice"
    NOT_A_RECORD = "not-a-record"
    UNKNOWN_FIELD = "unknown-field"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    problem: Problem
    message: str  # in English, for the CLI and the log


class InvalidValues(ValueError):
    """Values that cannot be saved; `problems` says which and why."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def field_spec(record_type: RecordType, name: str) -> FieldSpec | None:
    return next((spec for spec in RECORD_FIELDS[record_type] if spec.name == name), None)


def check_values(
    record_type: RecordType, raw: Mapping[str, object], creating: bool
) -> dict[str, Value]:
    """The values ready to store, or InvalidValues naming every field that is wrong. Creating,
    required fields must be given; editing, only the fields given change and a required one may
    not be emptied."""
    specs = {spec.name: spec for spec in RECORD_FIELDS[record_type]}
    problems: list[FieldProblem] = []
    values: dict[str, Value] = {}
    for name in raw:
        if name not in specs:
            known = ", ".join(specs)
            problems.append(
                FieldProblem(
                    name,
                    Problem.UNKNOWN_FIELD,
                    f"a {record_type.value} has no field {name!r} (it has {known})",
                )
            )
    for name, spec in specs.items():
        if name not in raw and not (creating and spec.required):
            continue
        try:
            values[name] = _clean(spec, raw.get(name))
        except _Refused as refused:
            problems.append(FieldProblem(name, refused.problem, f"{name}: {refused}"))
    if problems:
        raise InvalidValues(problems)
    return values


class _Refused(ValueError):
    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def _clean(spec: FieldSpec, value: object) -> Value:
    if spec.kind is FieldKind.EMAILS:
        emails = _emails(value)
        if spec.required and not emails:
            raise _Refused(Problem.REQUIRED, "at least one address is required")
        return emails
    if spec.is_reference:
        return _reference(value)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if spec.required:
            raise _Refused(Problem.REQUIRED, "is required")
        return spec.default
    cleaners = {
        FieldKind.TEXT: _text,
        FieldKind.PHONE: _phone,
        FieldKind.WEBSITE: _website,
        FieldKind.MONEY: _money,
        FieldKind.CURRENCY: _currency,
        FieldKind.DATE: _date,
        FieldKind.PERCENT: _percent,
        FieldKind.CHOICE: _choice,
    }
    return cleaners[spec.kind](spec, value)


def _text(spec: FieldSpec, value: object) -> str:
    text = " ".join(str(value).split())
    if len(text) > spec.max_length:
        raise _Refused(Problem.TOO_LONG, f"is longer than {spec.max_length} characters")
    return text


_PHONE = re.compile(r"^\+?[\d\s().\-/]+(?:\s*(?:ext\.?|x|wew\.?|Durchwahl)\s*\d+)?$", re.IGNORECASE)


def _phone(spec: FieldSpec, value: object) -> str:
    text = _text(spec, value)
    if not _PHONE.match(text) or sum(char.isdigit() for char in text) < 3:
        raise _Refused(Problem.NOT_A_PHONE, f"{text!r} is not a phone number")
    return text


def _website(spec: FieldSpec, value: object) -> str:
    text = _text(spec, value)
    if " " in text or "." not in text:
        raise _Refused(Problem.NOT_A_WEBSITE, f"{text!r} is not a web address")
    return text


def _emails(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    emails: list[str] = []
    seen: set[str] = set()
    for item in items:
        for part in str(item).replace(",", ";").split(";"):
            email = part.strip()
            if not email:
                continue
            if not is_valid_email(email):
                raise _Refused(Problem.NOT_AN_EMAIL, f"{email!r} is not an email address")
            if normalise_email(email) in seen:
                raise _Refused(Problem.EMAIL_TWICE, f"{email} is given twice")
            seen.add(normalise_email(email))
            emails.append(email)
    return emails


def _reference(value: object) -> int | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise _Refused(Problem.NOT_A_RECORD, f"{value!r} is not a record id")
    return int(str(value).strip())


def _money(_spec: FieldSpec, value: object) -> Decimal:
    if isinstance(value, bool):
        raise _Refused(Problem.NOT_A_NUMBER, f"{value!r} is not an amount")
    # 480 000,50 and 480,000.50 as people write them: the last separator is the decimal one.
    text = str(value).replace("\u00a0", "").replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    else:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _Refused(Problem.NOT_A_NUMBER, f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 16:
        raise _Refused(Problem.NOT_A_NUMBER, f"{value!r} is not an amount")
    return amount.quantize(Decimal("0.01"))


_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def _currency(_spec: FieldSpec, value: object) -> str:
    text = str(value).strip()
    if not _CURRENCY.match(text):
        raise _Refused(
            Problem.NOT_A_CURRENCY, f"{text!r} is not a currency code (three letters, like PLN)"
        )
    return text.upper()


def _date(_spec: FieldSpec, value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise _Refused(Problem.NOT_A_DATE, f"{value!r} is not a date like 2026-12-31") from None


def _percent(_spec: FieldSpec, value: object) -> int:
    text = str(value).strip().rstrip("%").strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) > 100:
        raise _Refused(Problem.NOT_A_PERCENT, f"{value!r} is not a percentage from 0 to 100")
    return int(text)


def _choice(spec: FieldSpec, value: object) -> str:
    text = str(value).strip()
    for choice in spec.choices:
        if choice.casefold() == text.casefold():
            return choice
    raise _Refused(Problem.NOT_A_CHOICE, f"{text!r} is not one of {', '.join(spec.choices)}")
