"""Personal options: one choice of four, saved locally, read back the same; nothing untracked."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.mailbox.personal_options import load_personal_options
from app.services.mail import TrackingState
from app.services.workspace import WorkspaceServices
from app.tracking.model import AutoCreate, TrackOption
from app.ui.main_window import MainWindow
from app.ui.options_dialog import OptionsDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def test_the_four_tracking_options_are_one_choice_named_as_the_design_names_them(
    services: WorkspaceServices, qtbot: QtBot
) -> None:
    dialog = OptionsDialog(services.options())
    qtbot.addWidget(dialog)
    labels = [button.text() for button in dialog.track_choice.buttons()]
    assert labels == [
        "All messages",
        "Only responses to CRM email",
        "Messages whose sender is a CRM lead, contact or account",
        "Messages whose sender is any email-enabled CRM record (users, queues, etc.)",
    ]
    assert dialog.track_choice.exclusive()
    assert dialog.track_buttons[TrackOption.CRM_RESPONSES].isChecked()


def test_options_round_trip_through_the_dialog_and_the_profile(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        dialog.track_buttons[TrackOption.CRM_CONTACTS].click()
        dialog.autocreate.setCurrentIndex(dialog.autocreate.findData(AutoCreate.LEAD))
        dialog.skip_private.setChecked(False)
        dialog.never_track.setPlainText("newsletter@sklep-przyklad.pl\n@gmail.com")
        dialog.interval.setValue(15)
        dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog_opens(change)
    window.options_action.trigger()
    assert not failures

    with profile.workspace.local.sessions() as session:
        stored = load_personal_options(session)
    assert stored.track is TrackOption.CRM_CONTACTS
    assert stored.autocreate is AutoCreate.LEAD
    assert stored.skip_private is False
    assert stored.never_track == frozenset({"newsletter@sklep-przyklad.pl", "@gmail.com"})

    reopened = OptionsDialog(window.services.options())
    qtbot.addWidget(reopened)
    assert reopened.track_buttons[TrackOption.CRM_CONTACTS].isChecked()
    assert reopened.autocreate.currentData() == AutoCreate.LEAD
    assert reopened.interval.value() == 15
    assert reopened.never_track.toPlainText() == "@gmail.com\nnewsletter@sklep-przyklad.pl"


def test_a_malformed_never_track_entry_is_explained_and_nothing_is_saved(
    services: WorkspaceServices, qtbot: QtBot
) -> None:
    dialog = OptionsDialog(services.options())
    qtbot.addWidget(dialog)
    dialog.never_track.setPlainText("kowalski at acme")
    dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "neither an address nor a @domain" in dialog.error.text()


def test_changing_the_options_never_untracks_what_was_tracked(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    window.message_list.select_item(profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    def narrow(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        dialog.never_track.setPlainText("@mueller-logistik.de")
        dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog_opens(narrow)
    window.options_action.trigger()
    assert not failures
    message = window.services.message(profile.items["delivery"])
    assert message is not None
    assert window.services.crm_facts(message).state is TrackingState.TRACKED


def test_marking_read_after_a_delay_is_an_option_that_can_be_turned_off(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.services.options().mark_read_seconds == 5
    assert window.mail.mark_read_seconds == 5

    def turn_off(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        assert dialog.mark_read.isChecked() and dialog.mark_read_seconds.value() == 5
        dialog.mark_read.setChecked(False)
        dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog_opens(turn_off)
    window.options_action.trigger()
    assert not failures
    assert window.services.options().mark_read_seconds is None
    assert window.mail.mark_read_seconds is None

    def two_seconds(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        assert not dialog.mark_read_seconds.isEnabled()
        dialog.mark_read.setChecked(True)
        dialog.mark_read_seconds.setValue(2)
        dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog_opens(two_seconds)
    window.options_action.trigger()
    assert not failures
    assert window.services.options().mark_read_seconds == 2
