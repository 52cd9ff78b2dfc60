"""Sender resolution and its ties, auto-creation, and the user's manual Track."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Address,
    AutoCreate,
    Folder,
    NewRecord,
    OrgSettings,
    PersonalOptions,
    RecordRef,
    RecordType,
    Rule,
    Sensitivity,
    TrackOption,
)
from app.tracking.pipeline import decide, manual_decision
from app.tracking.reasons import Original, Reason, Why
from app.tracking.resolution import resolve_sender

from .builders import (
    ACME,
    ANNA,
    ANNA_MAIL,
    EWA,
    JAN,
    JAN_MAIL,
    KLAUS,
    MUELLER,
    NOW,
    STRANGER_MAIL,
    crm,
    message,
    tracked,
)

ORG = OrgSettings()
SHARED = "biuro@acme.pl"


def _index_with(*records: RecordRef) -> TrackingIndex:
    index = crm()
    for record in records:
        index.add_record(record, [SHARED])
    return index


def _contact(record_id: int, owner_id: int | None, created: datetime | None) -> RecordRef:
    return RecordRef(RecordType.CONTACT, record_id, f"Contact {record_id}", owner_id, created)


def test_user_wins_over_a_contact_with_the_same_address() -> None:
    assert resolve_sender(ANNA_MAIL.email, _index_with_contact_for_anna(), ANNA) == ANNA


def _index_with_contact_for_anna() -> TrackingIndex:
    index = crm()
    index.add_record(_contact(90, None, None), [ANNA_MAIL.email])
    return index


def test_contact_wins_over_account_and_lead_with_the_same_address() -> None:
    index = _index_with(EWA, JAN)  # lead and contact share biuro@acme.pl with account Acme

    assert resolve_sender(SHARED, index, ANNA) == JAN


def test_account_wins_over_a_lead() -> None:
    assert resolve_sender(SHARED, _index_with(EWA), ANNA) == ACME


def test_among_contacts_the_one_the_tracking_user_owns_wins() -> None:
    older_of_piotr = _contact(50, 2, datetime(2020, 1, 1))
    newer_of_anna = _contact(51, 1, datetime(2026, 1, 1))

    assert resolve_sender(SHARED, _index_with(older_of_piotr, newer_of_anna), ANNA) == newer_of_anna


def test_among_contacts_nobody_owns_the_oldest_wins() -> None:
    newer = _contact(50, 2, datetime(2026, 1, 1))
    older = _contact(51, 3, datetime(2021, 6, 1))

    assert resolve_sender(SHARED, _index_with(newer, older), ANNA) == older


def test_equally_old_contacts_are_told_apart_by_id() -> None:
    moment = datetime(2024, 3, 1)
    first, second = _contact(61, None, moment), _contact(60, None, moment)

    assert resolve_sender(SHARED, _index_with(first, second), ANNA) == second


def test_contact_without_a_creation_time_counts_as_the_newest() -> None:
    undated = _contact(40, None, None)
    dated = _contact(70, None, datetime(2025, 1, 1))

    assert resolve_sender(SHARED, _index_with(undated, dated), ANNA) == dated


def test_inactive_contact_is_passed_over_for_the_next_type() -> None:
    inactive = RecordRef(RecordType.CONTACT, 80, "Former contact", active=False)

    assert resolve_sender(SHARED, _index_with(inactive), ANNA) == ACME


def test_to_and_cc_resolve_to_every_active_record() -> None:
    inactive = RecordRef(RecordType.CONTACT, 80, "Former contact", active=False)
    received = message("Zebranie", to=(Address(SHARED),))

    decision = decide(received, _index_with(EWA, inactive), PersonalOptions(), ORG, ANNA)

    assert decision.parties[1].records == (ACME, EWA)


AUTO_CONTACT = PersonalOptions(track=TrackOption.ALL, autocreate=AutoCreate.CONTACT)
AUTO_LEAD = PersonalOptions(track=TrackOption.ALL, autocreate=AutoCreate.LEAD)


def test_unknown_sender_of_a_tracked_message_becomes_a_new_contact() -> None:
    sender = Address("jan.nowicki@budimex-serwis.pl", "Nowicki, Jan")

    decision = decide(message("Zapytanie", sender=sender), crm(), AUTO_CONTACT, ORG, ANNA)

    assert decision.create == NewRecord(
        RecordType.CONTACT, "Jan", "Nowicki", "jan.nowicki@budimex-serwis.pl"
    )
    assert decision.reasons == (
        Reason(Why.OPTION_ALL),
        Reason(Why.CREATE_RECORD, address="jan.nowicki@budimex-serwis.pl", created=decision.create),
    )


def test_unknown_sender_becomes_a_lead_with_the_company_from_the_domain() -> None:
    decision = decide(message("Oferta", sender=STRANGER_MAIL), crm(), AUTO_LEAD, ORG, ANNA)

    assert decision.create == NewRecord(
        RecordType.LEAD, "Marta", "Lewandowska", "marta.lewandowska@nowafirma.pl", "Nowafirma"
    )


def test_known_sender_is_never_created_again() -> None:
    decision = decide(message("Zamówienie"), crm(), AUTO_CONTACT, ORG, ANNA)

    assert (decision.sender, decision.create) == (JAN, None)


def test_sender_known_only_as_an_inactive_record_is_not_created_again() -> None:
    index = crm()
    index.add_record(RecordRef(RecordType.CONTACT, 81, "Marta L.", active=False),
                     [STRANGER_MAIL.email])  # fmt: skip

    decision = decide(message("Oferta", sender=STRANGER_MAIL), index, AUTO_CONTACT, ORG, ANNA)

    assert decision.create is None
    assert decision.reasons[-1] == Reason(
        Why.CREATE_INACTIVE_RECORD, address="marta.lewandowska@nowafirma.pl"
    )


def test_nothing_is_created_for_a_message_that_is_not_tracked() -> None:
    options = PersonalOptions(autocreate=AutoCreate.CONTACT)

    decision = decide(message("Oferta", sender=STRANGER_MAIL), crm(), options, ORG, ANNA)

    assert (decision.track, decision.create) == (False, None)


def test_nothing_is_created_when_auto_creation_is_off() -> None:
    options = PersonalOptions(track=TrackOption.ALL)

    assert decide(message("Oferta", sender=STRANGER_MAIL), crm(), options, ORG, ANNA).create is None


def test_nothing_is_created_from_the_users_own_sent_mail() -> None:
    options = PersonalOptions(track=TrackOption.ALL, track_sent=True, autocreate=AutoCreate.LEAD)
    sent = message("Oferta", sender=Address("anna.nowak@liaison.example"), to=(STRANGER_MAIL,),
                   folder=Folder.SENT)  # fmt: skip

    assert decide(sent, TrackingIndex(), options, ORG, ANNA).create is None


def test_nothing_is_created_for_a_sender_address_that_is_not_one() -> None:
    decision = decide(message("Spam", sender=Address("postmaster")), crm(), AUTO_LEAD, ORG, ANNA)

    assert decision.create is None
    assert decision.reasons[-1] == Reason(Why.CREATE_INVALID_ADDRESS, address="postmaster")


def test_correlated_reply_from_a_new_colleague_of_the_customer_creates_a_contact() -> None:
    index = crm()
    index.add_activity(tracked(1, "Oferta", ACME, message_id="<oferta@liaison.example>"))
    reply = message("Odp: Oferta", sender=Address("k.zajac@acme.pl", "Krzysztof Zając"),
                    in_reply_to="<oferta@liaison.example>")  # fmt: skip

    decision = decide(reply, index, PersonalOptions(autocreate=AutoCreate.CONTACT), ORG, ANNA)

    assert (decision.rule, decision.regarding) == (Rule.IN_REPLY_TO, ACME)
    assert decision.create == NewRecord(RecordType.CONTACT, "Krzysztof", "Zając", "k.zajac@acme.pl")


def test_manual_track_wins_over_exclusions_and_keeps_the_chosen_regarding() -> None:
    options = PersonalOptions(never_track=frozenset({"@acme.pl"}))
    private = message("Umowa", sensitivity=Sensitivity.PRIVATE)

    decision = manual_decision(private, crm(), options, ORG, ANNA, regarding=MUELLER)

    assert (decision.track, decision.rule, decision.regarding) == (True, Rule.MANUAL, MUELLER)
    assert decision.sender == JAN
    assert decision.reasons == (Reason(Why.BY_HAND),)


def test_manual_track_without_regarding_takes_the_one_correlation_finds() -> None:
    index = crm()
    index.add_activity(tracked(1, "Oferta", ACME, message_id="<oferta@liaison.example>"))
    reply = message("Odp: Oferta", in_reply_to="<oferta@liaison.example>")

    decision = manual_decision(reply, index, PersonalOptions(), ORG, ANNA)

    assert (decision.rule, decision.regarding, decision.correlated_activity_id) == (
        Rule.MANUAL,
        ACME,
        1,
    )
    assert decision.reasons == (
        Reason(Why.BY_HAND),
        Reason(Why.REPLY, Original(1, "Oferta", NOW - timedelta(days=2))),
    )


def test_manual_track_of_a_tracked_message_keeps_its_activity_and_regarding() -> None:
    index = crm()
    index.add_activity(tracked(7, "Lieferung", KLAUS, message_id="<lief@mueller-logistik.de>"))
    copy = message("Lieferung", message_id="<lief@mueller-logistik.de>")

    decision = manual_decision(copy, index, PersonalOptions(), ORG, ANNA)

    assert (decision.existing_activity_id, decision.regarding) == (7, KLAUS)
    lieferung = Original(7, "Lieferung", NOW - timedelta(days=2))
    assert decision.reasons == (Reason(Why.BY_HAND), Reason(Why.ALREADY_TRACKED, lieferung))


def test_manual_track_applies_auto_creation_as_the_options_say() -> None:
    options = PersonalOptions(autocreate=AutoCreate.LEAD)

    decision = manual_decision(message("Oferta", sender=STRANGER_MAIL), crm(), options, ORG, ANNA)

    assert decision.create is not None
    assert (decision.create.type, decision.create.company) == (RecordType.LEAD, "Nowafirma")


def test_manual_track_of_an_uncorrelated_message_has_no_regarding() -> None:
    decision = manual_decision(message("Nowy temat", sender=JAN_MAIL), crm(), PersonalOptions(),
                               ORG, ANNA)  # fmt: skip

    assert (decision.regarding, decision.reasons) == (None, (Reason(Why.BY_HAND),))


def test_a_role_address_of_a_known_company_is_added_to_its_account_not_made_a_person() -> None:
    sender = Address("kontakt@acme.pl", "Kontakt")

    decision = decide(message("Zapytanie", sender=sender), crm(), AUTO_CONTACT, ORG, ANNA)

    assert decision.create == NewRecord(
        RecordType.ACCOUNT, "", "", "kontakt@acme.pl", ACME.name, account=ACME
    )
    (added,) = [r for r in decision.reasons if r.why is Why.ROLE_ADDED_TO_ACCOUNT]
    assert (added.address, added.name, added.record) == ("kontakt@acme.pl", "kontakt", ACME)


def test_a_role_address_of_an_unknown_company_creates_nothing_and_says_why() -> None:
    sender = Address("noreply@sklep-przyklad.pl", "Sklep Przykład")

    decision = decide(message("Twoje zamówienie", sender=sender), crm(), AUTO_LEAD, ORG, ANNA)

    assert decision.create is None
    assert (
        Reason(Why.ROLE_CREATES_NOTHING, address="noreply@sklep-przyklad.pl", name="noreply")
        in decision.reasons
    )


def test_an_auto_created_contact_takes_the_title_to_the_salutation() -> None:
    sender = Address("t.becker@becker-logistik.de", "Herr Dr. Thomas Becker")

    decision = decide(message("Angebot", sender=sender), crm(), AUTO_CONTACT, ORG, ANNA)

    assert decision.create is not None
    assert (decision.create.salutation, decision.create.first_name) == ("Herr Dr.", "Thomas")
    (created,) = [r for r in decision.reasons if r.why is Why.CREATE_RECORD]
    assert created.created == decision.create
