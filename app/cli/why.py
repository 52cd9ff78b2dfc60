"""A decision's reasons in English words, for `liaison explain` and the other tracking commands.

The window words the same reasons in its own language (app/ui/why.py); both read the facts of
app.tracking.reasons, so neither depends on the other's sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.crm.decisions import decision_to_json
from app.tracking.model import Decision, RecordRef
from app.tracking.reasons import Check, Original, Reason, Scope, Why
from app.tracking.times import as_naive_utc

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SUBJECT_LIMIT = 80


def evidence(decision: Decision, now: datetime) -> str:
    """Every reason of the decision, one sentence each, then its regarding record."""
    sentences = [words(reason, now) for reason in decision.reasons]
    if decision.track:
        sentences.append(
            _sentence(f"Regarding {record(decision.regarding)}")
            if decision.regarding
            else "No regarding record: it is linked through its people."
        )
    return " ".join(sentences)


def _sentence(text: str) -> str:
    """A full stop, unless the text ends with one (a name such as “Acme Sp. z o.o.”)."""
    return text if text.endswith(".") else text + "."


def words(reason: Reason, now: datetime) -> str:
    """One reason as an English sentence."""
    return _SENTENCES[reason.why](reason, now)


def quoted(subject: str) -> str:
    """“Offer for Q3”, shortened with … when long; “(no subject)” when empty."""
    text = " ".join(subject.split())
    if not text:
        return "(no subject)"
    if len(text) > SUBJECT_LIMIT:
        text = text[: SUBJECT_LIMIT - 1].rstrip() + "…"
    return f"“{text}”"


def day(moment: datetime, now: datetime) -> str:
    """`3 May`, or `3 May 2023` when the year is not the current one."""
    moment = as_naive_utc(moment)
    text = f"{moment.day} {_MONTHS[moment.month - 1]}"
    return text if moment.year == as_naive_utc(now).year else f"{text} {moment.year}"


def original(found: Original | None, now: datetime) -> str:
    """`“Offer for Q3 CRM:0001004” of 3 May`."""
    if found is None:
        return "a tracked message"
    return f"{quoted(found.subject)} of {day(found.dated, now)}"


def record(ref: RecordRef) -> str:
    """`the account Acme Sp. z o.o.`"""
    return f"the {ref.type.value} {ref.name}" if ref.name else f"the {ref.type.value} #{ref.id}"


def _scope(reason: Reason) -> str:
    who = (
        "CRM leads, contacts and accounts"
        if reason.scope is Scope.CUSTOMERS
        else "CRM records that are email enabled"
    )
    return f"email {'to' if reason.outgoing else 'from'} {who}"


def _party(reason: Reason) -> str:
    return "Recipient" if reason.outgoing else "Sender"


def _never_track(reason: Reason, _now: datetime) -> str:
    return f"{_party(reason)} {reason.address} is on your never-track list ({reason.entry})."


def _in_scope(reason: Reason, _now: datetime) -> str:
    assert reason.record is not None
    return (
        f"{_party(reason)} {reason.address} is {record(reason.record)}; your option tracks "
        f"{_scope(reason)}."
    )


def _not_in_scope(reason: Reason, _now: datetime) -> str:
    if reason.outgoing:
        wanted = (
            "a CRM lead, contact or account" if reason.scope is Scope.CUSTOMERS else "in the CRM"
        )
        who = f"No recipient is {wanted}"
    elif reason.address is None:
        who = "The message has no sender"
    elif reason.record is None:
        who = f"Sender {reason.address} is not in the CRM"
    else:
        who = f"Sender {reason.address} is {record(reason.record)}, not a lead, contact or account"
    return f"{who}; your option tracks only {_scope(reason)}."


_CHECKS = {
    Check.NO_REPLY_HEADERS: "it has no In-Reply-To or References",
    Check.REPLY_HEADERS_UNKNOWN: "its In-Reply-To/References name no tracked message",
    Check.NO_TOKEN: "its subject has no tracking token",
    Check.TOKEN_UNKNOWN: "token {token} belongs to no tracked message",
    Check.NO_CONVERSATION: "it has no conversation id",
    Check.CONVERSATION_UNKNOWN: "no tracked message is in its conversation",
    Check.NO_SMART_MATCH: "no tracked message smart-matches it",
}


def _not_a_response(reason: Reason, _now: datetime) -> str:
    checked = ", ".join(_CHECKS[check].format(token=reason.token) for check in reason.checks)
    return (
        f"Not a response to CRM email ({checked or 'every correlation is switched off'}); your "
        "option tracks only responses to CRM email."
    )


def _smart_match(reason: Reason, now: datetime) -> str:
    differing = reason.differing_words or 0
    similar = "same subject words" if not differing else f"subject words differ by {differing}"
    return (
        f"Smart match with {original(reason.original, now)}: {similar} and "
        f"{len(reason.shared)} shared addresses ({', '.join(reason.shared)})."
    )


def _create_record(reason: Reason, _now: datetime) -> str:
    created = reason.created
    assert created is not None
    name = " ".join(part for part in (created.first_name, created.last_name) if part)
    company = f" at {created.company}" if created.company else ""
    return (
        f"Sender {reason.address} is not in the CRM: a new {created.type.value} {name}{company} "
        "will be created for it."
    )


def _regarding_set(reason: Reason, _now: datetime) -> str:
    if reason.record is None:
        return "The regarding record was cleared by hand."
    return f"The regarding record was set by hand to {record(reason.record)}."


_SENTENCES: dict[Why, Callable[[Reason, datetime], str]] = {
    Why.DRAFT: lambda r, n: "A draft; drafts are never tracked.",
    Why.SENSITIVE: lambda r, n: (
        f"Sensitivity is {(r.name or '').capitalize()}; your options skip private and "
        "confidential mail."
    ),
    Why.NEVER_TRACK: _never_track,
    Why.UNTRACKED_BY_HAND: lambda r, n: (
        "You untracked this message by hand; automatic rules leave it untracked."
    ),
    Why.SENT_NOT_EVALUATED: lambda r, n: (
        "Sent by you; your option to also track sent items is off."
    ),
    Why.ALREADY_TRACKED: lambda r, n: (
        f"Already tracked as {original(r.original, n)}: linked to its activity and its regarding "
        "record, not tracked twice."
    ),
    Why.REPLY: lambda r, n: f"A reply to {original(r.original, n)}.",
    Why.THREAD: lambda r, n: f"In the thread of {original(r.original, n)}.",
    Why.TOKEN: lambda r, n: (
        f"The subject carries tracking token {r.token} of {original(r.original, n)}."
    ),
    Why.CONVERSATION: lambda r, n: f"In the same conversation as {original(r.original, n)}.",
    Why.SMART_MATCH: _smart_match,
    Why.OPTION_ALL: lambda r, n: "Your option tracks all email messages.",
    Why.PARTY_IN_SCOPE: _in_scope,
    Why.NOT_IN_SCOPE: _not_in_scope,
    Why.NOT_A_RESPONSE: _not_a_response,
    Why.CREATE_RECORD: _create_record,
    Why.CREATE_INVALID_ADDRESS: lambda r, n: (
        f"Sender {r.address or '(empty)'} is not an address a record can have, so none is created."
    ),
    Why.CREATE_INACTIVE_RECORD: lambda r, n: (
        f"Sender {r.address} belongs only to inactive records, so none is created."
    ),
    Why.ROLE_ADDED_TO_ACCOUNT: lambda r, n: (
        f"Sender {r.address} is a role address ({r.name}@), not a person: it is added to the "
        f"account {r.record.name if r.record else ''}, which has addresses at its domain."
    ),
    Why.ROLE_CREATES_NOTHING: lambda r, n: (
        f"Sender {r.address} is a role address ({r.name}@), not a person, and no account has an "
        "address at its domain: nothing is created for it."
    ),
    Why.BY_HAND: lambda r, n: "Tracked by hand.",
    Why.FOLDER: lambda r, n: f"Filed in the folder {r.name!r}, which tracks its mail.",
    Why.SENT_FROM_LIAISON: lambda r, n: "Sent from Liaison and tracked as asked when written.",
    Why.OTHER_CLIENT: lambda r, n: f"Another mail client added the category {r.name!r}.",
    Why.RESTORED_FROM_MARK: lambda r, n: "Tracked again from Liaison's mark on the item.",
    Why.REGARDING_SET: _regarding_set,
    Why.UNTRACKED_BY_CATEGORY: lambda r, n: f"Another mail client removed the category {r.name!r}.",
    Why.UNKNOWN_TOKEN: lambda r, n: (
        f"The subject carries tracking token {r.token}, but no tracked message has it."
    ),
    Why.ADDRESSES_CUT: lambda r, n: (
        f"The {r.name} header lists more than {r.count} addresses; only the first {r.count} "
        "were considered."
    ),
    Why.UNRELATED_FORWARD: lambda r, n: (
        f"A forward to nobody on {original(r.original, n)}; the org does not correlate such "
        "forwards."
    ),
}


def decision_json(decision: Decision, now: datetime) -> dict[str, Any]:
    """What `liaison explain --json` prints: the decision's facts with `evidence` and `warnings`
    in words, and its reasons as facts beside them (`reasons`, `notes`)."""
    facts = decision_to_json(decision)
    return {
        **{key: facts[key] for key in ("track", "rule", "regarding", "sender", "create")},
        "evidence": evidence(decision, now),
        "warnings": [words(note, now) for note in decision.warnings],
        **facts,
    }
