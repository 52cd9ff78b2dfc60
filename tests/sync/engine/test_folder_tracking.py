"""Folder-level tracking and "once per message", as the reference behaves: up to 25 folders
under the Inbox map to a record, the folder's rule wins over a regarding set by hand, and a
message the pipeline has decided is never decided again when it comes back into the Inbox."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from exchangelib import Account, Folder

from app.crm.errors import CrmError
from app.mailbox.models import MailFolder, MailItem
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, cached_items, liaison, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
ACME = "biuro@acme-logistics.example"


def _folder_id(workspace: Workspace, name: str) -> int:
    with workspace.local.sessions() as session:
        return session.query(MailFolder).filter_by(display_name=name).one().id


def test_at_most_25_folders_under_the_inbox_track_mail(
    engine: SyncEngine, workspace: Workspace, crm: Crm, remote: Remote
) -> None:
    customers = [f"Klient {number:02d}" for number in range(1, 27)]
    for name in customers:
        remote.create_folder(name)
    remote.create_folder("Projekty", parent="msgfolderroot")
    acme = crm.account("Acme Logistics", ACME)
    engine.sync_once()
    tracking = MailboxTracking(workspace)

    for name in customers[:25]:
        tracking.map_folder(_folder_id(workspace, name), ("account", str(acme)))
    with pytest.raises(CrmError, match="At most 25 folders"):
        tracking.map_folder(_folder_id(workspace, customers[25]), ("account", str(acme)))
    with pytest.raises(CrmError, match="Only folders inside the Inbox"):
        tracking.map_folder(_folder_id(workspace, "Projekty"), ("account", str(acme)))

    # Unmapping one makes room for another.
    tracking.map_folder(_folder_id(workspace, customers[0]), None)
    tracking.map_folder(_folder_id(workspace, customers[25]), ("account", str(acme)))


def test_the_folders_rule_wins_over_a_regarding_set_by_hand(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    hansa = crm.account("Hansa Frachten GmbH", "info@hansa-frachten.example")
    remote.create_folder("Acme Logistics")
    deliver(LUKASZ, "Faktura 2026/10/17")
    engine.sync_once()
    MailboxTracking(workspace).map_folder(
        _folder_id(workspace, "Acme Logistics"), ("account", str(acme))
    )
    remote.move("inbox", "Faktura 2026/10/17", "Acme Logistics")
    engine.sync_once()
    with workspace.local.sessions() as session:
        (item,) = session.query(MailItem).filter_by(subject="Faktura 2026/10/17").all()
        item_id = item.id

    changed = MailboxTracking(workspace).set_regarding(item_id, ("account", str(hansa)))
    assert changed.regarding is not None and changed.regarding.id == hansa
    engine.sync_once()  # writes the hand-set regarding to the item, which changes it
    engine.sync_once()

    with workspace.local.sessions() as session:
        item = session.get(MailItem, item_id)
        assert item is not None
        assert (item.regarding_type, item.regarding_id) == ("account", acme)
    (activity,) = crm.email_activities()
    assert activity.regarding_id == acme


def test_a_message_moved_back_into_the_inbox_is_not_evaluated_again(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    remote: Remote,
    deliver: Callable[..., str],
) -> None:
    # Under the default option a stranger's mail is evaluated and not tracked.
    deliver("Greta Schulz <greta.schulz@mueller-mb.example>", "Angebot Wartungsvertrag")
    first = engine.sync_once()
    assert (first.evaluated, first.tracked) == (1, 0)
    set_options(workspace, track="all")
    remote.create_folder("Do przeczytania")
    remote.move("inbox", "Angebot Wartungsvertrag", "Do przeczytania")
    engine.sync_once()

    remote.move("Do przeczytania", "Angebot Wartungsvertrag", "inbox")
    report = engine.sync_once()

    assert (report.evaluated, report.tracked) == (0, 0)
    (item,) = cached_items(workspace)
    assert item.tracking_state == "none" and item.evaluated
    assert crm.email_activities() == []


@OVER_EWS  # another client makes the folders through exchangelib
def test_liaison_folder_track_list_and_untrack_say_what_each_folder_tracks(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client: Account = sandbox.account(mailbox)
    acme_folder = Folder(parent=client.inbox, name="Acme Logistics")
    acme_folder.save()
    Folder(parent=client.root / "Top of Information Store", name="Projekty").save()
    acme = crm.account("Acme Logistics", ACME)
    deliver(LUKASZ, "Faktura 2026/11/03")
    engine.sync_once()
    (message,) = list(client.inbox.all())
    message.move(acme_folder)

    code, out, err = liaison(
        capsys,
        monkeypatch,
        "folder",
        "track",
        "Inbox/Acme Logistics",
        "--regarding",
        f"account:{acme}",
    )
    assert code == 0, err
    assert out.startswith("Inbox/Acme Logistics tracks its mail regarding account Acme Logistics")
    engine.sync_once()

    with workspace.local.sessions() as session:
        moved = session.query(MailItem).filter_by(subject="Faktura 2026/11/03").one()
        assert (moved.tracking_state, moved.regarding_id) == ("tracked", acme)
    listing = {
        row["path"]: row
        for row in json.loads(liaison(capsys, monkeypatch, "folder", "list", "--json")[1])
    }
    assert listing["Inbox/Acme Logistics"]["regarding"] == {
        "type": "account",
        "id": acme,
        "name": "Acme Logistics",
    }
    assert (listing["Projekty"]["tracks"], listing["Projekty"]["refusal"]) == (
        False,
        "not-under-inbox",
    )
    table = liaison(capsys, monkeypatch, "folder", "list")[1]
    assert "Projekty" in table and "(cannot track: not inside the Inbox)" in table

    code, _, err = liaison(
        capsys, monkeypatch, "folder", "track", "Projekty", "--regarding", f"account:{acme}"
    )
    assert (code, err.strip()) == (
        2,
        "liaison: Only folders inside the Inbox can track mail, and 'Projekty' is not inside it; "
        "move it under the Inbox first",
    )
    code, out, _ = liaison(capsys, monkeypatch, "folder", "untrack", "Acme Logistics")
    assert code == 0 and "mail tracked so far stays tracked" in out
    with workspace.local.sessions() as session:
        assert session.query(MailItem).filter_by(
            subject="Faktura 2026/11/03"
        ).one().tracking_state == ("tracked")
