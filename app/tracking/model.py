"""Plain data the tracking engine reads and returns.

This module is the contract between the pure engine (`app.tracking`) and the rest of the app:
the CRM store loads records and activities into these shapes, sync and the CLI turn messages into
`MessageFacts`, and every decision comes back as a `Decision` that explains itself. Nothing here
knows of SQLAlchemy, Qt or exchangelib.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.tracking.reasons import Reason


class RecordType(enum.StrEnum):
    USER = "user"
    QUEUE = "queue"
    CONTACT = "contact"
    ACCOUNT = "account"
    LEAD = "lead"
    OPPORTUNITY = "opportunity"


# Who the sender resolves to when several records share an address (DESIGN.md, issue 2).
SENDER_RESOLUTION_ORDER: tuple[RecordType, ...] = (
    RecordType.USER,
    RecordType.CONTACT,
    RecordType.ACCOUNT,
    RecordType.LEAD,
    RecordType.QUEUE,
    RecordType.OPPORTUNITY,
)

CUSTOMER_TYPES: frozenset[RecordType] = frozenset(
    {RecordType.CONTACT, RecordType.ACCOUNT, RecordType.LEAD}
)


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A CRM record as matching needs it; `created_at` and `owner_id` break ties."""

    type: RecordType
    id: int
    name: str
    owner_id: int | None = None
    created_at: datetime | None = None
    active: bool = True

    def as_json(self) -> dict[str, object]:
        return {"type": self.type.value, "id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class Address:
    """A mailbox as written in a header; `email` is kept as given, compare via normalise_email."""

    email: str
    name: str = ""


class Sensitivity(enum.StrEnum):
    NORMAL = "normal"
    PERSONAL = "personal"
    PRIVATE = "private"
    CONFIDENTIAL = "confidential"


class Folder(enum.StrEnum):
    """Where the message was seen; decides who plays the sender's part."""

    INBOX = "inbox"
    SENT = "sent"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """Everything the pipeline looks at in one message, already parsed."""

    message_id: str | None
    subject: str
    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    conversation_id: str | None = None
    conversation_index: str | None = None  # hex of Thread-Index / ConversationIndex
    sent_at: datetime | None = None
    received_at: datetime | None = None
    is_draft: bool = False
    sensitivity: Sensitivity = Sensitivity.NORMAL
    folder: Folder = Folder.INBOX


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A message as tracking decides on it and the CRM stores it: its facts and its bodies."""

    facts: MessageFacts
    body_text: str | None
    body_html: str | None
    # Address headers (To, Cc) cut to their first `cut_at` addresses for the decision.
    cut_headers: tuple[str, ...] = ()
    cut_at: int = 0


@dataclass(frozen=True, slots=True)
class TrackedActivity:
    """A tracked email activity as correlation needs it."""

    id: int
    message_id: str | None
    subject: str
    regarding: RecordRef | None
    tracked_at: datetime
    token: str | None = None
    conversation_id: str | None = None
    conversation_index: str | None = None
    addresses: frozenset[str] = frozenset()  # normalised From/To/Cc of the tracked message
    sent_at: datetime | None = None  # when the message was sent or received, if known


class TrackOption(enum.StrEnum):
    """The four personal tracking options, with the names the CLI and settings use."""

    ALL = "all"
    CRM_RESPONSES = "crm-responses"
    CRM_CONTACTS = "crm-contacts"
    EMAIL_ENABLED = "email-enabled"


class AutoCreate(enum.StrEnum):
    OFF = "off"
    CONTACT = "contact"
    LEAD = "lead"


@dataclass(frozen=True, slots=True)
class PersonalOptions:
    track: TrackOption = TrackOption.CRM_RESPONSES
    autocreate: AutoCreate = AutoCreate.OFF
    skip_private: bool = True
    track_sent: bool = False
    never_track: frozenset[str] = frozenset()  # normalised addresses and "@domain" entries
    track_new_email: bool = False  # email written in Liaison is tracked unless unticked


DEFAULT_SMART_FILTER_REGEX = r"^(?:\s*[^\s:]+\s*:)+"
DEFAULT_STOP_SUBJECTS: tuple[str, ...] = ("hello", "hi", "thanks", "thank you", "meeting")


@dataclass(frozen=True, slots=True)
class OrgSettings:
    token_prefix: str = "CRM:"
    token_prefix_history: tuple[str, ...] = ()  # earlier prefixes, still recognised
    token_base: int = 0
    token_user_digits: int = 3
    token_counter_digits: int = 3
    correlate_in_reply_to: bool = True
    correlate_token: bool = True
    correlate_conversation: bool = True
    smart_matching: bool = False
    smart_min_addresses: int = 2
    smart_max_words: int = 20
    smart_max_addresses: int = 20
    smart_subject_delta: int = 0
    smart_filter_regex: str = DEFAULT_SMART_FILTER_REGEX
    smart_stop_subjects: tuple[str, ...] = DEFAULT_STOP_SUBJECTS
    smart_window_days: int = 90
    correlate_unrelated_forwards: bool = True  # off: a forward sharing nobody is not correlated
    track_new_email: bool = False  # everyone's email written in Liaison is tracked by default


class Rule(enum.StrEnum):
    """The rule that decided; the values are what `liaison explain --json` prints."""

    EXCLUDED_DRAFT = "excluded-draft"
    EXCLUDED_PRIVATE = "excluded-private"
    EXCLUDED_NEVER_TRACK = "excluded-never-track"
    ALREADY_TRACKED = "already-tracked"
    IN_REPLY_TO = "in-reply-to"
    TRACKING_TOKEN = "tracking-token"
    CONVERSATION = "conversation"
    SMART_MATCH = "smart-match"
    OPTION_ALL = "option-all"
    OPTION_CRM_SENDER = "option-crm-sender"
    OPTION_EMAIL_ENABLED_SENDER = "option-email-enabled-sender"
    NOT_TRACKED = "not-tracked"
    MANUAL = "manual"
    # What the cache keeps for a message after an action or a failure (never from the pipeline).
    UNTRACKED = "untracked"
    UNTRACKED_BY_CATEGORY = "untracked-by-category"
    RETRYING = "retrying"
    COULD_NOT_TRACK = "could-not-track"


class PartyRole(enum.StrEnum):
    SENDER = "sender"
    TO = "to"
    CC = "cc"
    ORGANIZER = "organizer"
    ATTENDEE = "attendee"


@dataclass(frozen=True, slots=True)
class ResolvedParty:
    role: PartyRole
    address: Address
    records: tuple[RecordRef, ...]  # empty: unknown to the CRM


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record auto-creation would make for an unknown sender: a contact or lead, or for a role
    address (info@, sales@) the address added to the account `account` that has its domain."""

    type: RecordType
    first_name: str
    last_name: str
    email: str
    company: str | None = None
    salutation: str = ""
    suffix: str = ""
    account: RecordRef | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "type": self.type.value,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "company": self.company,
            "salutation": self.salutation,
            "suffix": self.suffix,
            "account": self.account.as_json() if self.account else None,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """One message in, one decision out. `reasons` say why, as facts (app.tracking.reasons): the
    window shows them as "why tracked", `liaison explain` as its evidence; `warnings` are notes
    beside the decision (a token no tracked message has)."""

    track: bool
    rule: Rule
    reasons: tuple[Reason, ...]
    regarding: RecordRef | None = None
    sender: RecordRef | None = None
    parties: tuple[ResolvedParty, ...] = ()
    create: NewRecord | None = None
    correlated_activity_id: int | None = None
    existing_activity_id: int | None = None
    token: str | None = None  # this org's token found in the subject, if any
    warnings: tuple[Reason, ...] = ()
