"""The four personal options, sent items and mail in other folders."""

from __future__ import annotations

from app.tracking.model import (
    Address,
    Folder,
    OrgSettings,
    PersonalOptions,
    RecordRef,
    RecordType,
    Rule,
    TrackOption,
)
from app.tracking.pipeline import decide
from app.tracking.reasons import Check, Reason, Scope, Why

from .builders import (
    ACME,
    ACME_MAIL,
    ANNA,
    ANNA_MAIL,
    EWA,
    EWA_MAIL,
    JAN,
    JAN_MAIL,
    PIOTR,
    PIOTR_MAIL,
    STRANGER_MAIL,
    SUPPORT,
    SUPPORT_MAIL,
    crm,
    message,
    tracked,
)

ORG = OrgSettings()
RESPONSES = PersonalOptions()
ALL = PersonalOptions(track=TrackOption.ALL)
CUSTOMERS = PersonalOptions(track=TrackOption.CRM_CONTACTS)
EMAIL_ENABLED = PersonalOptions(track=TrackOption.EMAIL_ENABLED)


def test_all_messages_tracks_mail_from_a_stranger_without_regarding() -> None:
    decision = decide(message("Zapytanie o szkolenie", sender=STRANGER_MAIL), crm(), ALL, ORG, ANNA)

    assert (decision.track, decision.rule, decision.regarding) == (True, Rule.OPTION_ALL, None)
    assert decision.reasons == (Reason(Why.OPTION_ALL),)


def test_responses_only_leaves_new_mail_untracked_and_says_what_was_checked() -> None:
    decision = decide(message("Nowe zamówienie"), crm(), RESPONSES, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.reasons == (
        Reason(
            Why.NOT_A_RESPONSE,
            checks=(Check.NO_REPLY_HEADERS, Check.NO_TOKEN, Check.NO_CONVERSATION),
        ),
    )


def test_responses_only_names_the_reply_headers_that_matched_nothing() -> None:
    reply = message("RE: Zamówienie", in_reply_to="<unknown@acme.pl>")

    decision = decide(reply, crm(), RESPONSES, ORG, ANNA)

    assert Check.REPLY_HEADERS_UNKNOWN in decision.reasons[0].checks


def test_crm_contacts_tracks_mail_from_a_contact() -> None:
    decision = decide(message("Zamówienie 42/2026"), crm(), CUSTOMERS, ORG, ANNA)

    assert (decision.track, decision.rule, decision.sender) == (True, Rule.OPTION_CRM_SENDER, JAN)
    assert decision.regarding is None
    assert decision.reasons == (
        Reason(
            Why.PARTY_IN_SCOPE, record=JAN, address="jan.kowalski@acme.pl", scope=Scope.CUSTOMERS
        ),
    )


def test_crm_contacts_tracks_mail_from_an_account_and_from_a_lead() -> None:
    from_account = decide(message("Faktura", sender=ACME_MAIL), crm(), CUSTOMERS, ORG, ANNA)
    from_lead = decide(message("Projekt logo", sender=EWA_MAIL), crm(), CUSTOMERS, ORG, ANNA)

    assert (from_account.rule, from_account.sender) == (Rule.OPTION_CRM_SENDER, ACME)
    assert (from_lead.rule, from_lead.sender) == (Rule.OPTION_CRM_SENDER, EWA)


def test_crm_contacts_leaves_mail_from_a_colleague_untracked() -> None:
    decision = decide(message("Urlop", sender=PIOTR_MAIL), crm(), CUSTOMERS, ORG, ANNA)

    assert (decision.track, decision.sender) == (False, PIOTR)
    assert decision.reasons == (
        Reason(
            Why.NOT_IN_SCOPE,
            record=PIOTR,
            address="piotr.wisniewski@liaison.example",
            scope=Scope.CUSTOMERS,
        ),
    )


def test_crm_contacts_leaves_mail_from_a_stranger_untracked() -> None:
    decision = decide(message("Oferta", sender=STRANGER_MAIL), crm(), CUSTOMERS, ORG, ANNA)

    assert decision.track is False
    assert decision.reasons == (
        Reason(Why.NOT_IN_SCOPE, address="marta.lewandowska@nowafirma.pl", scope=Scope.CUSTOMERS),
    )


def test_email_enabled_tracks_mail_from_a_colleague_and_from_a_queue() -> None:
    colleague = decide(message("Urlop", sender=PIOTR_MAIL), crm(), EMAIL_ENABLED, ORG, ANNA)
    queue = decide(message("Ticket #4711", sender=SUPPORT_MAIL), crm(), EMAIL_ENABLED, ORG, ANNA)

    assert (colleague.rule, colleague.sender) == (Rule.OPTION_EMAIL_ENABLED_SENDER, PIOTR)
    assert (queue.rule, queue.sender) == (Rule.OPTION_EMAIL_ENABLED_SENDER, SUPPORT)


def test_email_enabled_leaves_mail_from_a_stranger_untracked() -> None:
    decision = decide(message("Oferta", sender=STRANGER_MAIL), crm(), EMAIL_ENABLED, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)


def test_inactive_record_does_not_count_as_a_crm_sender() -> None:
    index = crm()
    index.add_record(RecordRef(RecordType.CONTACT, 20, "Jan Kowalski", active=False),
                     [JAN_MAIL.email])  # fmt: skip

    decision = decide(message("Zamówienie"), index, CUSTOMERS, ORG, ANNA)

    assert (decision.track, decision.sender) == (False, None)


def test_message_without_sender_is_not_a_crm_sender() -> None:
    decision = decide(message("Bez nadawcy", sender=None), crm(), CUSTOMERS, ORG, ANNA)

    assert decision.track is False
    assert decision.reasons == (Reason(Why.NOT_IN_SCOPE, scope=Scope.CUSTOMERS),)


def test_sent_mail_is_not_evaluated_while_sent_tracking_is_off() -> None:
    index = crm()
    index.add_activity(tracked(1, "Oferta", ACME, message_id="<oferta@liaison.example>"))
    sent_reply = message("RE: Oferta", sender=ANNA_MAIL, to=(JAN_MAIL,), folder=Folder.SENT,
                         in_reply_to="<oferta@liaison.example>")  # fmt: skip

    decision = decide(sent_reply, index, ALL, ORG, ANNA)

    assert (decision.track, decision.rule) == (False, Rule.NOT_TRACKED)
    assert decision.reasons == (Reason(Why.SENT_NOT_EVALUATED),)


def test_sent_reply_correlates_when_sent_tracking_is_on() -> None:
    index = crm()
    index.add_activity(tracked(1, "Oferta", ACME, message_id="<oferta@liaison.example>"))
    sent_reply = message("RE: Oferta", sender=ANNA_MAIL, to=(JAN_MAIL,), folder=Folder.SENT,
                         in_reply_to="<oferta@liaison.example>")  # fmt: skip

    decision = decide(sent_reply, index, PersonalOptions(track_sent=True), ORG, ANNA)

    assert (decision.rule, decision.regarding, decision.sender) == (Rule.IN_REPLY_TO, ACME, ANNA)


def test_sent_mail_to_a_contact_is_tracked_with_crm_contacts_the_recipient_as_sender() -> None:
    options = PersonalOptions(track=TrackOption.CRM_CONTACTS, track_sent=True)
    sent = message("Umowa", sender=ANNA_MAIL, to=(PIOTR_MAIL,), cc=(JAN_MAIL,),
                   folder=Folder.SENT)  # fmt: skip

    decision = decide(sent, crm(), options, ORG, ANNA)

    assert decision.rule is Rule.OPTION_CRM_SENDER
    assert decision.reasons == (
        Reason(
            Why.PARTY_IN_SCOPE,
            record=JAN,
            address="jan.kowalski@acme.pl",
            outgoing=True,
            scope=Scope.CUSTOMERS,
        ),
    )


def test_sent_mail_to_colleagues_only_is_not_tracked_with_crm_contacts() -> None:
    options = PersonalOptions(track=TrackOption.CRM_CONTACTS, track_sent=True)
    sent = message("Urlop", sender=ANNA_MAIL, to=(PIOTR_MAIL,), folder=Folder.SENT)

    decision = decide(sent, crm(), options, ORG, ANNA)

    assert decision.track is False
    assert decision.reasons == (Reason(Why.NOT_IN_SCOPE, outgoing=True, scope=Scope.CUSTOMERS),)


def test_sent_mail_to_oneself_only_is_not_tracked_with_email_enabled() -> None:
    options = PersonalOptions(track=TrackOption.EMAIL_ENABLED, track_sent=True)
    note = message("Notatka", sender=ANNA_MAIL, to=(ANNA_MAIL,), folder=Folder.SENT)

    assert decide(note, crm(), options, ORG, ANNA).track is False


def test_sent_mail_to_a_colleague_is_tracked_with_email_enabled() -> None:
    options = PersonalOptions(track=TrackOption.EMAIL_ENABLED, track_sent=True)
    sent = message("Urlop", sender=ANNA_MAIL, to=(PIOTR_MAIL,), folder=Folder.SENT)

    assert decide(sent, crm(), options, ORG, ANNA).rule is Rule.OPTION_EMAIL_ENABLED_SENDER


def test_mail_from_a_customer_in_another_folder_is_decided_as_received() -> None:
    moved = message("Zamówienie", folder=Folder.OTHER)

    assert decide(moved, crm(), CUSTOMERS, ORG, ANNA).rule is Rule.OPTION_CRM_SENDER


def test_own_mail_in_another_folder_is_decided_as_sent() -> None:
    archived = message("Oferta", sender=ANNA_MAIL, to=(JAN_MAIL,), folder=Folder.OTHER)

    decision = decide(archived, crm(), CUSTOMERS, ORG, ANNA)

    assert decision.reasons == (Reason(Why.SENT_NOT_EVALUATED),)


def test_parties_list_sender_to_and_cc_with_their_records() -> None:
    shared = Address("biuro@acme.pl")
    index = crm()
    index.add_record(EWA, [EWA_MAIL.email, shared.email])
    received = message("Spotkanie", sender=JAN_MAIL, to=(ANNA_MAIL, shared), cc=(STRANGER_MAIL,))

    decision = decide(received, index, CUSTOMERS, ORG, ANNA)

    assert [(p.role.value, p.records) for p in decision.parties] == [
        ("sender", (JAN,)),
        ("to", (ANNA,)),
        ("to", (ACME, EWA)),
        ("cc", ()),
    ]
