"""The tracking index: records by address, activities by id, token, conversation and subject."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime

from app.tracking.index import TrackingIndex
from app.tracking.model import OrgSettings, RecordRef, RecordType, TrackedActivity

from .builders import (
    ACME,
    ANNA_MAIL,
    EWA_MAIL,
    JAN,
    JAN_MAIL,
    KLAUS_MAIL,
    MUELLER,
    crm,
    tracked,
)

THREAD = "01D9A3C5F2" + "AB" * 17  # 22 bytes: the thread part of a conversation index
SMART = OrgSettings(smart_matching=True)


def test_records_are_found_by_any_written_form_of_their_address() -> None:
    index = crm()

    assert index.records_for('"Kowalski, Jan" <JAN.KOWALSKI@acme.pl>') == (JAN,)


def test_record_with_two_addresses_is_found_by_both() -> None:
    index = crm()

    assert index.records_for("jan@kowalski.dev") == index.records_for("jan.kowalski@acme.pl")


def test_several_records_sharing_an_address_are_all_returned() -> None:
    index = TrackingIndex()
    index.add_record(ACME, ["biuro@acme.pl"])
    index.add_record(JAN, ["biuro@acme.pl"])

    assert index.records_for("biuro@acme.pl") == (ACME, JAN)


def test_adding_a_record_again_replaces_its_addresses_and_fields() -> None:
    index = crm()
    renamed = replace(JAN, name="Jan Kowalski-Nowak")

    index.add_record(renamed, ["jan.kowalski@acme.pl"])

    assert index.records_for("jan.kowalski@acme.pl") == (renamed,)
    assert index.records_for("jan@kowalski.dev") == ()


def test_removed_record_is_no_longer_found() -> None:
    index = crm()

    index.remove_record(RecordType.ACCOUNT, MUELLER.id)

    assert index.records_for("info@mueller-logistik.de") == ()
    assert index.record_count() == 7


def test_activity_is_found_by_message_id_with_or_without_brackets() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", ACME, message_id="<offer-1@liaison.example>"))

    found = index.activity_by_message_id("offer-1@liaison.example")

    assert found is not None
    assert found.id == 1
    assert index.activity_by_message_id(" <offer-1@liaison.example> ") == found


def test_removed_activity_is_forgotten_everywhere() -> None:
    index = crm()
    index.add_activity(
        tracked(1, "Offer", ACME, message_id="<a@x>", token="CRM:0001004", conversation_id="C1")
    )

    assert index.remove_activity(1)

    assert index.activity_by_message_id("<a@x>") is None
    assert index.activity_by_token("CRM:0001004") is None
    assert index.activities_for_conversation("C1") == ()
    assert not index.remove_activity(1)


def test_adding_an_activity_again_replaces_it() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", None, message_id="<a@x>"))

    index.add_activity(tracked(1, "Offer", ACME, message_id="<a@x>"))

    found = index.activity_by_message_id("<a@x>")
    assert found is not None
    assert found.regarding == ACME
    assert index.activity_count() == 1


def test_token_lookup_ignores_case_and_the_space_after_the_colon() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer CRM:0001004", ACME, token="CRM:0001004"))

    found = index.activity_by_token("crm: 0001004")

    assert found is not None
    assert found.id == 1


def test_token_reused_by_old_data_gives_the_latest_activity() -> None:
    index = crm()
    index.add_activity(tracked(1, "Old offer", ACME, token="CRM:0001004", days_ago=400))
    index.add_activity(tracked(2, "New offer", MUELLER, token="CRM:0001004", days_ago=3))

    found = index.activity_by_token("CRM:0001004")

    assert found is not None
    assert found.id == 2


def test_conversation_is_found_by_exchange_conversation_id() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", ACME, conversation_id="AAQkADAwATM0MDAAMS1i"))

    assert [a.id for a in index.activities_for_conversation("AAQkADAwATM0MDAAMS1i")] == [1]


def test_conversation_is_found_by_the_thread_part_of_the_conversation_index() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", ACME, conversation_index=THREAD))

    reply_index = THREAD + "0000A1B2C3"

    assert [a.id for a in index.activities_for_conversation(None, reply_index)] == [1]


def test_conversation_index_too_short_to_name_a_thread_finds_nothing() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", ACME, conversation_index=THREAD))

    assert index.activities_for_conversation(None, THREAD[:40]) == ()


def test_conversation_activities_come_latest_first() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer", ACME, conversation_id="C1", days_ago=9))
    index.add_activity(tracked(2, "RE: Offer", ACME, conversation_id="C1", days_ago=1))
    index.add_activity(tracked(3, "RE: RE: Offer", ACME, conversation_index=THREAD, days_ago=5))

    found = index.activities_for_conversation("C1", THREAD)

    assert [a.id for a in found] == [2, 3, 1]


def test_smart_candidates_are_the_activities_with_the_same_subject_words() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer for Q3 CRM:0001004", ACME))
    index.add_activity(tracked(2, "Offer for Q4", MUELLER))

    found = index.smart_candidates(("q3", "offer", "for"), SMART)

    assert [(a.id, difference) for a, difference in found] == [(1, 0)]


def test_smart_candidates_within_the_word_difference_are_found_with_it() -> None:
    index = crm()
    index.add_activity(tracked(1, "Offer for Q3", ACME))
    index.add_activity(tracked(2, "Revised offer for Q3", MUELLER))
    index.add_activity(tracked(3, "Invoice March", MUELLER))
    org = OrgSettings(smart_matching=True, smart_subject_delta=1)

    found = index.smart_candidates(("offer", "for", "q3"), org)

    assert sorted((a.id, difference) for a, difference in found) == [(1, 0), (2, 1)]


def test_activities_added_after_the_word_index_was_built_are_found() -> None:
    index = crm()
    index.smart_candidates(("offer",), SMART)

    index.add_activity(tracked(1, "Offer", ACME))

    assert [a.id for a, _ in index.smart_candidates(("offer",), SMART)] == [1]


def test_word_index_follows_a_change_of_the_prefix_filter() -> None:
    index = crm()
    index.add_activity(tracked(1, "Ticket 4711 printer broken", ACME))
    assert index.smart_candidates(("printer", "broken"), SMART) == ()

    ticket_filter = OrgSettings(smart_matching=True, smart_filter_regex=r"^ticket \d+ ")

    assert [a.id for a, _ in index.smart_candidates(("printer", "broken"), ticket_filter)] == [1]


def test_stop_subject_activities_are_not_smart_candidates() -> None:
    index = crm()
    index.add_activity(tracked(1, "Thanks!", ACME))

    assert index.smart_candidates(("thanks",), SMART) == ()


def test_activity_addresses_are_normalised_when_indexed() -> None:
    index = crm()
    index.add_activity(
        tracked(1, "Offer", ACME, addresses=(ANNA_MAIL, JAN_MAIL, KLAUS_MAIL, EWA_MAIL))
    )

    found = index.activity(1)

    assert found is not None
    assert "jan.kowalski@acme.pl" in found.addresses


def test_an_indexed_activity_keeps_every_field_it_was_added_with() -> None:
    index = crm()
    added = replace(
        tracked(
            1,
            "Offer CRM:0001234",
            ACME,
            message_id="offer-1@acme.pl",  # as normalised: compaction leaves it so
            token="CRM:0001234",
            conversation_id="AAQkADQ=",
            conversation_index=THREAD,
        ),
        sent_at=datetime(2026, 12, 3, 8, 15),
    )
    assert all(getattr(added, f.name) != f.default for f in fields(TrackedActivity))

    index.add_activity(added)

    assert index.activity(1) == added


def test_regarding_record_is_shared_with_the_indexed_record() -> None:
    index = crm()
    index.add_activity(
        tracked(
            1,
            "Offer",
            RecordRef(
                RecordType.CONTACT, 20, "Jan Kowalski", owner_id=1, created_at=JAN.created_at
            ),
        )
    )

    found = index.activity(1)

    assert found is not None
    assert found.regarding is index.records_for("jan@kowalski.dev")[0]


def test_an_activity_taken_from_another_index_is_found_by_every_key_it_was_found_by() -> None:
    index = crm()
    index.add_activity(
        tracked(
            1,
            "Offer CRM:0001234",
            ACME,
            message_id=" <Offer-1@Acme.PL> ",
            token="CRM:0001234",
            conversation_id=" AAQkADQ= ",
            conversation_index=THREAD,
        )
    )
    indexed = index.activity(1)
    assert indexed is not None
    recent = TrackingIndex()

    recent.add_indexed_activity(indexed)

    assert recent.activity_by_message_id("<Offer-1@Acme.PL>") is indexed
    assert recent.activity_by_token("CRM:0001234") is indexed
    assert recent.activities_for_conversation("AAQkADQ=") == (indexed,)
    assert recent.activities_for_conversation(conversation_index=THREAD + "00" * 5) == (indexed,)


def test_manually_untracked_message_is_remembered_until_tracked_again() -> None:
    index = crm()

    index.mark_manually_untracked("<private-1@acme.pl>")
    assert index.is_manually_untracked("private-1@acme.pl")

    index.unmark_manually_untracked("<private-1@acme.pl>")
    assert not index.is_manually_untracked("<private-1@acme.pl>")


def test_message_without_id_is_never_manually_untracked() -> None:
    assert not crm().is_manually_untracked(None)
