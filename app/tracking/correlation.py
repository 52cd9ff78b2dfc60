"""Finding the tracked activity a message belongs with, in the reference's order.

In-Reply-To/References, then the tracking token, then the Exchange conversation, then smart
matching; each method is switched in the org settings and yields its candidates best first, so the
pipeline can pass over a candidate (an unrelated forward) and go on to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.tracking.addresses import normalise_email
from app.tracking.ids import message_ids_in
from app.tracking.index import TrackingIndex, tracked_order
from app.tracking.model import MessageFacts, OrgSettings, Rule, TrackedActivity
from app.tracking.reasons import Original, Reason, Why
from app.tracking.subjects import is_stop_subject, smart_subject_words
from app.tracking.times import as_naive_utc
from app.tracking.tokens import FoundToken, find_tokens, known_prefixes, token_digit_count


@dataclass(frozen=True, slots=True)
class CorrelationHit:
    rule: Rule
    activity: TrackedActivity
    reason: Reason  # e.g. a reply to the original “Offer for Q3” of 3 May


def original(activity: TrackedActivity) -> Original:
    """The tracked message as a reason names it: its subject and when it was sent."""
    return Original(
        activity.id, activity.subject, as_naive_utc(activity.sent_at or activity.tracked_at)
    )


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


def correlatable(
    message: MessageFacts, recent: TrackingIndex, org: OrgSettings, now: datetime
) -> bool:
    """Whether the message correlates with one of the activities in `recent` (those tracked
    since it was decided), by any method the org allows. `now` is naive UTC."""
    tokens = tuple(find_tokens(message.subject, known_prefixes(org), token_digit_count(org)))
    return next(candidates(CorrelationInput(message, tokens, now), recent, org), None) is not None


def by_reply_headers(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    message = facts.message
    for message_id in message_ids_in(message.in_reply_to or ""):
        found = index.activity_by_message_id(message_id)
        if found is not None:
            yield CorrelationHit(Rule.IN_REPLY_TO, found, Reason(Why.REPLY, original(found)))
    # The last reference is the message replied to, the first the start of the thread.
    for reference in reversed(message.references):
        for message_id in reversed(message_ids_in(reference)):
            found = index.activity_by_message_id(message_id)
            if found is not None:
                yield CorrelationHit(Rule.IN_REPLY_TO, found, Reason(Why.THREAD, original(found)))


def by_token(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    for token in reversed(facts.tokens):
        found = index.activity_by_token(token.text)
        if found is not None:
            yield CorrelationHit(
                Rule.TRACKING_TOKEN,
                found,
                Reason(Why.TOKEN, original(found), token=token.text),
            )


def by_conversation(facts: CorrelationInput, index: TrackingIndex) -> Iterator[CorrelationHit]:
    message = facts.message
    found = index.activities_for_conversation(message.conversation_id, message.conversation_index)
    # Latest first, and among those the ones with a regarding record first: that is the record
    # the conversation is about now.
    for activity in sorted(found, key=lambda activity: activity.regarding is None):
        yield CorrelationHit(
            Rule.CONVERSATION, activity, Reason(Why.CONVERSATION, original(activity))
        )


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
        yield CorrelationHit(
            Rule.SMART_MATCH,
            match.activity,
            Reason(
                Why.SMART_MATCH,
                original(match.activity),
                differing_words=match.difference,
                shared=match.shared,
            ),
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
