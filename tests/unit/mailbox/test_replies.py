"""Reply, Reply All and Forward as Outlook composes them: recipients, prefixes in the user's
language without stacking, the quoted original, threading. Property tests for the prefixes and
the recipients, examples for the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from app.mailbox.attachments import AttachmentInfo
from app.mailbox.replies import (
    MAX_REFERENCES,
    Original,
    ResponseKind,
    forward_subject,
    quote_html,
    quote_text,
    references_after,
    reply_recipients,
    reply_subject,
    respond,
)
from app.tracking.addresses import normalise_email
from app.tracking.model import Address
from app.tracking.subjects import FORWARD_PREFIXES, REPLY_PREFIXES

ANNA = Address("anna.nowak@brightwave.example", "Anna Nowak")
LUKASZ = Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski")
GRETA = Address("greta.schulz@mueller-mb.example", "Greta Schulz")
BIURO = Address("biuro@acme-logistics.example", "Biuro Acme")
OWN = frozenset({normalise_email(ANNA.email), "a.nowak@brightwave.example"})
WARSAW = timezone(timedelta(hours=2))
OFFER = Original(
    subject="Zapytanie o wycenę",
    sender=LUKASZ,
    to=(ANNA, GRETA),
    cc=(BIURO, Address("A.Nowak@Brightwave.example", "Anna (alias)")),
    sent_at=datetime(2026, 10, 5, 7, 30, tzinfo=UTC),
    body_text="Dzień dobry,\nproszę o wycenę.",
    body_html="<html><head><title>x</title></head><body><p>Dzień dobry,</p></body></html>",
    message_id="<zapytanie-4711@acme-logistics.example>",
    references=("<pierwsze@acme-logistics.example>",),
)

PREFIX_WORDS = st.sampled_from([*REPLY_PREFIXES, *FORWARD_PREFIXES, "Re", "re", "Fw", "Fwd"])
PREFIX = st.tuples(PREFIX_WORDS, st.sampled_from([":", " :", "：", "[2]:", "^3:"])).map("".join)
SUBJECTS = st.tuples(
    st.lists(PREFIX, max_size=3).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
).map(lambda parts: f"{parts[0]} {parts[1]}")
LANGUAGES = st.sampled_from(["en", "pl"])


@settings(max_examples=300, deadline=None)
@given(subject=SUBJECTS, language=LANGUAGES)
def test_replying_to_a_reply_adds_no_second_prefix(subject: str, language: str) -> None:
    once = reply_subject(subject, language)

    assert reply_subject(once, language) == once
    assert once.startswith("RE:" if language == "en" else "Odp:")


@settings(max_examples=300, deadline=None)
@given(subject=SUBJECTS, language=LANGUAGES)
def test_forwarding_a_forward_adds_no_second_prefix(subject: str, language: str) -> None:
    once = forward_subject(subject, language)

    assert forward_subject(once, language) == once
    assert once.startswith("FW:" if language == "en" else "PD:")


@settings(max_examples=300, deadline=None)
@given(subject=SUBJECTS, language=LANGUAGES)
def test_a_reply_of_a_forward_and_a_forward_of_a_reply_keep_the_other_prefix(
    subject: str, language: str
) -> None:
    reply = reply_subject(subject, language)

    forwarded = forward_subject(reply, language)

    assert forwarded.endswith(reply)


def test_prefixes_in_the_users_language_as_outlook_writes_them() -> None:
    assert reply_subject("AW: Angebot Wartungsvertrag", "pl") == "Odp: Angebot Wartungsvertrag"
    assert reply_subject("Odp: RE: Oferta CRM:0001005", "en") == "RE: Oferta CRM:0001005"
    assert forward_subject("RE: Oferta", "pl") == "PD: RE: Oferta"
    assert forward_subject("PD: FW: Oferta", "en") == "FW: Oferta"
    assert reply_subject("I am late", "en") == "RE: I am late"  # "I" needs its colon


ADDRESSES = st.sampled_from(
    [ANNA, LUKASZ, GRETA, BIURO, Address("A.NOWAK@brightwave.example", ""),
     Address("l.wisniewski@acme-logistics.example", "Łukasz W.")]
)  # fmt: skip
RECEIVED = st.builds(
    Original,
    subject=st.just("Oferta"),
    sender=ADDRESSES,
    to=st.lists(ADDRESSES, max_size=5).map(tuple),
    cc=st.lists(ADDRESSES, max_size=5).map(tuple),
)
SENT = st.builds(
    Original,
    subject=st.just("Oferta"),
    sender=st.just(ANNA),
    to=st.lists(ADDRESSES, max_size=5).map(tuple),
    cc=st.lists(ADDRESSES, max_size=5).map(tuple),
    sent_by_user=st.just(True),
)
ORIGINALS = st.one_of(RECEIVED, SENT)


@settings(max_examples=300, deadline=None)
@given(original=ORIGINALS, reply_all=st.booleans())
def test_reply_recipients_hold_no_own_address_twice_and_nobody_twice(
    original: Original, reply_all: bool
) -> None:
    to, cc = reply_recipients(original, OWN, reply_all)

    keys = [normalise_email(a.email) for a in (*to, *cc)]
    assert len(keys) == len(set(keys))
    others = [a for a in (*to, *cc) if normalise_email(a.email) not in OWN]
    # Own addresses only when the user would otherwise write to nobody (wrote to themself).
    assert others == [*to, *cc] or len(to) + len(cc) == 1
    if not reply_all:
        assert cc == ()


@settings(max_examples=300, deadline=None)
@given(original=ORIGINALS)
def test_reply_all_reaches_everyone_a_reply_reaches(original: Original) -> None:
    one = reply_recipients(original, OWN, reply_all=False)
    everyone = reply_recipients(original, OWN, reply_all=True)

    reached = {normalise_email(a.email) for a in (*everyone[0], *everyone[1])}
    assert {normalise_email(a.email) for a in one[0]} <= reached | OWN


def test_reply_all_drops_the_users_own_addresses_and_keeps_to_and_cc_apart() -> None:
    to, cc = reply_recipients(OFFER, OWN, reply_all=True)

    assert to == (LUKASZ, GRETA)
    assert cc == (BIURO,)


def test_a_reply_to_a_message_in_sent_items_goes_to_its_recipients() -> None:
    sent = Original("Oferta", ANNA, to=(LUKASZ, GRETA), cc=(BIURO,), sent_by_user=True)

    assert reply_recipients(sent, OWN, reply_all=False) == ((LUKASZ, GRETA), ())
    assert reply_recipients(sent, OWN, reply_all=True) == ((LUKASZ, GRETA), (BIURO,))


def test_the_quote_names_sender_date_recipients_and_subject_in_english() -> None:
    text = quote_text(OFFER, "en", WARSAW)

    assert text.splitlines()[:6] == [
        "-----Original Message-----",
        "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>",
        "Sent: Monday, October 5, 2026 9:30 AM",
        "To: Anna Nowak <anna.nowak@brightwave.example>; "
        "Greta Schulz <greta.schulz@mueller-mb.example>",
        "Cc: Biuro Acme <biuro@acme-logistics.example>; Anna (alias) <A.Nowak@Brightwave.example>",
        "Subject: Zapytanie o wycenę",
    ]
    assert text.endswith("Dzień dobry,\nproszę o wycenę.\n")


def test_the_quote_in_polish_says_od_wyslano_do_dw_temat() -> None:
    text = quote_text(OFFER, "pl", WARSAW)

    assert "-----Wiadomość oryginalna-----" in text
    assert "Wysłano: poniedziałek, 5 października 2026 09:30" in text
    assert "\nDW: Biuro Acme" in text and "\nTemat: Zapytanie o wycenę" in text


def test_the_html_quote_keeps_the_originals_body_without_its_head() -> None:
    quoted = quote_html(OFFER, "en", WARSAW)

    assert "<p>Dzień dobry,</p>" in quoted
    assert "<title>" not in quoted and "<body" not in quoted
    assert "<b>From:</b> Łukasz Wiśniewski &lt;l.wisniewski@acme-logistics.example&gt;" in quoted


def test_a_reply_is_threaded_under_the_original() -> None:
    reply = respond(OFFER, ResponseKind.REPLY, OWN, "en", WARSAW)

    assert reply.in_reply_to == OFFER.message_id
    assert reply.references == (
        "<pierwsze@acme-logistics.example>",
        "<zapytanie-4711@acme-logistics.example>",
    )
    assert reply.to == (LUKASZ,) and reply.cc == () and reply.carried == ()
    assert reply.text("Cena: 8 000 zł.").startswith("Cena: 8 000 zł.\n\n-----Original Message")


def test_a_long_thread_keeps_its_first_and_latest_references() -> None:
    chain = tuple(f"<m{n}@acme-logistics.example>" for n in range(40))
    long = Original("Oferta", LUKASZ, message_id="<m40@acme-logistics.example>", references=chain)

    kept = references_after(long)

    assert len(kept) == MAX_REFERENCES
    assert kept[0] == chain[0] and kept[-1] == "<m40@acme-logistics.example>"


def test_a_forward_starts_with_nobody_and_carries_every_attachment() -> None:
    pdf = AttachmentInfo(0, "oferta.pdf", 48_000, "application/pdf", False)
    logo = AttachmentInfo(1, "logo.png", 3_000, "image/png", True)
    original = Original("Oferta", LUKASZ, to=(ANNA,), attachments=(pdf, logo))

    forward = respond(original, ResponseKind.FORWARD, OWN, "pl")

    assert forward.to == () and forward.cc == ()
    assert forward.subject == "PD: Oferta"
    assert forward.carried == (pdf, logo)


SIGNATURE = "Anna Nowak\nBrightwave · +48 22 123 45 67"


def test_a_signed_reply_opens_on_an_empty_line_above_the_signature_then_the_quote() -> None:
    reply = respond(OFFER, ResponseKind.REPLY, OWN)

    body = reply.text("", SIGNATURE)

    assert body.startswith(f"\n\n{SIGNATURE}\n\n-----Original Message-----\n")


def test_what_the_user_wrote_comes_above_the_signature() -> None:
    reply = respond(OFFER, ResponseKind.REPLY, OWN)

    body = reply.text("Dziękuję, potwierdzam.", SIGNATURE)

    assert body.startswith(f"Dziękuję, potwierdzam.\n\n{SIGNATURE}\n\n-----Original")


def test_the_html_signature_is_a_paragraph_under_an_empty_one_and_above_the_quote() -> None:
    forward = respond(OFFER, ResponseKind.FORWARD, OWN)

    body = forward.html("", SIGNATURE)

    assert body.startswith("<p><br></p><p>Anna Nowak<br>Brightwave · +48 22 123 45 67</p><hr ")


def test_without_a_signature_a_reply_is_the_quote_alone() -> None:
    reply = respond(OFFER, ResponseKind.REPLY, OWN)

    assert reply.text("", "  ") == reply.quote_text
