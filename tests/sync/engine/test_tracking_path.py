"""One path for every tracking change, as a user meets it: `liaison track|set-regarding|untrack`
on a message the mailbox has synced reaches its Exchange item at the next sync, as the window
does; replies are tracked whatever the order in which sync reads them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from exchangelib import Account, ExtendedProperty, Message
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from app.crm.models import EmailActivity
from app.mailbox.models import OutboxEntry
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.tracking.model import Address
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, cached_items, liaison, mime, set_options

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
LUKASZ_MAIL = Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski")
ACME = "biuro@acme-logistics.example"
CATEGORY = "Tracked to Liaison"
LIAISON_PROPERTIES = "3b8f5a1e-6c2d-4e7f-9a41-5d0c7e2b8f63"


class _LinkState(ExtendedProperty):
    """Liaison's mark as any other EWS client reads it: by property set and name."""

    property_set_id = LIAISON_PROPERTIES
    property_name = "LinkState"
    property_type = "Integer"


class _ActivityId(ExtendedProperty):
    property_set_id = LIAISON_PROPERTIES
    property_name = "ActivityId"
    property_type = "Integer"


class _Regarding(ExtendedProperty):
    property_set_id = LIAISON_PROPERTIES
    property_name = "Regarding"
    property_type = "String"


_MARK_FIELDS = {"seen_link_state": _LinkState, "seen_activity_id": _ActivityId,
                "seen_regarding": _Regarding}  # fmt: skip


def exchange_item(client: Account, subject: str) -> Message:
    """The message as Exchange holds it, with Liaison's mark read by another client."""
    for name, field in _MARK_FIELDS.items():
        Message.register(name, field)
    try:
        (found,) = [m for m in client.inbox.all().only("subject", "categories", *_MARK_FIELDS)
                    if m.subject == subject]  # fmt: skip
        return found
    finally:
        for name in _MARK_FIELDS:
            Message.deregister(name)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    def run(*argv: str) -> tuple[int, str, str]:
        return liaison(capsys, monkeypatch, *argv)

    return run


def delivered_file(sandbox: Sandbox, mailbox: SandboxUser, folder: Path, subject: str) -> Path:
    """A message delivered to the Inbox, and the same message saved as a .eml file."""
    raw = mime(LUKASZ, f"Anna Nowak <{mailbox.address}>", subject)
    sandbox.server.deliver(mailbox.address, raw)
    path = folder / "message.eml"
    path.write_bytes(raw)
    return path


def test_liaison_track_of_a_synced_message_marks_its_exchange_item_at_the_next_sync(
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    eml = delivered_file(sandbox, mailbox, tmp_path, "Termin dostawy palet")
    assert cli("sync", "--quiet")[0] == 0

    code, out, err = cli("track", str(eml), "--regarding", f"account:{acme}")

    assert code == 0, err
    tracked = json.loads(out)
    assert (tracked["state"], tracked["regarding"]["id"]) == ("tracked", acme)
    (item,) = cached_items(workspace)
    assert (tracked["item_id"], item.tracking_state) == (item.id, "tracked")
    code, out, _ = cli("sync")
    assert "1 marks written" in out
    seen = exchange_item(sandbox.account(mailbox), "Termin dostawy palet")
    assert seen.categories == [CATEGORY]
    assert (seen.seen_link_state, seen.seen_activity_id) == (2, tracked["activity_id"])
    assert seen.seen_regarding == f"account:{acme}"


def test_liaison_set_regarding_of_a_synced_message_changes_the_record_on_its_exchange_item(
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    lukasz = crm.contact("Łukasz", "Wiśniewski", LUKASZ_MAIL.email, acme)
    eml = delivered_file(sandbox, mailbox, tmp_path, "Reklamacja 4711")
    cli("sync", "--quiet")
    cli("track", str(eml), "--regarding", f"account:{acme}")
    cli("sync", "--quiet")

    code, out, err = cli("set-regarding", str(eml), "--regarding", f"contact:{LUKASZ_MAIL.email}")
    assert code == 0, err
    cli("sync", "--quiet")

    assert json.loads(out)["regarding"]["name"] == "Łukasz Wiśniewski"
    (activity,) = crm.email_activities()
    assert activity.regarding_id == lukasz
    assert cached_items(workspace)[0].regarding_id == lukasz
    seen = exchange_item(sandbox.account(mailbox), "Reklamacja 4711")
    assert (seen.categories, seen.seen_regarding) == ([CATEGORY], f"contact:{lukasz}")


def test_liaison_untrack_of_a_synced_message_removes_the_mark_and_keeps_the_activity(
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    set_options(workspace, track="all")
    eml = delivered_file(sandbox, mailbox, tmp_path, "Oferta na wózki widłowe")
    cli("sync", "--quiet")
    assert exchange_item(sandbox.account(mailbox), "Oferta na wózki widłowe").categories

    code, out, _ = cli("untrack", str(eml))
    cli("sync", "--quiet")
    cli("sync", "--quiet")  # and the automatic rules leave it alone after

    assert code == 0 and "removed from Exchange at the next sync" in out
    seen = exchange_item(sandbox.account(mailbox), "Oferta na wózki widłowe")
    assert (seen.categories, seen.seen_link_state) == (None, 0)
    (activity,) = crm.email_activities()
    assert not activity.tracked and activity.untracked_by_hand
    assert cached_items(workspace)[0].tracking_state == "none"


def test_liaison_untrack_delete_clears_the_mark_and_deletes_the_activity(
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    set_options(workspace, track="all")
    eml = delivered_file(sandbox, mailbox, tmp_path, "Newsletter październik")
    cli("sync", "--quiet")

    code, out, _ = cli("untrack", str(eml), "--delete")
    cli("sync", "--quiet")
    cli("sync", "--quiet")

    assert code == 0 and "deleted" in out
    assert crm.email_activities() == []
    seen = exchange_item(sandbox.account(mailbox), "Newsletter październik")
    assert not seen.categories
    (item,) = cached_items(workspace)
    assert (item.tracking_state, item.activity_id, item.tracking_rule) == (
        "none",
        None,
        "untracked",
    )


def test_liaison_track_finds_a_synced_message_by_its_message_id_alone(
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    message_id = deliver(LUKASZ, "Potwierdzenie odbioru")
    cli("sync", "--quiet")

    code, _, err = cli("track", "--message-id", message_id)
    cli("sync", "--quiet")

    assert code == 0, err
    assert exchange_item(sandbox.account(mailbox), "Potwierdzenie odbioru").categories == [CATEGORY]
    code, _, err = cli("track", "--message-id", "<nie-ma-takiej@acme-logistics.example>")
    assert code == 2 and "no message <nie-ma-takiej@acme-logistics.example> in the synced" in err


def reply(mailbox: SandboxUser, subject: str, **headers: str) -> bytes:
    """Łukasz's answer with only the threading headers given (In_Reply_To=..., References=...)."""
    message = EmailMessage()
    message["From"] = LUKASZ
    message["To"] = f"Anna Nowak <{mailbox.address}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<odp-{len(subject)}-{sorted(headers)}@acme-logistics.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Dzień dobry, dziękujemy za ofertę.\n")
    return message.as_bytes()


@pytest.mark.parametrize("how", ["token only", "In-Reply-To only", "References only"])
def test_a_reply_to_mail_sent_before_the_first_sync_is_tracked_regarding_its_record(
    how: str,
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    subject = MailboxTracking(workspace).send(
        [LUKASZ_MAIL], "Oferta: system śledzenia floty", "W załączeniu oferta.",
        regarding=("account", str(acme)),
    )  # fmt: skip
    engine.sync_once()  # a new profile: the first sync sends it at its very end
    (sent,) = list(sandbox.account(mailbox).sent.all().only("message_id", "subject"))
    headers = {
        "token only": {},
        "In-Reply-To only": {"In_Reply_To": sent.message_id},
        "References only": {"References": sent.message_id},
    }[how]
    answer = f"Odp: {subject}" if how == "token only" else "Odp: Oferta: system śledzenia floty"
    sandbox.server.deliver(mailbox.address, reply(mailbox, answer, **headers))

    engine.sync_once()  # reads the Inbox (the reply) before Sent Items (the offer)

    (item,) = cached_items(workspace)
    assert (item.tracking_state, item.regarding_type, item.regarding_id) == (
        "tracked",
        "account",
        acme,
    )
    activities = {a.subject: a for a in crm.email_activities()}
    assert activities[answer].regarding_id == acme
    assert activities[subject].message_id == sent.message_id
    assert len(activities) == 2


def test_a_reply_read_before_its_original_is_tracked_once_the_original_is(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    original = mime(LUKASZ, mailbox.address, "Zapytanie o wynajem regałów",
                    message_id="<zapytanie-77@acme-logistics.example>")  # fmt: skip
    sandbox.server.deliver(mailbox.address, original)
    sandbox.server.deliver(
        mailbox.address,
        reply(mailbox, "Re: Zapytanie o wynajem regałów",
              In_Reply_To="<zapytanie-77@acme-logistics.example>"),
    )  # fmt: skip
    engine.sync_once()
    assert {item.tracking_state for item in cached_items(workspace)} == {"none"}

    code, _, err = cli("track", "--message-id", "<zapytanie-77@acme-logistics.example>",
                       "--regarding", f"account:{acme}")  # fmt: skip
    engine.sync_once()

    assert code == 0, err
    states = {
        item.subject: (item.tracking_state, item.regarding_id) for item in cached_items(workspace)
    }
    assert states == {
        "Zapytanie o wynajem regałów": ("tracked", acme),
        "Re: Zapytanie o wynajem regałów": ("tracked", acme),
    }
    with workspace.crm.sessions() as session:
        answer = (
            session.query(EmailActivity).filter_by(subject="Re: Zapytanie o wynajem regałów").one()
        )
        assert (answer.rule, answer.decision["reasons"][0]["why"]) == ("in-reply-to", "reply")
    assert exchange_item(
        sandbox.account(mailbox), "Re: Zapytanie o wynajem regałów"
    ).categories == [CATEGORY]


def fail_local_cache_writes(workspace: Workspace) -> Callable[[], None]:
    """The local state refuses to change a cached item (as a crash or a full disk would, right
    after the CRM write); returns what lifts it."""
    with workspace.local.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_item_updates BEFORE UPDATE ON mail_items "
                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
            )
        )

    def lift() -> None:
        with workspace.local.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER refuse_item_updates"))

    return lift


def test_a_track_cut_off_after_its_crm_write_is_finished_by_the_next_sync_once(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    deliver(LUKASZ, "Zamówienie palet EUR")
    engine.sync_once()
    (item,) = cached_items(workspace)
    lift = fail_local_cache_writes(workspace)

    with pytest.raises(SQLAlchemyError):
        MailboxTracking(workspace).track(item.id, ("account", str(acme)))
    lift()

    (activity,) = crm.email_activities()  # the CRM has it, the cache does not know yet
    assert cached_items(workspace)[0].tracking_state == "none"
    engine.sync_once()

    assert [a.id for a in crm.email_activities()] == [activity.id]
    (item,) = cached_items(workspace)
    assert (item.tracking_state, item.activity_id, item.regarding_id) == (
        "tracked",
        activity.id,
        acme,
    )
    seen = exchange_item(sandbox.account(mailbox), "Zamówienie palet EUR")
    assert (seen.categories, seen.seen_regarding) == ([CATEGORY], f"account:{acme}")
    with workspace.local.sessions() as session:
        assert {e.state for e in session.scalars(select(OutboxEntry))} == {"done"}


def test_an_email_whose_activity_the_crm_refused_when_queued_is_sent_once_and_tracked_once(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    with workspace.crm.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_activities BEFORE INSERT ON email_activities "
                "BEGIN SELECT RAISE(ABORT, 'the CRM refuses new activities'); END"
            )
        )
    subject = MailboxTracking(workspace).send(
        [LUKASZ_MAIL], "Potwierdzenie terminu", "Do zobaczenia w czwartek.",
        regarding=("account", str(acme)),
    )  # fmt: skip
    assert crm.email_activities() == []
    with workspace.crm.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_activities"))

    engine.sync_once()
    engine.sync_once()

    assert [m.subject for m in sandbox.account(mailbox).sent.all()] == [subject]
    (activity,) = crm.email_activities()
    assert (activity.subject, activity.regarding_id, activity.tracked) == (subject, acme, True)


def test_mail_sent_under_another_message_id_than_liaison_gave_it_keeps_one_activity(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
) -> None:
    """A server may give a sent message its own Message-ID: the activity stored when the mail
    was queued is found by the send's client id on the mark, takes the server's Message-ID, and
    a reply that names it is tracked, in the same sync that reads it first."""
    acme = crm.account("Acme Logistics", ACME)
    subject = MailboxTracking(workspace).send(
        [LUKASZ_MAIL], "Harmonogram dostaw 2027", "W załączeniu harmonogram.",
        regarding=("account", str(acme)),
    )  # fmt: skip
    engine.sync_once()
    (sent,) = list(sandbox.account(mailbox).sent.all().only("message_id"))
    given = "<nadany-przez-liaison@brightwave.example>"
    with workspace.crm.sessions.begin() as session:
        session.query(EmailActivity).one().message_id = given
    with workspace.local.sessions.begin() as session:
        send = session.query(OutboxEntry).filter_by(kind="send").one()
        send.payload = {**send.payload, "message_id": given}
    answer = "Odp: Harmonogram dostaw"  # no token: only In-Reply-To names the offer
    sandbox.server.deliver(mailbox.address, reply(mailbox, answer, In_Reply_To=sent.message_id))

    engine.sync_once()

    activities = {a.message_id: a for a in crm.email_activities()}
    assert len(crm.email_activities()) == 2
    assert activities[sent.message_id].subject == subject
    (answered,) = [a for a in activities.values() if a.subject == answer]
    assert answered.regarding_id == acme
