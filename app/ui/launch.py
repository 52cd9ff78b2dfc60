"""Starting the desktop window: the application, the profile (or the demo), logging, language,
appearance, and the window itself."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import __version__
from app.config import ProfilePaths, SettingsError, profile_paths
from app.database_care import (
    DamagedDatabase,
    DatabaseProblem,
    MissingDatabase,
    backups_newest_first,
    daily_backups,
    restore,
    start_afresh,
    thorough_check,
)
from app.db import DatabaseError
from app.services.settings import APPEARANCE_KEY, UI_LANGUAGE_KEY
from app.services.workspace import WorkspaceServices
from app.ui.appearance import apply_appearance
from app.ui.background import Background
from app.ui.crash_dialog import install_crash_dialog
from app.ui.database_dialog import Choice, DatabaseProblemDialog
from app.ui.errors import set_log_path, user_message
from app.ui.i18n import install_language
from app.ui.icons import app_icon
from app.ui.logs import setup_logging
from app.ui.mailto import MailtoError, parse_mailto
from app.ui.main_window import MainWindow
from app.ui.single_instance import (
    Handover,
    InstanceServer,
    StartRequest,
    channel_name,
    hand_over,
)
from app.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class OpenedProfile:
    workspace: Workspace
    close: Callable[[], None]  # also stops the demo's sandbox server, for the demo


def open_profile() -> OpenedProfile:
    # The thorough check and the daily backup wait for the window (WindowController.show).
    workspace = Workspace.open(daily_backup=False)
    return OpenedProfile(workspace, workspace.close)


def open_demo() -> OpenedProfile:
    """The demo profile on its in-process sandbox mailbox, synced once (app.demo)."""
    from app.demo import prepare_demo

    session = prepare_demo(daily_backup=False)
    return OpenedProfile(session.workspace, session.close)


def open_until_mended(demo: bool, quit_after_load: bool = False) -> OpenedProfile | None:
    """The profile, opened; a damaged or lost database is put to the user (restore a backup,
    start it afresh, or quit) until it opens. None when it cannot open (said already). A smoke
    test (`quit_after_load`) has nobody to ask: it is told on stderr and ends."""
    while True:
        try:
            return open_demo() if demo else open_profile()
        except (DamagedDatabase, MissingDatabase) as problem:
            log.warning("the profile cannot open: %s", problem)
            if quit_after_load:
                _say_start_failed(user_message(problem), quit_after_load)
                return None
            if not mend(_paths(demo), problem):
                return None
        except (DatabaseError, SettingsError, OSError) as exc:
            _say_start_failed(user_message(exc), quit_after_load)
            return None
        except Exception as exc:
            log.exception("start failed")
            _say_start_failed(user_message(exc), quit_after_load)
            return None


def mend(paths: ProfilePaths, problem: DatabaseProblem, parent: QWidget | None = None) -> bool:
    """Ask what to do about `problem` and do it; False when the user chose to quit. Whether it
    worked shows when the profile is opened again (a refusal is said here)."""
    dialog = DatabaseProblemDialog(problem, backups_newest_first(problem.path), parent)
    dialog.exec()
    try:
        backup = dialog.chosen_backup()
        if backup is not None:
            restore(paths, problem.path, backup)
        elif dialog.choice is Choice.START_AFRESH:
            start_afresh(paths, problem.path)
        else:
            return False
    except DatabaseError as exc:
        log.warning("mending %s failed: %s", problem.path, exc)
        QMessageBox.warning(parent, "Liaison", user_message(exc))
    return True


class WindowController:
    """Owns the open profile and its window; rebuilds the window when language or look change."""

    def __init__(
        self,
        application: QApplication,
        profile: OpenedProfile,
        sync: bool = True,
        demo: bool = False,
    ) -> None:
        self.application = application
        self.profile = profile
        self.sync = sync  # off: the window never contacts the server (tests, screenshots)
        self.demo = demo
        self.window: MainWindow | None = None
        # The thorough check and the daily backup of each opened profile, off the UI thread;
        # owned by the application, so its job outlives a controller dropped meanwhile.
        self.upkeep = Background(application)
        self._upkept: Workspace | None = None

    def show(self) -> MainWindow:
        settings = self.profile.workspace.settings
        install_language(settings.get(UI_LANGUAGE_KEY))
        apply_appearance(self.application, settings.get(APPEARANCE_KEY))
        previous = self.window
        window = MainWindow(WorkspaceServices(self.profile.workspace))
        window.options_changed.connect(self.show)
        window.demo_requested.connect(self.switch_to_demo)
        if previous is not None:
            window.restoreGeometry(previous.saveGeometry())
            previous.close()
            previous.deleteLater()
        self.window = window
        window.show()
        if self.sync:
            window.start_sync()
        QTimer.singleShot(0, self._upkeep_in_background)
        return window

    def _upkeep_in_background(self) -> None:
        """Once per opened profile (not per rebuilt window): the thorough check of its
        databases, then the daily backup of those made before this start."""
        workspace = self.profile.workspace
        if self._upkept is workspace:
            return
        self._upkept = workspace
        databases, made_before = workspace.databases, list(workspace.made_before)

        def work() -> object:
            thorough_check(databases)
            return daily_backups(made_before, checked=True)

        self.upkeep.run(work, lambda _made: None, self._upkeep_failed)

    def _upkeep_failed(self, error: BaseException) -> None:
        # Anything else (a full disk during the backup) is in the log; the window goes on.
        if isinstance(error, (DamagedDatabase, MissingDatabase)):
            self._mend_while_open(error)

    def _mend_while_open(self, problem: DatabaseProblem) -> None:
        """Found damaged while the window runs: the window and the profile close (nothing may
        hold the file while it is replaced), then the profile opens again, mended."""
        if self.window is None or self._upkept is not self.profile.workspace:
            return  # the profile it was found in is closed already
        paths = self.profile.workspace.paths
        quits = self.application.quitOnLastWindowClosed()
        # The window closes for the while the profile is mended; the application stays.
        self.application.setQuitOnLastWindowClosed(False)
        try:
            self._close_window()
            self.profile.close()
            reopened = open_until_mended(self.demo) if mend(paths, problem) else None
        finally:
            self.application.setQuitOnLastWindowClosed(quits)
        if reopened is None:
            self.application.quit()
            return
        self.profile = reopened
        self.show()

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None

    def switch_to_demo(self) -> None:
        try:
            demo = open_demo()
        except Exception as exc:
            log.exception("the demo could not be opened")
            QMessageBox.warning(self.window, "Liaison", user_message(exc))
            return
        self.profile.close()
        self.profile = demo
        self.demo = True
        set_log_path(str(setup_logging(demo.workspace.paths.log_dir)))
        self.show()

    def take_request(self, request: StartRequest) -> None:
        """A second start on this profile: bring the window to the front, and compose."""
        window = self.window
        if window is None:
            return
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        if request.compose is not None:
            compose_link(window, request.compose)

    def close(self) -> None:
        self.upkeep.wait()  # a backup half-written is removed, but let it end in its own time
        self.profile.close()


def _paths(demo: bool) -> ProfilePaths:
    if demo:
        from app.demo import DEMO_PROFILE

        return profile_paths(DEMO_PROFILE)
    return profile_paths()


def launch(demo: bool, quit_after_load: bool = False, compose: str | None = None) -> int:
    """Run the window until it closes; returns the process exit code. `compose` is a mailto
    link (RFC 6068) to open in a new email once the window is up."""
    application = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(application, QApplication)
    application.setApplicationName("Liaison")
    application.setApplicationVersion(__version__)
    application.setOrganizationName("Liaison")
    application.setWindowIcon(app_icon())
    paths = _paths(demo)
    # Logging starts before the profile opens, so a failed upgrade of its database is in the log.
    set_log_path(str(setup_logging(paths.log_dir)))
    install_crash_dialog(application)
    channel = InstanceServer(channel_name(paths.data_dir))
    if not quit_after_load:  # the packaging smoke test must load a window of its own
        handed = hand_over(channel.name, StartRequest(compose))
        if handed is Handover.TAKEN:
            log.info("handed the start over to the window already open on this profile")
            return 0
        if handed is Handover.NOT_ANSWERING:
            QMessageBox.warning(None, "Liaison", _not_answering())
            return 1
        channel.listen()
    try:
        return _run_window(application, demo, quit_after_load, compose, channel)
    finally:
        channel.close()


def _run_window(
    application: QApplication,
    demo: bool,
    quit_after_load: bool,
    compose: str | None,
    channel: InstanceServer,
) -> int:
    profile = open_until_mended(demo, quit_after_load)
    if profile is None:
        return 1
    log.info("Liaison %s starting on profile %s", __version__, profile.workspace.paths.profile)
    controller = WindowController(application, profile, demo=demo)
    channel.requested.connect(controller.take_request)
    try:
        window = controller.show()
        if compose is not None:
            QTimer.singleShot(0, lambda: compose_link(window, compose))
        if quit_after_load:
            # Quit once the event loop has painted the first frame: a smoke test for packaging.
            QTimer.singleShot(0, application.quit)
        return application.exec()
    finally:
        controller.close()


def _say_start_failed(message: str, quit_after_load: bool) -> None:
    """A dialog, unless the start is a smoke test (--quit-after-load): nobody is there to close
    it, so the message goes to stderr and the process ends."""
    if quit_after_load:
        print(f"liaison: {message}", file=sys.stderr)
    else:
        QMessageBox.critical(None, "Liaison", message)


def _not_answering() -> str:
    return QCoreApplication.translate(
        "Launch",
        "Liaison is already open on this profile but does not answer. Close that window, or end "
        "Liaison in the task manager if it does not close, then start Liaison again.",
    )


def compose_link(window: MainWindow, link: str) -> None:
    """A new email filled from a mailto link; a link that is not one is said in words."""
    try:
        draft = parse_mailto(link)
    except MailtoError as exc:
        QMessageBox.warning(window, "Liaison", str(exc))
        return
    window.new_email(draft)
