"""The CRM pane's "why": a decision's reasons (app.tracking.reasons) in the window's language.

One headline says why the message is (or is not) tracked; the lines below give the particulars
each reason rests on (the original message by its subject and date, the record, the token, the
folder), each said once: the headline's own words are not repeated, and the regarding record,
which the pane shows above, is not named again. Activities tracked before reasons were kept as
facts show the words they were stored with.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, QLocale

from app.crm.search import RecordKey, RecordSummary
from app.services.mail import CrmPaneFacts
from app.tracking.model import RecordRef
from app.tracking.reasons import Original, Reason, Scope, Why
from app.ui.formatting import breakable, record_type_name, rule_title, to_local


def headline(facts: CrmPaneFacts) -> str:
    """What decided, in a few words: the first reason's kind for a tracked message with
    reasons, else the rule the cache or an older activity names."""
    reasons = facts.reasons
    if facts.is_tracked and reasons:
        titled = _TITLES.get(reasons[0].why)
        if titled is not None:
            return titled(reasons[0])
    return rule_title(facts.rule)


def lines(facts: CrmPaneFacts, link: Callable[[RecordSummary], str]) -> list[str]:
    """The particulars, as rich text (escaped; records as links made by `link`)."""
    if not facts.is_tracked:
        return []
    if facts.reasons is None:
        return [breakable(facts.evidence)] if facts.evidence else []
    found = []
    for position, reason in enumerate(facts.reasons):
        say = _LINES.get(reason.why)
        text = say(reason, link) if say is not None else None
        if text and not (position == 0 and reason.why in _SAID_BY_HEADLINE):
            found.append(text)
    return found


def when(facts: CrmPaneFacts) -> str:
    """`Tracked on 20 November 2026 at 09:30`, when the pane knows."""
    if facts.tracked_at is None or not facts.is_tracked:
        return ""
    moment = to_local(facts.tracked_at)
    locale = QLocale()
    return (
        QCoreApplication.translate("Why", "Tracked on %1 at %2")
        .replace("%1", locale.toString(moment.date(), QLocale.FormatType.LongFormat))
        .replace("%2", locale.toString(moment.time(), QLocale.FormatType.ShortFormat))
    )


# Words


def _original(found: Original | None) -> str:
    """„Oferta na Q3” of 3 November 2026 (the quotes and the date as the language writes them)."""
    if found is None:
        return escape(QCoreApplication.translate("Why", "a tracked message"))
    subject = " ".join(found.subject.split()) or QCoreApplication.translate("Why", "(no subject)")
    day = QLocale().toString(to_local(found.dated).date(), "d MMMM yyyy")
    quoted = QCoreApplication.translate("Why", "“%1”").replace("%1", subject)
    return escape(
        QCoreApplication.translate("Why", "%1 of %2").replace("%1", quoted).replace("%2", day)
    )


def _record(ref: RecordRef | None, link: Callable[[RecordSummary], str]) -> str:
    if ref is None:
        return ""
    return link(RecordSummary(RecordKey(ref.type, ref.id), ref.name))


def _with(text: str, *values: str) -> str:
    """A translated template with %1, %2… replaced by values that are rich text already."""
    parts = escape(text)
    for number, value in enumerate(values, start=1):
        parts = parts.replace(f"%{number}", value)
    return parts


def _party(reason: Reason, link: Callable[[RecordSummary], str]) -> str:
    return _with(
        QCoreApplication.translate("Why", "%1 is %2 in the CRM."),
        escape(reason.address or ""),
        _record(reason.record, link),
    )


def _smart_match(reason: Reason, _link: Callable[[RecordSummary], str]) -> str:
    shared = escape(", ".join(reason.shared))
    if reason.differing_words:
        text = QCoreApplication.translate(
            "Why", "Nearly the same subject words as %1 (words differing: %3), and they share %2."
        )
    else:
        text = QCoreApplication.translate("Why", "Same subject words as %1, and they share %2.")
    return _with(text, _original(reason.original), shared, str(reason.differing_words or 0))


def _created(reason: Reason, _link: Callable[[RecordSummary], str]) -> str:
    created = reason.created
    if created is None:
        return ""
    name = " ".join(part for part in (created.first_name, created.last_name) if part)
    who = f"{record_type_name(created.type)} {name}"
    return _with(
        QCoreApplication.translate("Why", "%1 was not in the CRM, so %2 was created for it."),
        escape(reason.address or ""),
        escape(who),
    )


def _regarding_set(reason: Reason, _link: Callable[[RecordSummary], str]) -> str:
    if reason.record is None:
        return escape(
            QCoreApplication.translate("Why", "You cleared its regarding record by hand.")
        )
    return escape(QCoreApplication.translate("Why", "You chose its regarding record by hand."))


_Words = Callable[[Reason, Callable[[RecordSummary], str]], str]

_LINES: dict[Why, _Words] = {
    Why.ALREADY_TRACKED: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "%1 was tracked already; this copy is linked to its activity."
        ),
        _original(r.original),
    ),
    Why.REPLY: lambda r, _: _with(
        QCoreApplication.translate("Why", "It replies to %1."), _original(r.original)
    ),
    Why.THREAD: lambda r, _: _with(
        QCoreApplication.translate("Why", "It belongs to the thread of %1."), _original(r.original)
    ),
    Why.TOKEN: lambda r, _: _with(
        QCoreApplication.translate("Why", "Its subject carries the tracking token %1 of %2."),
        escape(r.token or ""),
        _original(r.original),
    ),
    Why.CONVERSATION: lambda r, _: _with(
        QCoreApplication.translate("Why", "It is in the same conversation as %1."),
        _original(r.original),
    ),
    Why.SMART_MATCH: _smart_match,
    Why.PARTY_IN_SCOPE: _party,
    Why.CREATE_RECORD: _created,
    Why.CREATE_INVALID_ADDRESS: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "No record was created: %1 is not an address a record can have."
        ),
        escape(r.address or ""),
    ),
    Why.CREATE_INACTIVE_RECORD: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "No record was created: %1 belongs to inactive records only."
        ),
        escape(r.address or ""),
    ),
    Why.ROLE_ADDED_TO_ACCOUNT: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "%1 is a role address, not a person: it was added to the account %2."
        ),
        escape(r.address or ""),
        escape(r.record.name if r.record else ""),
    ),
    Why.ROLE_CREATES_NOTHING: lambda r, _: _with(
        QCoreApplication.translate(
            "Why",
            "No record was created: %1 is a role address, not a person, and no account has an "
            "address at its domain.",
        ),
        escape(r.address or ""),
    ),
    Why.ADDRESSES_CUT: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "Only the first %1 addresses of its %2 header were considered."
        ),
        str(r.count or 0),
        escape(r.name or ""),
    ),
    Why.FOLDER: lambda r, _: _with(
        QCoreApplication.translate("Why", "It is filed in the folder %1, which tracks its mail."),
        escape(QCoreApplication.translate("Why", "“%1”").replace("%1", r.name or "")),
    ),
    Why.SENT_FROM_LIAISON: lambda r, _: escape(
        QCoreApplication.translate(
            "Why", "Written in Liaison and tracked from the moment it was queued."
        )
    ),
    Why.OTHER_CLIENT: lambda r, _: _with(
        QCoreApplication.translate(
            "Why", "Another mail client (a phone, web mail) gave it the category %1."
        ),
        escape(QCoreApplication.translate("Why", "“%1”").replace("%1", r.name or "")),
    ),
    Why.RESTORED_FROM_MARK: lambda r, _: escape(
        QCoreApplication.translate(
            "Why", "Liaison's mark on the message in Exchange says it is tracked."
        )
    ),
    Why.REGARDING_SET: _regarding_set,
}

# Reasons whose words would only repeat the headline when they come first.
_SAID_BY_HEADLINE = frozenset(
    {Why.OPTION_ALL, Why.BY_HAND, Why.SENT_FROM_LIAISON, Why.RESTORED_FROM_MARK}
)


def _in_scope_title(reason: Reason) -> str:
    if reason.outgoing:
        if reason.scope is Scope.CUSTOMERS:
            return QCoreApplication.translate(
                "Why", "A recipient is a CRM lead, contact or account"
            )
        return QCoreApplication.translate("Why", "A recipient is an email-enabled CRM record")
    if reason.scope is Scope.CUSTOMERS:
        return QCoreApplication.translate("Why", "The sender is a CRM lead, contact or account")
    return QCoreApplication.translate("Why", "The sender is an email-enabled CRM record")


_TITLES: dict[Why, Callable[[Reason], str]] = {
    Why.ALREADY_TRACKED: lambda r: QCoreApplication.translate(
        "Why", "Linked to the activity tracked already"
    ),
    Why.REPLY: lambda r: QCoreApplication.translate("Why", "A reply to tracked email"),
    Why.THREAD: lambda r: QCoreApplication.translate("Why", "In a thread with tracked email"),
    Why.TOKEN: lambda r: QCoreApplication.translate(
        "Why", "Carries the tracking token of tracked email"
    ),
    Why.CONVERSATION: lambda r: QCoreApplication.translate(
        "Why", "In a conversation with tracked email"
    ),
    Why.SMART_MATCH: lambda r: QCoreApplication.translate(
        "Why", "Same subject and people as tracked email"
    ),
    Why.OPTION_ALL: lambda r: QCoreApplication.translate("Why", "You track all messages"),
    Why.PARTY_IN_SCOPE: _in_scope_title,
    Why.BY_HAND: lambda r: QCoreApplication.translate("Why", "Tracked by hand"),
    Why.FOLDER: lambda r: QCoreApplication.translate("Why", "Tracked by its folder"),
    Why.SENT_FROM_LIAISON: lambda r: QCoreApplication.translate("Why", "Sent from Liaison"),
    Why.OTHER_CLIENT: lambda r: QCoreApplication.translate("Why", "Tracked in another mail client"),
    Why.RESTORED_FROM_MARK: lambda r: QCoreApplication.translate(
        "Why", "Tracked again from its mark in Exchange"
    ),
    Why.REGARDING_SET: lambda r: QCoreApplication.translate("Why", "Regarding record set by hand"),
}
