"""What the user did to mail in Liaison (read, flag, move, copy, delete, junk, a draft, a new
email, a reply, a forward), then sync killed with SIGKILL at random moments and restarted: each
change reaches the Exchange item exactly once. And killed right after Exchange carried out a
move, a copy or a send but before Liaison heard: the next sync finds it done by its client id
and does not do it again. Both over EWS and over Microsoft Graph (the sandbox serves one store
through both; what reached the server is read through EWS either way)."""

from __future__ import annotations

import random
import signal
from collections import Counter
from pathlib import Path

import pytest
from exchangelib import Account, Folder
from sqlalchemy import select

from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import FlagStatus
from app.mailbox.replies import ResponseKind
from app.services.compose import ComposeService, EmailDraft
from app.services.mail_actions import MailActions
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import mime
from tests.sync.engine.profiles import (
    Profile,
    child_env,
    configure_account,
    finish,
    opened,
    start_sync,
)
from tests.sync.engine.test_kill_and_restart import kill_child_mid_sync, run_child

KILLS = 6
MESSAGES = 24
PDF = b"%PDF-1.4\n% Oferta\n" + bytes(range(256)) * 8


def prepare(sandbox: Sandbox, home: Path, over: str) -> tuple[SandboxUser, Profile]:
    """Anna's profile, synced over "ews" or "graph", with orders in her Inbox (one with a PDF)
    and two folders."""
    user = sandbox.new_user("Anna Nowak", domain="brightwave.example")
    for n in range(MESSAGES):
        attachments = (("oferta.pdf", "application/pdf", PDF),) if n == 0 else ()
        raw = mime(
            f"Klient {n} <klient{n}@firma{n}.example>",
            f"Anna Nowak <{user.address}>",
            f"Zamówienie nr {n}",
            message_id=f"<zamowienie-{n}@sklep.example>",
            attachments=attachments,
        )
        sandbox.server.deliver(user.address, raw)
    client = sandbox.account(user)
    for name in ("Acme Logistics", "Archiwum"):
        Folder(parent=client.inbox, name=name).save()
    with opened(home) as workspace:
        workspace.initialise(user.address, "Anna Nowak")
        env = child_env(home, configure_account(workspace, sandbox, user, over))
    assert run_child(env) == 0
    return user, Profile(home, user, env, over)


def ids(workspace: Workspace) -> dict[str, int]:
    with workspace.local.sessions() as session:
        return {row.subject: row.id for row in session.scalars(select(MailItem))}


def folder(workspace: Workspace, name: str) -> int:
    with workspace.local.sessions() as session:
        found = session.scalars(select(MailFolder).where(MailFolder.display_name == name)).one()
        return found.id


def act(home: Path, tmp_path: Path) -> None:
    """Everything a user does to mail in a morning, offline as far as the server knows."""
    with opened(home) as workspace:
        orders = ids(workspace)
        n = {number: orders[f"Zamówienie nr {number}"] for number in range(MESSAGES)}
        actions = MailActions(workspace)
        actions.mark_read([n[1], n[2], n[3], n[4]])
        actions.flag([n[5], n[6]], FlagStatus.FLAGGED)
        actions.flag([n[7]], FlagStatus.FLAGGED)
        actions.flag([n[7]], FlagStatus.COMPLETE)
        actions.move([n[8], n[9], n[10]], folder(workspace, "Acme Logistics"))
        actions.copy([n[11], n[12]], folder(workspace, "Archiwum"))
        actions.delete([n[13], n[14]])
        actions.delete([n[15]], permanently=True)
        actions.junk([n[16]])
        compose = ComposeService(workspace)
        offer = tmp_path / "oferta-robocza.pdf"
        offer.write_bytes(PDF)
        compose.save_draft(
            EmailDraft(("klient17@firma17.example",), (), "Oferta – szkic", "Szkic", files=(offer,))
        )
        compose.queue_email(
            EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Obiad w piątek?", "O 13?")
        )
        compose.queue_email(compose.respond(n[18], ResponseKind.REPLY, "Potwierdzam."))
        forward = compose.respond(n[0], ResponseKind.FORWARD, "Do wglądu.")
        compose.queue_email(EmailDraft(**{**vars_of(forward), "to": ("greta@mueller.example",)}))


def vars_of(draft: EmailDraft) -> dict[str, object]:
    return {name: getattr(draft, name) for name in EmailDraft.__dataclass_fields__}


def subjects(folder: object) -> Counter[str]:
    return Counter(item.subject for item in folder.all().only("subject"))  # type: ignore[attr-defined]


def check_exchange(client: Account) -> None:
    inbox = {
        m.subject: m for m in client.inbox.all().only("subject", "is_read", "mapi_flag_status")
    }
    acme, archive = (client.inbox / "Acme Logistics"), (client.inbox / "Archiwum")
    assert [s for s in (f"Zamówienie nr {n}" for n in (1, 2, 3, 4)) if not inbox[s].is_read] == []
    assert {inbox[f"Zamówienie nr {n}"].mapi_flag_status for n in (5, 6)} == {2}
    assert inbox["Zamówienie nr 7"].mapi_flag_status == 1
    assert subjects(acme) == Counter(f"Zamówienie nr {n}" for n in (8, 9, 10))
    assert subjects(archive) == Counter(f"Zamówienie nr {n}" for n in (11, 12))
    assert {f"Zamówienie nr {n}" for n in (11, 12)} <= set(inbox)
    assert subjects(client.trash) == Counter(f"Zamówienie nr {n}" for n in (13, 14))
    assert subjects(client.junk) == Counter(["Zamówienie nr 16"])
    gone = {f"Zamówienie nr {n}" for n in (8, 9, 10, 13, 14, 15, 16)}
    assert not gone & set(inbox)
    assert subjects(client.drafts) == Counter(["Oferta – szkic"])
    assert subjects(client.sent) == Counter(
        ["Obiad w piątek?", "RE: Zamówienie nr 18", "FW: Zamówienie nr 0"]
    )
    (forward,) = [m for m in client.sent.all() if m.subject == "FW: Zamówienie nr 0"]
    assert [a.name for a in forward.attachments] == ["oferta.pdf"]


def outbox_states(home: Path) -> Counter[str]:
    with opened(home) as workspace, workspace.local.sessions() as session:
        return Counter(entry.state for entry in session.scalars(select(OutboxEntry)))


@pytest.mark.slow
@pytest.mark.parametrize("over", ["ews", "graph"])
def test_mail_actions_reach_exchange_once_through_killed_syncs(
    sandbox: Sandbox, tmp_path: Path, over: str
) -> None:
    user, profile = prepare(sandbox, tmp_path / "anna", over)
    act(profile.home, tmp_path)
    waiting = outbox_states(profile.home)["pending"]

    rng = random.Random(20261208)
    cut_off = []
    for _ in range(KILLS):
        kill_child_mid_sync(profile.env, rng.randint(1, 4), rng.uniform(0, 0.03))
        cut_off.append(outbox_states(profile.home)["pending"])
    for _ in range(3):
        assert run_child(profile.env) == 0

    assert any(0 < left < waiting for left in cut_off), cut_off
    check_exchange(sandbox.account(user))
    assert set(outbox_states(profile.home)) == {"done"}


# The request whose answer is held: an EWS operation, or a Graph request (a write of read
# states, flags and client ids goes in a $batch of PATCHes; a move, a copy and a send are POSTs;
# a draft is made from MIME first and the client id stamped on it after: the draft saved (in
# the Drafts folder named by its id) and the draft a send sends (in the well-known "drafts").
CARRIED_OUT = [
    ("ews", "UpdateItem"),
    ("ews", "MoveItem"),
    ("ews", "CopyItem"),
    ("ews", "CreateItem"),
    ("graph", "POST /me/mailFolders/*/messages"),
    ("graph", "POST /me/mailFolders/drafts/messages"),
    ("graph", "PATCH /me/messages/*"),
    ("graph", "POST /me/messages/*/move"),
    ("graph", "POST /me/messages/*/copy"),
    ("graph", "POST /me/messages/*/send"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("over", "operation"), CARRIED_OUT)
def test_a_sync_killed_after_exchange_carried_out_a_change_does_not_do_it_twice(
    sandbox: Sandbox, tmp_path: Path, over: str, operation: str
) -> None:
    user, profile = prepare(sandbox, tmp_path / "anna", over)
    act(profile.home, tmp_path)

    sandbox.server.faults.hold_answers(count=1, operation=operation)
    child = start_sync(profile)
    try:
        assert sandbox.server.faults.wait_until_held(timeout=120)
        child.send_signal(signal.SIGKILL)  # Exchange has done it; Liaison never heard
        finish(child)
    finally:
        sandbox.server.faults.release()
    for _ in range(2):
        assert run_child(profile.env) == 0

    check_exchange(sandbox.account(user))
    assert set(outbox_states(profile.home)) == {"done"}


@pytest.mark.slow
def test_a_send_killed_after_its_draft_was_stamped_over_graph_is_sent_once_and_leaves_no_draft(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Graph sends a message as a draft made from its MIME, then stamped (PATCH), then sent:
    killed between the stamp and the send, the next sync sends that draft, not a second one."""
    user, profile = prepare(sandbox, tmp_path / "anna", "graph")
    with opened(profile.home) as workspace:
        ComposeService(workspace).queue_email(
            EmailDraft(("l.wisniewski@acme-logistics.example",), (), "Obiad w piątek?", "O 13?")
        )

    sandbox.server.faults.hold_answers(count=1, operation="PATCH /me/messages/*")
    child = start_sync(profile)
    try:
        assert sandbox.server.faults.wait_until_held(timeout=120)
        child.send_signal(signal.SIGKILL)  # the draft has its stamp; Liaison never heard
        finish(child)
    finally:
        sandbox.server.faults.release()
    client = sandbox.account(user)
    assert subjects(client.drafts) == Counter(["Obiad w piątek?"])  # stamped, not yet sent
    for _ in range(2):
        assert run_child(profile.env) == 0

    assert subjects(client.drafts) == Counter()
    assert subjects(client.sent) == Counter(["Obiad w piątek?"])
    assert set(outbox_states(profile.home)) == {"done"}
