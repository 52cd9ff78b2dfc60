"""One message in, one decision out: the tracking pipeline of DESIGN.md.

In order:
1. Exclusions: drafts; Private and Confidential mail (personal option); the never-track list
   (for received mail the sender, for sent mail any recipient); a message the user untracked by
   hand (manual actions win); a message whose Message-ID is tracked already (linked, never
   tracked twice).
2. Sent mail is evaluated only with the personal option "also track sent items".
3. Correlation with a tracked activity (In-Reply-To/References, token, conversation, smart
   matching); a hit is tracked under every personal option, since each of them includes
   responses to CRM email, and copies the activity's regarding record.
4. Otherwise the personal option decides; there is no regarding record then.
5. Auto-creation of a contact or lead for a tracked message's unknown sender.

Received or sent: the Inbox is received mail, Sent Items sent mail; in any other folder a message
from the tracking user's own address counts as sent and anything else as received, so mail moved
by an Inbox rule is decided as if it had stayed. For sent mail the recipients play the sender's
part in the personal options; auto-creation looks at the sender only, which for sent mail is the
user, so it never creates a record from sent mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.tracking.addresses import domain_of, is_valid_email, never_track_list, normalise_email
from app.tracking.correlation import CorrelationHit, CorrelationInput, candidates, original
from app.tracking.index import TrackingIndex
from app.tracking.model import (
    CUSTOMER_TYPES,
    Address,
    AutoCreate,
    Decision,
    Folder,
    MessageFacts,
    NewRecord,
    OrgSettings,
    PartyRole,
    PersonalOptions,
    RecordRef,
    ResolvedParty,
    Rule,
    Sensitivity,
    TrackOption,
)
from app.tracking.names import new_record_for
from app.tracking.reasons import Check, Reason, Scope, Why
from app.tracking.resolution import is_own_address, resolve_parties
from app.tracking.roles import role_of
from app.tracking.subjects import is_forward
from app.tracking.times import as_naive_utc
from app.tracking.tokens import find_tokens, known_prefixes, token_digit_count

_SENSITIVE = frozenset({Sensitivity.PRIVATE, Sensitivity.CONFIDENTIAL})
BY_HAND = Reason(Why.BY_HAND)


class _Facts:
    """The message with what every step needs worked out once."""

    __slots__ = ("correlation", "message", "outgoing", "parties", "sender", "token", "user")

    def __init__(
        self,
        message: MessageFacts,
        index: TrackingIndex,
        org: OrgSettings,
        user: RecordRef,
        now: datetime | None,
    ) -> None:
        self.message = message
        self.user = user
        self.parties = resolve_parties(message, index, user)
        self.sender = _sender_record(self.parties)
        self.outgoing = _is_outgoing(message, index, user)
        tokens = find_tokens(message.subject, known_prefixes(org), token_digit_count(org))
        self.token = tokens[-1].text if tokens else None
        self.correlation = CorrelationInput(message, tokens, _reference_time(message, now))

    def recipients(self) -> tuple[ResolvedParty, ...]:
        return tuple(p for p in self.parties if p.role in (PartyRole.TO, PartyRole.CC))


def decide(
    message: MessageFacts,
    index: TrackingIndex,
    options: PersonalOptions,
    org: OrgSettings,
    user: RecordRef,
    now: datetime | None = None,
) -> Decision:
    """Whether to track the message, regarding what, and why.

    `user` is the tracking user (the mailbox owner); `now` anchors the smart-matching window and
    defaults to the message's received or sent time, else the clock.
    """
    facts = _Facts(message, index, org, user, now)
    return (
        _excluded(facts, index, options)
        or _already_tracked(facts, index)
        or _sent_not_evaluated(facts, options)
        or _decided_by_rules(facts, index, options, org)
    )


def manual_decision(
    message: MessageFacts,
    index: TrackingIndex,
    options: PersonalOptions,
    org: OrgSettings,
    user: RecordRef,
    regarding: RecordRef | None = None,
    now: datetime | None = None,
    cause: Reason = BY_HAND,
) -> Decision:
    """The decision for the user's own Track: always tracked, no exclusion applies.

    `cause` says who stands for the user's hand (by default the user): a folder that tracks its
    mail, a mark asking for tracking, another client's category. The regarding record is the
    one given; without one, the existing activity's (for a message tracked already), else the
    one correlation finds, else none. Auto-creation applies as the options say.
    """
    facts = _Facts(message, index, org, user, now)
    existing = index.activity_by_message_id(message.message_id)
    hit = None
    reasons = [cause]
    if regarding is None and existing is not None and existing.regarding is not None:
        regarding = existing.regarding  # what ALREADY_TRACKED below says
    elif regarding is None:
        hit = _correlate(facts, index, org, [])
        regarding = hit.activity.regarding if hit else None
        if hit is not None:
            reasons.append(hit.reason)
    if existing is not None:
        reasons.append(Reason(Why.ALREADY_TRACKED, original(existing)))
    created = _auto_create(facts, index, options)
    return _decision(
        facts,
        True,
        Rule.MANUAL,
        (*reasons, *created.reasons),
        regarding=regarding,
        create=created.record,
        correlated_activity_id=hit.activity.id if hit else None,
        existing_activity_id=existing.id if existing else None,
    )


# Exclusions


def _excluded(facts: _Facts, index: TrackingIndex, options: PersonalOptions) -> Decision | None:
    message = facts.message
    if message.is_draft:
        return _decision(facts, False, Rule.EXCLUDED_DRAFT, (Reason(Why.DRAFT),))
    if options.skip_private and message.sensitivity in _SENSITIVE:
        sensitive = Reason(Why.SENSITIVE, name=message.sensitivity.value)
        return _decision(facts, False, Rule.EXCLUDED_PRIVATE, (sensitive,))
    never_track = _never_track_match(facts, options)
    if never_track is not None:
        return _decision(facts, False, Rule.EXCLUDED_NEVER_TRACK, (never_track,))
    if index.is_manually_untracked(message.message_id):
        return _decision(facts, False, Rule.NOT_TRACKED, (Reason(Why.UNTRACKED_BY_HAND),))
    return None


def _never_track_match(facts: _Facts, options: PersonalOptions) -> Reason | None:
    if not options.never_track:
        return None
    matcher = never_track_list(options.never_track)
    message = facts.message
    if facts.outgoing:
        addresses: tuple[Address, ...] = (*message.to, *message.cc)
    else:
        addresses = (message.sender,) if message.sender is not None else ()
    for address in addresses:
        entry = matcher.match(address.email)
        if entry is not None:
            return Reason(
                Why.NEVER_TRACK,
                address=normalise_email(address.email),
                entry=entry,
                outgoing=facts.outgoing,
            )
    return None


def _already_tracked(facts: _Facts, index: TrackingIndex) -> Decision | None:
    message_id = facts.message.message_id
    existing = index.activity_by_message_id(message_id)
    if existing is None or message_id is None:
        return None
    return _decision(
        facts,
        True,
        Rule.ALREADY_TRACKED,
        (Reason(Why.ALREADY_TRACKED, original(existing)),),
        regarding=existing.regarding,
        existing_activity_id=existing.id,
    )


def _sent_not_evaluated(facts: _Facts, options: PersonalOptions) -> Decision | None:
    if not facts.outgoing or options.track_sent:
        return None
    return _decision(facts, False, Rule.NOT_TRACKED, (Reason(Why.SENT_NOT_EVALUATED),))


# Correlation, personal option, auto-creation


def _decided_by_rules(
    facts: _Facts, index: TrackingIndex, options: PersonalOptions, org: OrgSettings
) -> Decision:
    warnings: list[Reason] = []
    hit = _correlate(facts, index, org, warnings)
    if hit is not None:
        track, rule, reason = True, hit.rule, hit.reason
    else:
        track, rule, reason = _by_personal_option(facts, options, org)
        if facts.token and org.correlate_token and index.activity_by_token(facts.token) is None:
            warnings.append(Reason(Why.UNKNOWN_TOKEN, token=facts.token))
    created = _auto_create(facts, index, options) if track else _NOTHING_CREATED
    return _decision(
        facts,
        track,
        rule,
        (reason, *created.reasons),
        regarding=hit.activity.regarding if hit else None,
        create=created.record,
        correlated_activity_id=hit.activity.id if hit else None,
        warnings=tuple(warnings),
    )


def _correlate(
    facts: _Facts, index: TrackingIndex, org: OrgSettings, warnings: list[Reason]
) -> CorrelationHit | None:
    for hit in candidates(facts.correlation, index, org):
        if not org.correlate_unrelated_forwards and _is_unrelated_forward(facts, hit):
            warnings.append(Reason(Why.UNRELATED_FORWARD, original(hit.activity)))
            continue
        return hit
    return None


def _is_unrelated_forward(facts: _Facts, hit: CorrelationHit) -> bool:
    if not is_forward(facts.message.subject):
        return False
    recipients = {normalise_email(p.address.email) for p in facts.recipients()}
    return recipients.isdisjoint(hit.activity.addresses)


_OPTION_ALL = Reason(Why.OPTION_ALL)  # the same for every message: made once


def _by_personal_option(
    facts: _Facts, options: PersonalOptions, org: OrgSettings
) -> tuple[bool, Rule, Reason]:
    if options.track is TrackOption.ALL:
        return True, Rule.OPTION_ALL, _OPTION_ALL
    if options.track is TrackOption.CRM_RESPONSES:
        return False, Rule.NOT_TRACKED, _not_a_response(facts, org)
    customers_only = options.track is TrackOption.CRM_CONTACTS
    scope = Scope.CUSTOMERS if customers_only else Scope.EMAIL_ENABLED
    found = _party_record(facts, customers_only)
    if found is not None:
        party, record = found
        rule = Rule.OPTION_CRM_SENDER if customers_only else Rule.OPTION_EMAIL_ENABLED_SENDER
        in_scope = Reason(
            Why.PARTY_IN_SCOPE,
            record=record,
            address=normalise_email(party.address.email),
            outgoing=facts.outgoing,
            scope=scope,
        )
        return True, rule, in_scope
    return False, Rule.NOT_TRACKED, _not_in_scope(facts, scope)


def _party_record(facts: _Facts, customers_only: bool) -> tuple[ResolvedParty, RecordRef] | None:
    """The party that plays the sender's part and its qualifying record, if any."""
    if not facts.outgoing:
        sender = facts.sender
        if sender is None or (customers_only and sender.type not in CUSTOMER_TYPES):
            return None
        return facts.parties[0], sender
    for party in facts.recipients():
        for record in party.records:
            if customers_only and record.type not in CUSTOMER_TYPES:
                continue
            if (record.type, record.id) == (facts.user.type, facts.user.id):
                continue
            return party, record
    return None


def _not_in_scope(facts: _Facts, scope: Scope) -> Reason:
    """Nobody in the option's scope: no recipient (sent mail), no sender, an unknown sender,
    or a sender whose record is not a customer."""
    sender = facts.message.sender
    address = None if facts.outgoing or sender is None else normalise_email(sender.email)
    record = None if facts.outgoing else facts.sender
    return Reason(
        Why.NOT_IN_SCOPE, record=record, address=address, outgoing=facts.outgoing, scope=scope
    )


def _not_a_response(facts: _Facts, org: OrgSettings) -> Reason:
    message = facts.message
    checks: list[Check] = []
    if org.correlate_in_reply_to:
        has_headers = bool(message.in_reply_to or message.references)
        checks.append(Check.REPLY_HEADERS_UNKNOWN if has_headers else Check.NO_REPLY_HEADERS)
    if org.correlate_token:
        checks.append(Check.TOKEN_UNKNOWN if facts.token else Check.NO_TOKEN)
    if org.correlate_conversation:
        in_conversation = bool(message.conversation_id or message.conversation_index)
        checks.append(Check.CONVERSATION_UNKNOWN if in_conversation else Check.NO_CONVERSATION)
    if org.smart_matching:
        checks.append(Check.NO_SMART_MATCH)
    return Reason(Why.NOT_A_RESPONSE, token=facts.token, checks=tuple(checks))


@dataclass(frozen=True, slots=True)
class _Created:
    record: NewRecord | None
    reasons: tuple[Reason, ...]


_NOTHING_CREATED = _Created(None, ())


def _auto_create(facts: _Facts, index: TrackingIndex, options: PersonalOptions) -> _Created:
    """The record to create for an unknown sender, and the reason that says so."""
    sender = facts.message.sender
    if options.autocreate is AutoCreate.OFF or sender is None or facts.sender is not None:
        return _NOTHING_CREATED
    if facts.outgoing:
        return _NOTHING_CREATED
    address = normalise_email(sender.email)
    if not is_valid_email(address):
        return _Created(None, (Reason(Why.CREATE_INVALID_ADDRESS, address=address),))
    if index.records_for(address):
        # Auto-creation never makes a second record for an address, even an inactive one's.
        return _Created(None, (Reason(Why.CREATE_INACTIVE_RECORD, address=address),))
    created = new_record_for(
        sender, options.autocreate, index.account_at_domain(domain_of(address))
    )
    role = role_of(address)
    if created is None and role is not None:
        return _Created(None, (Reason(Why.ROLE_CREATES_NOTHING, address=address, name=role),))
    if created is None:
        return _NOTHING_CREATED
    if created.account is not None:
        reason = Reason(
            Why.ROLE_ADDED_TO_ACCOUNT,
            address=address,
            name=role,
            record=created.account,
            created=created,
        )
        return _Created(created, (reason,))
    return _Created(created, (Reason(Why.CREATE_RECORD, address=address, created=created),))


# Helpers


def _decision(
    facts: _Facts,
    track: bool,
    rule: Rule,
    reasons: tuple[Reason, ...],
    *,
    regarding: RecordRef | None = None,
    create: NewRecord | None = None,
    correlated_activity_id: int | None = None,
    existing_activity_id: int | None = None,
    warnings: tuple[Reason, ...] = (),
) -> Decision:
    return Decision(
        track=track,
        rule=rule,
        reasons=reasons,
        regarding=regarding,
        sender=facts.sender,
        parties=facts.parties,
        create=create,
        correlated_activity_id=correlated_activity_id,
        existing_activity_id=existing_activity_id,
        token=facts.token,
        warnings=warnings,
    )


def _sender_record(parties: tuple[ResolvedParty, ...]) -> RecordRef | None:
    if parties and parties[0].role is PartyRole.SENDER and parties[0].records:
        return parties[0].records[0]
    return None


def _is_outgoing(message: MessageFacts, index: TrackingIndex, user: RecordRef) -> bool:
    if message.folder is Folder.SENT:
        return True
    if message.folder is Folder.INBOX or message.sender is None:
        return False
    return is_own_address(message.sender.email, index, user)


def _reference_time(message: MessageFacts, now: datetime | None) -> datetime:
    moment = now or message.received_at or message.sent_at or datetime.now(UTC)
    return as_naive_utc(moment)
