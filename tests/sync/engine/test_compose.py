"""Writing mail in Liaison: new messages, replies and forwards, drafts, attachments, and
tracking as Dynamics does it (a reply to a tracked message is tracked like it; a new email only
when asked)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.crm.models import EmailActivity
from app.crm.search import RecordKey
from app.mailbox.models import EvaluatedMessage, MailItem, OutboxEntry
from app.mailbox.replies import ResponseKind
from app.services.addresses import AddressBook
from app.services.attachments import AttachmentService
from app.services.compose import ComposeService, EmailDraft
from app.services.errors import ServiceError
from app.services.mail_actions import MailActions
from app.sync.engine import SyncEngine
from app.tracking.model import Address, RecordType
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import BOTH, MAIL_EVERYWHERE, Crm, cached_items, mime, set_options

OCT_1, OCT_5, OCT_7, OCT_9 = (datetime(2026, 10, day, 9, 30, tzinfo=UTC) for day in (1, 5, 7, 9))
LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
OFFER_PDF = b"%PDF-1.4\n% Oferta: system sledzenia floty\n" + bytes(range(256)) * 64


def activities_for(crm: Crm, message_id: str | None) -> list[EmailActivity]:
    return [a for a in crm.email_activities() if a.message_id == message_id]


def waiting(workspace: Workspace) -> list[OutboxEntry]:
    with workspace.local.sessions() as session:
        return list(session.scalars(select(OutboxEntry).where(OutboxEntry.state == "pending")))


@MAIL_EVERYWHERE
def test_a_new_email_without_track_reaches_sent_items_without_a_token_or_an_activity(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    crm.account("Acme Logistics", "biuro@acme-logistics.example")
    engine.sync_once()
    compose = ComposeService(workspace)
    draft = EmailDraft(
        to=("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>",),
        cc=(),
        subject="Obiad w piątek?",
        body="Cześć Łukasz, może obiad w piątek o 13?",
    )

    queued = compose.queue_email(draft)

    assert not queued.tracking.track and queued.subject == "Obiad w piątek?"
    (in_outbox,) = cached_items(workspace, "outbox")
    assert in_outbox.subject == "Obiad w piątek?"
    engine.sync_once()
    engine.sync_once()
    (copy,) = remote.items("sentitems")
    assert copy.subject == "Obiad w piątek?" and copy.categories == ()
    assert remote.outbound() == ["Obiad w piątek?"]
    (sent,) = cached_items(workspace, "sentitems")
    assert sent.tracking_state == "none"
    assert crm.email_activities() == []
    assert cached_items(workspace, "outbox") == []
    assert waiting(workspace) == []


def test_a_new_email_is_tracked_when_the_user_sets_track_new_email(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    set_options(workspace, track_new_email="on")
    engine.sync_once()

    queued = ComposeService(workspace).queue_email(
        EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Oferta", "W załączeniu.")
    )
    engine.sync_once()
    engine.sync_once()

    assert queued.tracking.track and queued.subject.startswith("Oferta CRM:")
    (activity,) = crm.email_activities()
    assert activity.subject == queued.subject and activity.tracked


@MAIL_EVERYWHERE
def test_a_reply_to_a_tracked_message_is_tracked_regarding_the_same_record_and_keeps_its_token(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    engine.sync_once()
    offer = (
        ComposeService(workspace)
        .queue_email(
            EmailDraft(
                ("l.wisniewski@acme-logistics.example",),
                (),
                "Oferta: system śledzenia floty",
                "W załączeniu oferta.",
                regarding=RecordKey(RecordType.ACCOUNT, acme),
            )
        )
        .subject
    )
    engine.sync_once()
    token = offer.rsplit(" ", 1)[1]
    question = make_msgid(domain="acme-logistics.example")
    remote.deliver(
        mime(
            LUKASZ,
            remote.user.address,
            f"RE: {offer}",
            message_id=question,
            body="Ile kosztuje wdrożenie?",
        )
    )
    engine.sync_once()
    (incoming,) = cached_items(workspace)
    assert incoming.tracking_state == "tracked" and incoming.regarding_id == acme
    compose = ComposeService(workspace)

    reply = compose.respond(incoming.id, ResponseKind.REPLY, "Wdrożenie: 8 000 zł.", "pl")
    queued = compose.queue_email(reply)
    engine.sync_once()
    engine.sync_once()

    assert queued.tracking.track and queued.tracking.regarding is not None
    assert queued.subject == f"Odp: {offer}" and queued.subject.endswith(token)
    sent = [s for s in remote.items("sentitems") if s.subject == queued.subject]
    (copy,) = sent
    assert copy.in_reply_to == question
    assert copy.references[-1] == question
    assert "Wdrożenie: 8 000 zł." in copy.body and "Ile kosztuje wdrożenie?" in copy.body
    row = next(r for r in cached_items(workspace, "sentitems") if r.subject == queued.subject)
    assert row.tracking_state == "tracked" and (row.regarding_type, row.regarding_id) == (
        "account",
        acme,
    )
    (activity,) = activities_for(crm, row.internet_message_id)
    assert activity.regarding_id == acme


def delivered_offer(remote: Remote, engine: SyncEngine, workspace: Workspace) -> MailItem:
    """Łukasz's offer with a PDF, synced."""
    remote.deliver(
        mime(
            LUKASZ,
            remote.user.address,
            "Oferta na transport",
            attachments=(("oferta.pdf", "application/pdf", OFFER_PDF),),
        )
    )
    engine.sync_once()
    (item,) = cached_items(workspace)
    return item


@BOTH
def test_a_forward_carries_the_originals_attachments(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    original = delivered_offer(remote, engine, workspace)
    compose = ComposeService(workspace)

    forward = compose.respond(original.id, ResponseKind.FORWARD, "Do wglądu.")
    forward = EmailDraft(**{**_fields(forward), "to": ("Greta Schulz <greta@mueller-mb.example>",)})
    queued = compose.queue_email(forward)
    engine.sync_once()

    assert queued.subject == "FW: Oferta na transport"
    (copy,) = remote.items("sentitems")
    assert copy.attachments == ("oferta.pdf",)
    assert remote.attachment("sentitems", queued.subject, "oferta.pdf") == OFFER_PDF
    assert "-----Original Message-----" in copy.body and "Do wglądu." in copy.body


@MAIL_EVERYWHERE
def test_a_message_goes_with_bcc_and_an_attached_file(
    engine: SyncEngine, workspace: Workspace, remote: Remote, tmp_path: Path
) -> None:
    engine.sync_once()
    prices = tmp_path / "cennik 2027.csv"
    prices.write_text("pozycja;cena\nlicencja;1200,00\n", encoding="utf-8")

    ComposeService(workspace).queue_email(
        EmailDraft(
            to=("l.wisniewski@acme-logistics.example",),
            cc=(),
            bcc=("Archiwum <archiwum@brightwave.example>",),
            subject="Cennik 2027",
            body="W załączeniu cennik.",
            files=(prices,),
        )
    )
    prices.unlink()  # the message goes as it was written, whatever becomes of the file
    engine.sync_once()

    (copy,) = remote.items("sentitems")
    assert copy.bcc == ("archiwum@brightwave.example",)
    assert copy.attachments == ("cennik 2027.csv",)
    assert remote.attachment("sentitems", "Cennik 2027", "cennik 2027.csv").startswith(
        b"pozycja;cena"
    )


def test_a_message_over_the_servers_limit_is_refused_before_it_is_queued(
    engine: SyncEngine, workspace: Workspace, remote: Remote, tmp_path: Path
) -> None:
    remote.limit_send_size(100_000)
    engine.sync_once()
    recording = tmp_path / "nagranie.wav"
    recording.write_bytes(b"\x00" * 90_000)
    compose = ComposeService(workspace)
    draft = EmailDraft(
        ("l.wisniewski@acme-logistics.example",),
        (),
        "Nagranie",
        "W załączeniu.",
        files=(recording,),
    )

    assert compose.size_limit() == 100_000
    with pytest.raises(ServiceError, match=r"is 0\.1 MB as sent; the server accepts at most"):
        compose.queue_email(draft)
    assert waiting(workspace) == []


@MAIL_EVERYWHERE
def test_a_draft_is_saved_reopened_changed_and_sent_from_drafts(
    engine: SyncEngine, workspace: Workspace, remote: Remote, tmp_path: Path
) -> None:
    engine.sync_once()
    offer = tmp_path / "oferta.pdf"
    offer.write_bytes(OFFER_PDF)
    compose = ComposeService(workspace)

    draft_id = compose.save_draft(
        EmailDraft(
            ("l.wisniewski@acme-logistics.example",),
            (),
            "Oferta – szkic",
            "Dzień dobry,",
            files=(offer,),
        )
    )
    assert [i.subject for i in cached_items(workspace, "drafts")] == ["Oferta – szkic"]
    engine.sync_once()
    (on_server,) = remote.items("drafts")
    assert on_server.attachments == ("oferta.pdf",)

    reopened = compose.open_draft(draft_id)
    assert reopened.subject == "Oferta – szkic" and reopened.body == "Dzień dobry,"
    assert [c.name for c in reopened.carried] == ["oferta.pdf"]
    changed = EmailDraft(
        **{**_fields(reopened), "subject": "Oferta", "body": "Dzień dobry, oto oferta."}
    )
    assert compose.save_draft(changed) == draft_id
    engine.sync_once()
    (on_server,) = remote.items("drafts")
    assert on_server.subject == "Oferta" and on_server.attachments == ("oferta.pdf",)

    compose.queue_email(compose.open_draft(draft_id))
    engine.sync_once()
    engine.sync_once()

    assert remote.items("drafts") == []
    (sent,) = remote.items("sentitems")
    assert sent.subject == "Oferta" and sent.attachments == ("oferta.pdf",)
    assert remote.attachment("sentitems", "Oferta", "oferta.pdf") == OFFER_PDF
    assert cached_items(workspace, "drafts") == [] and cached_items(workspace, "outbox") == []
    assert waiting(workspace) == []


def test_deleting_a_message_waiting_in_the_outbox_cancels_its_sending(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    engine.sync_once()
    queued = ComposeService(workspace).queue_email(
        EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Pomyłka", "Nie wysyłać.")
    )
    assert queued.item_id is not None

    MailActions(workspace).delete([queued.item_id])
    engine.sync_once()

    assert remote.items("sentitems") == [] and remote.outbound() == []
    assert waiting(workspace) == []


@MAIL_EVERYWHERE
def test_attachments_are_listed_after_a_sync_fetched_once_and_saved_under_safe_names(
    engine: SyncEngine, workspace: Workspace, remote: Remote, tmp_path: Path
) -> None:
    remote.deliver(
        mime(
            LUKASZ,
            remote.user.address,
            "Dokumenty",
            attachments=(
                ("oferta.pdf", "application/pdf", OFFER_PDF),
                ("../../.bashrc", "text/plain", b"echo pwned\n"),
            ),
        )
    )
    engine.sync_once()
    (item,) = cached_items(workspace)
    service = AttachmentService(workspace)
    service.engine_settings = engine.settings

    listed = service.attachments(item.id)

    assert [a.name for a in listed] == ["oferta.pdf", "../../.bashrc"]
    assert listed[0].content_type == "application/pdf" and not listed[0].inline
    saved = service.save_attachments(item.id, tmp_path)
    assert [p.name for p in saved] == ["oferta.pdf", ".bashrc"]
    assert all(p.parent == tmp_path for p in saved)
    assert saved[0].read_bytes() == OFFER_PDF
    remote.go_down()  # kept in the profile's cache: no server needed the second time
    try:
        again = service.save_attachment(item.id, 0, tmp_path)
    finally:
        remote.come_back()
    assert again.name == "oferta (2).pdf" and again.read_bytes() == OFFER_PDF


def _fields(draft: EmailDraft) -> dict[str, object]:
    return {name: getattr(draft, name) for name in EmailDraft.__dataclass_fields__}


def test_addresses_complete_from_the_crm_first_then_from_recent_mail(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    crm.contact("Łucja", "Kamińska", "l.kaminska@acme-logistics.example", acme)
    remote.deliver(mime(LUKASZ, remote.user.address, "Zapytanie o palety"))
    remote.deliver(
        mime("Greta Schulz <greta.schulz@mueller-mb.example>", remote.user.address, "Angebot")
    )
    engine.sync_once()
    book = AddressBook(workspace)

    found = book.complete_addresses("łu")

    assert [(s.address.email, s.detail) for s in found] == [
        ("l.kaminska@acme-logistics.example", found[0].detail),
        ("l.wisniewski@acme-logistics.example", "recent"),
    ]
    assert found[0].record is not None and found[0].address.name == "Łucja Kamińska"
    assert [s.address.name for s in book.complete_addresses("schulz")] == ["Greta Schulz"]
    assert [s.address.email for s in book.complete_addresses("acme")] == [
        "biuro@acme-logistics.example",
        "l.kaminska@acme-logistics.example",
    ]
    assert book.complete_addresses("  ") == []


def test_a_correspondent_is_offered_under_the_name_of_their_newest_mail(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    greta = "greta.schulz@mueller-mb.example"
    remote.deliver(mime(f"Greta Schulz <{greta}>", remote.user.address, "Angebot", sent=OCT_5))
    engine.sync_once()
    remote.deliver(mime(f"Greta Weber <{greta}>", remote.user.address, "Neues Angebot", sent=OCT_7))
    remote.deliver(mime(f"G. Schulz <{greta}>", remote.user.address, "Alte Rechnung", sent=OCT_1))
    engine.sync_once()
    remote.deliver(mime(greta, remote.user.address, "Ohne Namen", sent=OCT_9))
    engine.sync_once()

    (found,) = AddressBook(workspace).complete_addresses("greta")

    assert found.address == Address(greta, "Greta Weber")
    assert [s.address.email for s in AddressBook(workspace).complete_addresses("weber")] == [greta]


def test_whom_the_user_wrote_to_is_offered_after_the_sent_copy_is_synced(
    engine: SyncEngine, workspace: Workspace, remote: Remote
) -> None:
    engine.sync_once()
    ComposeService(workspace).queue_email(
        EmailDraft(("Jan Kowalski <jan.kowalski@nova-retail.example>",), (), "Spotkanie", "Wtorek?")
    )
    engine.sync_once()
    engine.sync_once()

    (found,) = AddressBook(workspace).complete_addresses("kowal")

    assert found.address == Address("jan.kowalski@nova-retail.example", "Jan Kowalski")


@MAIL_EVERYWHERE
def test_an_untracked_email_stays_untracked_when_every_sent_item_is_evaluated(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    set_options(workspace, track="all", track_sent="on")
    engine.sync_once()

    ComposeService(workspace).queue_email(
        EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Obiad w piątek?", "O 13?")
    )
    engine.sync_once()
    engine.sync_once()

    (sent,) = cached_items(workspace, "sentitems")
    assert sent.tracking_state == "none" and crm.email_activities() == []
    assert remote.items("sentitems")[0].categories == ()


def test_a_tracked_email_has_its_activity_and_message_id_from_the_moment_it_is_queued(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    engine.sync_once()

    queued = ComposeService(workspace).queue_email(
        EmailDraft(
            ("l.wisniewski@acme-logistics.example",),
            (),
            "Harmonogram dostaw",
            "W załączeniu harmonogram.",
            regarding=RecordKey(RecordType.ACCOUNT, acme),
        )
    )

    (send,) = waiting(workspace)
    (activity,) = crm.email_activities()
    assert (activity.subject, activity.regarding_id) == (queued.subject, acme)
    assert activity.message_id == send.payload["message_id"]
    engine.sync_once()
    engine.sync_once()
    (copy,) = remote.items("sentitems")
    assert copy.message_id == send.payload["message_id"]
    assert [a.id for a in crm.email_activities()] == [activity.id]


def test_an_untracked_email_stays_untracked_under_another_message_id_than_liaison_gave_it(
    engine: SyncEngine, workspace: Workspace, remote: Remote, crm: Crm
) -> None:
    """A server may give a sent message its own Message-ID: the copy is still known as sent
    untracked, by the send's client id on it."""
    set_options(workspace, track="all", track_sent="on")
    engine.sync_once()
    ComposeService(workspace).queue_email(
        EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Obiad w piątek?", "O 13?")
    )
    with workspace.local.sessions.begin() as session:
        # What Liaison remembers is not the Message-ID the copy in Sent Items will carry.
        (memory,) = session.scalars(select(EvaluatedMessage))
        memory.message_id = "<nadany-przez-liaison@brightwave.example>"

    engine.sync_once()
    engine.sync_once()

    (sent,) = cached_items(workspace, "sentitems")
    assert sent.tracking_state == "none" and crm.email_activities() == []
    assert remote.items("sentitems")[0].categories == ()
