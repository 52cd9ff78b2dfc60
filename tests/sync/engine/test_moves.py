"""A message moved on the server while Liaison had a mark for it waiting: the mark follows it."""

from __future__ import annotations

from collections.abc import Callable

from exchangelib import Folder

from app.mailbox.models import MailFolder, MailItem, SyncLogEntry
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, cached_items

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
ACME = "biuro@acme-logistics.example"


def test_a_pending_mark_follows_its_message_into_the_folder_it_was_moved_to(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    message_id = deliver(LUKASZ, "Reklamacja dostawy 4711")
    phone = sandbox.account(mailbox)
    archive = Folder(parent=phone.inbox, name="Archiwum 2026")
    archive.save()
    assert engine.sync_once().ok
    (item,) = cached_items(workspace)
    MailboxTracking(workspace).track(item.id, ("account", str(acme)))
    (message,) = list(phone.inbox.all())
    message.move(archive)  # before Liaison wrote the mark

    report = engine.sync_once()

    assert report.ok, report.message
    assert report.marks_written == 1 and not report.skipped
    (moved,) = list(archive.all().only("categories"))
    assert moved.categories == ["Tracked to Liaison"]
    with workspace.local.sessions() as session:
        (copy,) = session.query(MailItem).filter_by(internet_message_id=message_id).all()
        folder = session.get(MailFolder, copy.folder_id)
        assert folder is not None and folder.display_name == "Archiwum 2026"
        assert (copy.tracking_state, copy.regarding_type, copy.regarding_id) == (
            "tracked",
            "account",
            acme,
        )
        assert copy.regarding_name == "Acme Logistics"
        assert session.query(SyncLogEntry).filter_by(kind="mark-skipped").count() == 0
    (activity,) = crm.email_activities()
    assert activity.tracked and activity.regarding_id == acme
    assert engine.status().pending_changes == 0


def test_a_pending_mark_for_a_message_deleted_on_the_server_says_it_left_the_mailbox(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    assert engine.sync_once().ok
    (item,) = cached_items(workspace)
    MailboxTracking(workspace).track(item.id)
    (message,) = list(sandbox.account(mailbox).inbox.all())
    message.delete()

    report = engine.sync_once()

    assert report.ok, report.message
    assert report.skipped == (
        "“Reklamacja dostawy 4711” left the mailbox before it could be marked; "
        "its activity stays in the CRM.",
    )
    assert cached_items(workspace) == []
    (activity,) = crm.email_activities()
    assert activity.tracked
    assert engine.status().pending_changes == 0
