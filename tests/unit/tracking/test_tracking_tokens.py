"""Tracking tokens: the format, finding them in subjects, and putting them on subjects."""

from __future__ import annotations

import pytest

from app.tracking.model import OrgSettings
from app.tracking.tokens import (
    append_token,
    canonical_token,
    check_prefix,
    check_token_settings,
    counter_capacity,
    counter_warning,
    find_token,
    find_tokens,
    format_token,
    known_prefixes,
    should_warn_counter,
    strip_tokens,
)

DEFAULT = OrgSettings()


def test_default_token_is_prefix_designator_user_number_and_counter() -> None:
    assert format_token(DEFAULT, 1, 1) == "CRM:0001001"


def test_token_zero_pads_user_number_and_counter_to_the_configured_digits() -> None:
    org = OrgSettings(token_prefix="TKT#", token_user_digits=2, token_counter_digits=5)

    assert format_token(org, 3, 42) == "TKT#00300042"


def test_base_number_is_part_of_the_user_number_written_in_the_token() -> None:
    org = OrgSettings(token_base=500)

    assert format_token(org, org.token_base + 7, 12) == "CRM:0507012"


def test_counter_that_does_not_fit_its_digits_is_refused_with_the_setting_to_change() -> None:
    with pytest.raises(ValueError, match=r"counter 1000 does not fit in 3 digits.*token-counter"):
        format_token(DEFAULT, 1, 1000)


def test_negative_counter_is_refused() -> None:
    with pytest.raises(ValueError, match="counter -1"):
        format_token(DEFAULT, 1, -1)


def test_user_number_that_does_not_fit_its_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="user number 1000 does not fit in 3 digits"):
        format_token(DEFAULT, 1000, 1)


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        ("", "1 to 20 characters"),
        ("LIAISON-TRACKING-ID:X", "1 to 20 characters"),
        ("CRM :", "must not contain spaces"),
        ("CRM2", "must not end with a digit"),
    ],
)
def test_unusable_prefixes_are_refused_with_the_reason(prefix: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_prefix(prefix)


def test_twenty_character_prefix_is_allowed() -> None:
    check_prefix("LIAISON-TRACKING-ID:")


def test_token_settings_with_zero_digits_are_refused() -> None:
    with pytest.raises(ValueError, match="token-counter-digits must be between 1 and 9"):
        check_token_settings(OrgSettings(token_counter_digits=0))


def test_base_number_larger_than_the_user_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="token-base 1000"):
        check_token_settings(OrgSettings(token_base=1000))


def test_token_is_found_anywhere_in_the_subject() -> None:
    found = find_token("RE: Offer CRM:0001004 for the Q3 rollout", DEFAULT)

    assert found is not None
    assert found.text == "CRM:0001004"


def test_token_tolerates_case_and_one_space_after_the_colon() -> None:
    found = find_token("odp: oferta crm: 0001004", DEFAULT)

    assert found is not None
    assert found.text == "CRM:0001004"


def test_token_with_two_spaces_after_the_colon_is_not_a_token() -> None:
    assert find_token("Offer CRM:  0001004", DEFAULT) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Invoice CRM:00010012",  # one digit too many
        "Invoice CRM:000100",  # one digit too few
        "Invoice XCRM:0001004",  # the prefix is the tail of another word
        "Invoice CRM:0001004b",  # digits run into a word
        "Invoice CRM:1001004",  # the designator digit is not 0
        "Invoice CRM;0001004",
    ],
)
def test_look_alikes_are_not_tokens(subject: str) -> None:
    assert find_token(subject, DEFAULT) is None


def test_token_in_brackets_or_after_punctuation_is_found() -> None:
    found = find_tokens("Angebot (CRM:0002017), bitte prüfen", ("CRM:",))

    assert [token.text for token in found] == ["CRM:0002017"]


def test_old_prefix_is_recognised_after_the_prefix_changed() -> None:
    org = OrgSettings(token_prefix="LIA:", token_prefix_history=("CRM:",))

    found = find_token("AW: Angebot CRM:0001004", org)

    assert found is not None
    assert (found.text, found.prefix) == ("CRM:0001004", "CRM:")


def test_prefixes_differing_only_in_case_count_once() -> None:
    org = OrgSettings(token_prefix="CRM:", token_prefix_history=("crm:", "OLD#"))

    assert known_prefixes(org) == ("CRM:", "OLD#")


def test_the_last_of_several_tokens_is_the_one_found() -> None:
    found = find_token("FW: Offer CRM:0001004 CRM:0002001", DEFAULT)

    assert found is not None
    assert found.text == "CRM:0002001"


def test_found_token_gives_back_user_number_and_counter() -> None:
    org = OrgSettings(token_user_digits=2, token_counter_digits=4)
    found = find_token(f"Offer {format_token(org, 42, 731)}", org)

    assert found is not None
    assert (found.user_number(org), found.counter(org)) == (42, 731)


def test_canonical_token_respells_a_hand_written_token() -> None:
    assert canonical_token(" crm: 0001004 ", DEFAULT) == "CRM:0001004"
    assert canonical_token("CRM:0001004 extra", DEFAULT) is None


def test_token_is_appended_after_one_space() -> None:
    assert append_token("Offer for Q3", "CRM:0001004") == "Offer for Q3 CRM:0001004"


def test_empty_subject_becomes_the_token_alone() -> None:
    assert append_token("   ", "CRM:0001004") == "CRM:0001004"


def test_subject_already_ending_with_the_token_is_left_alone() -> None:
    assert append_token("Offer CRM:0001004", "CRM:0001004") == "Offer CRM:0001004"


def test_long_subject_is_shortened_and_the_token_kept_whole() -> None:
    subject = "Zapytanie ofertowe dotyczące wdrożenia systemu CRM " * 6

    result = append_token(subject, "CRM:0001004")

    assert len(result) <= 255
    assert result.endswith(" CRM:0001004")
    assert subject.startswith(result.removesuffix(" CRM:0001004"))


def test_subject_that_exactly_fills_the_limit_with_its_token_is_not_shortened() -> None:
    subject = "x" * (255 - len(" CRM:0001004"))

    assert append_token(subject, "CRM:0001004") == subject + " CRM:0001004"


def test_token_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than a subject may be"):
        append_token("Offer", "CRM:0001004", max_len=5)


def test_strip_tokens_removes_every_token_and_the_space_it_leaves() -> None:
    assert (
        strip_tokens("RE: Offer CRM:0001004 for Q3 crm: 0001005", ("CRM:",)) == "RE: Offer for Q3"
    )


def test_counter_capacity_follows_the_counter_digits() -> None:
    assert counter_capacity(DEFAULT) == 1000
    assert counter_capacity(OrgSettings(token_counter_digits=5)) == 100_000


def test_no_warning_while_less_than_nine_tenths_of_the_counter_is_used() -> None:
    assert not should_warn_counter(DEFAULT, 899)
    assert counter_warning(DEFAULT, 899) is None


def test_warning_once_nine_tenths_of_the_counter_is_used() -> None:
    assert should_warn_counter(DEFAULT, 900)
    assert counter_warning(DEFAULT, 990) == (
        "only 10 of 1000 tracking tokens are left for this user; "
        "raise token-counter-digits before they run out"
    )
