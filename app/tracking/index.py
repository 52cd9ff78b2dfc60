"""The in-memory index the store fills and the pipeline queries: every question is a dict lookup.

It holds the email-enabled records by normalised address and the tracked activities by
Message-ID, tracking token, conversation id, conversation thread and (built on first use, for the
org's smart-matching settings) subject words. No decision scans all activities.

Memory is kept small for a CRM of a hundred thousand records and activities: a map entry holds
its one value itself and a tuple only when there are several, every address is one shared string
and every record one shared `RecordRef`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias, TypeVar

from app.tracking.addresses import normalise_email
from app.tracking.ids import normalise_message_id, thread_key
from app.tracking.model import OrgSettings, RecordRef, RecordType, TrackedActivity
from app.tracking.subjects import is_stop_subject, smart_key, smart_subject_words
from app.tracking.times import as_naive_utc
from app.tracking.tokens import known_prefixes, token_digit_count, token_key

_RecordKey: TypeAlias = tuple[RecordType, int]
_Key = TypeVar("_Key")
_Item = TypeVar("_Item", bound=RecordRef | TrackedActivity)
# Most addresses belong to one record and most tokens and conversations to one activity, so a map
# holds a lone value as itself and only several as a tuple: that saves a tuple per entry.
_OneOrMore: TypeAlias = _Item | tuple[_Item, ...]


class TrackingIndex:
    """Records and tracked activities, indexed for the tracking pipeline."""

    __slots__ = (
        "_accounts_by_domain",
        "_activities",
        "_by_conversation",
        "_by_message_id",
        "_by_thread",
        "_by_token",
        "_emails_by_record",
        "_records_by_email",
        "_smart",
        "_strings",
        "_untracked",
    )

    def __init__(self) -> None:
        self._records_by_email: dict[str, _OneOrMore[RecordRef]] = {}
        self._emails_by_record: dict[_RecordKey, tuple[RecordRef, str | tuple[str, ...]]] = {}
        self._accounts_by_domain: dict[str, _OneOrMore[RecordRef]] = {}
        self._activities: dict[int, TrackedActivity] = {}
        self._by_message_id: dict[str, TrackedActivity] = {}
        self._by_token: dict[str, _OneOrMore[TrackedActivity]] = {}
        self._by_conversation: dict[str, _OneOrMore[TrackedActivity]] = {}
        self._by_thread: dict[bytes, _OneOrMore[TrackedActivity]] = {}
        self._untracked: set[str] = set()
        self._strings: dict[str, str] = {}
        self._smart: _SmartIndex | None = None

    # Records

    def add_record(self, record: RecordRef, emails: Iterable[str]) -> None:
        """Add a record, or replace it: afterwards it has exactly these addresses and fields."""
        self.remove_record(record.type, record.id)
        addresses = tuple(dict.fromkeys(self._intern(e) for e in map(normalise_email, emails) if e))
        self._emails_by_record[(record.type, record.id)] = (
            record,
            addresses[0] if len(addresses) == 1 else addresses,
        )
        for email in addresses:
            _add(self._records_by_email, email, record)
        if record.type is RecordType.ACCOUNT:
            for domain in _domains(addresses):
                _add(self._accounts_by_domain, domain, record)

    def remove_record(self, record_type: RecordType, record_id: int) -> None:
        entry = self._emails_by_record.pop((record_type, record_id), None)
        if entry is None:
            return
        record, emails = entry
        addresses = (emails,) if isinstance(emails, str) else emails
        for email in addresses:
            _remove(self._records_by_email, email, lambda r: r is record)
        if record_type is RecordType.ACCOUNT:
            for domain in _domains(addresses):
                _remove(self._accounts_by_domain, domain, lambda r: r is record)

    def records_for(self, email: str) -> tuple[RecordRef, ...]:
        """Every record (active or not) with this address; the address is normalised here."""
        return _all(self._records_by_email, normalise_email(email))

    def records_for_normalised(self, email: str) -> tuple[RecordRef, ...]:
        """As records_for, for an address that went through normalise_email already."""
        return _all(self._records_by_email, email)

    def account_at_domain(self, domain: str) -> RecordRef | None:
        """The oldest active account with an address at this domain (where a role address of
        the same company belongs), or None."""
        accounts = [a for a in _all(self._accounts_by_domain, domain.lower()) if a.active]
        return min(accounts, key=_creation_order) if accounts else None

    def record_count(self) -> int:
        return len(self._emails_by_record)

    # Activities

    def add_activity(self, activity: TrackedActivity) -> None:
        """Add a tracked activity, or replace the one with its id."""
        self.add_indexed_activity(self._compact(activity))

    def add_indexed_activity(self, stored: TrackedActivity) -> None:
        """As add_activity, for an activity read from another index: compact already (its
        identifiers normalised), so it is not compacted again."""
        self.remove_activity(stored.id)
        self._activities[stored.id] = stored
        if stored.message_id:
            self._by_message_id[stored.message_id] = stored
        if stored.token:
            _add(self._by_token, token_key(stored.token), stored)
        if stored.conversation_id:
            _add(self._by_conversation, stored.conversation_id, stored)
        thread = thread_key(stored.conversation_index)
        if thread is not None:
            _add(self._by_thread, thread, stored)
        if self._smart is not None:
            self._smart.add(stored)

    def remove_activity(self, activity_id: int) -> bool:
        """Forget an activity (untracked or deleted); False when it was not indexed."""
        stored = self._activities.pop(activity_id, None)
        if stored is None:
            return False
        if stored.message_id and self._by_message_id.get(stored.message_id) is stored:
            del self._by_message_id[stored.message_id]

        def is_stored(activity: TrackedActivity) -> bool:
            return activity is stored

        if stored.token:
            _remove(self._by_token, token_key(stored.token), is_stored)
        if stored.conversation_id:
            _remove(self._by_conversation, stored.conversation_id, is_stored)
        thread = thread_key(stored.conversation_index)
        if thread is not None:
            _remove(self._by_thread, thread, is_stored)
        if self._smart is not None:
            self._smart.discard(stored)
        return True

    def activity(self, activity_id: int) -> TrackedActivity | None:
        return self._activities.get(activity_id)

    def activity_count(self) -> int:
        return len(self._activities)

    def activity_by_message_id(self, message_id: str | None) -> TrackedActivity | None:
        if not message_id:
            return None
        return self._by_message_id.get(normalise_message_id(message_id))

    def activity_by_token(self, token: str) -> TrackedActivity | None:
        """The tracked activity carrying this token; the latest if old data reused a token."""
        return _latest(_all(self._by_token, token_key(token)))

    def activities_for_conversation(
        self, conversation_id: str | None = None, conversation_index: str | None = None
    ) -> tuple[TrackedActivity, ...]:
        """Tracked activities of the same Exchange conversation or thread, latest first."""
        found: dict[int, TrackedActivity] = {}
        if conversation_id:
            for activity in _all(self._by_conversation, conversation_id.strip()):
                found[activity.id] = activity
        thread = thread_key(conversation_index)
        if thread is not None:
            for activity in _all(self._by_thread, thread):
                found[activity.id] = activity
        return tuple(sorted(found.values(), key=tracked_order, reverse=True))

    def smart_candidates(
        self, words: tuple[str, ...], org: OrgSettings
    ) -> tuple[tuple[TrackedActivity, int], ...]:
        """Activities whose subject words differ from these by at most org.smart_subject_delta.

        Each comes with its word difference. The word index is built on first use for the org's
        smart-matching settings, and rebuilt only when those change.
        """
        smart = self._smart
        if smart is None or (smart.org is not org and smart.settings != _smart_settings(org)):
            smart = _SmartIndex(org, self._activities.values())
            self._smart = smart
        return smart.candidates(words, org.smart_subject_delta, self._activities)

    # Manual actions

    def mark_manually_untracked(self, message_id: str) -> None:
        """The user untracked this message by hand: automatic rules must leave it alone."""
        if message_id.strip():
            self._untracked.add(normalise_message_id(message_id))

    def unmark_manually_untracked(self, message_id: str) -> None:
        """The user tracked the message by hand again."""
        self._untracked.discard(normalise_message_id(message_id))

    def is_manually_untracked(self, message_id: str | None) -> bool:
        return bool(message_id) and normalise_message_id(message_id or "") in self._untracked

    # Compaction

    def _intern(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def _shared_record(self, record: RecordRef | None) -> RecordRef | None:
        if record is None:
            return None
        known = self._emails_by_record.get((record.type, record.id))
        return known[0] if known is not None and known[0] == record else record

    def _compact(self, activity: TrackedActivity) -> TrackedActivity:
        # Built field by field: dataclasses.replace costs three times the constructor, and a
        # first sync compacts every message it tracks.
        return TrackedActivity(
            id=activity.id,
            message_id=normalise_message_id(activity.message_id) if activity.message_id else None,
            subject=activity.subject,
            regarding=self._shared_record(activity.regarding),
            tracked_at=activity.tracked_at,
            token=activity.token,
            conversation_id=activity.conversation_id.strip() if activity.conversation_id else None,
            conversation_index=activity.conversation_index,
            addresses=frozenset(
                self._intern(e) for e in map(normalise_email, activity.addresses) if e
            ),
            sent_at=activity.sent_at,
        )


def _add(index: dict[_Key, _OneOrMore[_Item]], key: _Key, item: _Item) -> None:
    index[key] = (*_all(index, key), item) if key in index else item


def _all(index: dict[_Key, _OneOrMore[_Item]], key: _Key) -> tuple[_Item, ...]:
    present = index.get(key)
    if present is None:
        return ()
    return present if isinstance(present, tuple) else (present,)


def _remove(
    index: dict[_Key, _OneOrMore[_Item]], key: _Key, matches: Callable[[_Item], bool]
) -> None:
    remaining = tuple(item for item in _all(index, key) if not matches(item))
    if not remaining:
        index.pop(key, None)
    else:
        index[key] = remaining[0] if len(remaining) == 1 else remaining


def _domains(addresses: Iterable[str]) -> set[str]:
    return {email.rpartition("@")[2] for email in addresses if "@" in email}


def _creation_order(record: RecordRef) -> tuple[datetime, int]:
    return (as_naive_utc(record.created_at) if record.created_at else datetime.min, record.id)


def tracked_order(activity: TrackedActivity) -> tuple[datetime, int]:
    """Sort key: when an activity was tracked (comparable across time zones), then its id."""
    return (as_naive_utc(activity.tracked_at), activity.id)


def _latest(activities: tuple[TrackedActivity, ...]) -> TrackedActivity | None:
    return max(activities, key=tracked_order) if activities else None


@dataclass(frozen=True, slots=True)
class _SmartSettings:
    token_prefixes: tuple[str, ...]
    token_digits: int
    filter_regex: str
    max_words: int
    stop_subjects: tuple[str, ...]
    by_single_words: bool


def _smart_settings(org: OrgSettings) -> _SmartSettings:
    return _SmartSettings(
        known_prefixes(org),
        token_digit_count(org),
        org.smart_filter_regex,
        org.smart_max_words,
        org.smart_stop_subjects,
        org.smart_subject_delta > 0,
    )


class _SmartIndex:
    """Tracked activities by subject words, for one set of smart-matching settings.

    With a word difference of 0 (the default) the sorted unique words are one dict key. With a
    difference d > 0 an activity within d words of a message shares at least one of the message's
    d + 1 rarest words, so the postings of those words hold every candidate; a candidate must
    share at least one word, which keeps two near-empty subjects from matching on nothing.
    """

    __slots__ = ("_by_key", "_by_word", "_words", "org", "settings")

    def __init__(self, org: OrgSettings, activities: Iterable[TrackedActivity]) -> None:
        self.settings = _smart_settings(org)
        self.org = org
        self._by_key: dict[str, _OneOrMore[TrackedActivity]] = {}
        self._words: dict[int, frozenset[str]] = {}
        self._by_word: dict[str, set[int]] = {}
        for activity in activities:
            self.add(activity)

    def add(self, activity: TrackedActivity) -> None:
        words = self._words_of(activity)
        if words is None:
            return
        _add(self._by_key, smart_key(words), activity)
        if self.settings.by_single_words:
            unique = frozenset(words)
            self._words[activity.id] = unique
            for word in unique:
                self._by_word.setdefault(word, set()).add(activity.id)

    def discard(self, activity: TrackedActivity) -> None:
        words = self._words_of(activity)
        if words is None:
            return
        _remove(self._by_key, smart_key(words), lambda stored: stored is activity)
        for word in self._words.pop(activity.id, ()):
            postings = self._by_word.get(word)
            if postings is not None:
                postings.discard(activity.id)
                if not postings:
                    del self._by_word[word]

    def candidates(
        self, words: tuple[str, ...], delta: int, activities: dict[int, TrackedActivity]
    ) -> tuple[tuple[TrackedActivity, int], ...]:
        if not words:
            return ()
        if delta <= 0 or not self.settings.by_single_words:
            return tuple((activity, 0) for activity in _all(self._by_key, smart_key(words)))
        unique = frozenset(words)
        rarest = sorted(unique, key=lambda word: len(self._by_word.get(word, ())))[: delta + 1]
        ids: set[int] = set()
        for word in rarest:
            ids.update(self._by_word.get(word, ()))
        found = []
        for activity_id in ids:
            difference = len(unique ^ self._words[activity_id])
            if difference <= delta:
                found.append((activities[activity_id], difference))
        return tuple(found)

    def _words_of(self, activity: TrackedActivity) -> tuple[str, ...] | None:
        words = smart_subject_words(activity.subject, self.org)
        return None if is_stop_subject(words, self.org) else words
