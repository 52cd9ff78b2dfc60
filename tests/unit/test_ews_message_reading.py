"""Messages read straight from EWS XML (app.sync.ews.messages): whatever a t:Message holds, in
whatever order its elements come, each field reads as Exchange wrote it; an element that is
not there reads as the field's default."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from exchangelib.util import TNS
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from app.mailbox.remote import FlagStatus, LinkState, RemoteMark
from app.sync.ews.messages import body_from_xml, message_from_xml
from app.sync.ews.properties import FLAG_STATUS_TAG, LIAISON_PROPERTY_SET
from app.sync.html_text import html_to_text
from app.tracking.model import Address

# Text XML 1.0 can carry (no control characters but tab and line feed: a carriage return in
# element content reads back as a line feed, as any XML parser gives it).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n&<>\"'"),
    max_size=40,
)
NAMES = st.text(st.characters(whitelist_categories=("L", "Zs")), max_size=20)
EMAILS = st.from_regex(r"[a-z][a-z0-9.'+-]{0,10}@[a-z]{1,8}\.example", fullmatch=True)
ADDRESSES = st.builds(Address, email=EMAILS, name=NAMES)
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=UTC)
)
MARKS = st.builds(
    RemoteMark,
    link_state=st.none() | st.sampled_from(LinkState),
    activity_id=st.none() | st.integers(min_value=1, max_value=10**9),
    regarding=st.none()
    | st.builds(
        "{}:{}".format,
        st.sampled_from(["account", "contact", "lead", "opportunity"]),
        st.integers(min_value=1, max_value=999_999),
    ),
    category=st.none() | st.text(st.characters(whitelist_categories=("L",)), min_size=1),
    client_id=st.none() | st.uuids().map(str),
)
# What a message reads as when Exchange leaves its element out.
UNSAID: dict[str, Any] = {
    "subject": "",
    "sent_at": None,
    "received_at": None,
    "is_read": False,
    "importance": "Normal",
    "categories": (),
    "sender": None,
    "to": (),
    "cc": (),
    "message_id": None,
    "references": (),
    "flag": FlagStatus.NONE,
}


def _mailbox(address: Address) -> str:
    return (
        f"<t:Mailbox><t:Name>{escape(address.name)}</t:Name>"
        f"<t:EmailAddress>{escape(address.email)}</t:EmailAddress>"
        "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>OneOff</t:MailboxType></t:Mailbox>"
    )


def _extended(uri: dict[str, str], value: str) -> str:
    attributes = "".join(f" {name}={quoteattr(text)}" for name, text in uri.items())
    return (
        f"<t:ExtendedProperty><t:ExtendedFieldURI{attributes}/>"
        f"<t:Value>{escape(value)}</t:Value></t:ExtendedProperty>"
    )


def _liaison(name: str, value: object) -> str:
    uri = {"PropertySetId": LIAISON_PROPERTY_SET.upper(), "PropertyName": name}
    return _extended({**uri, "PropertyType": "String"}, str(value))


@st.composite
def messages(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A t:Message as SyncFolderItems sends it, and the fields it should read as."""
    fields: dict[str, Any] = {
        "id": draw(st.from_regex(r"AAMk[A-Za-z0-9+/]{10,40}=", fullmatch=True)),
        "change_key": draw(st.from_regex(r"CQAAA[A-Za-z0-9+/]{4,12}", fullmatch=True)),
    }
    ids = f"Id={quoteattr(fields['id'])} ChangeKey={quoteattr(fields['change_key'])}"
    elements = [f"<t:ItemId {ids}/>"]

    def maybe(name: str, value: Any, element: str) -> None:
        if draw(st.booleans()):
            fields[name] = value
            elements.append(element)

    subject = draw(TEXT)
    maybe("subject", subject, f"<t:Subject>{escape(subject)}</t:Subject>")
    sent, received = draw(MOMENTS), draw(MOMENTS)
    maybe("sent_at", sent, f"<t:DateTimeSent>{sent:%Y-%m-%dT%H:%M:%SZ}</t:DateTimeSent>")
    maybe(
        "received_at",
        received,
        f"<t:DateTimeReceived>{received:%Y-%m-%dT%H:%M:%SZ}</t:DateTimeReceived>",
    )
    is_read = draw(st.booleans())
    maybe("is_read", is_read, f"<t:IsRead>{str(is_read).lower()}</t:IsRead>")
    importance = draw(st.sampled_from(["Low", "Normal", "High"]))
    maybe("importance", importance, f"<t:Importance>{importance}</t:Importance>")
    categories = tuple(draw(st.lists(TEXT.filter(str.strip), max_size=3)))
    strings = "".join(f"<t:String>{escape(c)}</t:String>" for c in categories)
    maybe("categories", categories, f"<t:Categories>{strings}</t:Categories>")
    sender, on_behalf = draw(ADDRESSES), draw(ADDRESSES)
    maybe("sender", sender, f"<t:From>{_mailbox(sender)}</t:From>")
    if draw(st.booleans()):  # t:From wins wherever it stands; t:Sender only stands in for it
        elements.append(f"<t:Sender>{_mailbox(on_behalf)}</t:Sender>")
        fields.setdefault("sender", on_behalf)
    for name, element in (("to", "ToRecipients"), ("cc", "CcRecipients")):
        people = tuple(draw(st.lists(ADDRESSES, max_size=3)))
        # A recipient without an address (a distribution list's hidden members) is left out.
        boxes = [_mailbox(person) for person in people]
        if draw(st.booleans()):
            unaddressed = _mailbox(Address(email="", name="Undisclosed recipients"))
            boxes.insert(draw(st.integers(0, len(boxes))), unaddressed)
        maybe(name, people, f"<t:{element}>{''.join(boxes)}</t:{element}>")
    message_id = draw(st.from_regex(r"<[a-z0-9.=+]{1,20}@[a-z]{1,8}\.example>", fullmatch=True))
    maybe(
        "message_id", message_id, f"<t:InternetMessageId>{escape(message_id)}</t:InternetMessageId>"
    )
    references = tuple(draw(st.lists(st.just(message_id), max_size=2)))
    maybe("references", references, f"<t:References>{escape(' '.join(references))}</t:References>")
    flag = draw(st.sampled_from([FlagStatus.FLAGGED, FlagStatus.COMPLETE]))
    number = "2" if flag is FlagStatus.FLAGGED else "1"
    uri = {"PropertyTag": hex(FLAG_STATUS_TAG), "PropertyType": "Integer"}
    maybe("flag", flag, _extended(uri, number))
    mark = draw(MARKS)
    written = {
        "LinkState": None if mark.link_state is None else int(mark.link_state),
        "ActivityId": mark.activity_id,
        "Regarding": mark.regarding,
        "TrackCategory": mark.category,
        "ClientId": mark.client_id,
    }
    elements += [_liaison(name, value) for name, value in written.items() if value is not None]
    fields["mark"] = mark
    order = draw(st.permutations(elements))
    return f'<t:Message xmlns:t="{TNS}">{"".join(order)}</t:Message>', fields


@given(messages())
def test_every_field_of_a_message_reads_as_exchange_wrote_it_in_any_order(
    message: tuple[str, dict[str, Any]],
) -> None:
    xml, fields = message
    item = message_from_xml(etree.fromstring(xml))
    expected = {**UNSAID, **fields}
    assert {name: getattr(item, name) for name in expected} == expected


@given(text=TEXT, html=st.booleans(), with_text_body=st.booleans())
def test_a_body_reads_as_its_text_and_its_html(text: str, html: bool, with_text_body: bool) -> None:
    """Exchange's own text of the body (t:TextBody) wins over Liaison's reading of the HTML."""
    page = f"<p>{escape(text)}</p><p>Anna Nowak, Contoso</p>"
    body_type, content = ("HTML", page) if html else ("Text", text)
    body = f'<t:Body BodyType="{body_type}">{escape(content)}</t:Body>'
    text_body = f"<t:TextBody>{escape(text)}</t:TextBody>" if with_text_body else ""
    xml = (
        f'<t:Message xmlns:t="{TNS}"><t:ItemId Id="AAMkQ=" ChangeKey="CQ"/>{body}{text_body}'
        "</t:Message>"
    )
    item_id, read = body_from_xml(etree.fromstring(xml))
    assert item_id == "AAMkQ="
    assert read.html == (page if html else None)
    assert read.text == (html_to_text(page) if html and not with_text_body else text)
