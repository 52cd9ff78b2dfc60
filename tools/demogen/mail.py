"""One demo message as plain data, before it becomes MIME."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .clients import MailClient
from .people import Person

INBOX = "inbox"
SENT_ITEMS = "sentitems"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Quote:
    """What a reply or forward carries of its parent.

    `style` is "outlook" (a header block, text unindented), "inline" (an attribution line and
    "> " lines) or "forward" (an inline client's forwarded-message block).
    """

    style: str
    header_lines: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Scenario:
    """Why a message is in the demo: the tracking rule it shows and what to look at."""

    rule: str
    shows: str


@dataclass(frozen=True)
class Mail:
    sender: Person
    to: tuple[Person, ...]
    cc: tuple[Person, ...]
    subject: str
    sent_at: datetime
    text: str
    signature: str
    message_id: str
    client: MailClient
    lang: str
    quote: Quote | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_index: bytes | None = None
    thread_topic: str | None = None
    attachments: tuple[Attachment, ...] = ()
    extra_headers: tuple[tuple[str, str], ...] = ()
    html_override: str | None = None
    scenario: Scenario | None = None

    @property
    def own_text(self) -> str:
        """The text this message adds to its thread: what a reply quotes."""
        if not self.signature:
            return self.text
        dash = "-- \n" if self.sender.client.signature_dash else ""
        return f"{self.text}\n\n{dash}{self.signature}"


def folder_of(mail: Mail, owner: Person) -> str:
    return SENT_ITEMS if mail.sender.email == owner.email else INBOX


@dataclass(frozen=True)
class Regarding:
    """A CRM record by type and name, as tracked.json names it."""

    type: str
    name: str


@dataclass(frozen=True)
class TrackedMail:
    """A message already tracked in the CRM when the demo starts."""

    mail: Mail
    regarding: Regarding
    token: str | None
