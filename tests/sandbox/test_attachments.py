"""Attachments through exchangelib: created with the item, added and removed later, fetched."""

from __future__ import annotations

from exchangelib import Account, FileAttachment, ItemAttachment, Message


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
