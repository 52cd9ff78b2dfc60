"""Sending and receiving: SendAndSaveCopy, SendOnly, drafts, delivery between mailboxes,
threading headers, mail to addresses that live elsewhere, and delivered .eml files."""

from __future__ import annotations

from exchangelib import Account, FileAttachment, HTMLBody, Mailbox, Message

from tests.support.sandbox import Sandbox, SandboxUser


def _pair(sandbox: Sandbox) -> tuple[SandboxUser, Account, SandboxUser, Account]:
    anna = sandbox.new_user("Anna Kowalska")
    jan = sandbox.new_user("Jan Nowak")
    return anna, sandbox.account(anna), jan, sandbox.account(jan)


def test_send_and_save_copy_files_in_sent_items_and_delivers_to_the_colleague(
    sandbox: Sandbox,
) -> None:
    anna, anna_account, jan, jan_account = _pair(sandbox)
    Message(
        account=anna_account,
        folder=anna_account.sent,
        subject="Lieferung für Baustelle Süd [LIA-1042]",
        body=HTMLBody("<p>Hallo Jan,<br>die Lieferung kommt Dienstag.</p>"),
        to_recipients=[Mailbox(email_address=jan.address)],
    ).send_and_save()

    (sent,) = anna_account.sent.all()
    (received,) = jan_account.inbox.all()

    assert sent.subject == received.subject == "Lieferung für Baustelle Süd [LIA-1042]"
    assert sent.message_id == received.message_id
    assert sent.message_id.startswith("<") and sent.message_id.endswith(">")
    assert sent.is_read and not received.is_read
    assert not sent.is_draft and not received.is_draft
    assert received.author.email_address == anna.address
    assert received.author.name == "Anna Kowalska"
    assert received.to_recipients[0].name == "Jan Nowak"
    assert received.conversation_id == sent.conversation_id
    assert received.datetime_received >= sent.datetime_sent


def test_a_delivered_message_carries_the_headers_a_server_adds(sandbox: Sandbox) -> None:
    _anna, anna_account, jan, jan_account = _pair(sandbox)
    Message(
        account=anna_account, subject="Rückfrage", body="Kurze Frage.", to_recipients=[jan.address]
    ).send(save_copy=False)

    (received,) = jan_account.inbox.all()
    header_names = [header.name for header in received.headers]
    mime = received.mime_content

    assert header_names.count("Received") == 2
    assert "Message-ID" in header_names
    assert "Return-Path" in header_names
    assert mime.startswith(b"Received: ")
    assert f"Delivered-To: {jan.address}".encode() in mime
    assert list(anna_account.sent.all()) == []


def test_a_draft_saved_then_sent_leaves_drafts_and_reaches_the_recipient(sandbox: Sandbox) -> None:
    _anna, anna_account, jan, jan_account = _pair(sandbox)
    draft = Message(
        account=anna_account, folder=anna_account.drafts, subject="Entwurf: Angebot", body="..."
    )
    draft.to_recipients = [jan.address]
    draft.save()
    assert anna_account.drafts.get(id=draft.id).is_draft

    draft.send()

    assert anna_account.drafts.all().count() == 0
    assert [m.subject for m in anna_account.sent.all()] == ["Entwurf: Angebot"]
    assert [m.subject for m in jan_account.inbox.all()] == ["Entwurf: Angebot"]


def test_a_reply_joins_the_conversation_of_the_message_it_answers(sandbox: Sandbox) -> None:
    _anna, anna_account, jan, jan_account = _pair(sandbox)
    Message(
        account=anna_account,
        subject="Preisanfrage",
        body="Bitte um Preise.",
        to_recipients=[jan.address],
    ).send_and_save()
    (question,) = jan_account.inbox.all()

    question.reply(subject="AW: Preisanfrage", body="Preise anbei.")

    (answer,) = anna_account.inbox.all()
    assert answer.in_reply_to == question.message_id
    assert answer.conversation_id == question.conversation_id
    assert answer.conversation_topic == "Preisanfrage"


def test_attachments_travel_with_the_message(sandbox: Sandbox) -> None:
    _anna, anna_account, jan, jan_account = _pair(sandbox)
    message = Message(
        account=anna_account, subject="Lieferschein", body="Anbei.", to_recipients=[jan.address]
    )
    message.attach(FileAttachment(name="lieferschein-1042.pdf", content=b"%PDF-1.4 fake"))
    message.send_and_save()

    (received,) = jan_account.inbox.all()

    assert received.has_attachments
    assert [(a.name, a.content) for a in received.attachments] == [
        ("lieferschein-1042.pdf", b"%PDF-1.4 fake")
    ]


def test_mail_to_an_outside_address_is_kept_as_outbound(sandbox: Sandbox, account: Account) -> None:
    Message(
        account=account,
        subject="Offer for Acme Logistics",
        body="Please find our offer.",
        to_recipients=["buyer@acme-logistics.example"],
    ).send(save_copy=False)

    outbound = [m for m in sandbox.server.outbound if b"Offer for Acme Logistics" in m.mime]
    assert [m.recipients for m in outbound] == [("buyer@acme-logistics.example",)]


def test_an_eml_file_is_delivered_as_received_mail(sandbox: Sandbox, user: SandboxUser) -> None:
    raw = (
        "From: Magdalena Wójcik <m.wojcik@hurtownia-wojcik.example>\r\n"
        f"To: {user.address}\r\n"
        "Subject: Zapytanie ofertowe – palety\r\n"
        "Date: Mon, 05 Oct 2026 08:30:00 +0200\r\n"
        "Message-ID: <zapytanie-77@hurtownia-wojcik.example>\r\n"
        "Sensitivity: Private\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Dzień dobry, prosimy o ofertę na 40 palet.\r\n"
    ).encode()
    sandbox.server.deliver(user.address, raw)

    (received,) = sandbox.account(user).inbox.all()

    assert received.subject == "Zapytanie ofertowe – palety"
    assert received.author.name == "Magdalena Wójcik"
    assert received.sensitivity == "Private"
    assert received.message_id == "<zapytanie-77@hurtownia-wojcik.example>"
    assert not received.is_read
