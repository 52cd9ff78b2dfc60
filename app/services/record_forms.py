"""Record forms as the window and the CLI fill them: an existing record's values, or a new one
pre-filled from an address (Create Contact/Lead) or a tracked email (Convert to lead or
opportunity), for the user to correct before saving."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from app.crm.editing import editable_type, record_values
from app.crm.fields import RECORD_FIELDS, FieldKind, Value
from app.crm.models import Account, Contact, Record
from app.crm.org import load_org_settings
from app.crm.records import accounts_at_domain, get_record, records_with_address
from app.crm.search import RecordKey
from app.tracking.addresses import domain_of, normalise_email
from app.tracking.model import Address, RecordType
from app.tracking.names import (
    company_for,
    is_public_mail_domain,
    parse_name,
    sender_company,
)
from app.tracking.roles import role_of
from app.tracking.subjects import display_subject
from app.tracking.tokens import known_prefixes, token_digit_count


@dataclass(frozen=True, slots=True)
class RecordForm:
    """A record's fields as its form shows them. `key` None: a record not saved yet.
    `role_address`: the form is an account's because the address it was made for is a role
    address (info@, biuro@), which belongs to a company, not a person."""

    type: RecordType
    key: RecordKey | None
    values: dict[str, Value]
    references: dict[str, str] = field(default_factory=dict)  # field -> the record's name
    role_address: str | None = None

    @property
    def is_new(self) -> bool:
        return self.key is None


def empty_form(record_type: RecordType) -> RecordForm:
    values: dict[str, Value] = {}
    for spec in RECORD_FIELDS[record_type]:
        values[spec.name] = [] if spec.kind is FieldKind.EMAILS else spec.default
    return RecordForm(record_type, None, values)


def form_of(session: Session, record: Record) -> RecordForm:
    record_type = editable_type(record)
    values = record_values(record)
    return RecordForm(
        record_type,
        RecordKey(record_type, record.id),
        values,
        reference_names(session, record_type, values),
    )


def reference_names(
    session: Session, record_type: RecordType, values: dict[str, Value]
) -> dict[str, str]:
    names = {}
    for spec in RECORD_FIELDS[record_type]:
        value = values.get(spec.name)
        if spec.is_reference and isinstance(value, int):
            names[spec.name] = get_record(session, spec.kind.value, str(value)).display_name
    return names


def form_for_address(session: Session, address: Address, record_type: RecordType) -> RecordForm:
    """A contact or lead pre-filled from a sender's display name and address; for a role
    address the account of its company with the address added, or a new account."""
    email = normalise_email(address.email)
    domain = domain_of(email)
    company_domain = domain if domain and not is_public_mail_domain(domain) else ""
    accounts = accounts_at_domain(session, company_domain) if company_domain else []
    if role_of(email) is not None:
        if accounts:
            existing = form_of(session, accounts[0])
            emails = [*_emails(existing.values), address.email]
            return replace(
                existing, values={**existing.values, "emails": emails}, role_address=email
            )
        form = empty_form(RecordType.ACCOUNT)
        name = sender_company(address.name, email)
        values = {**form.values, "name": name, "emails": [address.email]}
        return replace(form, values=values, role_address=email)
    return person_form(session, address, record_type, accounts)


def person_form(
    session: Session, address: Address, record_type: RecordType, accounts: list[Account]
) -> RecordForm:
    """A contact (of the first of `accounts`, if any) or lead (of the sender's company) named
    as the display name and address say; a role address gives no name to fill in."""
    name = parse_name(address.name, address.email)
    form = empty_form(record_type)
    values = {
        **form.values,
        "salutation": name.salutation or None,
        "first_name": name.first or None,
        "last_name": name.last or None,
        "suffix": name.suffix or None,
        "emails": [address.email],
    }
    if record_type is RecordType.LEAD:
        values["company"] = company_for(address)
    elif accounts:
        values["account"] = accounts[0].id
    return replace(form, values=values, references=reference_names(session, record_type, values))


def form_for_email(
    session: Session, sender: Address | None, subject: str, record_type: RecordType
) -> RecordForm:
    """Convert to lead: a lead from the sender, its topic the subject. Convert to opportunity:
    named after the subject, for the sender's account (and contact, if the sender is one)."""
    org = load_org_settings(session)
    topic = display_subject(subject, known_prefixes(org), token_digit_count(org)) or None
    if record_type is RecordType.LEAD:
        if sender is None:
            return replace(empty_form(record_type), values={"topic": topic, "status": "new"})
        # A role address (info@) gives the company only: the user names the person.
        form = person_form(session, sender, RecordType.LEAD, [])
        return replace(form, values={**form.values, "topic": topic})
    form = empty_form(RecordType.OPPORTUNITY)
    values = {**form.values, "name": topic}
    known = records_with_address(session, sender.email) if sender else []
    contact = next((record for record in known if isinstance(record, Contact)), None)
    account = next((record for record in known if record.type == "account"), None)
    if contact is not None:
        values["contact"] = contact.id
        values["account"] = contact.account_id
    if account is not None and values.get("account") is None:
        values["account"] = account.id
    return replace(form, values=values, references=reference_names(session, form.type, values))


def _emails(values: dict[str, Value]) -> list[str]:
    emails = values.get("emails")
    return list(emails) if isinstance(emails, list) else []
