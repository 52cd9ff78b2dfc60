"""What a mail client does to messages, made here at once and on Exchange at the next sync,
once: read state, flags, moves, copies, deletes, junk; and the same done in another client
showing here after a sync."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import FlagStatus
from app.services.mail_actions import MailActions
from app.sync.engine import SyncEngine
from app.sync.progress import Phase, SyncProgress
from app.sync.status import SyncState
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import BOTH, MAIL_EVERYWHERE, Crm, cached_items, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
GRETA = "Greta Schulz <greta.schulz@mueller-mb.example>"


def folder_id(workspace: Workspace, name: str) -> int:
    with workspace.local.sessions() as session:
        folder = session.scalars(
            select(MailFolder).where(
                (MailFolder.distinguished == name) | (MailFolder.display_name == name)
            )
        ).first()
        assert folder is not None, name
        return folder.id


def row(workspace: Workspace, item_id: int) -> MailItem:
    with workspace.local.sessions() as session:
        found = session.get(MailItem, item_id)
        assert found is not None
        return found


def items_in(workspace: Workspace, folder: int) -> list[MailItem]:
    with workspace.local.sessions() as session:
        return list(session.scalars(select(MailItem).where(MailItem.folder_id == folder)))


def pending(workspace: Workspace) -> list[str]:
    with workspace.local.sessions() as session:
        return [
            entry.kind
            for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.state == "pending"))
        ]


def one_in(remote: Remote, folder: str, subject: str) -> object:
    found = [item for item in remote.items(folder) if item.subject == subject]
    assert len(found) == 1, (folder, subject, [i.subject for i in remote.items(folder)])
    return found[0]


@MAIL_EVERYWHERE
def test_a_message_read_and_flagged_here_is_so_on_exchange_after_one_sync(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    (item,) = cached_items(workspace)
    actions = MailActions(workspace)

    assert actions.mark_read([item.id]) == 1
    assert actions.flag([item.id], FlagStatus.FLAGGED) == 1

    shown = row(workspace, item.id)
    assert shown.is_read and shown.flag_status == "flagged"
    with workspace.local.sessions() as session:
        assert session.get(MailFolder, item.folder_id).unread_count == 0  # type: ignore[union-attr]
    engine.sync_once()
    seen = one_in(remote, "inbox", "Reklamacja dostawy 4711")
    assert seen.is_read and seen.flag is FlagStatus.FLAGGED  # type: ignore[attr-defined]
    assert pending(workspace) == []
    assert row(workspace, item.id).flag_status == "flagged"


def test_read_and_flag_changes_made_offline_reach_exchange_when_it_is_back(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    engine.sync_once()
    (item,) = cached_items(workspace)
    actions = MailActions(workspace)
    remote.go_down()
    try:
        actions.mark_read([item.id])
        actions.flag([item.id], FlagStatus.FLAGGED)
        actions.flag([item.id], FlagStatus.COMPLETE)
        actions.mark_read([item.id], read=False)
        assert engine.sync_once().state is SyncState.OFFLINE
    finally:
        remote.come_back()

    assert engine.sync_once().ok

    seen = one_in(remote, "inbox", "Termin dostawy")
    assert not seen.is_read and seen.flag is FlagStatus.COMPLETE  # type: ignore[attr-defined]
    assert pending(workspace) == []


@MAIL_EVERYWHERE
def test_read_and_flagged_in_another_client_shows_here_after_a_sync(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Oferta na transport")
    engine.sync_once()

    remote.set_read("inbox", "Oferta na transport", True)
    remote.set_flag("inbox", "Oferta na transport", FlagStatus.FLAGGED)
    engine.sync_once()

    (item,) = cached_items(workspace)
    assert item.is_read and item.flag_status == "flagged"


def test_a_flag_changed_here_after_another_client_changed_it_wins(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Oferta na transport")
    engine.sync_once()
    (item,) = cached_items(workspace)

    remote.set_flag("inbox", "Oferta na transport", FlagStatus.COMPLETE)
    MailActions(workspace).flag([item.id], FlagStatus.FLAGGED)  # later
    engine.sync_once()

    assert one_in(remote, "inbox", "Oferta na transport").flag is FlagStatus.FLAGGED  # type: ignore[attr-defined]
    assert row(workspace, item.id).flag_status == "flagged"


def test_a_flag_changed_in_another_client_after_the_change_here_wins(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Oferta na transport")
    engine.sync_once()
    (item,) = cached_items(workspace)

    MailActions(workspace).flag([item.id], FlagStatus.FLAGGED)
    remote.set_flag("inbox", "Oferta na transport", FlagStatus.COMPLETE)  # later
    engine.sync_once()

    assert one_in(remote, "inbox", "Oferta na transport").flag is FlagStatus.COMPLETE  # type: ignore[attr-defined]
    assert row(workspace, item.id).flag_status == "complete"
    assert pending(workspace) == []


@MAIL_EVERYWHERE
def test_a_tracked_message_moved_here_keeps_its_row_its_tracking_and_its_activity(
    engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    remote.create_folder("Acme Logistics")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    (item,) = cached_items(workspace)
    assert item.tracking_state == "tracked"
    acme = folder_id(workspace, "Acme Logistics")

    assert MailActions(workspace).move([item.id], acme) == 1
    assert row(workspace, item.id).folder_id == acme  # at once
    engine.sync_once()
    engine.sync_once()

    assert remote.items("inbox") == []
    moved = one_in(remote, "Acme Logistics", "Reklamacja dostawy 4711")
    assert moved.categories == ("Tracked to Liaison",)  # type: ignore[attr-defined]
    kept = row(workspace, item.id)
    assert kept.folder_id == acme and kept.tracking_state == "tracked"
    assert kept.remote_id != item.remote_id
    with workspace.local.sessions() as session:
        assert len(list(session.scalars(select(MailItem)))) == 1
    assert len(crm.email_activities()) == 1
    assert pending(workspace) == []


@MAIL_EVERYWHERE
def test_a_message_moved_in_another_client_shows_in_its_new_folder_after_a_sync(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    remote.create_folder("Müller Maschinenbau")
    deliver(GRETA, "Angebot Wartungsvertrag")
    engine.sync_once()

    remote.move("inbox", "Angebot Wartungsvertrag", "Müller Maschinenbau")
    engine.sync_once()

    (moved,) = items_in(workspace, folder_id(workspace, "Müller Maschinenbau"))
    assert moved.subject == "Angebot Wartungsvertrag"
    assert cached_items(workspace) == []


@MAIL_EVERYWHERE
def test_delete_puts_a_tracked_message_in_deleted_items_and_its_activity_stays(
    engine: SyncEngine,
    workspace: Workspace,
    remote: Remote,
    crm: Crm,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    (item,) = cached_items(workspace)

    MailActions(workspace).delete([item.id])
    assert cached_items(workspace) == []
    engine.sync_once()

    one_in(remote, "deleteditems", "Reklamacja dostawy 4711")
    assert remote.items("inbox") == []
    (activity,) = crm.email_activities()
    assert activity.tracked
    assert row(workspace, item.id).tracking_state == "tracked"


@MAIL_EVERYWHERE
def test_deleting_from_deleted_items_deletes_for_good(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Stara oferta")
    engine.sync_once()
    (item,) = cached_items(workspace)
    actions = MailActions(workspace)
    actions.delete([item.id])
    engine.sync_once()

    actions.delete([item.id])
    engine.sync_once()

    assert remote.items("deleteditems") == [] and remote.items("inbox") == []
    assert cached_items(workspace, "deleteditems") == []
    assert pending(workspace) == []


@BOTH
def test_junk_then_not_junk_files_the_message_and_the_sender(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Promocja tylko dziś")
    engine.sync_once()
    (item,) = cached_items(workspace)
    actions = MailActions(workspace)

    actions.junk([item.id])
    engine.sync_once()
    one_in(remote, "junkemail", "Promocja tylko dziś")
    deliver(LUKASZ, "Jeszcze jedna promocja")
    engine.sync_once()
    assert {i.subject for i in cached_items(workspace, "junkemail")} == {
        "Promocja tylko dziś",
        "Jeszcze jedna promocja",
    }

    actions.not_junk([item.id])
    engine.sync_once()
    one_in(remote, "inbox", "Promocja tylko dziś")
    assert [i.subject for i in cached_items(workspace)] == ["Promocja tylko dziś"]
    assert pending(workspace) == []


@MAIL_EVERYWHERE
def test_a_copy_is_shown_at_once_and_made_once_on_exchange(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    remote.create_folder("Archiwum 2026")
    deliver(LUKASZ, "Umowa ramowa")
    engine.sync_once()
    (item,) = cached_items(workspace)
    archive = folder_id(workspace, "Archiwum 2026")

    (copy_id,) = MailActions(workspace).copy([item.id], archive)
    assert row(workspace, copy_id).folder_id == archive
    engine.sync_once()
    engine.sync_once()

    one_in(remote, "inbox", "Umowa ramowa")
    one_in(remote, "Archiwum 2026", "Umowa ramowa")
    with workspace.local.sessions() as session:
        assert len(list(session.scalars(select(MailItem)))) == 2
    assert not row(workspace, copy_id).remote_id.startswith("pending:")


def test_a_flag_set_here_on_a_message_moved_elsewhere_meanwhile_follows_it(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    remote.create_folder("Acme Logistics")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    engine.sync_once()
    (item,) = cached_items(workspace)

    remote.move("inbox", "Reklamacja dostawy 4711", "Acme Logistics")
    MailActions(workspace).flag([item.id], FlagStatus.FLAGGED)
    engine.sync_once()  # the flag finds the message gone, the pull finds it moved
    engine.sync_once()

    assert one_in(remote, "Acme Logistics", "Reklamacja dostawy 4711").flag is FlagStatus.FLAGGED  # type: ignore[attr-defined]
    (moved,) = items_in(workspace, folder_id(workspace, "Acme Logistics"))
    assert moved.flag_status == "flagged"
    assert pending(workspace) == []


def test_a_move_here_after_a_move_elsewhere_wins_and_the_message_ends_where_it_was_put_here(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    remote.create_folder("Acme Logistics")
    remote.create_folder("Archiwum")
    deliver(LUKASZ, "Umowa ramowa")
    engine.sync_once()
    (item,) = cached_items(workspace)

    remote.move("inbox", "Umowa ramowa", "Archiwum")
    MailActions(workspace).move([item.id], folder_id(workspace, "Acme Logistics"))  # later
    engine.sync_once()
    engine.sync_once()

    one_in(remote, "Acme Logistics", "Umowa ramowa")
    assert remote.items("Archiwum") == []
    (kept,) = items_in(workspace, folder_id(workspace, "Acme Logistics"))
    assert kept.subject == "Umowa ramowa"
    assert pending(workspace) == []


def test_a_message_deleted_elsewhere_before_a_change_here_leaves_nothing_waiting(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Stara oferta")
    engine.sync_once()
    (item,) = cached_items(workspace)

    remote.delete("inbox", "Stara oferta")
    MailActions(workspace).mark_read([item.id])
    report = engine.sync_once()

    assert report.ok and cached_items(workspace) == []
    assert pending(workspace) == []
    assert any("left the mailbox" in note for note in report.skipped)


def test_a_read_state_changed_here_during_a_sync_is_not_undone_by_the_pull(
    engine: SyncEngine, workspace: Workspace, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    engine.sync_once()
    (item,) = cached_items(workspace)
    remote.set_categories("inbox", "Termin dostawy", ["Pilne"])  # changed there: pulled again

    made: list[bool] = []

    def read_while_pulling(progress: SyncProgress) -> None:
        # Between the push and the pull of the Inbox: the pull then brings the message's
        # categories, and must leave the read state the user has just set.
        if progress.phase is Phase.FOLDERS and not made:
            made.append(MailActions(workspace).mark_read([item.id]) == 1)

    engine.sync_once(read_while_pulling)

    assert made == [True]
    assert row(workspace, item.id).is_read and row(workspace, item.id).categories == ["Pilne"]
    engine.sync_once()
    assert one_in(remote, "inbox", "Termin dostawy").is_read  # type: ignore[attr-defined]
