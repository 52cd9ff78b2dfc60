"""Properties of the sandbox's parsers: whatever a client sends, the answer is an EWS error,
never a crash; what the sandbox writes, it reads back."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from exchange_sandbox import ids, mime
from exchange_sandbox.aqs import compile_query
from exchange_sandbox.errors import EwsError
from exchange_sandbox.extended import parse_field
from exchange_sandbox.model import Item
from exchange_sandbox.operations.sync import decode_state, encode_state
from exchange_sandbox.restrictions import compile_expression
from exchange_sandbox.store import Store, folder_element
from exchange_sandbox.values import Address, Body
from exchange_sandbox.xmlkit import TYPES_NS

printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s)


@given(st.text(max_size=80))
def test_any_text_as_an_id_is_either_one_of_ours_or_malformed(text: str) -> None:
    try:
        decoded = ids.decode(text)
    except EwsError as error:
        assert error.code == "ErrorInvalidIdMalformed"
    else:
        assert decoded.encode() == text


@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_item_and_folder_ids_round_trip(mailbox: bytes, item: bytes) -> None:
    assert ids.decode(ids.item_id(mailbox, item)).object == item
    assert ids.decode(ids.folder_id(mailbox, item)).kind is ids.IdKind.FOLDER


@given(st.text(max_size=200))
def test_any_text_as_a_sync_state_is_invalid_sync_state_data(text: str) -> None:
    store = Store()
    mailbox = store.add_mailbox("ewa@tartak-las.example", "Ewa")
    inbox = mailbox.distinguished["inbox"]
    try:
        number = decode_state(store, mailbox, inbox.uuid, text)
    except EwsError as error:
        assert error.code == "ErrorInvalidSyncStateData"
    else:
        assert number == 0 and not text


@settings(max_examples=30)
@given(st.integers(min_value=0, max_value=40))
def test_a_sync_state_stands_for_the_change_number_it_was_made_for(number: int) -> None:
    store = Store()
    mailbox = store.add_mailbox("ewa@tartak-las.example", "Ewa")
    inbox = mailbox.distinguished["inbox"]

    state = encode_state(store, mailbox, inbox.uuid, number)

    assert decode_state(store, mailbox, inbox.uuid, state) == number
    assert state != encode_state(store, mailbox, inbox.uuid, number)


@given(
    subject=printable_text,
    name=st.text(alphabet=string.ascii_letters + "ąęłńóśźżäöüß ", min_size=1, max_size=30).map(
        str.strip
    ),
    body=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200),
)
@example(subject="Angebot  2026", name="Anna  Nowak", body="")  # runs of spaces are kept
def test_generated_mime_parses_back_to_the_same_message(subject: str, name: str, body: str) -> None:
    sender = Address("hans.weber@holzhandel-weber.example", name)
    item = Item(
        uuid=b"\x00" * 16,
        item_type="Message",
        folder=b"",
        props={
            "Subject": subject,
            "From": sender,
            "ToRecipients": [Address("ewa@tartak-las.example", "Ewa Malinowska")],
            "Body": Body("Text", body),
            "InternetMessageId": "<abc@holzhandel-weber.example>",
        },
    )

    parsed = mime.parse(mime.generate(item)).props

    assert parsed["Subject"] == subject
    assert parsed["From"].email == sender.email
    assert parsed["From"].name == (name or "")
    assert [a.email for a in parsed["ToRecipients"]] == ["ewa@tartak-las.example"]
    assert parsed["Body"].text.replace("\r\n", "\n").rstrip("\n") == body.replace(
        "\r\n", "\n"
    ).replace("\r", "\n").rstrip("\n")
    assert parsed["InternetMessageId"] == "<abc@holzhandel-weber.example>"


@given(haystack=printable_text, needle=printable_text)
def test_a_substring_ignore_case_restriction_is_casefolded_containment(
    haystack: str, needle: str
) -> None:
    expression = etree.fromstring(
        f'<t:Contains xmlns:t="{TYPES_NS}" ContainmentMode="Substring"'
        ' ContainmentComparison="IgnoreCase"><t:FieldURI FieldURI="item:Subject"/>'
        "<t:Constant/></t:Contains>"
    )
    expression[1].set("Value", needle)
    item = Item(uuid=b"\x01" * 16, item_type="Message", folder=b"", props={"Subject": haystack})

    assert compile_expression(expression)(item) == (needle.casefold() in haystack.casefold())


@pytest.mark.parametrize(
    ("container_class", "element"),
    [
        ("IPF.Appointment", "CalendarFolder"),
        ("IPF.Appointment.Birthday", "CalendarFolder"),
        ("IPF.Contact.MOC.QuickContacts", "ContactsFolder"),
        ("IPF.Task", "TasksFolder"),
        ("IPF.Note", "Folder"),
        ("IPF.Appointmentish", "Folder"),
        (None, "Folder"),
    ],
)
def test_a_folder_type_follows_its_container_class_and_sub_classes(
    container_class: str | None, element: str
) -> None:
    assert folder_element(container_class) == element


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_any_query_string_is_read_without_failing(query: str) -> None:
    message = Item(uuid=b"", item_type="Message", folder=b"", props={"Subject": "Angebot 4711"})

    assert compile_query(query, today=dt.date(2026, 10, 1))(message) in (True, False)


_WORDS = st.lists(st.text(alphabet="abcdeąęłóż", min_size=1, max_size=6), min_size=1, max_size=4)


@given(subject=_WORDS, query=_WORDS)
@settings(max_examples=300)
def test_words_of_a_query_each_match_a_word_they_begin(
    subject: list[str], query: list[str]
) -> None:
    message = Item(uuid=b"", item_type="Message", folder=b"", props={"Subject": " ".join(subject)})

    found = compile_query(" ".join(query), today=dt.date(2026, 10, 1))(message)

    assert found == all(any(s.startswith(q) for s in subject) for q in query)


def _field_uri(**attributes: str) -> etree._Element:
    return etree.Element(f"{{{TYPES_NS}}}ExtendedFieldURI", attributes)


def test_one_property_spelled_two_ways_is_one_key_echoed_as_each_spelled_it() -> None:
    hexadecimal = _field_uri(
        DistinguishedPropertySetId="Common", PropertyId="0x8530", PropertyType="String"
    )
    decimal = _field_uri(
        DistinguishedPropertySetId="Common", PropertyId="34096", PropertyType="String"
    )

    first, again, other = parse_field(hexadecimal), parse_field(hexadecimal), parse_field(decimal)

    assert first == again
    assert first.key == other.key
    assert 'PropertyId="0x8530"' in first.uri_xml and 'PropertyId="34096"' in other.uri_xml


def test_an_invalid_property_spelling_is_refused_every_time_it_is_sent() -> None:
    invalid = _field_uri(
        PropertySetId="8d3f5b1a-2c4e-4f6a-9b7c-1d2e3f4a5b6c", PropertyType="String"
    )

    for _ in range(2):
        with pytest.raises(EwsError) as refused:
            parse_field(invalid)
        assert refused.value.code == "ErrorInvalidExtendedProperty"
