"""Moving items out and back in, and filing them by what they are: ExportItems and UploadItems,
MarkAsJunk (and where a blocked sender's next message lands), ArchiveItem without an archive."""

from __future__ import annotations

import datetime as dt

import pytest
from exchangelib import Account, CalendarItem, EWSDateTime, EWSTimeZone, FileAttachment, Message
from exchangelib.errors import ErrorInvalidRequest, ErrorItemNotFound, TransportError

from tests.sandbox.messages import inbound
from tests.support.sandbox import Sandbox, SandboxUser

WARSAW = EWSTimeZone("Europe/Warsaw")


def _offer(account: Account) -> Message:
    message = Message(
        account=account,
        folder=account.inbox,
        subject="Oferta: chłodnia 40 palet, Gdynia → Rotterdam",
        body="W załączniku oferta.",
        to_recipients=["zakupy@baltic-cargo.example"],
        categories=["Oferta"],
    )
    message.attach(FileAttachment(name="oferta.pdf", content=b"%PDF-1.7 oferta"))
    message.save()
    return message


# --- export and upload -------------------------------------------------------------------


def test_an_exported_message_uploads_as_a_copy_with_its_content(account: Account) -> None:
    original = _offer(account)

    (data,) = account.export([original])
    ((new_id, _),) = account.upload([(account.drafts, data)])

    copy = account.drafts.get(id=new_id)
    assert new_id != original.id
    assert (copy.subject, copy.categories) == (original.subject, ["Oferta"])
    assert copy.to_recipients[0].email_address == "zakupy@baltic-cargo.example"
    assert [(a.name, a.content) for a in copy.attachments] == [("oferta.pdf", b"%PDF-1.7 oferta")]
    assert [m.id for m in account.inbox.all()] == [original.id]


def test_an_exported_appointment_uploads_into_another_mailbox(sandbox: Sandbox) -> None:
    anna, jan = (
        sandbox.account(sandbox.new_user("Anna Kowalska")),
        sandbox.account(sandbox.new_user("Jan Nowak")),
    )
    meeting = CalendarItem(
        account=anna,
        folder=anna.calendar,
        subject="Inwentaryzacja magazynu Łódź",
        start=EWSDateTime(2026, 12, 28, 8, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 12, 28, 16, 0, tzinfo=WARSAW),
    )
    meeting.save()

    (data,) = anna.export([meeting])
    jan.upload([(jan.calendar, data)])

    (copy,) = jan.calendar.all()
    assert copy.subject == "Inwentaryzacja magazynu Łódź"
    assert copy.end - copy.start == dt.timedelta(hours=8)


def test_uploading_with_an_item_id_replaces_that_items_content(account: Account) -> None:
    original = _offer(account)
    (data,) = account.export([original])
    original.subject = "Zmieniony temat"
    original.save(update_fields=["subject"])

    account.upload([(account.inbox, ((original.id, original.changekey), False, data))])

    restored = account.inbox.get(id=original.id)
    assert restored.subject == "Oferta: chłodnia 40 palet, Gdynia → Rotterdam"


def test_uploading_over_an_item_that_is_gone_is_item_not_found(account: Account) -> None:
    original = _offer(account)
    (data,) = account.export([original])
    gone = (original.id, original.changekey)
    original.delete()

    (result,) = account.upload([(account.inbox, (gone, False, data))])

    assert isinstance(result, ErrorItemNotFound)


def test_data_that_was_not_exported_is_refused(account: Account) -> None:
    with pytest.raises(ErrorInvalidRequest):
        account.upload([(account.inbox, "bm90IGFuIGV4cG9ydA==")])

    assert list(account.inbox.all()) == []


# --- junk ----------------------------------------------------------------------------------


def test_marking_as_junk_moves_the_message_to_junk_email(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    sandbox.server.deliver(
        user.address,
        inbound("Gewinnspiel <gewinn@lotto-super.example>", user.address, "Sie haben gewonnen!"),
    )
    (spam,) = account.inbox.all()

    spam.mark_as_junk(is_junk=True, move_item=True)

    assert list(account.inbox.all()) == []
    assert [m.subject for m in account.junk.all()] == ["Sie haben gewonnen!"]


def test_a_blocked_sender_next_message_is_delivered_to_junk_email(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    spammer = "Gewinnspiel <gewinn@lotto-super.example>"
    sandbox.server.deliver(user.address, inbound(spammer, user.address, "Sie haben gewonnen!"))
    (spam,) = account.inbox.all()
    spam.mark_as_junk(is_junk=True, move_item=True)

    sandbox.server.deliver(user.address, inbound(spammer, user.address, "Letzte Chance!"))

    assert list(account.inbox.all()) == []
    assert sorted(m.subject for m in account.junk.all()) == [
        "Letzte Chance!",
        "Sie haben gewonnen!",
    ]


def test_not_junk_moves_the_message_back_and_trusts_the_sender(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    customer = "Hanna Schulz <h.schulz@nordsee-fisch.example>"
    sandbox.server.deliver(user.address, inbound(customer, user.address, "Bestellung 4711"))
    (order,) = account.inbox.all()
    order.mark_as_junk(is_junk=True, move_item=True)
    (in_junk,) = account.junk.all()

    in_junk.mark_as_junk(is_junk=False, move_item=True)
    sandbox.server.deliver(user.address, inbound(customer, user.address, "Bestellung 4712"))

    assert sorted(m.subject for m in account.inbox.all()) == ["Bestellung 4711", "Bestellung 4712"]


def test_marking_as_junk_without_moving_leaves_the_message_where_it_is(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    sandbox.server.deliver(
        user.address, inbound("promo@rabatt-welt.example", user.address, "Nur heute: -70 %")
    )
    (promo,) = account.inbox.all()

    promo.mark_as_junk(is_junk=True, move_item=False)

    assert [m.subject for m in account.inbox.all()] == ["Nur heute: -70 %"]


# --- archive -------------------------------------------------------------------------------


def test_archiving_without_an_archive_mailbox_is_refused_and_the_message_stays(
    account: Account,
) -> None:
    offer = _offer(account)

    # exchangelib 5.6 does not know this response code yet and raises it as a TransportError.
    with pytest.raises(TransportError, match="ErrorArchiveMailboxNotEnabled"):
        offer.archive(to_folder=account.inbox)

    assert [m.id for m in account.inbox.all()] == [offer.id]
