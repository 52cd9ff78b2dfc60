"""`liaison mail list` over the same cache the window lists: a search of every folder that says
where each message is, and the conversation view."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.ui.cli_runs import liaison
from tests.ui.mailbox_builder import OFFER_CONVERSATION, BuiltProfile, thread_the_offer


def listed(capsys: pytest.CaptureFixture[str], *options: str) -> list[dict[str, Any]]:
    return list(json.loads(liaison(capsys, "mail", "list", "--json", *options)))


def test_a_search_of_every_folder_prints_each_messages_folder(
    profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = liaison(capsys, "mail", "list", "--search", "oferta")

    header, reply, offer = printed.splitlines()[:3]
    assert "folder" in header
    assert "Re: Oferta na licencje 2027" in reply and "Sent Items" in reply
    assert "Oferta na licencje 2027" in offer and "Inbox" in offer


def test_a_search_in_one_folder_needs_no_folder_column(
    profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = liaison(capsys, "mail", "list", "--search", "oferta", "--folder", "Inbox")

    assert "folder" not in printed.splitlines()[0]
    assert "Re: Oferta" not in printed


def test_json_rows_of_a_search_name_their_folder(
    profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = listed(capsys, "--search", "oferta")

    assert [(row["subject"], row["folder"]) for row in rows] == [
        ("Re: Oferta na licencje 2027", "Sent Items"),
        ("Oferta na licencje 2027", "Inbox"),
    ]


def test_conversations_list_the_newest_thread_first_its_messages_oldest_first(
    profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    thread_the_offer(profile)

    rows = listed(capsys, "--conversations")

    assert [row["subject"] for row in rows[:3]] == [
        "Oferta na licencje 2027",
        "RE: Oferta na licencje 2027",
        "AW: Lieferung KW 47",
    ]
    assert rows[0]["conversation"] == rows[1]["conversation"] == OFFER_CONVERSATION
