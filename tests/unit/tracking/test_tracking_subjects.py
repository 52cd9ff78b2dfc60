"""Subject normalisation: prefixes in many languages, tokens, tags, and smart-matching words."""

from __future__ import annotations

import pytest

from app.tracking.model import OrgSettings
from app.tracking.subjects import (
    check_smart_filter_regex,
    display_subject,
    is_forward,
    is_stop_subject,
    normalise_subject,
    normalise_subject_for,
    smart_subject_words,
)


@pytest.mark.parametrize(
    "prefix",
    [
        "RE", "Re", "FW", "Fwd", "AW", "WG", "SV", "VS", "VB", "ANTW", "Antw", "DOORST", "TR",
        "RV", "RES", "ENC", "R", "I", "ODP", "Odp", "PD", "YNT", "ILT", "İLT", "ΑΠ", "ΣΧΕΤ",
        "ПРИЗ", "回复", "转发", "答复", "返信", "転送",
    ],
)  # fmt: skip
def test_reply_and_forward_prefixes_of_every_listed_language_are_stripped(prefix: str) -> None:
    assert normalise_subject(f"{prefix}: Oferta na wdrożenie") == "oferta na wdrożenie"


@pytest.mark.parametrize(
    "subject",
    [
        "RE[2]: Offer for Q3",
        "Re^3: Offer for Q3",
        "RE : Offer for Q3",
        "Re(2): Offer for Q3",
        "RE:Offer for Q3",
        "  re:   Offer   for   Q3  ",
    ],
)
def test_counted_and_spaced_prefix_forms_are_stripped(subject: str) -> None:
    assert normalise_subject(subject) == "offer for q3"


def test_repeated_and_nested_prefixes_are_all_stripped() -> None:
    assert normalise_subject("RE: AW: Odp: FW: RE: RE: Angebot Q3") == "angebot q3"


def test_full_width_colon_after_chinese_and_japanese_prefixes_is_stripped() -> None:
    assert normalise_subject("回复：转发：报价单") == "报价单"
    assert normalise_subject("返信：見積もり") == "見積もり"


def test_italian_forward_with_colon_is_a_prefix() -> None:
    assert normalise_subject("I: Oferta") == "oferta"


def test_words_that_merely_start_like_prefixes_are_kept() -> None:
    assert normalise_subject("I am late for the meeting") == "i am late for the meeting"
    assert normalise_subject("R&D budget 2026") == "r&d budget 2026"
    assert normalise_subject("Results: Q3") == "results: q3"
    assert normalise_subject("Trwa wdrożenie") == "trwa wdrożenie"


def test_subject_of_only_prefixes_normalises_to_empty() -> None:
    assert normalise_subject("RE: FW: AW:") == ""
    assert normalise_subject("Re:") == ""


def test_tracking_token_is_stripped_wherever_it_stands() -> None:
    assert normalise_subject("RE: Offer CRM:0001004 for Q3") == "offer for q3"
    assert normalise_subject("CRM: 0001004 RE: Offer") == "offer"


def test_tokens_of_old_prefixes_are_stripped_with_the_org_settings() -> None:
    org = OrgSettings(token_prefix="LIA:", token_prefix_history=("CRM:",))

    assert normalise_subject_for("AW: Angebot CRM:0001004 LIA:0001005", org) == "angebot"


def test_external_and_mailing_list_tags_are_stripped() -> None:
    subject = "[EXTERNAL] RE: [sales-team] Re: [ext] Offer for Q3 CRM:0001004"

    assert normalise_subject(subject) == "offer for q3"


def test_bracketed_text_after_the_start_is_part_of_the_subject() -> None:
    assert normalise_subject("Offer [draft v2] for Q3") == "offer [draft v2] for q3"


def test_display_subject_keeps_the_writers_case() -> None:
    assert display_subject("AW: [EXTERNAL] Angebot für Müller CRM:0001004") == "Angebot für Müller"


def test_normalised_subjects_compare_without_case() -> None:
    assert normalise_subject("ODP: OFERTA NA WDROŻENIE") == normalise_subject("oferta na wdrożenie")


@pytest.mark.parametrize(
    ("subject", "forward"),
    [
        ("FW: RE: Offer", True),
        ("WG: Angebot", True),
        ("[EXTERNAL] Fwd: Offer", True),
        ("PD: Oferta", True),
        ("RE: FW: Offer", False),
        ("Forward planning for Q3", False),
        ("Offer", False),
    ],
)
def test_forward_is_told_by_the_outermost_prefix(subject: str, forward: bool) -> None:
    assert is_forward(subject) is forward


def test_smart_words_drop_leading_word_colon_runs_by_default() -> None:
    assert smart_subject_words("RE: Offer: Q3 prices", OrgSettings()) == ("q3", "prices")


def test_smart_words_are_capped_at_the_configured_count() -> None:
    org = OrgSettings(smart_max_words=3)

    assert smart_subject_words("one two three four five", org) == ("one", "two", "three")


def test_smart_words_use_a_custom_prefix_filter() -> None:
    org = OrgSettings(smart_filter_regex=r"^ticket \d+ ")

    assert smart_subject_words("Ticket 4711 printer broken", org) == ("printer", "broken")


def test_smart_words_ignore_punctuation() -> None:
    assert smart_subject_words("Offer, for Q3!", OrgSettings()) == ("offer", "for", "q3")


@pytest.mark.parametrize("subject", ["Thanks!", "RE: Hello", "hi", "Thank you", "RE:", ""])
def test_empty_and_stop_subjects_never_smart_match(subject: str) -> None:
    org = OrgSettings()

    assert is_stop_subject(smart_subject_words(subject, org), org)


def test_ordinary_subject_is_not_a_stop_subject() -> None:
    org = OrgSettings()

    assert not is_stop_subject(smart_subject_words("Meeting notes Q3", org), org)


def test_invalid_smart_filter_regex_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"smart-filter-regex .* is not a valid regex"):
        check_smart_filter_regex("^(unclosed")
