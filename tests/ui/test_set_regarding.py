"""Set Regarding from the keyboard alone: shortcut, type, arrows, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.crm.search import RecordKey
from app.services.mail import TrackingState
from app.services.workspace import WorkspaceServices
from app.tracking.model import RecordType
from app.ui.main_window import MainWindow
from app.ui.regarding_dialog import RegardingDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def test_set_regarding_by_keyboard_tracks_the_message_regarding_the_chosen_record(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.message_list.select_item(profile.items["delivery"])
    window.message_list.view.setFocus()

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, RegardingDialog)
        qtbot.keyClicks(dialog.query, "acme")
        # Acme the account ranks first; one step down is the opportunity "Acme: 40 licences".
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    failures = when_dialog_opens(choose)
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        qtbot.keyClick(
            window.message_list.view,
            Qt.Key.Key_R,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
        )

    assert not failures
    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.TRACKED
    assert facts.regarding is not None
    assert facts.regarding.key == RecordKey(RecordType.OPPORTUNITY, profile.records["renewal"])
    assert "Acme: 40 licences for 2027" in window.crm_pane.regarding.text()


def test_set_regarding_on_a_tracked_message_changes_only_its_regarding_record(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.message_list.select_item(profile.items["offer"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, RegardingDialog)
        qtbot.keyClicks(dialog.query, "kowalski")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    failures = when_dialog_opens(choose)
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.regarding_action.trigger()

    assert not failures
    facts = window.crm_pane.facts
    assert facts is not None and facts.regarding is not None
    assert facts.regarding.name == "Jan Kowalski"
    assert facts.rule == "manual"


def test_the_dialog_finds_people_by_name_without_accents_and_by_company_domain(
    services: WorkspaceServices, qtbot: QtBot
) -> None:
    dialog = RegardingDialog(services.search_records)
    qtbot.addWidget(dialog)

    qtbot.keyClicks(dialog.query, "lukasz zo")
    assert dialog.results.currentItem().text().startswith("Łukasz Żółć")

    dialog.query.clear()
    qtbot.keyClicks(dialog.query, "wisniewska-design")
    assert dialog.results.count() == 1
    assert dialog.results.currentItem().text().startswith("Ewa Wiśniewska")


def test_escape_closes_the_dialog_and_changes_nothing(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.message_list.select_item(profile.items["question"])

    def cancel(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.focusWidget(), "acme")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)

    failures = when_dialog_opens(cancel)
    window.regarding_action.trigger()

    assert not failures
    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.NONE
