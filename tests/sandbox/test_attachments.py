"""Attachments through exchangelib: created with the item, added and removed later, fetched."""

from __future__ import annotations

from exchangelib import Account, FileAttachment, ItemAttachment, Message

from tests.sandbox.messages import inbound
from tests.support.sandbox import Sandbox, SandboxUser


def test_file_attachments_saved_with_a_message_come_back_with_their_content(
    account: Account,
) -> None:
    message = Message(account=account, folder=account.inbox, subject="Unterlagen")
    message.attach(
        [
            FileAttachment(name="angebot.pdf", content=b"%PDF-1.7 angebot"),
            FileAttachment(name="preise.csv", content=b"Artikel;Preis\nPalette;12,50\n"),
        ]
    )
    message.save()

    fetched = account.inbox.get(id=message.id)

    assert fetched.has_attachments
    assert [(a.name, a.content_type, a.size) for a in fetched.attachments] == [
        ("angebot.pdf", "application/pdf", 16),
        ("preise.csv", "text/csv", 28),
    ]
    assert fetched.attachments[1].content.decode() == "Artikel;Preis\nPalette;12,50\n"


def test_attaching_to_a_saved_item_changes_its_change_key(account: Account) -> None:
    message = Message(account=account, folder=account.inbox, subject="Nachreichung")
    message.save()
    before = message.changekey

    message.attach(FileAttachment(name="nachtrag.txt", content=b"Seite 2"))

    assert message.changekey != before
    assert [a.name for a in account.inbox.get(id=message.id).attachments] == ["nachtrag.txt"]


def test_detaching_removes_the_attachment(account: Account) -> None:
    message = Message(account=account, folder=account.inbox, subject="Falscher Anhang")
    attachment = FileAttachment(name="falsch.docx", content=b"PK\x03\x04")
    message.attach(attachment)
    message.save()

    message.detach(attachment)

    fetched = account.inbox.get(id=message.id)
    assert fetched.attachments == []
    assert not fetched.has_attachments


def test_an_item_attachment_keeps_the_embedded_message(account: Account) -> None:
    embedded = Message(account=account, subject="Ursprüngliche Anfrage", body="Bitte um Angebot.")
    message = Message(account=account, folder=account.inbox, subject="WG: Anfrage")
    message.attach(ItemAttachment(name="Ursprüngliche Anfrage", item=embedded))
    message.save()

    (attachment,) = account.inbox.get(id=message.id).attachments

    assert isinstance(attachment, ItemAttachment)
    assert attachment.item.subject == "Ursprüngliche Anfrage"


def test_a_received_message_attached_to_a_forward_keeps_its_parts(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    sandbox.server.deliver(
        user.address,
        inbound(
            "Ewa Zielińska <e.zielinska@baltic-cargo.example>",
            user.address,
            "Reklamacja dostawy 4711",
            "Towar dotarł uszkodzony.",
            attachment=("zdjecia.zip", b"PK\x03\x04zdjecia"),
        ),
    )
    (complaint,) = account.inbox.all()
    forward = Message(
        account=account,
        folder=account.drafts,
        subject="WG: Reklamacja dostawy 4711",
        to_recipients=["qualitaet@kowalski-logistik.example"],
    )
    forward.attach(ItemAttachment(name="Reklamacja dostawy 4711", item=complaint))
    forward.save()

    (attachment,) = account.drafts.get(id=forward.id).attachments
    embedded = attachment.item

    assert embedded.subject == "Reklamacja dostawy 4711"
    assert embedded.author.email_address == "e.zielinska@baltic-cargo.example"
    assert [r.email_address for r in embedded.to_recipients] == [user.address]
    assert "Towar dotarł uszkodzony." in embedded.body
    assert [(a.name, a.content) for a in embedded.attachments] == [
        ("zdjecia.zip", b"PK\x03\x04zdjecia")
    ]


def test_an_embedded_message_has_what_the_server_derives(account: Account) -> None:
    note = Message(account=account, subject="Notiz", body="Rückruf bei Hansa.")
    message = Message(account=account, folder=account.drafts, subject="Weiterleitung")
    message.attach(ItemAttachment(name="Notiz", item=note))
    message.save()

    embedded = account.drafts.get(id=message.id).attachments[0].item

    assert embedded.item_class == "IPM.Note"
    assert embedded.size > 0
    assert embedded.datetime_created is not None
    assert embedded.id is None
