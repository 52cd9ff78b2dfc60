"""Whether an email written in Liaison is tracked when it is sent, as Dynamics decides it.

The user's choice in the compose window wins: Set Regarding tracks regarding that record, Track
tracks, unticking Track does not. Without a choice, a reply to or forward of a tracked message
is tracked regarding the same record (its tracking token carried in the subject), and a new
email is tracked only when the organisation or the user says to track every email written
(`track-new-email`). Otherwise it is not tracked: no token in its subject, no activity.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.tracking.model import RecordRef


class OutgoingRule(enum.StrEnum):
    REGARDING_CHOSEN = "regarding-chosen"
    TRACK_CHOSEN = "track-chosen"
    NOT_TRACK_CHOSEN = "not-track-chosen"
    RESPONSE_TO_TRACKED = "response-to-tracked"
    TRACK_NEW_EMAIL = "track-new-email"
    NOT_ASKED = "not-asked"


@dataclass(frozen=True, slots=True)
class Answered:
    """The tracked message a reply or forward answers (None: a new email, or an original that
    is not tracked)."""

    regarding: RecordRef | None


@dataclass(frozen=True, slots=True)
class OutgoingDecision:
    track: bool
    rule: OutgoingRule
    regarding: RecordRef | None
    evidence: str


def decide_outgoing(
    track: bool | None,
    regarding: RecordRef | None,
    answered: Answered | None,
    track_new_email: bool,
) -> OutgoingDecision:
    """`track`: the user's Track control (None: left as it was); `regarding`: the record the
    user set; `answered`: the tracked message this one replies to or forwards;
    `track_new_email`: the organisation's or the user's setting."""
    if regarding is not None:
        return OutgoingDecision(
            True,
            OutgoingRule.REGARDING_CHOSEN,
            regarding,
            f"Regarding {regarding.type.value} {regarding.name}, as chosen",
        )
    if track is False:
        return OutgoingDecision(False, OutgoingRule.NOT_TRACK_CHOSEN, None, "Not to be tracked")
    kept = answered.regarding if answered is not None else None
    if track is True:
        return OutgoingDecision(True, OutgoingRule.TRACK_CHOSEN, kept, "Tracked as asked")
    if answered is not None:
        about = f"regarding {kept.type.value} {kept.name}" if kept else "regarding nothing"
        return OutgoingDecision(
            True,
            OutgoingRule.RESPONSE_TO_TRACKED,
            kept,
            f"A response to a tracked message, tracked like it ({about})",
        )
    if track_new_email:
        return OutgoingDecision(
            True, OutgoingRule.TRACK_NEW_EMAIL, None, "Every email written is tracked (setting)"
        )
    return OutgoingDecision(False, OutgoingRule.NOT_ASKED, None, "Tracking was not asked for")
