"""FindItem's QueryString (AQS) as Exchange's content index reads it: words by their beginning,
phrases, property terms (subject:, from:, to:, has:attachment, received dates), AND, OR, NOT
and parentheses."""

from __future__ import annotations

import datetime as dt

import pytest
from exchangelib import Account

from tests.sandbox.messages import inbound
from tests.support.sandbox import Sandbox, SandboxUser

# Received on these days (UTC), so date terms have something to tell apart.
MAIL = (
    (
        "Tomasz Wróbel <t.wrobel@hansa-frachten.example>",
        "Angebot Kühltransport Hamburg–Gdańsk",
        "Sehr geehrte Frau Kowalska, anbei unser Angebot für 33 Paletten.",
        dt.datetime(2026, 9, 14, 8, 30, tzinfo=dt.UTC),
        None,
    ),
    (
        "Ewa Zielińska <e.zielinska@baltic-cargo.example>",
        "Reklamacja dostawy 4711",
        "Towar dotarł uszkodzony, zdjęcia w załączniku.",
        dt.datetime(2026, 9, 21, 14, 0, tzinfo=dt.UTC),
        ("zdjecia.zip", b"PK\x03\x04"),
    ),
    (
        "Tomasz Wróbel <t.wrobel@hansa-frachten.example>",
        "Rechnung 2026-118 Hamburg",
        "Bitte um Zahlung bis Monatsende.",
        dt.datetime(2026, 10, 2, 9, 15, tzinfo=dt.UTC),
        None,
    ),
)


@pytest.fixture
def inbox(sandbox: Sandbox, user: SandboxUser, account: Account) -> Account:
    for sender, subject, body, date, attachment in MAIL:
        message = inbound(sender, user.address, subject, body, date, attachment)
        sandbox.server.deliver(user.address, message, received_at=date)
    return account


def _found(account: Account, query: str) -> list[str]:
    return sorted(m.subject for m in account.inbox.filter(query))


def test_a_word_finds_messages_with_a_word_beginning_so(inbox: Account) -> None:
    assert _found(inbox, "Angeb") == ["Angebot Kühltransport Hamburg–Gdańsk"]


def test_words_side_by_side_must_all_match(inbox: Account) -> None:
    assert _found(inbox, "Hamburg Rechnung") == ["Rechnung 2026-118 Hamburg"]


def test_a_quoted_phrase_matches_words_in_a_row(inbox: Account) -> None:
    assert _found(inbox, '"dotarł uszkodzony"') == ["Reklamacja dostawy 4711"]
    assert _found(inbox, '"uszkodzony dotarł"') == []


def test_subject_limits_a_word_to_the_subject(inbox: Account) -> None:
    assert _found(inbox, "subject:Angebot") == ["Angebot Kühltransport Hamburg–Gdańsk"]
    assert _found(inbox, "subject:Paletten") == []


def test_from_matches_the_senders_name_or_address(inbox: Account) -> None:
    assert _found(inbox, "from:wróbel") == [
        "Angebot Kühltransport Hamburg–Gdańsk",
        "Rechnung 2026-118 Hamburg",
    ]
    assert _found(inbox, "from:baltic-cargo") == ["Reklamacja dostawy 4711"]


def test_to_matches_the_recipient(inbox: Account, user: SandboxUser) -> None:
    assert len(_found(inbox, f"to:{user.address.split('@')[0]}")) == 3


def test_has_attachment_finds_messages_with_attachments(inbox: Account) -> None:
    assert _found(inbox, "has:attachment") == ["Reklamacja dostawy 4711"]


def test_a_received_day_and_ranges_of_days(inbox: Account) -> None:
    assert _found(inbox, "received:2026-09-21") == ["Reklamacja dostawy 4711"]
    assert _found(inbox, "received:>=2026-09-21") == [
        "Rechnung 2026-118 Hamburg",
        "Reklamacja dostawy 4711",
    ]
    assert _found(inbox, "received:2026-09-01..2026-09-30") == [
        "Angebot Kühltransport Hamburg–Gdańsk",
        "Reklamacja dostawy 4711",
    ]
    assert _found(inbox, "received<9/15/2026") == ["Angebot Kühltransport Hamburg–Gdańsk"]


def test_or_and_parentheses_combine_terms(inbox: Account) -> None:
    assert _found(inbox, "(Reklamacja OR Rechnung) AND Hamburg") == ["Rechnung 2026-118 Hamburg"]
    assert _found(inbox, "Reklamacja OR Angebot") == [
        "Angebot Kühltransport Hamburg–Gdańsk",
        "Reklamacja dostawy 4711",
    ]


def test_not_and_a_leading_minus_exclude(inbox: Account) -> None:
    assert _found(inbox, "from:wróbel NOT Rechnung") == ["Angebot Kühltransport Hamburg–Gdańsk"]
    assert _found(inbox, "Hamburg -Angebot") == ["Rechnung 2026-118 Hamburg"]
