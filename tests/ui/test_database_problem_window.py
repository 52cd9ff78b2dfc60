"""A damaged or lost database, as the window meets it: a dialog naming the file and offering its
backups with their dates, "Restore from backup", "Start afresh" and "Quit"; found at start by the
quick check, or after the window opened by the thorough check in the background."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.config import ProfilePaths, profile_paths
from app.crm.records import create_account
from app.db.backup import backups_of, make_backup
from app.ui.database_dialog import DatabaseProblemDialog
from app.ui.formatting import long_moment
from app.ui.launch import launch
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from tests.e2e.test_damaged_databases import age, damage_only_an_index, garble
from tests.support.window_hooks import window_hooks_restored


@pytest.fixture(autouse=True)
def restored_hooks() -> Iterator[None]:
    """launch() installs the window's logging and crash hooks; put the test run's back."""
    with window_hooks_restored():
        yield


def add_accounts(*names: str) -> None:
    with Workspace.open(daily_backup=False) as workspace:  # the test makes the backups
        if not workspace.owner_address:
            workspace.initialise("anna.nowak@brightwave.test", "Anna Nowak")
        with workspace.crm.sessions.begin() as session:
            owner = workspace.owner(session)
            for name in names:
                create_account(session, name, [], owner)


def account_names(paths: ProfilePaths) -> list[str]:
    connection = sqlite3.connect(paths.crm_database)
    try:
        return sorted(row[0] for row in connection.execute("SELECT name FROM accounts"))
    finally:
        connection.close()


@pytest.fixture
def paths() -> ProfilePaths:
    """Anna's CRM backed up yesterday with one account and today with two, then a third."""
    add_accounts("Acme Logistics Sp. z o.o.")
    paths = profile_paths()
    age(make_backup(paths.crm_database).path, days=1)
    add_accounts("Müller Maschinenbau GmbH")
    make_backup(paths.crm_database)
    add_accounts("Żabka Dystrybucja")
    return paths


class Session:
    """What the user does once the app is up: answers to each dialog, in order, and what to do
    with each main window that opens (close it, after noting it)."""

    def __init__(self, qapp: QApplication) -> None:
        self.qapp = qapp
        self.windows: list[MainWindow] = []
        self.said: list[str] = []
        self.failures: list[BaseException] = []
        self._answers: list[Callable[[QWidget], None]] = []
        self.windows_to_see = 1
        self.until: Callable[[], bool] = lambda: True  # then the last window closes

    def answer(self, act: Callable[[QWidget], None]) -> Session:
        self._answers.append(act)
        return self

    def launch(self) -> int:
        QTimer.singleShot(0, self._watch)
        return launch(demo=False)

    def _watch(self) -> None:
        modal = self.qapp.activeModalWidget()
        if modal is not None and self._answers and getattr(modal, "_answered", False) is False:
            modal._answered = True  # type: ignore[attr-defined]
            act = self._answers.pop(0)
            QTimer.singleShot(0, lambda: self._act(act, modal))
        for widget in self.qapp.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget not in self.windows:
                self.windows.append(widget)
        last = self.windows[-1] if self.windows else None
        if (
            last is not None
            and last.isVisible()
            and len(self.windows) >= self.windows_to_see
            and not self._answers
            and self.until()
        ):
            last.close()  # the last window: the application quits, as when the user closes it
            return
        QTimer.singleShot(20, self._watch)

    def _act(self, act: Callable[[QWidget], None], modal: QWidget) -> None:
        try:
            act(modal)
        except BaseException as exc:
            self.failures.append(exc)
            modal.close()


def choose_backup(row: int, seen: list[list[str]]) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, DatabaseProblemDialog)
        listing = dialog.backup_list
        seen.append([listing.item(index).text() for index in range(listing.count())])
        listing.setCurrentRow(row)
        dialog.restore_button.click()

    return act


def test_a_damaged_crm_at_start_offers_its_backups_with_dates_and_restores_the_chosen_one(
    qapp: QApplication, paths: ProfilePaths
) -> None:
    garble(paths.crm_database, 12 * 1024, 16 * 1024)
    yesterdays, todays = backups_of(paths.crm_database)
    listed: list[list[str]] = []
    session = Session(qapp).answer(choose_backup(1, listed))

    assert session.launch() == 0

    assert session.failures == []
    [labels] = listed
    assert labels[0].startswith(long_moment(todays.taken_at))
    assert labels[1].startswith(long_moment(yesterdays.taken_at))
    assert len(session.windows) == 1
    assert account_names(paths) == ["Acme Logistics Sp. z o.o."]
    [kept] = [folder for folder in (paths.data_dir / "backups").iterdir() if folder.is_dir()]
    assert (kept / "crm.sqlite3").exists()


def test_the_dialog_names_the_file_and_what_sqlite_found(
    qapp: QApplication, paths: ProfilePaths
) -> None:
    garble(paths.crm_database, 12 * 1024, 16 * 1024)
    before = paths.crm_database.read_bytes()
    said: list[str] = []

    def read_and_quit(dialog: QWidget) -> None:
        assert isinstance(dialog, DatabaseProblemDialog)
        said.append(dialog.message.text())
        dialog.quit_button.click()

    session = Session(qapp).answer(read_and_quit)
    assert session.launch() == 1

    assert session.failures == [] and session.windows == []
    [message] = said
    assert str(paths.crm_database) in message
    assert "is damaged" in message and "malformed" in message
    assert paths.crm_database.read_bytes() == before


def test_a_lost_database_without_a_backup_can_start_afresh_after_a_question(
    qapp: QApplication,
) -> None:
    add_accounts("Acme Logistics Sp. z o.o.")
    paths = profile_paths()
    paths.local_database.unlink()
    offered: list[tuple[bool, bool]] = []

    def start_afresh(dialog: QWidget) -> None:
        assert isinstance(dialog, DatabaseProblemDialog)
        offered.append((dialog.restore_button.isVisible(), dialog.backup_list.isVisible()))
        dialog.afresh_button.click()

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "What it held is lost" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    session = Session(qapp).answer(start_afresh).answer(yes)
    assert session.launch() == 0

    assert session.failures == []
    assert offered == [(False, False)]
    assert len(session.windows) == 1
    assert paths.local_database.stat().st_size > 0


def test_damage_found_in_the_background_brings_the_dialog_and_the_window_back_mended(
    qapp: QApplication, paths: ProfilePaths
) -> None:
    damage_only_an_index(paths.crm_database)  # the quick check at start passes
    listed: list[list[str]] = []
    session = Session(qapp).answer(choose_backup(0, listed))
    session.windows_to_see = 2  # the one the damage was found in, and the one after mending

    assert session.launch() == 0

    assert session.failures == []
    assert len(listed) == 1 and len(session.windows) == 2
    assert account_names(paths) == ["Acme Logistics Sp. z o.o.", "Müller Maschinenbau GmbH"]
    connection = sqlite3.connect(paths.crm_database)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()


def test_the_window_backs_up_once_a_day_in_the_background(
    qapp: QApplication, paths: ProfilePaths
) -> None:
    for backup in backups_of(paths.crm_database):
        age(backup.path, days=2)
    before = len(backups_of(paths.crm_database))
    session = Session(qapp)
    session.until = lambda: len(backups_of(paths.crm_database)) > before

    assert session.launch() == 0

    backups = backups_of(paths.crm_database)
    assert len(backups) == before + 1
    connection = sqlite3.connect(backups[-1].path)
    names = sorted(row[0] for row in connection.execute("SELECT name FROM accounts"))
    connection.close()
    assert names == account_names(paths)
