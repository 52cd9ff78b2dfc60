"""Addresses: normalising, parsing header values, domains and the never-track list."""

from __future__ import annotations

import pytest

from app.tracking.addresses import (
    NeverTrackList,
    domain_of,
    is_valid_email,
    never_track_list,
    normalise_email,
    parse_address,
    parse_address_list,
)
from app.tracking.model import Address


@pytest.mark.parametrize(
    "written",
    [
        "jan.kowalski@acme.pl",
        "  Jan.Kowalski@ACME.pl ",
        "<jan.kowalski@acme.pl>",
        '"Kowalski, Jan" <Jan.Kowalski@acme.pl>',
        "mailto:jan.kowalski@acme.pl",
        "'jan.kowalski@acme.pl'",
    ],
)
def test_written_forms_of_one_address_normalise_alike(written: str) -> None:
    assert normalise_email(written) == "jan.kowalski@acme.pl"


def test_junk_normalises_without_raising() -> None:
    assert normalise_email("") == ""
    assert normalise_email("<<>>") == ""
    assert normalise_email("not an address") == "not an address"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("jan.kowalski@acme.pl", True),
        ("Jan <jan@acme.co.uk>", True),
        ("jan@acme", False),
        ("jan@@acme.pl", False),
        ("jan kowalski@acme.pl", False),
        ("acme.pl", False),
    ],
)
def test_valid_email_needs_one_at_and_a_dotted_domain(value: str, valid: bool) -> None:
    assert is_valid_email(value) is valid


def test_domain_of_is_normalised() -> None:
    assert domain_of("Jan.Kowalski@ACME.pl") == "acme.pl"
    assert domain_of("no-at-sign") == ""


def test_display_name_with_comma_is_parsed_whole() -> None:
    assert parse_address('"Kowalski, Jan" <jan.kowalski@acme.pl>') == Address(
        "jan.kowalski@acme.pl", "Kowalski, Jan"
    )


def test_encoded_polish_display_name_is_decoded() -> None:
    parsed = parse_address("=?utf-8?q?=C5=81ukasz_=C5=BB=C3=B3=C5=82w?= <lukasz@zolw.pl>")

    assert parsed == Address("lukasz@zolw.pl", "Łukasz Żółw")


def test_list_with_group_and_several_mailboxes_is_flattened() -> None:
    value = (
        "Jan Kowalski <jan.kowalski@acme.pl>, team: klaus.becker@mueller-logistik.de, "
        "Ewa <ewa@zielinska-design.pl>;, undisclosed-recipients:;"
    )

    assert [a.email for a in parse_address_list(value)] == [
        "jan.kowalski@acme.pl",
        "klaus.becker@mueller-logistik.de",
        "ewa@zielinska-design.pl",
    ]


@pytest.mark.parametrize("garbage", ["", "   ", '<<<>>>"\r\n ,,, @@ (comment', "::;;<>"])
def test_garbage_header_gives_no_addresses(garbage: str) -> None:
    assert parse_address_list(garbage) == []
    assert parse_address(garbage) is None


def test_never_track_entry_for_an_address_matches_it_in_any_case() -> None:
    matcher = NeverTrackList.from_entries(["zona@gmail.com"])

    assert matcher.match("Zona@Gmail.com") == "zona@gmail.com"
    assert matcher.match("other@gmail.com") is None


def test_never_track_domain_covers_the_domain_and_its_subdomains() -> None:
    matcher = NeverTrackList.from_entries(["@bank.pl"])

    assert matcher.match("powiadomienia@bank.pl") == "@bank.pl"
    assert matcher.match("alerts@mail.bank.pl") == "@bank.pl"
    assert matcher.match("jan@mybank.pl") is None


def test_never_track_does_not_match_an_empty_address() -> None:
    assert NeverTrackList.from_entries(["@bank.pl"]).match("") is None


def test_never_track_matcher_is_built_once_per_set_of_entries() -> None:
    entries = frozenset({"@bank.pl", "zona@gmail.com"})

    assert never_track_list(entries) is never_track_list(frozenset(entries))
