"""The window as a mail client: reply, forward and compose; delete, move (by the chooser and by
dragging onto a folder), flag, read state and junk; the To column of Sent Items. Each change is
shown at once and waits in the outbox for Exchange."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.crm.search import RecordKey
from app.mailbox.models import MailItem, OutboxEntry
from app.mailbox.remote import FlagStatus, FolderContent
from app.services.workspace import WorkspaceServices
from app.tracking.model import RecordType
from app.ui.compose_dialog import ComposeDialog
from app.ui.folder_chooser import FolderChooser
from app.ui.main_window import MainWindow
from app.ui.message_list import ALL_FOLDERS
from app.ui.message_model import COLUMN_FLAG, COLUMN_SENDER
from app.ui.navigation import Place
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile, add_folder


@pytest.fixture
def mailbox_folders(profile: BuiltProfile) -> BuiltProfile:
    """The folders every Exchange mailbox has, and one of Anna's own."""
    for name, shown in (
        ("drafts", "Drafts"),
        ("deleteditems", "Deleted Items"),
        ("junkemail", "Junk Email"),
        ("outbox", "Outbox"),
    ):
        profile.folders[name] = add_folder(profile.workspace, name, shown, FolderContent.MAIL)
    with profile.workspace.local.sessions.begin() as session:
        from app.mailbox.models import MailFolder

        acme = MailFolder(
            account="anna.nowak@brightwave.pl",
            remote_id="folder-acme",
            parent_remote_id="folder-inbox",
            display_name="Acme",
            content=FolderContent.MAIL,
        )
        session.add(acme)
        session.flush()
        profile.folders["acme"] = acme.id
    return profile


@pytest.fixture
def mail_window(qtbot: QtBot, mailbox_folders: BuiltProfile) -> Iterator[MainWindow]:
    main = MainWindow(WorkspaceServices(mailbox_folders.workspace))
    main.mail.mark_read_seconds = None  # tests of reading mark it themselves
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.mail.read_timer.stop()


def press(
    window: MainWindow, qtbot: QtBot, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    window.message_list.view.setFocus()
    qtbot.keyClick(window.message_list.view, key, modifiers)


def row(profile: BuiltProfile, item_id: int) -> MailItem | None:
    with profile.workspace.local.sessions() as session:
        found = session.get(MailItem, item_id)
        if found is not None:
            session.expunge(found)
        return found


def waiting(profile: BuiltProfile, kind: str) -> list[dict[str, Any]]:
    with profile.workspace.local.sessions() as session:
        entries = session.query(OutboxEntry).filter_by(kind=kind, state="pending")
        return [dict(entry.payload) for entry in entries]


def compose_and(act: Any) -> list[BaseException]:
    return when_dialog_opens(act, ComposeDialog)


# Reply, reply all, forward


def test_ctrl_r_replies_to_the_sender_with_the_original_quoted(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    seen: dict[str, str] = {}

    def write(dialog: ComposeDialog) -> None:
        seen.update(to=dialog.to.text(), cc=dialog.cc.text(), subject=dialog.subject.text())
        seen["quoted"] = dialog.body.toPlainText()
        dialog.body.textCursor().insertText("Dziękuję, potwierdzam.\n")
        dialog.send_button.click()

    assert mail_window.message_list.select_item(mailbox_folders.items["offer"])
    failures = compose_and(write)
    press(mail_window, qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)

    assert not failures
    assert seen["to"] == "Jan Kowalski <jan.kowalski@acme.pl>"
    assert seen["cc"] == ""
    assert seen["subject"] == "RE: Oferta na licencje 2027"
    assert "w załączeniu przesyłam zapytanie" in seen["quoted"]
    (sent,) = waiting(mailbox_folders, "send")
    assert sent["subject"] == "RE: Oferta na licencje 2027"
    assert sent["in_reply_to"] == "<offer-2027@mail.test>"
    assert sent["track"] is False


def test_reply_all_keeps_everyone_but_the_user(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    seen: list[tuple[str, str]] = []

    def look(dialog: ComposeDialog) -> None:
        seen.append((dialog.to.text(), dialog.cc.text()))
        dialog.reject()

    assert mail_window.message_list.select_item(mailbox_folders.items["offer"])
    failures = compose_and(look)
    press(
        mail_window,
        qtbot,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    assert not failures
    to, cc = seen[0]
    assert to == "Jan Kowalski <jan.kowalski@acme.pl>"
    assert "lukasz.zolc@acme.pl" in cc and "p.zielinski@acme.pl" in cc
    assert "anna.nowak" not in to + cc


def test_forward_carries_the_attachment_and_asks_for_recipients(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    seen: dict[str, Any] = {}

    def look(dialog: ComposeDialog) -> None:
        seen.update(
            to=dialog.to.text(),
            subject=dialog.subject.text(),
            attached=[
                dialog.attachments.list.item(i).text()
                for i in range(dialog.attachments.list.count())
            ],
        )
        dialog.send_button.click()  # without a recipient: refused in words
        seen["error"] = dialog.error.text()
        dialog.reject()

    assert mail_window.message_list.select_item(mailbox_folders.items["offer"])
    failures = compose_and(look)
    press(mail_window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert not failures
    assert seen["to"] == ""
    assert seen["subject"] == "FW: Oferta na licencje 2027"
    assert seen["attached"][0].startswith("zapytanie-2027.pdf")
    assert seen["error"] == "Add at least one recipient."
    assert waiting(mailbox_folders, "send") == []


def test_the_reading_pane_offers_reply_reply_all_and_forward(mail_window: MainWindow) -> None:
    actions = [
        mail_window.mail.reply_action,
        mail_window.mail.reply_all_action,
        mail_window.mail.forward_action,
    ]
    assert mail_window.reading_pane.findChildren(
        type(mail_window.reading_pane.load_images)
    )  # buttons exist
    from PySide6.QtWidgets import QToolButton

    shown = [b.defaultAction() for b in mail_window.reading_pane.findChildren(QToolButton)]
    assert all(action in shown for action in actions)


# Tracking in compose


def test_a_new_email_is_not_tracked_unless_asked(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    states: list[bool] = []

    def write(dialog: ComposeDialog) -> None:
        states.append(dialog.track.isChecked())
        dialog.to.setText("jan.kowalski@acme.pl")
        dialog.subject.setText("Lunch w piątek?")
        dialog.body.setPlainText("Masz czas o 13?")
        dialog.send_button.click()

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    assert states == [False]
    (sent,) = waiting(mailbox_folders, "send")
    assert sent["subject"] == "Lunch w piątek?"
    assert sent["track"] is False


def test_choosing_a_record_tracks_a_new_email_with_a_token(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, mailbox_folders.records["acme"])
    ticked: list[bool] = []

    def write(dialog: ComposeDialog) -> None:
        dialog.to.setText("jan.kowalski@acme.pl")
        dialog.subject.setText("Oferta na palety")
        dialog.regarding.set_record(acme, "Acme Sp. z o.o.")
        ticked.append(dialog.track.isChecked())
        dialog.send_button.click()

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    assert ticked == [True]
    (sent,) = waiting(mailbox_folders, "send")
    assert sent["subject"].startswith("Oferta na palety CRM:")
    assert sent["track"] is True
    assert sent["regarding"] == f"account:{acme.id}"


def test_a_reply_to_tracked_mail_is_tracked_regarding_the_same_record(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, mailbox_folders.records["acme"])
    offer = mailbox_folders.items["offer"]
    mail_window.services.track(offer, acme)
    shown: dict[str, Any] = {}

    def write(dialog: ComposeDialog) -> None:
        shown.update(track=dialog.track.isChecked(), regarding=dialog.regarding.text.text())
        dialog.send_button.click()

    assert mail_window.message_list.select_item(offer)
    failures = compose_and(write)
    mail_window.mail.reply_action.trigger()

    assert not failures
    assert shown == {"track": True, "regarding": "Acme Sp. z o.o. (Account)"}
    (sent,) = waiting(mailbox_folders, "send")
    assert sent["track"] is True
    assert sent["regarding"] == f"account:{acme.id}"


def test_unticking_track_sends_a_reply_to_tracked_mail_untracked(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    offer = mailbox_folders.items["offer"]
    mail_window.services.track(
        offer, RecordKey(RecordType.ACCOUNT, mailbox_folders.records["acme"])
    )

    def write(dialog: ComposeDialog) -> None:
        dialog.track.setChecked(False)
        dialog.send_button.click()

    assert mail_window.message_list.select_item(offer)
    failures = compose_and(write)
    mail_window.mail.reply_action.trigger()

    assert not failures
    (sent,) = waiting(mailbox_folders, "send")
    assert sent["track"] is False
    assert "CRM:" not in sent["subject"]


# Compose


def test_typing_in_to_suggests_crm_people_and_takes_the_chosen_one(
    mail_window: MainWindow, qtbot: QtBot
) -> None:
    seen: list[Any] = []

    def type_name(dialog: ComposeDialog) -> None:
        qtbot.keyClicks(dialog.bcc, "kowal")
        seen.append(dialog.bcc.suggestions())
        dialog.bcc.take_suggestion(dialog.bcc.suggestions()[0])
        seen.append(dialog.bcc.text())
        dialog.bcc.clear()
        dialog.reject()

    failures = compose_and(type_name)
    mail_window.new_email_action.trigger()

    assert not failures
    assert "Jan Kowalski <jan.kowalski@acme.pl>" in seen[0]
    assert seen[1] == "Jan Kowalski <jan.kowalski@acme.pl>; "


def test_an_attachment_over_the_servers_limit_is_refused_in_words(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, tmp_path: Path
) -> None:
    video = tmp_path / "prezentacja.mp4"
    with video.open("wb") as file:
        file.truncate(30 * 1024 * 1024)  # sparse: 30 MB on paper
    said: list[str] = []

    def write(dialog: ComposeDialog) -> None:
        dialog.to.setText("jan.kowalski@acme.pl")
        dialog.subject.setText("Prezentacja")
        dialog.attach([video])
        said.append(dialog.attachments.total.text())
        dialog.send_button.click()
        said.append(dialog.error.text())
        dialog.attachments.list.selectAll()
        dialog.attachments.remove_button.click()
        said.append(dialog.attachments.total.text())
        dialog.done(QDialog.DialogCode.Rejected)

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    assert said[0] == "1 attachment, 31.5 MB"
    assert "the server accepts at most 26.2 MB" in said[1]
    assert said[2] == ""
    assert waiting(mailbox_folders, "send") == []


def test_save_draft_puts_the_message_in_drafts(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    def write(dialog: ComposeDialog) -> None:
        dialog.to.setText("ewa@wisniewska-design.pl")
        dialog.subject.setText("Wycena strony")
        dialog.body.setPlainText("Szkic wyceny…")
        dialog.save_button.click()
        dialog.reject()  # saved: closes without asking

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    (saved,) = waiting(mailbox_folders, "save-draft")
    assert saved["subject"] == "Wycena strony"
    with mailbox_folders.workspace.local.sessions() as session:
        drafts = session.query(MailItem).filter_by(folder_id=mailbox_folders.folders["drafts"])
        assert [d.subject for d in drafts] == ["Wycena strony"]


def test_closing_with_unsaved_changes_asks_and_can_save_them(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    asked: list[str] = []

    def answer(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Save).click()

    def write(dialog: ComposeDialog) -> None:
        dialog.subject.setText("Notatka")
        when_dialog_opens(answer, QMessageBox)
        dialog.reject()

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    assert asked == ["Save this message in Drafts before closing?"]
    assert [d["subject"] for d in waiting(mailbox_folders, "save-draft")] == ["Notatka"]


def test_bold_text_is_sent_as_html(mail_window: MainWindow, mailbox_folders: BuiltProfile) -> None:
    def write(dialog: ComposeDialog) -> None:
        dialog.to.setText("jan.kowalski@acme.pl")
        dialog.subject.setText("Termin")
        dialog.bold_action.setChecked(True)
        dialog.body.textCursor().insertText("piątek 10:00")
        dialog.send_button.click()

    failures = compose_and(write)
    mail_window.new_email_action.trigger()

    assert not failures
    (sent,) = waiting(mailbox_folders, "send")
    assert "font-weight" in sent["body_html"] and "piątek 10:00" in sent["body_html"]
    assert sent["body_text"].strip() == "piątek 10:00"


# Changing messages


def test_delete_moves_the_message_to_deleted_items_at_once(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    delivery = mailbox_folders.items["delivery"]
    assert mail_window.message_list.select_item(delivery)

    press(mail_window, qtbot, Qt.Key.Key_Delete)

    assert mail_window.message_list.model.row_of(delivery) is None
    moved = row(mailbox_folders, delivery)
    assert moved is not None and moved.folder_id == mailbox_folders.folders["deleteditems"]
    assert len(waiting(mailbox_folders, "move-message")) == 1
    assert "1 message deleted." in mail_window.status_bar.currentMessage()


def test_shift_delete_asks_then_deletes_for_good(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    delivery = mailbox_folders.items["delivery"]
    assert mail_window.message_list.select_item(delivery)
    asked: list[str] = []

    def no(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    failures = when_dialog_opens(no, QMessageBox)
    press(mail_window, qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert not failures
    assert asked and "for good" in asked[0]
    assert row(mailbox_folders, delivery) is not None

    failures = when_dialog_opens(
        lambda box: box.button(QMessageBox.StandardButton.Yes).click(), QMessageBox
    )
    mail_window.mail.delete_for_good_action.trigger()
    assert not failures
    assert row(mailbox_folders, delivery) is None
    assert len(waiting(mailbox_folders, "delete-message")) == 1


def test_move_to_folder_files_the_message_where_chosen(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    offer = mailbox_folders.items["offer"]
    assert mail_window.message_list.select_item(offer)

    def choose(dialog: FolderChooser) -> None:
        assert dialog.choose(mailbox_folders.folders["acme"])
        dialog.accept()

    failures = when_dialog_opens(choose, FolderChooser)
    press(
        mail_window,
        qtbot,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    assert not failures
    moved = row(mailbox_folders, offer)
    assert moved is not None and moved.folder_id == mailbox_folders.folders["acme"]
    assert mail_window.message_list.model.row_of(offer) is None
    (entry,) = waiting(mailbox_folders, "move-message")
    assert entry


def drop_on_folder(window: MainWindow, folder_id: int, modifiers: Any) -> None:
    """What a drag of the selected messages ends with over the folder's row in the tree."""
    view = window.message_list.view
    data = window.message_list.model.mimeData(view.selectionModel().selectedRows())
    tree = window.navigation
    item = next(
        i
        for i in tree._items()
        if i.data(Qt.ItemDataRole.UserRole + 1) == Place("folder", folder_id)
    )
    centre = tree.visualRect(item.index()).center()
    event = QDropEvent(
        QPointF(centre),
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        modifiers,
    )
    tree.dropEvent(event)


def test_messages_dragged_onto_a_folder_move_there(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    offer, delivery = mailbox_folders.items["offer"], mailbox_folders.items["delivery"]
    view = mail_window.message_list.view
    assert mail_window.message_list.select_item(offer)
    view.selectionModel().select(
        mail_window.message_list.model.index(
            mail_window.message_list.model.row_of(delivery) or 0, 0
        ),
        view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
    )

    drop_on_folder(mail_window, mailbox_folders.folders["acme"], Qt.KeyboardModifier.NoModifier)

    acme = mailbox_folders.folders["acme"]
    assert [row(mailbox_folders, i).folder_id for i in (offer, delivery)] == [acme, acme]  # type: ignore[union-attr]
    assert len(waiting(mailbox_folders, "move-message")) == 2
    assert "2 messages moved to Acme." in mail_window.status_bar.currentMessage()


def test_a_message_dragged_with_ctrl_is_copied(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    offer = mailbox_folders.items["offer"]
    assert mail_window.message_list.select_item(offer)

    drop_on_folder(
        mail_window, mailbox_folders.folders["acme"], Qt.KeyboardModifier.ControlModifier
    )

    assert row(mailbox_folders, offer).folder_id == mailbox_folders.folders["inbox"]  # type: ignore[union-attr]
    assert len(waiting(mailbox_folders, "copy-message")) == 1


def test_insert_flags_the_message_and_the_flag_column_shows_it(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    question = mailbox_folders.items["question"]
    assert mail_window.message_list.select_item(question)
    model = mail_window.message_list.model
    flag_cell = model.index(model.row_of(question) or 0, COLUMN_FLAG)
    assert flag_cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Not flagged"

    press(mail_window, qtbot, Qt.Key.Key_Insert)
    assert flag_cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Flagged for follow-up"

    mail_window.mail.complete_action.trigger()
    assert flag_cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Flag completed"
    assert row(mailbox_folders, question).flag_status == FlagStatus.COMPLETE.value  # type: ignore[union-attr]
    assert waiting(mailbox_folders, "message-state")


def test_ctrl_u_and_ctrl_q_mark_unread_and_read(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    delivery = mailbox_folders.items["delivery"]
    assert mail_window.message_list.select_item(delivery)

    press(mail_window, qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert row(mailbox_folders, delivery).is_read is False  # type: ignore[union-attr]
    assert "Inbox  (3)" in _labels(mail_window)

    press(mail_window, qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert row(mailbox_folders, delivery).is_read is True  # type: ignore[union-attr]
    assert "Inbox  (2)" in _labels(mail_window)


def _labels(window: MainWindow) -> list[str]:
    model = window.navigation.model()
    mail = model.index(0, 0)
    return [model.index(r, 0, mail).data() for r in range(model.rowCount(mail))]


def test_a_message_shown_for_the_delay_is_marked_read(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    newsletter = mailbox_folders.items["newsletter"]
    mail_window.mail.mark_read_seconds = 1
    assert mail_window.message_list.select_item(newsletter)
    assert row(mailbox_folders, newsletter).is_read is False  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: row(mailbox_folders, newsletter).is_read is True, timeout=5_000)  # type: ignore[union-attr]
    assert waiting(mailbox_folders, "message-state")


def test_with_marking_read_off_a_shown_message_stays_unread(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    newsletter = mailbox_folders.items["newsletter"]
    assert mail_window.mail.mark_read_seconds is None
    assert mail_window.message_list.select_item(newsletter)
    qtbot.wait(300)
    assert not mail_window.mail.read_timer.isActive()
    assert row(mailbox_folders, newsletter).is_read is False  # type: ignore[union-attr]


def test_junk_moves_to_junk_email_and_not_junk_brings_it_back(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    newsletter = mailbox_folders.items["newsletter"]
    assert mail_window.message_list.select_item(newsletter)
    assert not mail_window.mail.not_junk_action.isEnabled()

    press(
        mail_window,
        qtbot,
        Qt.Key.Key_J,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert row(mailbox_folders, newsletter).folder_id == mailbox_folders.folders["junkemail"]  # type: ignore[union-attr]

    assert mail_window.navigation.select_place(
        Place("folder", mailbox_folders.folders["junkemail"])
    )
    assert mail_window.message_list.select_item(newsletter)
    assert mail_window.mail.not_junk_action.isEnabled()
    mail_window.mail.not_junk_action.trigger()
    assert row(mailbox_folders, newsletter).folder_id == mailbox_folders.folders["inbox"]  # type: ignore[union-attr]


def test_a_junked_message_found_across_folders_offers_not_junk(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    """Junk and Not junk go by the folder the message is in, not the folder open."""
    newsletter = mailbox_folders.items["newsletter"]
    assert mail_window.message_list.select_item(newsletter)
    mail_window.mail.junk_action.trigger()
    listing = mail_window.message_list
    listing.scope_actions[ALL_FOLDERS].trigger()
    listing.search.setText("Newsletter")
    listing.search.returnPressed.emit()

    assert listing.select_item(newsletter)

    assert mail_window.mail.not_junk_action.isEnabled()
    assert not mail_window.mail.junk_action.isEnabled()


def test_sent_items_shows_whom_the_mail_went_to(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    assert mail_window.navigation.select_place(Place("folder", mailbox_folders.folders["sent"]))
    model = mail_window.message_list.model
    assert model.headerData(COLUMN_SENDER, Qt.Orientation.Horizontal) == "To"
    assert model.index(0, COLUMN_SENDER).data() == "Jan Kowalski"

    assert mail_window.navigation.select_place(Place("folder", mailbox_folders.folders["inbox"]))
    assert model.headerData(COLUMN_SENDER, Qt.Orientation.Horizontal) == "From"


def test_mail_commands_are_off_outside_the_mail(mail_window: MainWindow) -> None:
    assert mail_window.mail.delete_action.isEnabled()
    mail_window.go_calendar_action.trigger()
    assert mail_window.pages.currentWidget() is mail_window.calendar_page
    assert not mail_window.mail.delete_action.isEnabled()
    mail_window.go_mail_action.trigger()
    assert mail_window.pages.currentWidget() is mail_window.mail_page


def test_quit_is_ctrl_shift_q_since_ctrl_q_marks_read(mail_window: MainWindow) -> None:
    assert mail_window.quit_action.shortcut().toString() == "Ctrl+Shift+Q"
    assert mail_window.mail.read_action.shortcut().toString() == "Ctrl+Q"
    assert mail_window.regarding_action.shortcut().toString() == "Ctrl+Alt+R"


# In Polish


@pytest.fixture
def in_polish(mailbox_folders: BuiltProfile) -> Iterator[None]:
    from app.config import save_settings
    from app.ui import i18n

    workspace = mailbox_folders.workspace
    workspace.settings["ui_language"] = "pl"
    save_settings(workspace.paths, workspace.settings)
    i18n.install_language("pl")
    yield
    i18n.install_language("en")


def test_a_reply_in_polish_says_odp_and_the_window_speaks_polish(
    in_polish: None, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    window = MainWindow(WorkspaceServices(mailbox_folders.workspace))
    window.mail.mark_read_seconds = None
    qtbot.addWidget(window)
    assert window.mail.reply_action.text() == "Odpowiedz"
    assert window.mail.delete_action.toolTip() == "Przenieś do Elementów usuniętych (Del)"
    seen: dict[str, str] = {}

    def look(dialog: ComposeDialog) -> None:
        seen.update(
            subject=dialog.subject.text(),
            title=dialog.windowTitle(),
            note=dialog.track_note.text(),
            save=dialog.save_button.text(),
        )
        dialog.reject()

    assert window.message_list.select_item(mailbox_folders.items["offer"])
    failures = compose_and(look)
    window.mail.reply_action.trigger()

    assert not failures
    assert seen["subject"] == "Odp: Oferta na licencje 2027"
    assert seen["save"] == "Zapisz wersję roboczą"
    assert seen["note"].startswith("Nieśledzona")


def test_a_draft_double_clicked_opens_in_compose_to_go_on_writing(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    from app.services.compose import EmailDraft

    draft_id = mail_window.services.save_draft(
        EmailDraft(to=("ewa@wisniewska-design.pl",), cc=(), subject="Wycena", body="Szkic")
    )
    assert mail_window.navigation.select_place(Place("folder", mailbox_folders.folders["drafts"]))
    seen: list[tuple[str, str]] = []

    def look(dialog: ComposeDialog) -> None:
        seen.append((dialog.to.text(), dialog.subject.text()))
        dialog.reject()

    failures = compose_and(look)
    model = mail_window.message_list.model
    mail_window.message_list.view.activated.emit(model.index(model.row_of(draft_id) or 0, 1))

    assert not failures
    assert seen == [("ewa@wisniewska-design.pl", "Wycena")]


def test_files_dropped_on_the_compose_window_are_attached(
    mail_window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    offer = tmp_path / "oferta.pdf"
    offer.write_bytes(b"%PDF-1.4 oferta")
    attached: list[str] = []

    def drop(dialog: ComposeDialog) -> None:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(offer))])
        event = QDropEvent(
            QPointF(50, 50),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        dialog.dropEvent(event)
        attached.extend(str(path) for path in dialog.draft().files)
        dialog.done(QDialog.DialogCode.Rejected)

    failures = compose_and(drop)
    mail_window.new_email_action.trigger()

    assert not failures
    assert attached == [str(offer)]


def test_enter_in_the_to_field_neither_sends_nor_closes(
    mail_window: MainWindow, mailbox_folders: BuiltProfile, qtbot: QtBot
) -> None:
    still_open: list[bool] = []

    def type_and_enter(dialog: ComposeDialog) -> None:
        qtbot.keyClicks(dialog.to, "jan.kowalski@acme.pl")
        qtbot.keyClick(dialog.to, Qt.Key.Key_Return)
        still_open.append(dialog.isVisible())
        dialog.done(QDialog.DialogCode.Rejected)

    failures = compose_and(type_and_enter)
    mail_window.new_email_action.trigger()

    assert not failures
    assert still_open == [True]
    assert waiting(mailbox_folders, "send") == []


def test_a_message_dropped_back_on_its_own_folder_stays_and_nothing_waits(
    mail_window: MainWindow, mailbox_folders: BuiltProfile
) -> None:
    offer = mailbox_folders.items["offer"]
    assert mail_window.message_list.select_item(offer)

    drop_on_folder(mail_window, mailbox_folders.folders["inbox"], Qt.KeyboardModifier.NoModifier)

    assert row(mailbox_folders, offer).folder_id == mailbox_folders.folders["inbox"]  # type: ignore[union-attr]
    assert waiting(mailbox_folders, "move-message") == []


def test_the_message_menu_holds_the_mail_commands(mail_window: MainWindow) -> None:
    texts = [action.text() for action in mail_window.message_menu.actions() if action.text()]
    assert texts[:3] == ["Reply", "Reply All", "Forward"]
    assert {"Move to folder…", "Copy to folder…", "Delete for good…", "Junk", "Flag"} <= set(texts)
