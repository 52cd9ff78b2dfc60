"""Whether email written in Liaison is tracked when sent, as Dynamics decides it."""

from __future__ import annotations

from app.tracking.model import RecordRef, RecordType
from app.tracking.outgoing import Answered, OutgoingRule, decide_outgoing

ACME = RecordRef(RecordType.ACCOUNT, 7, "Acme Logistics")
MULLER = RecordRef(RecordType.ACCOUNT, 9, "Müller Maschinenbau")


def test_a_new_email_is_not_tracked_unless_asked() -> None:
    decision = decide_outgoing(None, None, None, track_new_email=False)

    assert not decision.track and decision.rule is OutgoingRule.NOT_ASKED


def test_a_new_email_is_tracked_when_the_setting_tracks_every_email_written() -> None:
    decision = decide_outgoing(None, None, None, track_new_email=True)

    assert decision.track and decision.regarding is None
    assert decision.rule is OutgoingRule.TRACK_NEW_EMAIL


def test_a_reply_to_a_tracked_message_is_tracked_regarding_the_same_record() -> None:
    decision = decide_outgoing(None, None, Answered(ACME), track_new_email=False)

    assert decision.track and decision.regarding == ACME
    assert decision.rule is OutgoingRule.RESPONSE_TO_TRACKED


def test_unticking_track_wins_over_the_original_and_the_setting() -> None:
    decision = decide_outgoing(False, None, Answered(ACME), track_new_email=True)

    assert not decision.track and decision.rule is OutgoingRule.NOT_TRACK_CHOSEN


def test_a_record_set_by_hand_wins_over_the_originals() -> None:
    decision = decide_outgoing(False, MULLER, Answered(ACME), track_new_email=False)

    assert decision.track and decision.regarding == MULLER
    assert decision.rule is OutgoingRule.REGARDING_CHOSEN


def test_track_ticked_on_a_reply_keeps_the_originals_record() -> None:
    decision = decide_outgoing(True, None, Answered(ACME), track_new_email=False)

    assert decision.track and decision.regarding == ACME
    assert decision.rule is OutgoingRule.TRACK_CHOSEN
