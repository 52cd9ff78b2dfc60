"""The folder tree's context menu: a folder inside the Inbox tracks its mail regarding the record
the user picks; a folder that cannot says why in words before a record is picked in vain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.mailbox.models import MailFolder
from app.mailbox.views import FolderSummary
from app.ui.main_window import MainWindow
from app.ui.regarding_dialog import RegardingDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


@pytest.fixture
def folders(profile: BuiltProfile) -> dict[str, int]:
    """ "Acme" inside the Inbox, "Archiwum 2025" beside it at the top of the mailbox."""
    with profile.workspace.local.sessions.begin() as session:
        inbox = session.get(MailFolder, profile.folders["inbox"])
        assert inbox is not None
        made = {
            name: MailFolder(account=inbox.account, remote_id=f"folder-{name}",
                             parent_remote_id=parent, display_name=name, content="mail")
            for name, parent in (("Acme", inbox.remote_id),
                                 ("Archiwum 2025", "folder-msgfolderroot"))
        }  # fmt: skip
        session.add_all(made.values())
        session.flush()
        return {name: folder.id for name, folder in made.items()}


def summary(window: MainWindow, folder_id: int) -> FolderSummary:
    return next(f for f in window.services.folders() if f.id == folder_id)


def test_track_this_folder_maps_it_to_the_record_picked_and_the_tree_says_so(
    window: MainWindow, profile: BuiltProfile, folders: dict[str, int], qtbot: QtBot
) -> None:
    window.refresh()
    menu = window.folder_tracking.menu_for(summary(window, folders["Acme"]))
    track, stop = menu.actions()
    assert track.text() == "Track this folder regarding…"
    assert not stop.isEnabled()

    def pick_acme(dialog: QDialog) -> None:
        assert isinstance(dialog, RegardingDialog)
        qtbot.keyClicks(dialog.query, "Acme Sp")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    failures = when_dialog_opens(pick_acme)
    track.trigger()

    assert not failures
    tracked = summary(window, folders["Acme"])
    assert (tracked.mapped_record_type, tracked.mapped_record_id) == (
        "account",
        profile.records["acme"],
    )
    assert "tracks its mail regarding Acme Sp. z o.o." in window.statusBar().currentMessage()
    model = window.navigation.model()
    inbox = model.index(0, 0, model.index(0, 0))
    acme_row = model.index(0, 0, inbox)
    assert acme_row.data() == "Acme"
    assert "Tracks its mail regarding Acme Sp. z o.o." in acme_row.data(Qt.ItemDataRole.ToolTipRole)


def test_a_folder_outside_the_inbox_is_refused_in_words_before_a_record_is_picked(
    window: MainWindow, folders: dict[str, int]
) -> None:
    seen: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox), "no record is asked for"
        seen.append(dialog.text())
        dialog.accept()

    failures = when_dialog_opens(read_and_close)
    window.folder_tracking.track_folder(summary(window, folders["Archiwum 2025"]))

    assert not failures
    assert seen == [
        "Only folders inside the Inbox can track their mail, as in Dynamics 365, and "
        "“Archiwum 2025” is not inside the Inbox. Move it into the Inbox first, then track it."
    ]


def test_stop_tracking_this_folder_unmaps_it(
    window: MainWindow, profile: BuiltProfile, folders: dict[str, int]
) -> None:
    window.services.map_folder(folders["Acme"], ("account", str(profile.records["acme"])))
    menu = window.folder_tracking.menu_for(summary(window, folders["Acme"]))
    assert menu.actions()[0].text() == "Tracks its mail regarding Account Acme Sp. z o.o."

    menu.actions()[-1].trigger()

    assert summary(window, folders["Acme"]).mapped_record_type is None
