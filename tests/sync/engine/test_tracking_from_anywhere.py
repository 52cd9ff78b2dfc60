"""Tracking by hand in Liaison, from another client through the category, and by folder."""

from __future__ import annotations

from collections.abc import Callable

from app.mailbox.models import MailFolder, MailItem, SyncLogEntry
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import MAIL_EVERYWHERE, Crm, cached_items, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
ACME = "biuro@acme-logistics.example"


def test_track_by_hand_marks_the_item_on_exchange_at_the_next_sync(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    deliver(LUKASZ, "Termin dostawy")
    engine.sync_once()
    (item,) = cached_items(workspace)
    assert item.tracking_state == "none"

    result = MailboxTracking(workspace).track(item.id, ("account", str(acme)))
    assert engine.status().pending_changes == 1
    engine.sync_once()

    assert result.regarding is not None and result.regarding.id == acme
    (seen,) = remote.items("inbox")
    assert seen.categories == ("Tracked to Liaison",)
    assert engine.status().pending_changes == 0


def test_untrack_by_hand_removes_the_category_and_keeps_the_activity(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Termin dostawy")
    engine.sync_once()
    (item,) = cached_items(workspace)

    MailboxTracking(workspace).untrack(item.id)
    engine.sync_once()

    (seen,) = remote.items("inbox")
    assert not seen.categories
    (activity,) = crm.email_activities()
    assert not activity.tracked and activity.untracked_by_hand
    assert cached_items(workspace)[0].tracking_state == "none"


@MAIL_EVERYWHERE
def test_a_category_added_on_a_phone_tracks_the_message_at_the_next_sync(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    assert cached_items(workspace)[0].tracking_state == "none"

    remote.set_categories("inbox", "Reklamacja dostawy 4711", ["Tracked to Liaison"])
    engine.sync_once()

    (item,) = cached_items(workspace)
    assert item.tracking_state == "tracked"
    (activity,) = crm.email_activities()
    assert activity.tracked and activity.tracked_how == "manual"
    assert activity.decision["reasons"][0] == {"why": "other-client", "name": "Tracked to Liaison"}


def test_a_category_removed_on_a_phone_untracks_but_keeps_the_activity(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()

    remote.set_categories("inbox", "Reklamacja dostawy 4711", [])
    engine.sync_once()

    assert cached_items(workspace)[0].tracking_state == "none"
    (activity,) = crm.email_activities()
    assert not activity.tracked
    engine.sync_once()
    assert not crm.email_activities()[0].tracked  # not tracked again by the automatic rules


def test_mail_filed_in_a_mapped_folder_is_tracked_regarding_its_record(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    remote.create_folder("Acme Logistics")
    deliver(LUKASZ, "Faktura 2026/10/17")
    engine.sync_once()
    with workspace.local.sessions() as session:
        mapped_id = session.query(MailFolder).filter_by(display_name="Acme Logistics").one().id
    MailboxTracking(workspace).map_folder(mapped_id, ("account", str(acme)))

    remote.move("inbox", "Faktura 2026/10/17", "Acme Logistics")
    engine.sync_once()

    with workspace.local.sessions() as session:
        (filed,) = session.query(MailItem).filter_by(folder_id=mapped_id).all()
        assert filed.tracking_state == "tracked"
        assert (filed.regarding_type, filed.regarding_id) == ("account", acme)
    (activity,) = crm.email_activities()
    assert activity.regarding_id == acme
    assert activity.decision["reasons"][0] == {"why": "folder", "name": "Acme Logistics"}


@MAIL_EVERYWHERE
def test_moving_a_tracked_message_keeps_its_activity_and_mark(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    message_id = deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    remote.create_folder("Archiwum 2026")

    remote.move("inbox", "Reklamacja dostawy 4711", "Archiwum 2026")
    engine.sync_once()

    (activity,) = crm.email_activities()
    assert activity.tracked and activity.message_id == message_id
    with workspace.local.sessions() as session:
        (moved,) = session.query(MailItem).filter_by(internet_message_id=message_id).all()
        assert moved.tracking_state == "tracked" and moved.activity_id == activity.id
    (in_archive,) = remote.items("Archiwum 2026")
    assert in_archive.categories == ("Tracked to Liaison",)

    # Moved back later: not evaluated again, still one activity.
    remote.move("Archiwum 2026", "Reklamacja dostawy 4711", "inbox")
    engine.sync_once()
    assert len(crm.email_activities()) == 1


@MAIL_EVERYWHERE
def test_a_lost_sync_state_rereads_the_folder_and_deletes_nothing(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    deliver(LUKASZ, "Faktura 2026/10/17")
    engine.sync_once()
    with workspace.local.sessions.begin() as session:
        inbox = session.query(MailFolder).filter_by(distinguished="inbox").one()
        inbox.sync_state = "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0rkg5a2xfN0Y4AAAA"

    report = engine.sync_once()

    assert report.ok, report.message
    items = cached_items(workspace)
    assert len(items) == 2
    assert all(item.tracking_state == "tracked" for item in items)
    assert len(crm.email_activities()) == 2
    with workspace.local.sessions() as session:
        assert session.query(SyncLogEntry).filter_by(kind="resync").count() == 1
