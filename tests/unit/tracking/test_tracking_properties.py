"""Property tests: the parsers take any string without crashing, and round trips hold."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import why
from app.tracking.addresses import NeverTrackList, normalise_email, parse_address_list
from app.tracking.model import Address, MessageFacts, OrgSettings, PersonalOptions, TrackOption
from app.tracking.names import company_from_domain, parse_name
from app.tracking.pipeline import decide
from app.tracking.reasons import reasons_as_json, reasons_from_json
from app.tracking.subjects import display_subject, is_forward, normalise_subject
from app.tracking.tokens import (
    append_token,
    find_token,
    find_tokens,
    format_token,
    strip_tokens,
)

from .builders import ANNA, crm

# Subjects as they come: any text, plus the pieces that make parsing interesting.
_PIECES = st.sampled_from(
    ["RE:", "Re[2]:", "AW: ", "Odp:", "回复：", "[EXTERNAL]", "CRM:", "crm: ", "0001004", "0", " ",
     "İLT:", "I:", "ß", "CRM:0001004", "[", "]", "：", "^3"]
)  # fmt: skip
SUBJECTS = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=3))).map("".join))
PREFIXES = st.text(min_size=1, max_size=20).filter(
    lambda p: not any(c.isspace() for c in p) and not p[-1].isdigit()
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    prefix=PREFIXES,
    user_digits=st.integers(1, 9),
    counter_digits=st.integers(1, 9),
    data=st.data(),
)
def test_formatted_token_is_found_again_with_its_user_number_and_counter(
    prefix: str, user_digits: int, counter_digits: int, data: st.DataObject
) -> None:
    org = OrgSettings(
        token_prefix=prefix, token_user_digits=user_digits, token_counter_digits=counter_digits
    )
    user_number = data.draw(st.integers(0, 10**user_digits - 1))
    counter = data.draw(st.integers(0, 10**counter_digits - 1))
    token = format_token(org, user_number, counter)

    found = find_token(f"RE: Angebot für Q3 {token}", org)

    assert found is not None
    assert found.text == token
    assert (found.user_number(org), found.counter(org)) == (user_number, counter)


@FAST
@given(subject=SUBJECTS, prefixes=st.lists(st.text(max_size=6), max_size=3))
def test_find_tokens_never_crashes_and_strip_tokens_leaves_none(
    subject: str, prefixes: list[str]
) -> None:
    stripped = strip_tokens(subject, prefixes)

    assert find_tokens(stripped, prefixes) == ()
    assert strip_tokens(stripped, prefixes) == stripped


@FAST
@given(subject=SUBJECTS)
def test_appended_token_fits_the_limit_and_is_found_last(subject: str) -> None:
    result = append_token(subject, "CRM:0001004")

    assert len(result) <= 255
    found = find_token(result, OrgSettings())
    assert found is not None
    assert found.text == "CRM:0001004"


@FAST
@given(subject=SUBJECTS)
def test_normalise_subject_never_crashes_and_is_idempotent(subject: str) -> None:
    normalised = normalise_subject(subject)

    assert normalise_subject(normalised) == normalised
    assert normalised == normalised.strip()


@FAST
@given(subject=SUBJECTS)
def test_display_subject_is_idempotent(subject: str) -> None:
    shown = display_subject(subject)

    assert display_subject(shown) == shown


@FAST
@given(subject=SUBJECTS)
def test_is_forward_never_crashes(subject: str) -> None:
    assert is_forward(subject) in (True, False)


@FAST
@given(value=st.text())
def test_parse_address_list_never_crashes_and_gives_addresses(value: str) -> None:
    assert all(isinstance(found, Address) and found.email for found in parse_address_list(value))


@FAST
@given(value=st.text())
def test_normalise_email_is_idempotent(value: str) -> None:
    normalised = normalise_email(value)

    assert normalise_email(normalised) == normalised


@FAST
@given(entries=st.lists(st.text(max_size=12), max_size=4), email=st.text(max_size=30))
def test_never_track_matching_never_crashes(entries: list[str], email: str) -> None:
    entry = NeverTrackList.from_entries(entries).match(email)

    assert entry is None or isinstance(entry, str)


@FAST
@given(name=st.text(max_size=40), email=st.text(max_size=40))
def test_name_splitting_never_crashes(name: str, email: str) -> None:
    parsed = parse_name(name, email)

    assert all(isinstance(part, str) for part in (parsed.salutation, parsed.first, parsed.last))
    assert company_from_domain(email) is None or company_from_domain(email)


@FAST
@given(
    subject=SUBJECTS,
    sender=st.text(max_size=30),
    recipient=st.text(max_size=30),
    reply_to=st.text(max_size=30),
    index_hex=st.text("0123456789abcdefXYZ ", max_size=60),
)
def test_decide_answers_any_message_with_reasons_that_read_back_and_word(
    subject: str, sender: str, recipient: str, reply_to: str, index_hex: str
) -> None:
    facts = MessageFacts(
        message_id=reply_to or None,
        subject=subject,
        sender=Address(sender, sender),
        to=(Address(recipient),),
        in_reply_to=reply_to,
        references=(reply_to,),
        conversation_index=index_hex,
    )
    options = PersonalOptions(track=TrackOption.ALL)

    decision = decide(facts, crm(), options, OrgSettings(smart_matching=True), ANNA)

    assert decision.reasons
    assert reasons_from_json(reasons_as_json(decision.reasons)) == decision.reasons
    assert why.evidence(decision, datetime(2026, 5, 20))
