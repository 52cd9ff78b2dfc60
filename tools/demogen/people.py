"""Who writes in the demo: a person's address, clock, mail program, signature and manners."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .clients import MailClient
from .clock import Zone


@dataclass(frozen=True)
class Person:
    """A mailbox as it appears in headers, plus how its owner writes.

    `display` overrides the header display name: `"Kowalski, Jan"` for a surname-first
    directory entry, `""` for a bare address. `signoffs` maps a language to the closing line
    the person types above the signature.
    """

    first: str
    last: str
    email: str
    zone: Zone
    client: MailClient
    lang: str
    signoffs: Mapping[str, str] = field(default_factory=dict)
    signature: str = ""
    display: str | None = None
    mail_host: str = "MAIL01"
    job_title: str = ""
    phone: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()

    @property
    def header_name(self) -> str:
        return self.name if self.display is None else self.display

    @property
    def domain(self) -> str:
        return self.email.rsplit("@", 1)[1]

    def signoff(self, lang: str) -> str:
        return self.signoffs.get(lang) or self.signoffs.get(self.lang, "")

    def writing_as(self, email: str, client: MailClient | None = None) -> Person:
        """The same person sending from another of their addresses (and maybe another program)."""
        return replace(self, email=email, client=client or self.client)


def system_sender(display: str, email: str, zone: Zone, client: MailClient, lang: str) -> Person:
    """A mailer that is no person: newsletters, notifications, web forms."""
    return Person(
        first="", last="", email=email, zone=zone, client=client, lang=lang, display=display
    )
