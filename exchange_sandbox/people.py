"""People: contacts, the directory (every mailbox of the sandbox) and personas made of them.

A persona is how Exchange 2013 and later presents a person: one per contact in a contacts
folder, one per mailbox in the directory. Name matching is ambiguous name resolution as
ResolveNames and FindPeople do it: a name matches when it, or one of its words, starts with
what was asked for, without regard to case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import ids
from .model import Item, Mailbox
from .values import format_datetime
from .xmlkit import element, parse_fragment

# PersonaType element order (types.xsd); the properties the sandbox knows of a person.
PERSONA_ORDER = (
    "PersonaId",
    "PersonaType",
    "CreationTime",
    "DisplayNameFirstLastSortKey",
    "DisplayNameLastFirstSortKey",
    "CompanyNameSortKey",
    "DisplayName",
    "DisplayNameFirstLast",
    "DisplayNameLastFirst",
    "FileAs",
    "GivenName",
    "Surname",
    "Title",
    "Department",
    "CompanyName",
    "EmailAddress",
    "EmailAddresses",
    "ImAddress",
    "RelevanceScore",
)
DEFAULT_PERSONA = frozenset(
    {"PersonaId", "PersonaType", "DisplayName", "FileAs", "EmailAddress", "RelevanceScore"}
)


def matches(entry: str, *texts: str) -> bool:
    wanted = entry.casefold()
    for text in texts:
        folded = text.casefold()
        if folded.startswith(wanted):
            return True
        words = folded.replace("@", " ").replace(".", " ").split()
        if any(word.startswith(wanted) for word in words):
            return True
    return False


def contact_emails(contact: Item) -> list[str]:
    """A contact's e-mail addresses, EmailAddress1 first."""
    entries = contact.props.get("EmailAddresses", {})
    return [
        (parse_fragment(entries[key]).text or "").removeprefix("SMTP:").strip()
        for key in sorted(entries)
    ]


@dataclass
class Persona:
    persona_id: str
    display_name: str
    emails: list[tuple[str, str, str]] = field(default_factory=list)  # name, address, type
    given_name: str = ""
    surname: str = ""
    company: str = ""
    title: str = ""
    department: str = ""
    im_address: str = ""
    file_as: str = ""
    created: dt.datetime | None = None

    def searchable(self) -> dict[str, object]:
        """The persona's properties by element name, as restrictions and sorting read them."""
        return {
            "DisplayName": self.display_name,
            "GivenName": self.given_name,
            "Surname": self.surname,
            "CompanyName": self.company,
            "Title": self.title,
            "Department": self.department,
            "FileAs": self.file_as,
            "ImAddress": self.im_address,
            "CreationTime": self.created,
        }

    def texts(self) -> list[str]:
        return [self.display_name, self.company, *(address for _, address, _ in self.emails)]

    def render(self, tag: str, wanted: frozenset[str] | set[str]) -> str:
        parts = [self._element(name) for name in PERSONA_ORDER if name in wanted]
        return f"<{tag}>{''.join(p for p in parts if p)}</{tag}>"

    def _element(self, name: str) -> str:
        first_last = " ".join(n for n in (self.given_name, self.surname) if n) or self.display_name
        last_first = ", ".join(n for n in (self.surname, self.given_name) if n) or self.display_name
        simple = {
            "PersonaType": "Person",
            "CreationTime": format_datetime(self.created) if self.created else "",
            "DisplayNameFirstLastSortKey": first_last,
            "DisplayNameLastFirstSortKey": last_first,
            "CompanyNameSortKey": self.company,
            "DisplayName": self.display_name,
            "DisplayNameFirstLast": first_last,
            "DisplayNameLastFirst": last_first,
            "FileAs": self.file_as or last_first,
            "GivenName": self.given_name,
            "Surname": self.surname,
            "Title": self.title,
            "Department": self.department,
            "CompanyName": self.company,
            "ImAddress": self.im_address,
            "RelevanceScore": "2147483647",
        }
        if name == "PersonaId":
            return element("t:PersonaId", Id=self.persona_id)
        if name == "EmailAddress":
            return _email_xml("t:EmailAddress", self.emails[0]) if self.emails else ""
        if name == "EmailAddresses":
            inner = "".join(_email_xml("t:Address", e) for e in self.emails)
            return f"<t:EmailAddresses>{inner}</t:EmailAddresses>" if inner else ""
        value = simple.get(name, "")
        return element(f"t:{name}", value) if value else ""


def _email_xml(tag: str, email: tuple[str, str, str]) -> str:
    name, address, mailbox_type = email
    return (
        f"<{tag}>"
        + element("t:Name", name or address)
        + element("t:EmailAddress", address)
        + element("t:RoutingType", "SMTP")
        + element("t:MailboxType", mailbox_type)
        + f"</{tag}>"
    )


def contact_persona(owner: Mailbox, contact: Item) -> Persona:
    props = contact.props
    name = props.get("DisplayName", "")
    return Persona(
        persona_id=ids.persona_id(owner.guid, contact.uuid),
        display_name=name,
        emails=[(name, address, "Contact") for address in contact_emails(contact) if address],
        given_name=props.get("GivenName", ""),
        surname=props.get("Surname", ""),
        company=props.get("CompanyName", ""),
        title=props.get("JobTitle", ""),
        department=props.get("Department", ""),
        im_address=_first_im_address(contact),
        file_as=props.get("FileAs", ""),
        created=props.get("DateTimeCreated"),
    )


def _first_im_address(contact: Item) -> str:
    entries = contact.props.get("ImAddresses", {})
    return (parse_fragment(entries[min(entries)]).text or "") if entries else ""


def directory_persona(owner: Mailbox, person: Mailbox) -> Persona:
    given, _, surname = person.display_name.partition(" ")
    return Persona(
        persona_id=ids.persona_id(owner.guid, person.guid),
        display_name=person.display_name,
        emails=[(person.display_name, person.address, "Mailbox")],
        given_name=given,
        surname=surname,
    )
