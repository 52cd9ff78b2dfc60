"""mailto: links (RFC 6068) as the desktop hands them to `liaison --compose %u`."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ui.mailto import MailtoDraft, MailtoError, parse_mailto


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("mailto:chris@example.com", MailtoDraft(to=("chris@example.com",))),
        (
            "mailto:infobot@example.com?subject=current-issue",
            MailtoDraft(to=("infobot@example.com",), subject="current-issue"),
        ),
        (
            "mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
            MailtoDraft(to=("infobot@example.com",), body="send current-issue\nsend index"),
        ),
        (
            "mailto:?to=joe@example.com&cc=bob@example.com&body=hello",
            MailtoDraft(to=("joe@example.com",), cc=("bob@example.com",), body="hello"),
        ),
        (
            "mailto:joe@example.com?cc=bob@example.com&bcc=tajna@example.com&body=hello",
            MailtoDraft(
                to=("joe@example.com",),
                cc=("bob@example.com",),
                bcc=("tajna@example.com",),
                body="hello",
            ),
        ),
        (
            "mailto:addr1@an.example,addr2@an.example",
            MailtoDraft(to=("addr1@an.example", "addr2@an.example")),
        ),
        (
            "mailto:?to=addr1@an.example,addr2@an.example",
            MailtoDraft(to=("addr1@an.example", "addr2@an.example")),
        ),
        ("mailto:gorby%25kremvax@example.com", MailtoDraft(to=("gorby%kremvax@example.com",))),
        ("mailto:%22not%40me%22@example.org", MailtoDraft(to=('"not@me"@example.org',))),
        (
            "mailto:user@example.org?subject=caf%C3%A9",
            MailtoDraft(to=("user@example.org",), subject="café"),
        ),
        (
            "mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E",
            MailtoDraft(to=("list@example.org",)),
        ),
    ],
)
def test_the_examples_of_rfc_6068(link: str, expected: MailtoDraft) -> None:
    assert parse_mailto(link) == expected


def test_polish_text_a_plus_and_header_names_in_any_case() -> None:
    draft = parse_mailto(
        "MAILTO:jan.kowalski@acme.pl?SUBJECT=Oferta%20na%20palety%20%E2%80%93%20%C5%81%C3%B3d%C5%BA"
        "&Cc=biuro@acme.pl&BODY=Dzie%C5%84%20dobry%2C%0D%0A1+1%3D2"
    )
    assert draft == MailtoDraft(
        to=("jan.kowalski@acme.pl",),
        cc=("biuro@acme.pl",),
        subject="Oferta na palety – Łódź",
        body="Dzień dobry,\n1+1=2",
    )


def test_the_first_subject_wins_and_recipients_from_path_and_fields_add_up() -> None:
    draft = parse_mailto("mailto:ewa@acme.pl?subject=Pierwszy&to=jan@acme.pl&subject=Drugi")
    assert draft.to == ("ewa@acme.pl", "jan@acme.pl")
    assert draft.subject == "Pierwszy"


def test_a_bare_address_is_taken_as_the_recipient() -> None:
    assert parse_mailto("  katrin.mueller@mueller-logistik.de ") == MailtoDraft(
        to=("katrin.mueller@mueller-logistik.de",)
    )


@pytest.mark.parametrize("text", ["https://example.com/", "", "Jan Kowalski", "callto:+48123"])
def test_anything_else_is_refused_in_words(text: str) -> None:
    with pytest.raises(MailtoError, match="is not a mailto: link"):
        parse_mailto(text)


local_parts = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._%+-'!#$&*=?^{}|~"),
    min_size=1,
    max_size=20,
)
domains = st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9]{1,12}){0,2}\.[a-z]{2,6}", fullmatch=True)
addresses = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"))


def encoded(text: str) -> str:
    return quote(text, safe="@", encoding="utf-8")


@given(
    to=st.lists(addresses, max_size=3),
    cc=st.lists(addresses, max_size=3),
    subject=texts.map(str.strip),
    body=texts,
)
def test_whatever_is_percent_encoded_comes_back_as_it_was(
    to: list[str], cc: list[str], subject: str, body: str
) -> None:
    fields = []
    if cc:
        fields.append("cc=" + ",".join(encoded(address) for address in cc))
    if subject:
        fields.append("subject=" + encoded(subject))
    if body:
        fields.append("body=" + encoded(body.replace("\n", "\r\n")))
    link = "mailto:" + ",".join(encoded(address) for address in to)
    if fields:
        link += "?" + "&".join(fields)

    assert parse_mailto(link) == MailtoDraft(tuple(to), tuple(cc), (), subject, body)


@given(st.text())
def test_any_text_is_parsed_or_refused_in_words(text: str) -> None:
    try:
        draft = parse_mailto(text)
    except MailtoError as exc:
        assert "mailto:" in str(exc)
    else:
        assert all(address for address in draft.to + draft.cc + draft.bcc)
