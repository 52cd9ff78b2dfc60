"""Why a message is tracked or not, as facts that the window and the CLI put into words.

The engine never words a reason. A reason is its kind (`Why`) and the facts it rests on: the
original message a correlation found (its subject and date, what a user recognises it by, never
its Message-ID), a record, an address, a token, a never-track entry, a folder or a category.
`app/ui/why.py` words reasons in the window's language, `app/cli/why.py` in English for
`liaison explain`. An activity keeps its reasons as JSON (`as_json`, `from_json`), so the words
can change, or be translated, after it was tracked.

A decision's reasons read in order: the first says why it is (or is not) tracked, the others add
what followed (the activity it is linked to, a record auto-created).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.tracking.model import NewRecord, RecordRef, RecordType


class Why(enum.StrEnum):
    # Exclusions
    DRAFT = "draft"
    SENSITIVE = "sensitive"  # name: the sensitivity
    NEVER_TRACK = "never-track"  # address, entry; outgoing: a recipient's address
    UNTRACKED_BY_HAND = "untracked-by-hand"
    SENT_NOT_EVALUATED = "sent-not-evaluated"
    # One message, one activity
    ALREADY_TRACKED = "already-tracked"  # original: the activity it is linked to
    # Correlation (original: the tracked message it belongs with)
    REPLY = "reply"  # by In-Reply-To
    THREAD = "thread"  # by References
    TOKEN = "token"  # token
    CONVERSATION = "conversation"
    SMART_MATCH = "smart-match"  # differing_words, shared
    # The personal option
    OPTION_ALL = "option-all"
    PARTY_IN_SCOPE = "party-in-scope"  # address, record, outgoing, scope
    NOT_IN_SCOPE = "not-in-scope"  # address (None: no sender), record, outgoing, scope
    NOT_A_RESPONSE = "not-a-response"  # checks (none: every correlation is switched off)
    # Auto-creation
    CREATE_RECORD = "create-record"  # created
    CREATE_INVALID_ADDRESS = "create-invalid-address"  # address
    CREATE_INACTIVE_RECORD = "create-inactive-record"  # address
    # A role address (info@, biuro@) is no person: name is the role word
    ROLE_ADDED_TO_ACCOUNT = "role-added-to-account"  # address, name, record: the account
    ROLE_CREATES_NOTHING = "role-creates-nothing"  # address, name
    # By hand, and what stands for the user's hand
    BY_HAND = "by-hand"
    FOLDER = "folder"  # name: the folder
    SENT_FROM_LIAISON = "sent-from-liaison"
    OTHER_CLIENT = "other-client"  # name: the category it added
    RESTORED_FROM_MARK = "restored-from-mark"
    REGARDING_SET = "regarding-set"  # record (None: cleared)
    UNTRACKED_BY_CATEGORY = "untracked-by-category"  # name: the category it removed
    # Notes beside a decision
    UNKNOWN_TOKEN = "unknown-token"  # token
    UNRELATED_FORWARD = "unrelated-forward"  # original
    ADDRESSES_CUT = "addresses-cut"  # name: the header (To, Cc); count: the addresses considered


# Reasons that say where the regarding record came from: Set Regarding replaces them.
CORRELATIONS = frozenset({Why.REPLY, Why.THREAD, Why.TOKEN, Why.CONVERSATION, Why.SMART_MATCH})


class Scope(enum.StrEnum):
    """Whose mail a personal option tracks."""

    CUSTOMERS = "customers"  # leads, contacts and accounts
    EMAIL_ENABLED = "email-enabled"  # any record with an address


class Check(enum.StrEnum):
    """What correlation looked for and did not find, for "not a response to CRM email"."""

    NO_REPLY_HEADERS = "no-reply-headers"
    REPLY_HEADERS_UNKNOWN = "reply-headers-unknown"
    NO_TOKEN = "no-token"
    TOKEN_UNKNOWN = "token-unknown"  # the reason's token
    NO_CONVERSATION = "no-conversation"
    CONVERSATION_UNKNOWN = "conversation-unknown"
    NO_SMART_MATCH = "no-smart-match"


@dataclass(frozen=True, slots=True)
class Original:
    """A tracked message a reason points at."""

    activity_id: int
    subject: str
    dated: datetime  # when it was sent or received (when it was tracked, for older activities)

    def as_json(self) -> dict[str, Any]:
        return {"activity_id": self.activity_id, "subject": self.subject, "date": _iso(self.dated)}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: its kind and the facts it names (see `Why` for which kind names what)."""

    why: Why
    original: Original | None = None
    record: RecordRef | None = None
    address: str | None = None
    token: str | None = None
    entry: str | None = None  # the never-track entry that matched
    name: str | None = None  # the folder, the category or the sensitivity
    outgoing: bool = False  # sent mail: the recipients play the sender's part
    scope: Scope | None = None
    checks: tuple[Check, ...] = ()
    differing_words: int | None = None
    shared: tuple[str, ...] = ()  # addresses a smart match shares
    created: NewRecord | None = None
    count: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The reason with only the facts it has."""
        found: dict[str, Any] = {
            "why": self.why.value,
            "original": self.original.as_json() if self.original else None,
            "record": self.record.as_json() if self.record else None,
            "address": self.address,
            "token": self.token,
            "entry": self.entry,
            "name": self.name,
            "outgoing": self.outgoing or None,
            "scope": self.scope.value if self.scope else None,
            "checks": [check.value for check in self.checks] or None,
            "differing_words": self.differing_words,
            "shared": list(self.shared) or None,
            "created": self.created.as_json() if self.created else None,
            "count": self.count,
        }
        return {key: value for key, value in found.items() if value is not None}


def with_regarding_set(reasons: tuple[Reason, ...], record: RecordRef | None) -> tuple[Reason, ...]:
    """The reasons of an activity whose regarding record was set by hand: why it is tracked
    stays (the first reason), where its regarding record came from gives way to the user."""
    kept = tuple(
        reason
        for reason in reasons[1:]
        if reason.why not in CORRELATIONS and reason.why not in _REGARDING_SOURCES
    )
    return (*reasons[:1], *kept, Reason(Why.REGARDING_SET, record=record))


_REGARDING_SOURCES = frozenset({Why.REGARDING_SET})


def reasons_as_json(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [reason.as_json() for reason in reasons]


def reasons_from_json(data: object) -> tuple[Reason, ...] | None:
    """Reasons as an activity keeps them; None when they are missing or not understood (an
    activity tracked by an older version keeps its reason as text only)."""
    if not isinstance(data, list):
        return None
    try:
        return tuple(_reason(item) for item in data)
    except (KeyError, TypeError, ValueError):
        return None


def _reason(data: Mapping[str, Any]) -> Reason:
    original = data.get("original")
    record = data.get("record")
    created = data.get("created")
    scope = data.get("scope")
    return Reason(
        why=Why(data["why"]),
        original=Original(
            int(original["activity_id"]),
            str(original["subject"]),
            datetime.fromisoformat(original["date"]),
        )
        if original
        else None,
        record=_record(record) if record else None,
        address=data.get("address"),
        token=data.get("token"),
        entry=data.get("entry"),
        name=data.get("name"),
        outgoing=bool(data.get("outgoing", False)),
        scope=Scope(scope) if scope else None,
        checks=tuple(Check(check) for check in data.get("checks") or ()),
        differing_words=data.get("differing_words"),
        shared=tuple(data.get("shared") or ()),
        count=data.get("count"),
        created=NewRecord(
            RecordType(created["type"]),
            created["first_name"],
            created["last_name"],
            created["email"],
            created.get("company"),
            created.get("salutation") or "",
            created.get("suffix") or "",
            _record(created["account"]) if created.get("account") else None,
        )
        if created
        else None,
    )


def _record(data: Mapping[str, Any]) -> RecordRef:
    return RecordRef(RecordType(data["type"]), int(data["id"]), str(data.get("name") or ""))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
