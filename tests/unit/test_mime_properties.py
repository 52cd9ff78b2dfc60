"""Property tests: whatever bytes a saved message holds, reading it gives a ParsedMessage or a
MessageFormatError, nothing else; address lists never pass their cap."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.mailbox.mime import MAX_ADDRESSES, MessageFormatError, ParsedMessage, parse_message

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A message nested hundreds deep, or with hundreds of addresses, takes a good part of a second to
# read: fewer examples, still reaching past the recursion limit and past the cap.
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Header values as hostile mail writes them: encoded words, stray brackets and quotes, commas,
# group syntax, raw 8-bit text, overlong numbers, impossible dates.
_PIECES = st.sampled_from(
    ["=?utf-8?q?=C5=81ukasz?=", "=?iso-8859-2?b?", "?=", "<", ">", '"', "\\", ",", ";", ":",
     "(", ")", "@", "Zespół:", "jan@acme.pl", "Kowalski, Jan", "\t", " ", "Ż", "\u2028",
     "Fri, 31 Dec 9999 23:59:59 -1200", "Mon, 1 Jan 0001 00:00:00 +9999", "99999999999999999999",
     "<a@b>", "<>", "=?", "\x7f"]
)  # fmt: skip
VALUES = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12).map("".join)
NAMES = st.sampled_from(
    ["From", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "References", "Subject",
     "Thread-Index", "Sensitivity", "X-Unsent", "Content-Type", "Content-Transfer-Encoding",
     "MIME-Version"]
)  # fmt: skip
CONTENT_TYPES = st.sampled_from(
    ["text/plain", "text/html; charset=x-unknown", 'multipart/mixed; boundary="b"',
     "multipart/alternative", "message/rfc822", 'multipart/related; boundary=""', "text/plain;;"]
)  # fmt: skip


def _expect_parsed_or_refused(raw: bytes) -> None:
    try:
        parsed = parse_message(raw)
    except MessageFormatError as exc:
        assert str(exc)  # said in words
        return
    assert isinstance(parsed, ParsedMessage)
    assert len(parsed.facts.to) <= MAX_ADDRESSES and len(parsed.facts.cc) <= MAX_ADDRESSES


def _header_lines(headers: list[tuple[str, str]]) -> str:
    # Folding a value over lines keeps it one header: values may not hold a bare line break.
    return "".join(f"{name}: {' '.join(value.splitlines())}\r\n" for name, value in headers)


@FAST
@given(
    headers=st.lists(st.tuples(NAMES, VALUES), min_size=1, max_size=10),
    content_type=CONTENT_TYPES,
    body=st.binary(max_size=200),
)
def test_any_headers_and_body_are_read_or_refused_in_words(
    headers: list[tuple[str, str]], content_type: str, body: bytes
) -> None:
    text = _header_lines(
        [("From", "Jan Kowalski <jan@acme.pl>"), *headers, ("Content-Type", content_type)]
    )
    _expect_parsed_or_refused(text.encode("utf-8", "surrogatepass") + b"\r\n" + body)


@FAST
@given(raw=st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_in_words(raw: bytes) -> None:
    _expect_parsed_or_refused(raw)


@FEW
@given(depth=st.integers(0, 1500), boundary=st.sampled_from(["b", "==", "x y"]))
def test_multiparts_nested_to_any_depth_are_read_or_refused_in_words(
    depth: int, boundary: str
) -> None:
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="{boundary}{level}"\r\n\r\n'
        f"--{boundary}{level}\r\n"
        for level in range(depth)
    )
    raw = (
        "From: Jan Kowalski <jan@acme.pl>\r\nDate: Mon, 1 Jun 2026 10:00:00 +0200\r\n"
        f"Subject: Zagnieżdżone\r\n{opening}Content-Type: text/plain\r\n\r\nTreść\r\n"
    )
    _expect_parsed_or_refused(raw.encode("utf-8"))


@FEW
@given(depth=st.integers(0, 3000))
def test_messages_inside_messages_to_any_depth_are_read_or_refused_in_words(depth: int) -> None:
    inner = "From: Jan Kowalski <jan@acme.pl>\r\nContent-Type: message/rfc822\r\n\r\n"
    raw = (
        "From: Jan Kowalski <jan@acme.pl>\r\nDate: Mon, 1 Jun 2026 10:00:00 +0200\r\n"
        f"Content-Type: message/rfc822\r\n\r\n{inner * depth}Content-Type: text/plain\r\n\r\nT\r\n"
    )
    _expect_parsed_or_refused(raw.encode("utf-8"))


@FEW
@given(count=st.integers(0, 2 * MAX_ADDRESSES), header=st.sampled_from(["To", "Cc"]))
def test_an_address_list_is_cut_at_its_cap_and_a_cut_is_noted(count: int, header: str) -> None:
    everyone = ", ".join(f'"Nowak, Osoba {n}" <osoba{n}@firma.example>' for n in range(count))
    raw = (
        f"From: Jan Kowalski <jan@acme.pl>\r\n{header}: {everyone}\r\n"
        "Date: Mon, 1 Jun 2026 10:00:00 +0200\r\n\r\nTreść\r\n"
    ).encode()

    parsed = parse_message(raw)

    listed = parsed.facts.to if header == "To" else parsed.facts.cc
    assert [address.email for address in listed] == [
        f"osoba{n}@firma.example" for n in range(min(count, MAX_ADDRESSES))
    ]
    assert parsed.cut_headers == ((header,) if count > MAX_ADDRESSES else ())
