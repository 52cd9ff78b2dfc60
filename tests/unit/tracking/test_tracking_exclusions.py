"""Exclusions come before every other rule: drafts, private mail, never-track, manual untrack."""

from __future__ import annotations

from datetime import timedelta

from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Address,
    Folder,
    OrgSettings,
    PersonalOptions,
    Rule,
    Sensitivity,
    TrackOption,
)
from app.tracking.pipeline import decide
from app.tracking.reasons import Original, Reason, Why

from .builders import (
    ACME,
    ANNA,
    ANNA_MAIL,
    JAN,
    JAN_MAIL,
    KLAUS_MAIL,
    NOW,
    crm,
    message,
    tracked,
)

ORG = OrgSettings()
DEFAULTS = PersonalOptions()
TRACK_ALL = PersonalOptions(track=TrackOption.ALL)


def _crm_with_offer() -> TrackingIndex:
    index = crm()
    index.add_activity(tracked(1, "Offer for Q3", ACME, message_id="<offer@liaison.example>"))
    return index


def test_draft_is_never_tracked_even_as_a_reply_to_tracked_mail() -> None:
    draft = message("RE: Offer for Q3", in_reply_to="<offer@liaison.example>", is_draft=True)

    decision = decide(draft, _crm_with_offer(), DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.EXCLUDED_DRAFT)
    assert decision.reasons == (Reason(Why.DRAFT),)


def test_private_mail_is_skipped_by_default() -> None:
    private = message("RE: Offer for Q3", in_reply_to="<offer@liaison.example>",
                      sensitivity=Sensitivity.PRIVATE)  # fmt: skip

    decision = decide(private, _crm_with_offer(), DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.EXCLUDED_PRIVATE)
    assert decision.reasons == (Reason(Why.SENSITIVE, name="private"),)


def test_confidential_mail_is_skipped_by_default() -> None:
    confidential = message("Umowa poufna", sensitivity=Sensitivity.CONFIDENTIAL)

    decision = decide(confidential, crm(), TRACK_ALL, ORG, ANNA)

    assert decision.rule is Rule.EXCLUDED_PRIVATE


def test_private_mail_is_evaluated_when_the_user_turned_skipping_off() -> None:
    private = message("RE: Offer for Q3", in_reply_to="<offer@liaison.example>",
                      sensitivity=Sensitivity.PRIVATE)  # fmt: skip
    options = PersonalOptions(skip_private=False)

    decision = decide(private, _crm_with_offer(), options, ORG, ANNA)

    assert (decision.track, decision.rule) == (True, Rule.IN_REPLY_TO)


def test_personal_sensitivity_is_not_an_exclusion() -> None:
    personal = message("Zaproszenie", sensitivity=Sensitivity.PERSONAL)

    assert decide(personal, crm(), TRACK_ALL, ORG, ANNA).rule is Rule.OPTION_ALL


def test_sender_on_the_never_track_list_is_excluded_and_the_entry_named() -> None:
    options = PersonalOptions(track=TrackOption.ALL, never_track=frozenset({"jan@kowalski.dev"}))
    note = message("Grill w sobotę?", sender=Address("Jan@Kowalski.dev", "Jan"))

    decision = decide(note, crm(), options, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.EXCLUDED_NEVER_TRACK)
    assert decision.reasons == (
        Reason(Why.NEVER_TRACK, address="jan@kowalski.dev", entry="jan@kowalski.dev"),
    )


def test_sender_in_a_never_track_domain_is_excluded() -> None:
    options = PersonalOptions(track=TrackOption.ALL, never_track=frozenset({"@acme.pl"}))

    decision = decide(message("Faktura 03/2026"), crm(), options, ORG, ANNA)

    assert decision.rule is Rule.EXCLUDED_NEVER_TRACK
    assert decision.reasons[0].entry == "@acme.pl"


def test_never_track_recipient_of_received_mail_does_not_exclude_it() -> None:
    options = PersonalOptions(track=TrackOption.ALL, never_track=frozenset({"@acme.pl"}))
    received = message("Angebot", sender=KLAUS_MAIL, to=(ANNA_MAIL,), cc=(JAN_MAIL,))

    assert decide(received, crm(), options, ORG, ANNA).rule is Rule.OPTION_ALL


def test_sent_mail_to_a_never_track_recipient_is_excluded() -> None:
    options = PersonalOptions(
        track=TrackOption.ALL, track_sent=True, never_track=frozenset({"@acme.pl"})
    )
    sent = message("Oferta", sender=ANNA_MAIL, to=(KLAUS_MAIL,), cc=(JAN_MAIL,), folder=Folder.SENT)

    decision = decide(sent, crm(), options, ORG, ANNA)

    assert decision.rule is Rule.EXCLUDED_NEVER_TRACK
    assert decision.reasons == (
        Reason(Why.NEVER_TRACK, address="jan.kowalski@acme.pl", entry="@acme.pl", outgoing=True),
    )


def test_message_untracked_by_hand_stays_untracked_though_it_correlates() -> None:
    index = _crm_with_offer()
    reply = message("Odp: Offer for Q3", message_id="<odp-1@acme.pl>",
                    in_reply_to="<offer@liaison.example>")  # fmt: skip
    index.mark_manually_untracked("<odp-1@acme.pl>")

    decision = decide(reply, index, DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.reasons == (Reason(Why.UNTRACKED_BY_HAND),)


def test_message_tracked_already_is_linked_to_its_activity_not_tracked_twice() -> None:
    index = _crm_with_offer()
    copy = message("Offer for Q3", message_id="<offer@liaison.example>", sender=ANNA_MAIL)

    decision = decide(copy, index, DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (True, Rule.ALREADY_TRACKED)
    assert decision.existing_activity_id == 1
    assert decision.regarding == ACME
    assert decision.reasons == (
        Reason(Why.ALREADY_TRACKED, Original(1, "Offer for Q3", NOW - timedelta(days=2))),
    )


def test_already_tracked_message_is_linked_even_as_a_sent_item_with_sent_tracking_off() -> None:
    index = _crm_with_offer()
    sent_copy = message("Offer for Q3", message_id="<offer@liaison.example>",
                        sender=ANNA_MAIL, to=(JAN_MAIL,), folder=Folder.SENT)  # fmt: skip

    decision = decide(sent_copy, index, DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.ALREADY_TRACKED
    assert decision.sender == ANNA


def test_excluded_decision_still_lists_the_resolved_parties() -> None:
    decision = decide(message("Szkic", is_draft=True), crm(), DEFAULTS, ORG, ANNA)

    assert decision.sender == JAN
    assert [party.records for party in decision.parties] == [(JAN,), (ANNA,)]
