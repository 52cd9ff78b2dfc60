"""Email addresses as matching sees them: normalised, parsed from headers, and never-track lists.

Everything here tolerates junk: a header or a stored value that is not an address gives an empty
or partial result, never an exception, because one malformed message must not stop a sync.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError, MessageError
from email.header import decode_header, make_header
from email.utils import getaddresses
from functools import lru_cache

from app.tracking.model import Address

_EDGE_JUNK = re.compile(r"""^[\s"']+|[\s"']+$""")
_MAILTO = re.compile(r"^(?:mailto:\s*)+", re.IGNORECASE)
_CLEAN_EMAIL = re.compile(r"[^\s<>\"':]+@[^\s<>\"']+\Z")
_ADDRESS_CHARACTER = r"[^\s@<>(),;:\"\[\]\\]"
_PLAUSIBLE_EMAIL = re.compile(
    rf"^{_ADDRESS_CHARACTER}+@{_ADDRESS_CHARACTER}+\.(?:(?!\.){_ADDRESS_CHARACTER})+$"
)


def normalise_email(value: str) -> str:
    """The comparable form of an address: the part in angle brackets if any, trimmed, lowercased.

    `"Jan Kowalski" <Jan.Kowalski@ACME.pl>`, `mailto:jan.kowalski@acme.pl` and
    ` jan.kowalski@acme.pl ` all give `jan.kowalski@acme.pl`. Junk comes back trimmed and
    lowercased; an empty value gives "".
    """
    if _CLEAN_EMAIL.match(value):
        # The common case, an address already written plainly, skips the trimming below.
        return value.lower()
    text = value
    opening = text.rfind("<")
    if opening != -1:
        closing = text.find(">", opening)
        text = text[opening + 1 : closing] if closing != -1 else text[opening + 1 :]
    text = _EDGE_JUNK.sub("", text)
    text = _EDGE_JUNK.sub("", _MAILTO.sub("", text))
    return text.lower()


def is_valid_email(value: str) -> bool:
    """True for something that looks like local@domain.tld once normalised (no spaces, one @)."""
    return bool(_PLAUSIBLE_EMAIL.match(normalise_email(value)))


def domain_of(email: str) -> str:
    """The normalised domain of an address (`jan@ACME.pl` -> `acme.pl`); "" when there is none."""
    _, at, domain = normalise_email(email).rpartition("@")
    return domain if at else ""


def parse_address_list(value: str) -> list[Address]:
    """Every mailbox in a To/Cc/From header value; group syntax is flattened, garbage skipped.

    Encoded words (=?utf-8?q?...?=) in display names are decoded. Entries without an address
    part are dropped; the addresses are kept as written (compare them via normalise_email).
    """
    if not value or not value.strip():
        return []
    try:
        return _parse_with_headerregistry(value)
    except (HeaderParseError, MessageError, ValueError, TypeError, IndexError, AttributeError):
        # The strict parser of the standard library still raises on some hostile inputs; the
        # older, lenient one below always gives an answer.
        return _parse_leniently(value)


def parse_address(value: str) -> Address | None:
    """The first mailbox in a header value such as `"Kowalski, Jan" <jan@acme.pl>`, or None."""
    found = parse_address_list(value)
    return found[0] if found else None


def _parse_with_headerregistry(value: str) -> list[Address]:
    header = policy.default.header_factory("To", _single_line(value))
    return [
        Address(email=mailbox.addr_spec, name=mailbox.display_name)
        for mailbox in header.addresses
        if mailbox.addr_spec and mailbox.addr_spec != "<>"
    ]


def _parse_leniently(value: str) -> list[Address]:
    found: list[Address] = []
    for name, email in getaddresses([_single_line(value)]):
        if email:
            found.append(Address(email=email, name=_decode_words(name)))
    return found


def _single_line(value: str) -> str:
    return " ".join(value.split())


def _decode_words(text: str) -> str:
    try:
        return str(make_header(decode_header(text)))
    except (HeaderParseError, UnicodeError, LookupError, ValueError):
        return text


@dataclass(frozen=True, slots=True)
class NeverTrackList:
    """The personal never-track entries: whole addresses, and `@domain` entries.

    A domain entry also covers its subdomains (`@acme.pl` matches `jan@sales.acme.pl`), since a
    company that is never to be tracked rarely means only one of its mail hosts.
    """

    addresses: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> NeverTrackList:
        addresses: set[str] = set()
        domains: set[str] = set()
        for entry in entries:
            text = entry.strip().lower()
            if text.startswith("@"):
                domain = text[1:].strip().strip(".")
                if domain:
                    domains.add(domain)
            elif text:
                addresses.add(normalise_email(text))
        return cls(frozenset(addresses), frozenset(domains))

    def match(self, email: str) -> str | None:
        """The entry (`jan@wp.pl` or `@wp.pl`) that covers this address, or None."""
        normalised = normalise_email(email)
        if not normalised:
            return None
        if normalised in self.addresses:
            return normalised
        domain = domain_of(normalised)
        while domain:
            if domain in self.domains:
                return "@" + domain
            _, _, domain = domain.partition(".")
        return None


@lru_cache(maxsize=64)
def never_track_list(entries: frozenset[str]) -> NeverTrackList:
    """The matcher for `PersonalOptions.never_track`, built once per distinct set of entries."""
    return NeverTrackList.from_entries(entries)
