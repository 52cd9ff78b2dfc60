"""How values read in the window: dates in the user's locale and time zone, record types, tracking
states and the rules that decided, all translated."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import escape

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTimeZone

from app.tracking.model import RecordType

# The red of a problem: a form's error, an overdue task.
PROBLEM_COLOUR = "#c62828"


def to_local(moment: datetime) -> QDateTime:
    """The store keeps UTC (SQLite hands it back without a zone); the window shows local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int(moment.timestamp() * 1000)
    return QDateTime.fromMSecsSinceEpoch(seconds, QTimeZone.systemTimeZone())


def short_moment(moment: datetime | None, today: QDate | None = None) -> str:
    """14:32 today, Mon 14:32 this week, 3 Nov this year, 03.11.2025 before."""
    if moment is None:
        return ""
    local = to_local(moment)
    locale = QLocale()
    day = local.date()
    today = today or QDate.currentDate()
    if day == today:
        return locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    if 0 < day.daysTo(today) < 7:
        return (
            f"{locale.dayName(day.dayOfWeek(), QLocale.FormatType.ShortFormat)} "
            + locale.toString(local.time(), QLocale.FormatType.ShortFormat)
        )
    if day.year() == today.year():
        return locale.toString(day, "d MMM")
    return locale.toString(day, QLocale.FormatType.ShortFormat)


def due_day(due: datetime | None, today: date) -> str:
    """A due date as the day it is (kept as midnight UTC, never a time of day): Today,
    Tomorrow, Yesterday, 3 Nov this year, 03.11.2025 in another."""
    if due is None:
        return ""
    day = due.astimezone(UTC).date()
    words = {
        0: QCoreApplication.translate("Formatting", "Today"),
        1: QCoreApplication.translate("Formatting", "Tomorrow"),
        -1: QCoreApplication.translate("Formatting", "Yesterday"),
    }
    shown = words.get((day - today).days)
    if shown is not None:
        return shown
    qdate = QDate(day.year, day.month, day.day)
    if day.year == today.year:
        return QLocale().toString(qdate, "d MMM")
    return QLocale().toString(qdate, QLocale.FormatType.ShortFormat)


def long_moment(moment: datetime | None) -> str:
    """Friday, 20 November 2026 09:30 (the locale's long date, its short time)."""
    if moment is None:
        return ""
    local = to_local(moment)
    locale = QLocale()
    date_text = locale.toString(local.date(), QLocale.FormatType.LongFormat)
    return f"{date_text} {locale.toString(local.time(), QLocale.FormatType.ShortFormat)}"


def local_number(text: str, decimals: int = 2) -> str:
    """480,000.00 (as the CRM store writes an amount) as the user's locale writes it
    (480 000,00 in Polish); text that is not a number stays as it is."""
    try:
        value = Decimal(text.replace(",", ""))
    except ArithmeticError:
        return text
    return QLocale().toString(float(value), "f", decimals)


def local_day(text: str) -> str:
    """2026-12-15 as the user's locale writes a short date; anything else as it is."""
    day = QDate.fromString(text, "yyyy-MM-dd")
    return QLocale().toString(day, QLocale.FormatType.ShortFormat) if day.isValid() else text


# Exchange's well-known folders: by their distinguished id, and by the English name the server
# gives them (a cache that knows no id for Junk Email or the Outbox still names them).
_WELL_KNOWN_FOLDERS = {
    "inbox": "Inbox",
    "sentitems": "Sent Items",
    "drafts": "Drafts",
    "deleteditems": "Deleted Items",
    "junkemail": "Junk Email",
    "outbox": "Outbox",
    "calendar": "Calendar",
    "tasks": "Tasks",
}
# Exchange's own bookkeeping folders, never named to the user.
INTERNAL_FOLDER_NAMES = frozenset(
    {"Sync Issues", "Conflicts", "Local Failures", "Server Failures", "Conversation History"}
)


def folder_name(name: str, distinguished: str | None = None) -> str:
    """A folder in the window's language when Exchange knows it; the user's own as named."""
    english = _WELL_KNOWN_FOLDERS.get(distinguished or "")
    if english is None and name in _WELL_KNOWN_FOLDERS.values():
        english = name
    if english is None:
        return name
    words = {
        "Inbox": QCoreApplication.translate("Folders", "Inbox"),
        "Sent Items": QCoreApplication.translate("Folders", "Sent Items"),
        "Drafts": QCoreApplication.translate("Folders", "Drafts"),
        "Deleted Items": QCoreApplication.translate("Folders", "Deleted Items"),
        "Junk Email": QCoreApplication.translate("Folders", "Junk Email"),
        "Outbox": QCoreApplication.translate("Folders", "Outbox"),
        "Calendar": QCoreApplication.translate("Folders", "Calendar"),
        "Tasks": QCoreApplication.translate("Folders", "Tasks"),
    }
    return words[english]


def record_type_name(record_type: RecordType | str) -> str:
    names = {
        RecordType.ACCOUNT: QCoreApplication.translate("Formatting", "Account"),
        RecordType.CONTACT: QCoreApplication.translate("Formatting", "Contact"),
        RecordType.LEAD: QCoreApplication.translate("Formatting", "Lead"),
        RecordType.OPPORTUNITY: QCoreApplication.translate("Formatting", "Opportunity"),
        RecordType.USER: QCoreApplication.translate("Formatting", "User"),
        RecordType.QUEUE: QCoreApplication.translate("Formatting", "Queue"),
    }
    try:
        return names[RecordType(record_type)]
    except ValueError:
        return str(record_type)


# A cached item's tracking state (as app.mailbox.views gives it) -> its icon; untracked: none.
TRACKING_STATE_ICONS = {"tracked": "tracked", "pending": "pending", "failed": "failed"}

RECORD_ICONS = {
    RecordType.ACCOUNT: "account",
    RecordType.CONTACT: "contact",
    RecordType.LEAD: "lead",
    RecordType.OPPORTUNITY: "opportunity",
    RecordType.USER: "user",
    RecordType.QUEUE: "queue",
}


def rule_title(rule: str | None) -> str:
    """The rule that decided, in words (the evidence below it gives the particulars)."""
    titles = {
        "excluded-draft": QCoreApplication.translate("Formatting", "Not tracked: it is a draft"),
        "excluded-private": QCoreApplication.translate(
            "Formatting", "Not tracked: marked private or confidential"
        ),
        "excluded-never-track": QCoreApplication.translate(
            "Formatting", "Not tracked: on your never-track list"
        ),
        "already-tracked": QCoreApplication.translate(
            "Formatting", "Linked to the activity already tracked for this message"
        ),
        "in-reply-to": QCoreApplication.translate("Formatting", "A reply to tracked email"),
        "tracking-token": QCoreApplication.translate(
            "Formatting", "Carries the tracking token of tracked email"
        ),
        "conversation": QCoreApplication.translate(
            "Formatting", "In a conversation with tracked email"
        ),
        "smart-match": QCoreApplication.translate(
            "Formatting", "Same subject and people as tracked email"
        ),
        "option-all": QCoreApplication.translate("Formatting", "You track all messages"),
        "option-crm-sender": QCoreApplication.translate(
            "Formatting", "The sender is a CRM lead, contact or account"
        ),
        "option-email-enabled-sender": QCoreApplication.translate(
            "Formatting", "The sender is an email-enabled CRM record"
        ),
        "not-tracked": QCoreApplication.translate(
            "Formatting", "Not tracked: no rule of your options applies"
        ),
        "manual": QCoreApplication.translate("Formatting", "Tracked by hand"),
        "untracked": QCoreApplication.translate(
            "Formatting", "Untracked by hand: automatic rules leave it alone"
        ),
        "untracked-by-category": QCoreApplication.translate(
            "Formatting", "Untracked in another mail client (category removed)"
        ),
        "could-not-track": QCoreApplication.translate(
            "Formatting", "Tracking failed several times; the sync log says why"
        ),
        "retrying": QCoreApplication.translate(
            "Formatting", "Tracking failed; the next sync tries again"
        ),
    }
    if not rule:
        return QCoreApplication.translate("Formatting", "Not evaluated yet: the next sync decides")
    return titles.get(rule, rule)


def file_size(size: int | None) -> str:
    if size is None:
        return ""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


_LONG_WORD = 24
_BREAK_EVERY = 16
_BREAK_AFTER = re.compile(r"([@.>_/-])")  # where an address or a Message-ID reads well broken
_ZERO_WIDTH_SPACE = "\u200b"


def breakable(text: str) -> str:
    """Escaped text in which very long words (Message-IDs, URLs) may break: a label wraps only
    at spaces, and one unbroken id would widen the pane beyond the window. They break after @,
    dots and dashes first, and every few letters only where that is not enough."""
    words = []
    for word in text.split(" "):
        if len(word) > _LONG_WORD:
            pieces = []
            for part in _BREAK_AFTER.sub(r"\1" + _ZERO_WIDTH_SPACE, word).split(_ZERO_WIDTH_SPACE):
                pieces.extend(part[i : i + _BREAK_EVERY] for i in range(0, len(part), _BREAK_EVERY))
            words.append("&#8203;".join(escape(piece) for piece in pieces if piece))
        else:
            words.append(escape(word))
    return " ".join(words)
