"""The words of a decision's evidence: subjects, dates, records and ids as a user reads them."""

from __future__ import annotations

from datetime import datetime

from app.tracking.model import RecordRef, TrackedActivity
from app.tracking.times import as_naive_utc

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SUBJECT_LIMIT = 80
ID_LIMIT = 48


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


def activity(tracked: TrackedActivity, now: datetime) -> str:
    """`“Offer for Q3 CRM:0001004” (tracked 3 May)`."""
    return f"{quoted(tracked.subject)} (tracked {day(tracked.tracked_at, now)})"


def record(ref: RecordRef) -> str:
    """`account Acme Sp. z o.o.`"""
    return f"{ref.type.value} {ref.name}" if ref.name else f"{ref.type.value} #{ref.id}"


def regarding(ref: RecordRef | None) -> str:
    return f"regarding {record(ref)}" if ref is not None else "no regarding record"


def message_id(value: str) -> str:
    """`<abc@example.com>`, shortened with … when very long."""
    return f"<{short_id(value)}>"


def short_id(value: str) -> str:
    return value if len(value) <= ID_LIMIT else value[: ID_LIMIT - 1] + "…"


def sentence(*clauses: str) -> str:
    """Clauses joined with semicolons, ending with one full stop."""
    text = "; ".join(clause for clause in clauses if clause)
    return text if text.endswith((".", "…")) else text + "."
