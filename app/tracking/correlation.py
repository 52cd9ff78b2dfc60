"""Finding the tracked activity a message belongs with, in the reference's order.

In-Reply-To/References, then the tracking token, then the Exchange conversation, then smart
matching; each method is switched in the org settings and yields its candidates best first, so the
pipeline can pass over a candidate (an unrelated forward) and go on to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.tracking import evidence
from app.tracking.addresses import normalise_email
from app.tracking.ids import message_ids_in, thread_key
from app.tracking.index import TrackingIndex, tracked_order
from app.tracking.model import MessageFacts, OrgSettings, Rule, TrackedActivity
from app.tracking.subjects import is_stop_subject, smart_subject_words
from app.tracking.times import as_naive_utc
from app.tracking.tokens import FoundToken


@dataclass(frozen=True, slots=True)
class CorrelationHit:
    rule: Rule
    activity: TrackedActivity
    evidence: str  # e.g. 'Reply to “Offer for Q3” (tracked 3 May), In-Reply-To <abc@x>'


@dataclass(frozen=True, slots=True)
class CorrelationInput:
    """What correlation looks at, worked out once per message."""

    message: MessageFacts
    tokens: tuple[FoundToken, ...]  # this org's tokens in the subject, in order
    now: datetime  # naive UTC


def candidates(
    facts: CorrelationInput, index: TrackingIndex, org: OrgSettings
) -> Iterator[CorrelationHit]:
    """Every correlation the org's switches allow, in order: first method first, best first."""
    if org.correlate_in_reply_to:
        yield from by_reply_headers(facts, index)
    if org.correlate_token:
        yield from by_token(facts, index)
    if org.correlate_conversation:
        yield from by_conversation(facts, index)
    if org.smart_matching:
        yield from by_smart_match(facts, index, org)


def by_reply_headers(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    message = facts.message
    for message_id in message_ids_in(message.in_reply_to or ""):
        found = index.activity_by_message_id(message_id)
        if found is not None:
            yield CorrelationHit(
                Rule.IN_REPLY_TO,
                found,
                f"Reply to {evidence.activity(found, facts.now)}, "
                f"In-Reply-To {evidence.message_id(message_id)}",
            )
    # The last reference is the message replied to, the first the start of the thread.
    for reference in reversed(message.references):
        for message_id in reversed(message_ids_in(reference)):
            found = index.activity_by_message_id(message_id)
            if found is not None:
                yield CorrelationHit(
                    Rule.IN_REPLY_TO,
                    found,
                    f"In the thread of {evidence.activity(found, facts.now)}, "
                    f"References {evidence.message_id(message_id)}",
                )


def by_token(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    for token in reversed(facts.tokens):
        found = index.activity_by_token(token.text)
        if found is not None:
            yield CorrelationHit(
                Rule.TRACKING_TOKEN,
                found,
                f"Subject carries tracking token {token.text} of "
                f"{evidence.activity(found, facts.now)}",
            )


def by_conversation(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    message = facts.message
    found = index.activities_for_conversation(message.conversation_id, message.conversation_index)
    # Latest first, and among those the ones with a regarding record first: that is the record
    # the conversation is about now.
    for activity in sorted(found, key=lambda activity: activity.regarding is None):
        yield CorrelationHit(
            Rule.CONVERSATION,
            activity,
            f"Same conversation as {evidence.activity(activity, facts.now)}, "
            f"{_conversation_link(message, activity)}",
        )


def _conversation_link(message: MessageFacts, activity: TrackedActivity) -> str:
    if message.conversation_id and activity.conversation_id == message.conversation_id.strip():
        return f"Exchange conversation id {evidence.short_id(message.conversation_id.strip())}"
    thread = thread_key(message.conversation_index)
    return f"conversation index thread {thread.hex().upper() if thread else ''}"


def by_smart_match(
    facts: CorrelationInput, index: TrackingIndex, org: OrgSettings
) -> Iterator[CorrelationHit]:
    # Worked out here, not up front: most messages correlate earlier or have smart matching off.
    words = smart_subject_words(facts.message.subject, org)
    if is_stop_subject(words, org):
        return
    addresses = unique_addresses(facts.message, org.smart_max_addresses)
    not_before = facts.now - timedelta(days=org.smart_window_days)
    matches: list[_SmartMatch] = []
    for activity, difference in index.smart_candidates(words, org):
        if as_naive_utc(activity.tracked_at) < not_before:
            continue
        shared = tuple(address for address in addresses if address in activity.addresses)
        if len(shared) >= org.smart_min_addresses:
            matches.append(_SmartMatch(activity, difference, shared))
    # Best first: fewest differing words, then most shared addresses, then the latest tracked.
    matches.sort(key=lambda match: tracked_order(match.activity), reverse=True)
    matches.sort(key=lambda match: (match.difference, -len(match.shared)))
    for match in matches:
        words_clause = (
            "same subject words"
            if match.difference == 0
            else f"subject words differ by {match.difference}"
        )
        yield CorrelationHit(
            Rule.SMART_MATCH,
            match.activity,
            f"Smart match with {evidence.activity(match.activity, facts.now)}: {words_clause} "
            f"and {len(match.shared)} shared addresses ({', '.join(match.shared)})",
        )


@dataclass(frozen=True, slots=True)
class _SmartMatch:
    activity: TrackedActivity
    difference: int
    shared: tuple[str, ...]


def unique_addresses(message: MessageFacts, limit: int) -> tuple[str, ...]:
    """The message's unique normalised From, To and Cc addresses, at most `limit` of them."""
    sender = (message.sender,) if message.sender else ()
    unique = dict.fromkeys(
        normalise_email(address.email) for address in (*sender, *message.to, *message.cc)
    )
    unique.pop("", None)
    return tuple(unique)[: max(limit, 0)]
