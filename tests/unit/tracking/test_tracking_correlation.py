"""Correlation: replies, tokens, conversations and smart matching find the tracked activity."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from app.tracking.index import TrackingIndex
from app.tracking.model import Address, OrgSettings, PersonalOptions, Rule, TrackOption
from app.tracking.pipeline import decide
from app.tracking.reasons import Original, Reason, Why

from .builders import (
    ACME,
    ACME_MAIL,
    ANNA,
    ANNA_MAIL,
    EWA_MAIL,
    JAN_MAIL,
    JAN_PRIVATE_MAIL,
    KLAUS_MAIL,
    MUELLER,
    NOW,
    PIOTR_MAIL,
    STRANGER_MAIL,
    crm,
    message,
    tracked,
)

ORG = OrgSettings()
SMART = OrgSettings(smart_matching=True)
DEFAULTS = PersonalOptions()
THREAD = "01D9A3C5F2" + "7E" * 17
# The offer as reasons name it: its subject and date, never its Message-ID.
OFFER = Original(1, "Offer for Q3 CRM:0001004", NOW - timedelta(days=17))


def _offer_thread() -> TrackingIndex:
    """Anna's offer to Jan (with a token), and Klaus's German enquiry, both tracked."""
    index = crm()
    index.add_activity(
        tracked(
            1,
            "Offer for Q3 CRM:0001004",
            ACME,
            message_id="<offer-q3@liaison.example>",
            token="CRM:0001004",
            conversation_id="AAQkADAwATM0MDAAMS1i",
            conversation_index=THREAD + "00",
            days_ago=17,
        )
    )
    index.add_activity(
        tracked(
            2,
            "Anfrage Lagerlogistik",
            MUELLER,
            message_id="<anfrage-7@mueller-logistik.de>",
            addresses=(KLAUS_MAIL, ANNA_MAIL),
            days_ago=30,
        )
    )
    return index


def test_polish_reply_correlates_by_in_reply_to_and_copies_the_regarding_record() -> None:
    reply = message("Odp: Offer for Q3 CRM:0001004", in_reply_to="<offer-q3@liaison.example>")

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (True, Rule.IN_REPLY_TO)
    assert decision.regarding == ACME
    assert decision.correlated_activity_id == 1
    assert decision.reasons == (Reason(Why.REPLY, OFFER),)


def test_reply_deeper_in_a_thread_correlates_by_references() -> None:
    reply = message(
        "AW: AW: Anfrage Lagerlogistik",
        sender=KLAUS_MAIL,
        in_reply_to="<untracked-answer@liaison.example>",
        references=("<anfrage-7@mueller-logistik.de>", "<untracked-answer@liaison.example>"),
    )

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.IN_REPLY_TO
    assert decision.regarding == MUELLER
    assert decision.reasons[0].why is Why.THREAD
    assert decision.reasons[0].original == Original(2, "Anfrage Lagerlogistik", NOW - timedelta(30))


def test_german_reply_without_headers_correlates_by_its_tracking_token() -> None:
    reply = message("AW: Offer for Q3 CRM:0001004", sender=KLAUS_MAIL)

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.TRACKING_TOKEN
    assert decision.regarding == ACME
    assert decision.token == "CRM:0001004"
    assert decision.reasons == (Reason(Why.TOKEN, OFFER, token="CRM:0001004"),)


def test_token_written_in_lower_case_with_a_space_still_correlates() -> None:
    reply = message("re: offer for q3 crm: 0001004")

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert (decision.rule, decision.token) == (Rule.TRACKING_TOKEN, "CRM:0001004")


def test_token_of_the_old_prefix_correlates_after_the_prefix_changed() -> None:
    org = OrgSettings(token_prefix="LIA:", token_prefix_history=("CRM:",))

    decision = decide(message("RE: Offer CRM:0001004"), _offer_thread(), DEFAULTS, org, ANNA)

    assert decision.rule is Rule.TRACKING_TOKEN


def test_unknown_token_does_not_correlate_and_is_reported() -> None:
    decision = decide(message("RE: Offer CRM:0009999"), _offer_thread(), DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.token == "CRM:0009999"
    assert decision.warnings == (Reason(Why.UNKNOWN_TOKEN, token="CRM:0009999"),)


def test_reply_in_the_same_exchange_conversation_correlates() -> None:
    reply = message("RE: Offer for Q3", conversation_id="AAQkADAwATM0MDAAMS1i")

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.CONVERSATION
    assert decision.reasons == (Reason(Why.CONVERSATION, OFFER),)


def test_reply_with_the_same_thread_index_correlates() -> None:
    reply = message("RE: Offer for Q3", conversation_index=THREAD + "0000A1B2C3")

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.CONVERSATION
    assert decision.regarding == ACME


def test_conversation_prefers_the_latest_activity_with_a_regarding_record() -> None:
    index = _offer_thread()
    index.add_activity(tracked(3, "RE: Offer for Q3", None, conversation_id="AAQkADAwATM0MDAAMS1i",
                               days_ago=1))  # fmt: skip

    decision = decide(message("RE: Offer", conversation_id="AAQkADAwATM0MDAAMS1i"), index,
                      DEFAULTS, ORG, ANNA)  # fmt: skip

    assert decision.correlated_activity_id == 1


def test_in_reply_to_wins_over_a_token_of_another_activity() -> None:
    reply = message(
        "AW: Anfrage Lagerlogistik CRM:0001004",
        sender=KLAUS_MAIL,
        in_reply_to="<anfrage-7@mueller-logistik.de>",
    )

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert (decision.rule, decision.regarding) == (Rule.IN_REPLY_TO, MUELLER)


def test_switched_off_in_reply_to_leaves_the_token_to_correlate() -> None:
    reply = message("RE: Offer CRM:0001004", in_reply_to="<offer-q3@liaison.example>")
    org = OrgSettings(correlate_in_reply_to=False)

    assert decide(reply, _offer_thread(), DEFAULTS, org, ANNA).rule is Rule.TRACKING_TOKEN


def test_with_every_correlation_switched_off_a_reply_is_not_a_response() -> None:
    reply = message(
        "RE: Offer CRM:0001004",
        in_reply_to="<offer-q3@liaison.example>",
        conversation_id="AAQkADAwATM0MDAAMS1i",
    )
    org = OrgSettings(correlate_in_reply_to=False, correlate_token=False,
                      correlate_conversation=False)  # fmt: skip

    decision = decide(reply, _offer_thread(), DEFAULTS, org, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.reasons == (Reason(Why.NOT_A_RESPONSE, token="CRM:0001004"),)


def test_correlated_reply_from_an_unknown_sender_is_tracked_under_every_option() -> None:
    reply = message("RE: Offer", sender=STRANGER_MAIL, in_reply_to="<offer-q3@liaison.example>")
    options = PersonalOptions(track=TrackOption.CRM_CONTACTS)

    decision = decide(reply, _offer_thread(), options, ORG, ANNA)

    assert (decision.track, decision.rule, decision.sender) == (True, Rule.IN_REPLY_TO, None)


def test_smart_matching_is_off_by_default() -> None:
    same_subject = message("RE: Anfrage Lagerlogistik", sender=KLAUS_MAIL)

    decision = decide(same_subject, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)


def test_smart_match_needs_the_same_words_and_two_shared_addresses() -> None:
    same_subject = message("AW: Anfrage Lagerlogistik", sender=KLAUS_MAIL)

    decision = decide(same_subject, _offer_thread(), DEFAULTS, SMART, ANNA)

    assert (decision.rule, decision.regarding) == (Rule.SMART_MATCH, MUELLER)
    assert decision.reasons == (
        Reason(
            Why.SMART_MATCH,
            Original(2, "Anfrage Lagerlogistik", NOW - timedelta(30)),
            differing_words=0,
            shared=("klaus.becker@mueller-logistik.de", "anna.nowak@liaison.example"),
        ),
    )


def test_smart_match_with_only_one_shared_address_does_not_match() -> None:
    other_people = message("Anfrage Lagerlogistik", sender=EWA_MAIL, to=(ANNA_MAIL,))

    assert decide(other_people, _offer_thread(), DEFAULTS, SMART, ANNA).track is False


def test_smart_match_minimum_of_shared_addresses_is_configurable() -> None:
    other_people = message("Anfrage Lagerlogistik", sender=EWA_MAIL, to=(ANNA_MAIL,))
    org = replace(SMART, smart_min_addresses=1)

    assert decide(other_people, _offer_thread(), DEFAULTS, org, ANNA).rule is Rule.SMART_MATCH


def test_smart_match_ignores_activities_older_than_ninety_days() -> None:
    index = crm()
    index.add_activity(tracked(1, "Anfrage Lagerlogistik", MUELLER,
                               addresses=(KLAUS_MAIL, ANNA_MAIL), days_ago=91))  # fmt: skip

    decision = decide(message("Anfrage Lagerlogistik", sender=KLAUS_MAIL), index, DEFAULTS,
                      SMART, ANNA)  # fmt: skip

    assert decision.track is False


def test_smart_match_within_ninety_days_matches() -> None:
    index = crm()
    index.add_activity(tracked(1, "Anfrage Lagerlogistik", MUELLER,
                               addresses=(KLAUS_MAIL, ANNA_MAIL), days_ago=89))  # fmt: skip

    decision = decide(message("Anfrage Lagerlogistik", sender=KLAUS_MAIL), index, DEFAULTS,
                      SMART, ANNA)  # fmt: skip

    assert decision.rule is Rule.SMART_MATCH


def test_stop_subject_never_smart_matches() -> None:
    index = crm()
    index.add_activity(tracked(1, "Thanks", ACME))

    decision = decide(message("RE: Thanks"), index, DEFAULTS, SMART, ANNA)

    assert decision.track is False


def test_empty_subject_never_smart_matches() -> None:
    index = crm()
    index.add_activity(tracked(1, "RE:", ACME))

    assert decide(message("FW:"), index, DEFAULTS, SMART, ANNA).track is False
    assert decide(message(""), index, DEFAULTS, SMART, ANNA).track is False


def test_different_subject_words_do_not_smart_match() -> None:
    index = _offer_thread()

    decision = decide(message("Anfrage Lagerlogistik 2027", sender=KLAUS_MAIL), index, DEFAULTS,
                      SMART, ANNA)  # fmt: skip

    assert decision.track is False


def test_allowed_subject_difference_lets_one_extra_word_match() -> None:
    org = replace(SMART, smart_subject_delta=1)

    decision = decide(message("Anfrage Lagerlogistik 2027", sender=KLAUS_MAIL), _offer_thread(),
                      DEFAULTS, org, ANNA)  # fmt: skip

    assert decision.rule is Rule.SMART_MATCH
    assert decision.reasons[0].differing_words == 1


def test_mailing_list_copy_smart_matches_the_tracked_original() -> None:
    index = crm()
    index.add_activity(tracked(1, "Price list 2026", ACME,
                               addresses=(ANNA_MAIL, JAN_MAIL, PIOTR_MAIL)))  # fmt: skip
    list_copy = message("[sales-team] RE: Price list 2026", sender=JAN_MAIL,
                        to=(Address("sales-team@liaison.example"),), cc=(ANNA_MAIL,))  # fmt: skip

    decision = decide(list_copy, index, DEFAULTS, SMART, ANNA)

    assert (decision.rule, decision.regarding) == (Rule.SMART_MATCH, ACME)


def test_reply_from_the_senders_second_address_correlates_and_resolves_to_him() -> None:
    reply = message("Odp: Offer for Q3", sender=JAN_PRIVATE_MAIL,
                    in_reply_to="<offer-q3@liaison.example>")  # fmt: skip

    decision = decide(reply, _offer_thread(), DEFAULTS, ORG, ANNA)

    assert decision.rule is Rule.IN_REPLY_TO
    assert decision.sender is not None
    assert decision.sender.name == "Jan Kowalski"


def test_forward_to_strangers_is_not_correlated_when_the_org_says_so() -> None:
    forward = message("FW: Offer for Q3 CRM:0001004", sender=ACME_MAIL, to=(STRANGER_MAIL,))
    org = OrgSettings(correlate_unrelated_forwards=False)

    decision = decide(forward, _offer_thread(), DEFAULTS, org, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.warnings == (Reason(Why.UNRELATED_FORWARD, OFFER),)


def test_forward_to_someone_on_the_original_is_correlated_when_unrelated_ones_are_not() -> None:
    forward = message("WG: Offer for Q3 CRM:0001004", sender=ACME_MAIL, to=(JAN_MAIL,))
    org = OrgSettings(correlate_unrelated_forwards=False)

    assert decide(forward, _offer_thread(), DEFAULTS, org, ANNA).rule is Rule.TRACKING_TOKEN


def test_forward_to_strangers_is_correlated_by_default() -> None:
    forward = message("FW: Offer for Q3 CRM:0001004", sender=ACME_MAIL, to=(STRANGER_MAIL,))

    assert decide(forward, _offer_thread(), DEFAULTS, ORG, ANNA).rule is Rule.TRACKING_TOKEN
