"""What a desktop user expects of the window day to day: unread counts, pictures only when asked
for, keyboard shortcuts, a first start that offers a way in, Create Lead, and sync progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser
from pytestqt.qtbot import QtBot

from app.crm.models import Lead
from app.services.mail import TrackingState
from app.services.workspace import WorkspaceServices
from app.sync.progress import FolderCount, Phase, SyncProgress
from app.sync.status import SyncState, SyncStatus
from app.tracking.model import RecordType
from app.ui.main_window import MainWindow
from app.ui.regarding_dialog import RegardingDialog
from app.workspace import Workspace
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile, add_message


def folder_labels(window: MainWindow) -> list[str]:
    model = window.navigation.model()
    mail = model.index(0, 0)
    return [model.index(row, 0, mail).data() for row in range(model.rowCount(mail))]


def test_the_navigation_shows_unread_counts_beside_the_folders(window: MainWindow) -> None:
    labels = folder_labels(window)
    assert "Inbox  (2)" in labels
    assert "Sent Items" in labels


class _Pictures(BaseHTTPRequestHandler):
    """A web server on loopback with one picture; it counts who asked for it."""

    requests: ClassVar[list[str]] = []
    png: ClassVar[bytes] = b""

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.png)))
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def picture_server() -> Iterator[str]:
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    _Pictures.png = bytes(data.data())
    _Pictures.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_pictures_from_the_internet_load_only_when_the_user_asks(
    window: MainWindow, profile: BuiltProfile, picture_server: str, qtbot: QtBot
) -> None:
    logo = f"{picture_server}/logo.png"
    item_id = add_message(
        profile.workspace,
        profile.folders["inbox"],
        "newsletter-12",
        "Grudniowe nowości",
        ("Sklep Przykład", "news@sklep-przyklad.pl"),
        [("Anna Nowak", "anna.nowak@brightwave.pl")],
        datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        body_html=f"<p>Nowości na grudzień</p><p><img src='{logo}' width='4'></p>",
    )
    window.message_list.reload()
    assert window.message_list.select_item(item_id)
    pane = window.reading_pane
    assert "Nowości na grudzień" in pane.body.toPlainText()
    assert pane.images_bar.isVisible()
    assert "1 picture from the internet not shown" in pane.images_note.text()
    QApplication.processEvents()
    assert _Pictures.requests == []

    pane.load_images.click()

    qtbot.waitUntil(lambda: _Pictures.requests == ["/logo.png"], timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            isinstance(
                image := pane.body.loadResource(
                    QTextDocument.ResourceType.ImageResource, QUrl(logo)
                ),
                QImage,
            )
            and not image.isNull()
        ),
        timeout=10_000,
    )
    assert not pane.images_bar.isVisible()


def test_load_images_fetches_images_and_nothing_else(
    window: MainWindow, profile: BuiltProfile, picture_server: str, qtbot: QtBot
) -> None:
    web = picture_server
    item_id = add_message(
        profile.workspace,
        profile.folders["inbox"],
        "newsletter-13",
        "Zaproszenie na webinar",
        ("Sklep Przykład", "news@sklep-przyklad.pl"),
        [("Anna Nowak", "anna.nowak@brightwave.pl")],
        datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        body_html=(
            f"<table background='{web}/tlo.png'><tr><td style=\"background-image: "
            f"url('{web}/pasek.png')\"><img src='{web}/logo.png' width='4'></td></tr></table>"
            f"<iframe src='{web}/ramka.html'></iframe><script src='{web}/skrypt.js'></script>"
            f"<embed src='{web}/wtyczka.swf'><video src='{web}/film.mp4' poster='{web}/p.png'>"
            f"<source src='{web}/film.webm'></video><audio src='{web}/dzwiek.mp3'></audio>"
            f"<object data='{web}/obiekt.pdf'></object>"
        ),
    )
    window.message_list.reload()
    assert window.message_list.select_item(item_id)
    pane = window.reading_pane
    assert "3 pictures from the internet not shown" in pane.images_note.text()

    pane.load_images.click()

    images = ["/logo.png", "/pasek.png", "/tlo.png"]
    qtbot.waitUntil(lambda: all(loaded(pane.body, web + image) for image in images), timeout=10_000)
    # Every request went out at the click, together: what was not asked for by now never is.
    assert sorted(_Pictures.requests) == images


def loaded(browser: QTextBrowser, address: str) -> bool:
    image = browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(address))
    return isinstance(image, QImage) and not image.isNull()


def press(window: MainWindow, qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.message_list.view, key, modifiers)


def test_ctrl_e_puts_the_cursor_in_the_search_box(window: MainWindow, qtbot: QtBot) -> None:
    press(window, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.message_list.search.hasFocus()


def test_ctrl_t_tracks_the_selected_message(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.message_list.select_item(profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        press(window, qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.TRACKED


def test_ctrl_alt_r_opens_set_regarding(window: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+Shift+R is Reply All, as Outlook users expect; Set Regarding moved aside."""
    opened: list[str] = []

    def look(dialog: QDialog) -> None:
        opened.append(type(dialog).__name__)
        dialog.reject()

    failures = when_dialog_opens(look)
    press(
        window,
        qtbot,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    qtbot.waitUntil(lambda: bool(opened))
    assert not failures
    assert opened == [RegardingDialog.__name__]


def test_the_toolbar_actions_show_their_shortcuts(window: MainWindow) -> None:
    assert window.sync_action.toolTip() == "Send and receive now (F9)"
    assert window.track_action.toolTip() == "Track this message in the CRM (Ctrl+T)"
    assert window.untrack_action.shortcut().toString() == "Ctrl+Shift+T"
    assert window.options_action.shortcut().toString() == "Ctrl+,"


def test_create_lead_opens_the_lead_pre_filled_and_one_click_saves_it(
    window: MainWindow, profile: BuiltProfile
) -> None:
    inquiry = add_message(
        profile.workspace,
        profile.folders["inbox"],
        "inquiry-hotel",
        "Consulta sobre el software de reservas",
        ("Sra. Lucía Gómez Ruiz", "lucia.gomez@hotel-sol.es"),
        [("Anna Nowak", "anna.nowak@brightwave.pl")],
        datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        body_text="Buenos días, ¿podrían enviarnos una oferta?",
    )
    window.message_list.reload()
    assert window.message_list.select_item(inquiry)
    assert window.create_lead_action.isEnabled()

    failures = when_dialog_opens(lambda form: form.accept())  # saved as pre-filled
    window.create_lead_action.trigger()

    assert not failures
    facts = window.crm_pane.facts
    assert facts is not None and facts.sender is not None
    assert facts.sender.records[0].key.type is RecordType.LEAD
    with profile.workspace.crm.sessions() as session:
        lead = session.query(Lead).filter(Lead.company == "Hotel Sol").one()
        assert (lead.salutation, lead.first_name, lead.last_name) == ("Sra.", "Lucía", "Gómez Ruiz")
        assert lead.emails == ["lucia.gomez@hotel-sol.es"]


def test_a_first_start_without_an_account_offers_the_demo_or_account_setup(
    qtbot: QtBot,
) -> None:
    with Workspace.open() as workspace:
        window = MainWindow(WorkspaceServices(workspace))
        qtbot.addWidget(window)
        window.show()

        assert window.pages.currentWidget() is window.first_start
        assert window.status_bar.state.text() == "No mail account"
        assert not window.track_action.isEnabled()
        with qtbot.waitSignal(window.demo_requested):
            window.first_start.demo.click()
        window.close()


def _progress(phase: Phase, folder: FolderCount) -> SyncProgress:
    return SyncProgress(phase, folder.name, (folder,), folder.done, 40.0, 3.0)


def test_the_status_bar_shows_progress_while_syncing_and_hides_it_after(
    window: MainWindow,
) -> None:
    bar = window.status_bar
    bar.show_progress(_progress(Phase.ITEMS, FolderCount("Inbox", done=120, total=346)))
    assert bar.progress.isVisible()
    assert (bar.progress.value(), bar.progress.maximum()) == (120, 346)
    assert bar.progress.text() == "Inbox  120/346"

    bar.show_progress(_progress(Phase.FOLDERS, FolderCount("Sent Items", done=0, total=0)))
    assert bar.progress.maximum() == 0  # busy: the server has not said how many yet

    synced_at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    bar.show_status(SyncStatus(SyncState.ONLINE, synced_at, 0))
    assert not bar.progress.isVisible()
    assert bar.state.text() == "Up to date"
    assert bar.last_sync.text().startswith("Last sync ")


def test_while_syncing_the_status_says_which_folder_and_how_far(window: MainWindow) -> None:
    bar = window.status_bar
    bar.show_status(SyncStatus(SyncState.CONNECTING, None, 0))  # the first sync, still read so
    bar.show_progress(_progress(Phase.ITEMS, FolderCount("Inbox", done=120, total=450)))
    assert bar.state.text() == "Syncing Inbox 120/450"
    bar.show_progress(_progress(Phase.ITEMS, FolderCount("Conflicts", done=3, total=9)))
    assert bar.state.text() == "Syncing…"  # Exchange's bookkeeping folders go unnamed
    bar.show_progress(_progress(Phase.DONE, FolderCount("Inbox", done=450, total=450)))
    assert bar.state.text() == "Connecting…"


def test_an_offline_tooltip_explains_in_words_and_the_exception_goes_to_the_log(
    window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    exception = "No valid version headers found in response (ErrorTimeoutExpired('Reraised…'))"
    window.status_bar.show_status(SyncStatus(SyncState.OFFLINE, None, 2, exception))
    assert window.status_bar.state.text() == "Offline, 2 changes waiting"
    assert "cannot be reached" in window.status_bar.state.toolTip()
    assert "Error" not in window.status_bar.state.toolTip()
    assert exception in caplog.text


def test_a_passing_message_leaves_the_connection_state_in_view(window: MainWindow) -> None:
    window.status_bar.show_status(SyncStatus(SyncState.OFFLINE, None, 0))
    window.status_bar.showMessage("Saved Acme Sp. z o.o.", 5000)
    assert window.status_bar.state.isVisible()
    assert window.status_bar.state.text() == "Offline"
