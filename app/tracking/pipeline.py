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

from datetime import UTC, datetime

from app.tracking import evidence
from app.tracking.addresses import domain_of, is_valid_email, never_track_list, normalise_email
from app.tracking.correlation import CorrelationHit, CorrelationInput, candidates
from app.tracking.ids import normalise_message_id
from app.tracking.index import TrackingIndex
from app.tracking.model import (
    CUSTOMER_TYPES,
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
from app.tracking.resolution import is_own_address, resolve_parties
from app.tracking.roles import role_of
from app.tracking.subjects import is_forward
from app.tracking.times import as_naive_utc
from app.tracking.tokens import find_tokens, known_prefixes, token_digit_count

_SENSITIVE = frozenset({Sensitivity.PRIVATE, Sensitivity.CONFIDENTIAL})


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

    @property
    def now(self) -> datetime:
        return self.correlation.now

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
) -> Decision:
    """The decision for the user's own Track: always tracked, no exclusion applies.

    The regarding record is the one the user gave; without one, the existing activity's (for a
    message tracked already), else the one correlation finds, else none. Auto-creation applies
    as the options say.
    """
    facts = _Facts(message, index, org, user, now)
    existing = index.activity_by_message_id(message.message_id)
    hit = None
    if regarding is not None:
        reason = f"Tracked by hand {evidence.regarding(regarding)}, as you chose"
    elif existing is not None and existing.regarding is not None:
        regarding = existing.regarding
        reason = f"Tracked by hand; {evidence.regarding(regarding)}, kept from the tracked activity"
    else:
        hit = _correlate(facts, index, org, [])
        regarding = hit.activity.regarding if hit else None
        reason = f"Tracked by hand; {evidence.regarding(regarding)}"
        if hit is not None:
            reason += f", from: {hit.evidence}"
    clauses = [reason]
    if existing is not None:
        clauses.append(f"already tracked as activity {existing.id}: linked, not tracked twice")
    create, create_clause = _auto_create(facts, index, options)
    clauses.append(create_clause)
    return _decision(
        facts,
        True,
        Rule.MANUAL,
        evidence.sentence(*clauses),
        regarding=regarding,
        create=create,
        correlated_activity_id=hit.activity.id if hit else None,
        existing_activity_id=existing.id if existing else None,
    )


# Exclusions


def _excluded(facts: _Facts, index: TrackingIndex, options: PersonalOptions) -> Decision | None:
    message = facts.message
    if message.is_draft:
        return _decision(facts, False, Rule.EXCLUDED_DRAFT, "A draft; drafts are never tracked.")
    if options.skip_private and message.sensitivity in _SENSITIVE:
        return _decision(
            facts,
            False,
            Rule.EXCLUDED_PRIVATE,
            f"Sensitivity is {message.sensitivity.value.capitalize()}; your options skip private "
            "and confidential mail.",
        )
    never_track = _never_track_match(facts, options)
    if never_track is not None:
        return _decision(facts, False, Rule.EXCLUDED_NEVER_TRACK, never_track)
    if index.is_manually_untracked(message.message_id):
        return _decision(
            facts,
            False,
            Rule.NOT_TRACKED,
            "You untracked this message by hand; automatic rules leave it untracked.",
        )
    return None


def _never_track_match(facts: _Facts, options: PersonalOptions) -> str | None:
    if not options.never_track:
        return None
    matcher = never_track_list(options.never_track)
    message = facts.message
    if facts.outgoing:
        for address in (*message.to, *message.cc):
            entry = matcher.match(address.email)
            if entry is not None:
                return (
                    f"Recipient {normalise_email(address.email)} is on your never-track list "
                    f"({entry})."
                )
        return None
    if message.sender is None:
        return None
    entry = matcher.match(message.sender.email)
    if entry is None:
        return None
    return f"Sender {normalise_email(message.sender.email)} is on your never-track list ({entry})."


def _already_tracked(facts: _Facts, index: TrackingIndex) -> Decision | None:
    message_id = facts.message.message_id
    existing = index.activity_by_message_id(message_id)
    if existing is None or message_id is None:
        return None
    return _decision(
        facts,
        True,
        Rule.ALREADY_TRACKED,
        evidence.sentence(
            f"Already tracked as {evidence.activity(existing, facts.now)}, Message-ID "
            f"{evidence.message_id(normalise_message_id(message_id))}: linked, not tracked twice",
            evidence.regarding(existing.regarding),
        ),
        regarding=existing.regarding,
        existing_activity_id=existing.id,
    )


def _sent_not_evaluated(facts: _Facts, options: PersonalOptions) -> Decision | None:
    if not facts.outgoing or options.track_sent:
        return None
    return _decision(
        facts,
        False,
        Rule.NOT_TRACKED,
        "Sent by you; your option to also track sent items is off.",
    )


# Correlation, personal option, auto-creation


def _decided_by_rules(
    facts: _Facts, index: TrackingIndex, options: PersonalOptions, org: OrgSettings
) -> Decision:
    warnings: list[str] = []
    hit = _correlate(facts, index, org, warnings)
    if hit is not None:
        track, rule = True, hit.rule
        clauses = [hit.evidence, evidence.regarding(hit.activity.regarding)]
    else:
        track, rule, reason = _by_personal_option(facts, options, org)
        clauses = [reason]
        if facts.token and org.correlate_token:
            warnings.append(
                f"The subject carries tracking token {facts.token}, but no tracked message has it."
            )
    create = None
    if track:
        create, create_clause = _auto_create(facts, index, options)
        clauses.append(create_clause)
    return _decision(
        facts,
        track,
        rule,
        evidence.sentence(*clauses),
        regarding=hit.activity.regarding if hit else None,
        create=create,
        correlated_activity_id=hit.activity.id if hit else None,
        warnings=tuple(warnings),
    )


def _correlate(
    facts: _Facts, index: TrackingIndex, org: OrgSettings, warnings: list[str]
) -> CorrelationHit | None:
    for hit in candidates(facts.correlation, index, org):
        if not org.correlate_unrelated_forwards and _is_unrelated_forward(facts, hit):
            warnings.append(
                f"A forward to nobody on {evidence.activity(hit.activity, facts.now)}; "
                "the org does not correlate such forwards."
            )
            continue
        return hit
    return None


def _is_unrelated_forward(facts: _Facts, hit: CorrelationHit) -> bool:
    if not is_forward(facts.message.subject):
        return False
    recipients = {normalise_email(p.address.email) for p in facts.recipients()}
    return recipients.isdisjoint(hit.activity.addresses)


def _by_personal_option(
    facts: _Facts, options: PersonalOptions, org: OrgSettings
) -> tuple[bool, Rule, str]:
    no_regarding = "no tracked message correlates, so there is no regarding record"
    if options.track is TrackOption.ALL:
        return True, Rule.OPTION_ALL, f"Your option tracks all email messages; {no_regarding}"
    if options.track is TrackOption.CRM_RESPONSES:
        return False, Rule.NOT_TRACKED, _not_a_response(facts, org)
    customers_only = options.track is TrackOption.CRM_CONTACTS
    scope = (
        "CRM leads, contacts and accounts"
        if customers_only
        else "CRM records that are email enabled"
    )
    found = _party_record(facts, customers_only)
    if found is not None:
        party, record = found
        rule = Rule.OPTION_CRM_SENDER if customers_only else Rule.OPTION_EMAIL_ENABLED_SENDER
        return (
            True,
            rule,
            f"{_role_word(facts)} {normalise_email(party.address.email)} is "
            f"{evidence.record(record)}; your option tracks email {_direction_word(facts)} "
            f"{scope}; {no_regarding}",
        )
    return (
        False,
        Rule.NOT_TRACKED,
        f"{_who_is_not_in_scope(facts, customers_only)}; your option tracks only email "
        f"{_direction_word(facts)} {scope}",
    )


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


def _who_is_not_in_scope(facts: _Facts, customers_only: bool) -> str:
    if facts.outgoing:
        wanted = "a CRM lead, contact or account" if customers_only else "in the CRM"
        return f"No recipient is {wanted}"
    message = facts.message
    if message.sender is None:
        return "The message has no sender"
    address = normalise_email(message.sender.email)
    if facts.sender is None:
        return f"Sender {address} is not in the CRM"
    return f"Sender {address} is {evidence.record(facts.sender)}, not a lead, contact or account"


def _role_word(facts: _Facts) -> str:
    return "Recipient" if facts.outgoing else "Sender"


def _direction_word(facts: _Facts) -> str:
    return "to" if facts.outgoing else "from"


def _not_a_response(facts: _Facts, org: OrgSettings) -> str:
    message = facts.message
    checked: list[str] = []
    if org.correlate_in_reply_to:
        checked.append(
            "its In-Reply-To/References name no tracked message"
            if message.in_reply_to or message.references
            else "it has no In-Reply-To or References"
        )
    if org.correlate_token:
        checked.append(
            f"token {facts.token} belongs to no tracked message"
            if facts.token
            else "its subject has no tracking token"
        )
    if org.correlate_conversation:
        checked.append(
            "no tracked message is in its conversation"
            if message.conversation_id or message.conversation_index
            else "it has no conversation id"
        )
    if org.smart_matching:
        checked.append("no tracked message smart-matches it")
    reasons = ", ".join(checked) if checked else "every correlation is switched off"
    return (
        f"Not a response to CRM email ({reasons}); your option tracks only responses to CRM email"
    )


def _auto_create(
    facts: _Facts, index: TrackingIndex, options: PersonalOptions
) -> tuple[NewRecord | None, str]:
    """The record to create for an unknown sender, and the clause that says so."""
    sender = facts.message.sender
    if options.autocreate is AutoCreate.OFF or sender is None or facts.sender is not None:
        return None, ""
    if facts.outgoing:
        return None, ""
    address = normalise_email(sender.email)
    if not is_valid_email(address):
        return None, f"sender {address or '(empty)'} is not an address a record can have"
    if index.records_for(address):
        # Auto-creation never makes a second record for an address, even an inactive one's.
        return None, f"sender {address} belongs only to inactive records, so none is created"
    created = new_record_for(
        sender, options.autocreate, index.account_at_domain(domain_of(address))
    )
    role = role_of(address)
    if created is None and role is not None:
        return None, (
            f"sender {address} is a role address ({role}@), not a person, and no account has "
            f"an address at {domain_of(address)}: nothing is created for it"
        )
    if created is None:
        return None, f"sender {address} gives no name to create a {options.autocreate.value} with"
    if created.account is not None:
        return created, (
            f"sender {address} is a role address ({role}@), not a person: it is added to the "
            f"account {created.account.name}, which has addresses at {domain_of(address)}"
        )
    name = " ".join(part for part in (created.first_name, created.last_name) if part)
    company = f" at {created.company}" if created.company else ""
    return (
        created,
        f"sender {address} is not in the CRM: a {created.type.value} {name}{company} "
        "will be created for it",
    )


# Helpers


def _decision(
    facts: _Facts,
    track: bool,
    rule: Rule,
    text: str,
    *,
    regarding: RecordRef | None = None,
    create: NewRecord | None = None,
    correlated_activity_id: int | None = None,
    existing_activity_id: int | None = None,
    warnings: tuple[str, ...] = (),
) -> Decision:
    return Decision(
        track=track,
        rule=rule,
        evidence=text,
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
