"""Typed property values an item holds, and the xs:dateTime conventions Exchange uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

UTC = dt.UTC


@dataclass(frozen=True)
class Address:
    """An EWS Mailbox element: a person or a mailbox that sent or received something."""

    email: str
    name: str = ""
    routing_type: str = "SMTP"
    mailbox_type: str = "Mailbox"

    @property
    def key(self) -> str:
        return self.email.casefold()


@dataclass(frozen=True)
class Body:
    body_type: str  # "HTML" or "Text", as in the BodyType attribute
    text: str


@dataclass(frozen=True)
class Attendee:
    address: Address
    response_type: str = "Unknown"
    last_response_time: dt.datetime | None = None


@dataclass(frozen=True)
class Member:
    """A member of a distribution list (a contact group in a contacts folder)."""

    address: Address
    status: str = "Normal"  # Normal, Demoted, Unrecognized


def parse_datetime(text: str) -> dt.datetime:
    """xs:dateTime as clients send it; naive values are taken as UTC, as Exchange does
    without a TimeZoneContext. Raises ValueError on anything else."""
    value = text.strip()
    if not value:
        raise ValueError("empty date-time")
    if "T" not in value:
        # xs:date, possibly with a zone ("2024-03-01", "2024-03-01Z", "2024-03-01+01:00")
        date_part = value[:10]
        parsed = dt.datetime.fromisoformat(date_part)
        return parsed.replace(tzinfo=UTC)
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(value: dt.datetime) -> str:
    """UTC with a Z and whole seconds: the only shape exchangelib's parser accepts."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def parse_boolean(text: str) -> bool:
    value = text.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(f"'{text}' is not a valid xs:boolean")
