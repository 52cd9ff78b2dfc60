"""What every mail backend must do for a mail client: read state and flags, moving, copying,
junk, deleting for good, attachments, drafts and sending with everything a message carries.

BackendContract (contract.py) includes these tests, so each backend's module runs them against
its own server through the same `remote`, `backend` and `folders` fixtures.
"""

from __future__ import annotations

import uuid
from email.utils import make_msgid
from typing import Any

import pytest

from app.sync.backend import (
    AttachmentContent,
    DistinguishedFolder,
    FlagStatus,
    ItemKind,
    ItemRef,
    LinkState,
    MailBackend,
    OutgoingMessage,
    RemoteMark,
    StateChange,
    Transfer,
)
from app.sync.errors import ItemGone, MessageTooLarge
from app.tracking.model import Address
from tests.support.remote import Remote
from tests.sync.engine.conftest import mime

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
LUKASZ_ADDRESS = Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski")
PAGE = 512
OFFER_PDF = b"%PDF-1.4\n% Oferta na system sledzenia floty\n" + bytes(range(256)) * 40
PRICES_CSV = "pozycja;cena\nlicencja;1200,00\nwdrożenie;8000,00\n".encode()


def client_id() -> str:
    return uuid.uuid4().hex


class MailClientContract:
    remote: Any  # the fixtures come from BackendContract

    def delivered(
        self,
        backend: MailBackend,
        remote: Remote,
        folders: dict[DistinguishedFolder, str],
        subject: str,
        attachments: tuple[tuple[str, str, bytes], ...] = (),
    ) -> Any:
        """A message from Łukasz, as the backend first reports it in the Inbox."""
        remote.deliver(
            mime(
                LUKASZ,
                remote.user.address,
                subject,
                message_id=make_msgid(domain="acme-logistics.example"),
                attachments=attachments,
            )
        )
        created = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created
        (item,) = [item for item in created if item.subject == subject]
        return item

    def seen(self, remote: Remote, folder: str, subject: str) -> Any:
        (found,) = [item for item in remote.items(folder) if item.subject == subject]
        return found

    # Read state and flags

    def test_read_state_and_flag_are_written_as_every_client_reads_them(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Reklamacja dostawy 4711")

        results = backend.write_states(
            [StateChange(item.id, is_read=True, flag=FlagStatus.FLAGGED)]
        )

        assert isinstance(results[item.id], ItemRef)
        assert results[item.id].change_key != item.change_key
        seen = self.seen(remote, "inbox", "Reklamacja dostawy 4711")
        assert seen.is_read and seen.flag is FlagStatus.FLAGGED
        (read_back,) = backend.items(ItemKind.MESSAGE, [item.id]).values()
        assert read_back.is_read and read_back.flag is FlagStatus.FLAGGED

    def test_a_flag_completed_then_cleared_reads_back_each_time(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Termin dostawy")
        backend.write_states([StateChange(item.id, flag=FlagStatus.FLAGGED)])

        backend.write_states([StateChange(item.id, flag=FlagStatus.COMPLETE)])
        assert self.seen(remote, "inbox", "Termin dostawy").flag is FlagStatus.COMPLETE
        backend.write_states([StateChange(item.id, flag=FlagStatus.NONE, is_read=False)])

        seen = self.seen(remote, "inbox", "Termin dostawy")
        assert seen.flag is FlagStatus.NONE and not seen.is_read

    def test_a_flag_set_by_another_client_comes_with_the_next_changes(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.delivered(backend, remote, folders, "Zamówienie nr 77")
        inbox = folders[DistinguishedFolder.INBOX]
        state = self.synced_state(backend, inbox)

        remote.set_flag("inbox", "Zamówienie nr 77", FlagStatus.FLAGGED)

        page = backend.item_changes(inbox, ItemKind.MESSAGE, state, PAGE)
        (updated,) = page.updated
        assert updated.flag is FlagStatus.FLAGGED
        assert updated.modified_at is not None

    def synced_state(self, backend: MailBackend, folder_id: str) -> str:
        state = None
        while True:
            page = backend.item_changes(folder_id, ItemKind.MESSAGE, state, PAGE)
            state = page.sync_state
            if not page.more:
                return state

    def test_a_state_change_for_an_item_gone_fails_that_item_alone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        kept = self.delivered(backend, remote, folders, "Termin dostawy")
        gone = self.delivered(backend, remote, folders, "Reklamacja dostawy 4711")
        remote.delete("inbox", "Reklamacja dostawy 4711")

        results = backend.write_states(
            [StateChange(gone.id, is_read=True), StateChange(kept.id, is_read=True)]
        )

        assert isinstance(results[gone.id], ItemGone)
        assert isinstance(results[kept.id], ItemRef)
        assert self.seen(remote, "inbox", "Termin dostawy").is_read

    # Moving, copying, junk, deleting

    def test_a_moved_item_has_a_new_id_and_is_found_by_its_client_id_where_it_went(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Reklamacja dostawy 4711")
        deleted = folders[DistinguishedFolder.DELETED]
        stamp = client_id()

        results = backend.move_items([Transfer(item.id, deleted, stamp)])

        moved = results[item.id]
        assert isinstance(moved, ItemRef) and moved.id != item.id
        assert [i.subject for i in remote.items("deleteditems")] == ["Reklamacja dostawy 4711"]
        assert remote.items("inbox") == []
        found = backend.find_by_client_id(deleted, ItemKind.MESSAGE, stamp)
        assert found is not None and found.id == moved.id
        (again,) = backend.items(ItemKind.MESSAGE, [moved.id]).values()
        assert again.message_id == item.message_id

    def test_a_copy_leaves_the_original_and_carries_the_client_id(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        remote.create_folder("Acme Logistics")
        target = next(
            f.id for f in backend.folder_changes(None).changed if f.name == "Acme Logistics"
        )
        item = self.delivered(
            backend,
            remote,
            folders,
            "Oferta",
            attachments=(("oferta.pdf", "application/pdf", OFFER_PDF),),
        )
        stamp = client_id()

        copy = backend.copy_items([Transfer(item.id, target, stamp)])[item.id]

        assert isinstance(copy, ItemRef) and copy.id != item.id
        assert [i.subject for i in remote.items("inbox")] == ["Oferta"]
        (copied,) = remote.items("Acme Logistics")
        assert copied.attachments == ("oferta.pdf",)
        found = backend.find_by_client_id(target, ItemKind.MESSAGE, stamp)
        assert found is not None and found.id == copy.id

    def test_a_transfer_of_an_item_gone_fails_that_item_alone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        kept = self.delivered(backend, remote, folders, "Termin dostawy")
        gone = self.delivered(backend, remote, folders, "Reklamacja dostawy 4711")
        remote.delete("inbox", "Reklamacja dostawy 4711")
        deleted = folders[DistinguishedFolder.DELETED]

        results = backend.move_items(
            [Transfer(gone.id, deleted, client_id()), Transfer(kept.id, deleted, client_id())]
        )

        assert isinstance(results[gone.id], ItemGone)
        assert isinstance(results[kept.id], ItemRef)

    def test_junk_files_the_message_in_junk_email_and_the_senders_next_mail_too(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Promocja tylko dziś")
        junk = folders[DistinguishedFolder.JUNK]
        stamp = client_id()

        moved = backend.mark_junk([Transfer(item.id, junk, stamp)], is_junk=True)[item.id]

        assert isinstance(moved, ItemRef)
        assert [i.subject for i in remote.items("junkemail")] == ["Promocja tylko dziś"]
        found = backend.find_by_client_id(junk, ItemKind.MESSAGE, stamp)
        assert found is not None and found.id == moved.id
        remote.deliver(mime(LUKASZ, remote.user.address, "Kolejna promocja"))
        assert {i.subject for i in remote.items("junkemail")} == {
            "Promocja tylko dziś",
            "Kolejna promocja",
        }

    def test_not_junk_takes_the_message_back_to_the_inbox_and_trusts_its_sender(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Faktura 2026/10/117")
        junk = folders[DistinguishedFolder.JUNK]
        inbox = folders[DistinguishedFolder.INBOX]
        in_junk = backend.mark_junk([Transfer(item.id, junk, client_id())], is_junk=True)[item.id]
        assert isinstance(in_junk, ItemRef)

        back = backend.mark_junk([Transfer(in_junk.id, inbox, client_id())], is_junk=False)

        assert isinstance(back[in_junk.id], ItemRef)
        assert [i.subject for i in remote.items("inbox")] == ["Faktura 2026/10/117"]
        remote.deliver(mime(LUKASZ, remote.user.address, "Faktura 2026/10/118"))
        assert {i.subject for i in remote.items("inbox")} == {
            "Faktura 2026/10/117",
            "Faktura 2026/10/118",
        }

    def test_an_item_deleted_for_good_is_in_no_folder_and_a_second_delete_says_gone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(backend, remote, folders, "Stara oferta")

        assert backend.delete_permanently([item.id]) == {item.id: None}

        assert remote.items("inbox") == [] and remote.items("deleteditems") == []
        assert isinstance(backend.delete_permanently([item.id])[item.id], ItemGone)

    # Attachments

    def test_bodies_list_the_attachments_and_each_is_fetched_by_its_id(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(
            backend,
            remote,
            folders,
            "Oferta i cennik",
            attachments=(
                ("oferta.pdf", "application/pdf", OFFER_PDF),
                ("cennik.csv", "text/csv", PRICES_CSV),
            ),
        )
        assert item.has_attachments

        body = backend.bodies([item.id])[item.id]

        listed = {a.name: a for a in body.attachments}
        assert set(listed) == {"oferta.pdf", "cennik.csv"}
        assert listed["oferta.pdf"].content_type == "application/pdf"
        assert listed["oferta.pdf"].size and listed["oferta.pdf"].size >= len(OFFER_PDF)
        assert not listed["oferta.pdf"].inline
        content = backend.attachment_content(item.id, listed["oferta.pdf"].id)
        assert content.data == OFFER_PDF and content.name == "oferta.pdf"
        assert backend.attachment_content(item.id, listed["cennik.csv"].id).data == PRICES_CSV

    def test_an_attachment_of_an_item_gone_is_gone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        item = self.delivered(
            backend,
            remote,
            folders,
            "Oferta",
            attachments=(("oferta.pdf", "application/pdf", OFFER_PDF),),
        )
        (listed,) = backend.bodies([item.id])[item.id].attachments
        backend.delete_permanently([item.id])

        with pytest.raises(ItemGone):
            backend.attachment_content(item.id, listed.id)

    # Drafts and sending

    def test_a_draft_is_saved_with_its_bcc_and_attachments_then_changed(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        drafts = folders[DistinguishedFolder.DRAFTS]
        stamp = client_id()
        draft = OutgoingMessage(
            "Oferta – wersja robocza",
            (LUKASZ_ADDRESS,),
            bcc=(Address("archiwum@brightwave.example", "Archiwum"),),
            body_text="Dzień dobry, w załączeniu oferta.",
            attachments=(AttachmentContent("oferta.pdf", "application/pdf", OFFER_PDF),),
        )

        ref = backend.save_draft(drafts, draft, None, stamp)

        found = backend.find_by_client_id(drafts, ItemKind.MESSAGE, stamp)
        assert found is not None and found.id == ref.id
        (seen,) = remote.items("drafts")
        assert seen.bcc == ("archiwum@brightwave.example",)
        assert seen.attachments == ("oferta.pdf",)
        (created,) = backend.item_changes(drafts, ItemKind.MESSAGE, None, PAGE).created
        assert created.is_draft and created.bcc == draft.bcc

        changed = OutgoingMessage(
            "Oferta – wersja 2",
            (LUKASZ_ADDRESS,),
            body_text="Dzień dobry, w załączeniu oferta i cennik.",
            attachments=(AttachmentContent("cennik.csv", "text/csv", PRICES_CSV),),
        )
        again = backend.save_draft(drafts, changed, ref, client_id())

        assert again.id == ref.id and again.change_key != ref.change_key
        (seen,) = remote.items("drafts")
        assert seen.subject == "Oferta – wersja 2"
        assert seen.attachments == ("cennik.csv",) and seen.bcc == ()
        assert "cennik" in seen.body

    def test_a_message_goes_with_its_bcc_attachments_and_threading_headers(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        sent = folders[DistinguishedFolder.SENT]
        original = "<zapytanie-4711@acme-logistics.example>"
        message = OutgoingMessage(
            "RE: Zapytanie o wycenę",
            (LUKASZ_ADDRESS,),
            cc=(Address("biuro@acme-logistics.example", "Biuro Acme"),),
            bcc=(Address("archiwum@brightwave.example", "Archiwum"),),
            body_text="Dzień dobry, w załączeniu wycena.",
            body_html="<p>Dzień dobry, w załączeniu <b>wycena</b>.</p>",
            message_id=f"<{uuid.uuid4().hex}.liaison@brightwave.example>",
            attachments=(AttachmentContent("wycena.pdf", "application/pdf", OFFER_PDF),),
            in_reply_to=original,
            references=("<pierwsze@acme-logistics.example>", original),
        )
        stamp = client_id()

        backend.send(message, RemoteMark(client_id=stamp), sent)

        assert backend.find_sent(sent, stamp) is not None
        (seen,) = remote.items("sentitems")
        assert seen.message_id == message.message_id
        assert seen.in_reply_to == original
        assert seen.references == message.references
        assert seen.bcc == ("archiwum@brightwave.example",)
        assert seen.attachments == ("wycena.pdf",)
        assert remote.attachment("sentitems", message.subject, "wycena.pdf") == OFFER_PDF
        assert remote.outbound() == [message.subject]

    def test_an_unmarked_send_leaves_no_link_state_on_the_copy(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        sent = folders[DistinguishedFolder.SENT]
        message = OutgoingMessage("Obiad w piątek?", (LUKASZ_ADDRESS,), body_text="Może o 13?")

        backend.send(message, RemoteMark(client_id="client-lunch"), sent)

        (copy,) = backend.item_changes(sent, ItemKind.MESSAGE, None, PAGE).created
        assert copy.mark.link_state is None and copy.mark.client_id == "client-lunch"
        assert copy.categories == ()

    def test_the_servers_size_limit_is_reported_and_a_larger_message_refused(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        assert backend.message_size_limit() == 35 * 1024 * 1024  # Exchange's default
        remote.limit_send_size(200_000)
        assert backend.message_size_limit() == 200_000
        big = AttachmentContent("nagranie.wav", "audio/wav", b"\x00" * 160_000)
        message = OutgoingMessage(
            "Nagranie spotkania", (LUKASZ_ADDRESS,), body_text="W załączeniu.", attachments=(big,)
        )
        mark = RemoteMark(LinkState.PENDING, None, None, None, client_id())

        with pytest.raises(MessageTooLarge):
            backend.send(message, mark, folders[DistinguishedFolder.SENT])
