"""English and Polish: the system's language by default, switchable in the options, and English
when a translation is missing; the light or dark look, switchable the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.crm.models import Opportunity
from app.crm.search import RecordKey
from app.services.workspace import WorkspaceServices
from app.sync.progress import FolderCount, Phase, SyncProgress
from app.sync.status import SyncState, SyncStatus
from app.tracking.model import RecordType
from app.ui import i18n
from app.ui.appearance import DARK, LIGHT, apply_appearance, is_dark
from app.ui.launch import OpenedProfile, WindowController
from app.ui.main_window import MainWindow
from app.ui.options_dialog import OptionsDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


@pytest.fixture
def back_to_english() -> Iterator[None]:
    yield
    i18n.install_language("en")


def test_the_window_speaks_polish(
    qtbot: QtBot, services: WorkspaceServices, back_to_english: None
) -> None:
    assert i18n.install_language("pl") == "pl"
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.track_action.text() == "Śledź"
    assert window.regarding_action.text() == "Ustaw „Dotyczy”…"
    model = window.navigation.model()
    assert model.index(0, 0, model.index(0, 0)).data().startswith("Odebrane")
    assert window.crm_pane.state.text() == "Nieśledzona"


@pytest.mark.parametrize(
    ("changes", "polish", "english"),
    [(1, "Offline, 1 zmiana czeka", "Offline, 1 change waiting"),
     (3, "Offline, 3 zmiany czekają", "Offline, 3 changes waiting"),
     (5, "Offline, 5 zmian czeka", "Offline, 5 changes waiting")],
)  # fmt: skip
def test_plural_forms_follow_each_language(
    qtbot: QtBot,
    services: WorkspaceServices,
    back_to_english: None,
    changes: int,
    polish: str,
    english: str,
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    offline = SyncStatus(SyncState.OFFLINE, None, changes)
    window.status_bar.show_status(offline)
    assert window.status_bar.state.text() == english
    i18n.install_language("pl")
    window.status_bar.show_status(offline)
    assert window.status_bar.state.text() == polish


def rebuilt_after_options(
    qtbot: QtBot, profile: BuiltProfile, choose: Callable[[OptionsDialog], None]
) -> MainWindow:
    """The window as the app shows it, the options changed in their dialog by `choose` and
    accepted; returns the window the app rebuilt for them."""
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    controller = WindowController(
        application, OpenedProfile(profile.workspace, lambda: None), sync=False
    )
    first = controller.show()
    qtbot.addWidget(first)

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        choose(dialog)
        dialog.accept()

    failures = when_dialog_opens(act)
    first.options_action.trigger()
    assert not failures
    second = controller.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    return second


def test_choosing_polish_in_the_options_rebuilds_the_window_in_polish(
    qtbot: QtBot, profile: BuiltProfile, back_to_english: None
) -> None:
    window = rebuilt_after_options(
        qtbot,
        profile,
        lambda dialog: dialog.language.setCurrentIndex(dialog.language.findData("pl")),
    )
    assert window.untrack_action.text() == "Nie śledź"
    assert profile.workspace.settings["ui_language"] == "pl"


def test_a_missing_translation_leaves_the_window_in_english(
    back_to_english: None, tmp_path: Path
) -> None:
    assert i18n.install_language("pl", folder=tmp_path) == "en"


def test_the_system_language_decides_when_nothing_is_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n.QLocale, "system", staticmethod(lambda: i18n.QLocale("pl_PL")))
    assert i18n.resolve_language("system") == "pl"
    monkeypatch.setattr(i18n.QLocale, "system", staticmethod(lambda: i18n.QLocale("de_DE")))
    assert i18n.resolve_language(None) == "en"


def test_choosing_the_dark_look_in_the_options_rebuilds_the_window_dark(
    qtbot: QtBot, profile: BuiltProfile, back_to_english: None
) -> None:
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    try:
        window = rebuilt_after_options(
            qtbot,
            profile,
            lambda dialog: dialog.appearance.setCurrentIndex(dialog.appearance.findData(DARK)),
        )
        assert is_dark(application.palette())
        assert is_dark(window.palette())
        assert profile.workspace.settings["ui_appearance"] == DARK
    finally:
        apply_appearance(application, LIGHT)


def test_a_polish_window_writes_money_and_dates_the_polish_way(
    qtbot: QtBot, profile: BuiltProfile, services: WorkspaceServices, back_to_english: None
) -> None:
    with profile.workspace.crm.sessions.begin() as session:
        renewal = session.get(Opportunity, profile.records["renewal"])
        assert renewal is not None
        renewal.estimated_value = Decimal("480000.00")
        renewal.close_date = date(2026, 12, 15)
    i18n.install_language("pl")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.open_record(RecordKey(RecordType.OPPORTUNITY, profile.records["renewal"]))
    shown = [label.text() for label in window.records_page.view.findChildren(QLabel)]
    assert "480\xa0000,00" in shown
    assert "15.12.2026" in shown
    assert "480,000.00" not in shown and "2026-12-15" not in shown


def test_a_polish_status_bar_names_the_folder_and_groups_the_counts_the_polish_way(
    qtbot: QtBot, services: WorkspaceServices, back_to_english: None
) -> None:
    i18n.install_language("pl")
    window = MainWindow(services)
    qtbot.addWidget(window)
    inbox = FolderCount("Inbox", done=12000, total=45000)
    window.status_bar.show_progress(SyncProgress(Phase.ITEMS, "Inbox", (inbox,), 12000, 40.0, 3.0))
    assert window.status_bar.state.text() == "Synchronizacja: Odebrane 12\xa0000/45\xa0000"
