"""Account setup: the address, then the kind of server. Exchange Server: autodiscover or a
server, the sign-in, and a Test connection step that shows each check (DNS, TLS, credentials,
mailbox, server version) and what failed. Microsoft 365: the organisation's app registration and
"Sign in with Microsoft", which opens the system browser."""

from __future__ import annotations

import logging
import threading
from html import escape

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import AccountError, new_account, new_microsoft_365_account
from app.services.account import AccountForm, ConnectionCheck, MicrosoftForm
from app.sync.graph_move import MoveCount
from app.ui.background import Background
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line, keep_content_whole
from app.ui.errors import user_message
from app.ui.icons import icon
from app.ui.ports import AccountService

log = logging.getLogger(__name__)


class _CheckRelay(QObject):
    """Checks arrive on the worker's thread; a queued signal brings each to the dialog."""

    arrived = Signal(object)
    # The sign-in asks for the browser from the worker's thread; the window's thread opens it.
    browse = Signal(str)


class AccountDialog(QDialog):
    tested = Signal(bool)  # every check passed
    signed_in = Signal(bool)  # the Microsoft 365 sign-in succeeded
    # An Exchange Server profile is about to be moved: the window stops its sync first, since
    # its engine was made for Exchange Web Services.
    moving = Signal()
    move_ended = Signal(bool)  # moved, or not (failed or cut off)

    def __init__(
        self,
        services: AccountService,
        form: AccountForm | None,
        parent: QWidget | None = None,
        reason: str = "",
        microsoft: MicrosoftForm | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mail account"))
        self._services = services
        self._background = Background(self)
        self._relay = _CheckRelay(self)
        self._relay.arrived.connect(self._show_check)
        self._relay.browse.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self._cancel_sign_in = threading.Event()
        self._editing = form is not None
        # The move is done once signed in, whether the dialog is then saved or cancelled.
        self.moved = False
        self.move_running = False  # may still be when the dialog has closed
        layout = QVBoxLayout(self)
        keep_content_whole(self, 560)
        if reason:
            why = QLabel(escape(reason))
            why.setObjectName("accountReason")
            why.setWordWrap(True)
            layout.addWidget(why)
        top = QFormLayout()
        address = form.address if form else microsoft.address if microsoft else ""
        self.address = QLineEdit(address)
        self.address.setObjectName("accountAddress")
        self.address.setPlaceholderText("anna.nowak@example.com")
        top.addRow(self.tr("Email address:"), self.address)
        self.exchange_server = QRadioButton(self.tr("Exchange Server"))
        self.microsoft_365 = QRadioButton(self.tr("Microsoft 365 (sign in with Microsoft)"))
        self.microsoft_365.setObjectName("accountMicrosoft365")
        kinds = QButtonGroup(self)
        kinds.addButton(self.exchange_server)
        kinds.addButton(self.microsoft_365)
        (self.microsoft_365 if microsoft else self.exchange_server).setChecked(True)
        top.addRow(self.tr("Server:"), self.exchange_server)
        top.addRow("", self.microsoft_365)
        layout.addLayout(top)
        # Opened because sync needs the user (reason): the kept sign-in is no good any more.
        self._signed_in = microsoft is not None and not reason
        self.microsoft_page = self._microsoft_page(microsoft if self._signed_in else None)
        if microsoft is not None:
            self._fill_microsoft(microsoft)
        layout.addWidget(self.microsoft_page)
        self.exchange_page = QWidget()
        exchange = QVBoxLayout(self.exchange_page)
        exchange.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.exchange_page)
        self.microsoft_365.toggled.connect(self._show_kind)
        fields = QFormLayout()
        self.autodiscover = QRadioButton(self.tr("Find the server from the address (autodiscover)"))
        self.explicit = QRadioButton(self.tr("Use this server:"))
        servers = QButtonGroup(self)
        servers.addButton(self.autodiscover)
        servers.addButton(self.explicit)
        self.server = QLineEdit(form.server or "" if form else "")
        self.server.setObjectName("accountServer")
        self.server.setPlaceholderText("https://mail.example.com/EWS/Exchange.asmx")
        (self.explicit if form is not None and form.server else self.autodiscover).setChecked(True)
        self.server.setEnabled(self.explicit.isChecked())
        self.explicit.toggled.connect(self.server.setEnabled)
        fields.addRow(self.autodiscover)
        fields.addRow(self.explicit, self.server)
        self.username = QLineEdit(form.username if form else "")
        self.username.setPlaceholderText(
            self.tr("the email address, unless the server wants another")
        )
        fields.addRow(self.tr("User name:"), self.username)
        self.auth = QComboBox()
        for value, label in (
            ("basic", self.tr("Password (Basic)")),
            ("ntlm", self.tr("Password (NTLM, Windows domain)")),
            ("oauth", self.tr("OAuth 2 access token")),
        ):
            self.auth.addItem(label, value)
        self.auth.setCurrentIndex(max(0, self.auth.findData(form.auth if form else "basic")))
        fields.addRow(self.tr("Sign in with:"), self.auth)
        self.secret = QLineEdit()
        self.secret.setObjectName("accountSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        if self._editing:
            self.secret.setPlaceholderText(self.tr("unchanged (kept in the system keyring)"))
        fields.addRow(self.tr("Password:"), self.secret)
        self.verify_tls = QCheckBox(self.tr("Verify the server's certificate (recommended)"))
        self.verify_tls.setChecked(form.verify_tls if form else True)
        fields.addRow(self.verify_tls)
        exchange.addLayout(fields)
        self.tls_warning = QLabel(
            self.tr("Without verification anyone between you and the server could read your mail.")
        )
        self.tls_warning.setWordWrap(True)
        self.tls_warning.setVisible(not self.verify_tls.isChecked())
        self.verify_tls.toggled.connect(lambda on: self.tls_warning.setVisible(not on))
        exchange.addWidget(self.tls_warning)
        self.test_button = QPushButton(icon("sync"), self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        exchange.addWidget(self.test_button)
        self.checks = QListWidget()
        self.checks.setObjectName("connectionChecks")
        self.checks.setAccessibleName(self.tr("Connection checks"))
        self.checks.setMinimumHeight(self.fontMetrics().height() * 7)
        exchange.addWidget(self.checks)
        self.error = error_line("accountError")
        layout.addWidget(self.error)
        self.buttons = accept_buttons(self, StandardButton.Save)
        layout.addWidget(self.buttons)
        self.test_button.clicked.connect(self.test)
        self._waiting_line: QListWidgetItem | None = None
        self._show_kind(self.microsoft_365.isChecked())
        (self.secret if self._editing else self.address).setFocus()

    def _fill_microsoft(self, microsoft: MicrosoftForm) -> None:
        self.client_id.setText(microsoft.client_id)
        self.tenant.setText(microsoft.tenant)
        self.login_url.setText(microsoft.login_url)
        self.graph_url.setText(microsoft.graph_url)

    def _microsoft_page(self, signed_in: MicrosoftForm | None) -> QWidget:
        page = QWidget()
        fields = QFormLayout(page)
        fields.setContentsMargins(0, 0, 0, 0)
        self.client_id = QLineEdit()
        self.client_id.setObjectName("accountClientId")
        self.client_id.setPlaceholderText(self.tr("from your organisation's app registration"))
        fields.addRow(self.tr("Application (client) ID:"), self.client_id)
        self.tenant = QLineEdit()
        self.tenant.setPlaceholderText(self.tr("any organisation (or your domain or tenant ID)"))
        fields.addRow(self.tr("Tenant:"), self.tenant)
        self.login_url = QLineEdit()
        self.login_url.setObjectName("accountLoginUrl")
        self.login_url.setPlaceholderText("https://login.microsoftonline.com")
        fields.addRow(self.tr("Sign-in address:"), self.login_url)
        # A national cloud's Graph (or the sandbox's) goes with its own sign-in address.
        self.graph_url = QLineEdit()
        self.graph_url.setObjectName("accountGraphUrl")
        self.graph_url.setPlaceholderText("https://graph.microsoft.com/v1.0")
        fields.addRow(self.tr("Graph address:"), self.graph_url)
        # Editing an Exchange Server account: signing in moves the profile, it does not replace it.
        self.move_note = QLabel(
            self.tr(
                "This profile syncs through Exchange Web Services. Signing in moves it to "
                "Microsoft 365 in place: every message, CRM link and waiting change is kept, "
                "and no message is downloaded again."
            )
        )
        self.move_note.setObjectName("accountMoveNote")
        self.move_note.setWordWrap(True)
        self.move_note.setVisible(self._editing)
        fields.addRow(self.move_note)
        self.sign_in_button = QPushButton(
            self.tr("Sign in and move to Microsoft 365")
            if self._editing
            else self.tr("Sign in with Microsoft")
        )
        self.sign_in_button.setObjectName("signInWithMicrosoft")
        self.sign_in_button.clicked.connect(self.sign_in)
        fields.addRow(self.sign_in_button)
        self.sign_in_state = QLabel(
            self.tr("Signed in; the sign-in is kept in the system keyring.") if signed_in else ""
        )
        self.sign_in_state.setObjectName("signInState")
        self.sign_in_state.setWordWrap(True)
        fields.addRow(self.sign_in_state)
        return page

    def _show_kind(self, microsoft: bool) -> None:
        self.microsoft_page.setVisible(microsoft)
        self.exchange_page.setVisible(not microsoft)

    def microsoft_form(self) -> MicrosoftForm:
        address = self.address.text().strip()
        new_microsoft_365_account(
            address,
            self.client_id.text().strip(),
            self.tenant.text().strip() or None,
            self.login_url.text().strip() or None,
            self.graph_url.text().strip() or None,
        )
        return MicrosoftForm(
            address,
            self.client_id.text().strip(),
            self.tenant.text().strip(),
            self.login_url.text().strip(),
            self.graph_url.text().strip(),
        )

    def sign_in(self) -> None:
        try:
            form = self.microsoft_form()
        except AccountError as exc:
            self._complain(str(exc))
            return
        self.error.hide()
        self.sign_in_button.setEnabled(False)
        self.sign_in_state.setText(self.tr("Sign in with Microsoft in the browser that opened…"))
        if self._editing:
            self.move_running = True
            self.moving.emit()
            self._background.run(
                lambda: self._services.move_to_microsoft_365(
                    form, self._relay.browse.emit, self._cancel_sign_in
                ),
                self._moved,
                self._move_failed,
            )
            return
        self._background.run(
            lambda: self._services.sign_in_with_microsoft(
                form, self._relay.browse.emit, self._cancel_sign_in
            ),
            self._sign_in_done,
            self._sign_in_failed,
        )

    def _move_failed(self, error: BaseException) -> None:
        self.move_running = False
        self._sign_in_failed(error)
        self.move_ended.emit(False)

    def _moved(self, count: MoveCount) -> None:
        self.moved, self.move_running = True, False
        # The profile is Microsoft 365's now: an Exchange Server account saved over it would
        # find the cache under Graph's ids.
        self.exchange_server.setEnabled(False)
        self._sign_in_done(self.address.text().strip())
        self.sign_in_button.setEnabled(False)  # moved: a second move would be refused
        kept = (
            self.tr("%1 folders, %2 mailbox items and %3 appointment and task links kept")
            .replace("%1", str(count.folders))
            .replace("%2", str(count.items))
            .replace("%3", str(count.links))
        )
        self.sign_in_state.setText(
            self.tr("Moved to Microsoft 365 (%1): save to sync through Microsoft Graph.").replace(
                "%1", kept
            )
        )
        self.move_ended.emit(True)

    def _sign_in_done(self, address: str) -> None:
        self.sign_in_button.setEnabled(True)
        self._signed_in = True
        self.sign_in_state.setText(
            self.tr("Signed in as %1: save to start syncing.").replace("%1", address)
        )
        self.signed_in.emit(True)

    def _sign_in_failed(self, error: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.sign_in_state.setText("")
        self._complain(user_message(error))
        self.signed_in.emit(False)

    def form(self) -> AccountForm:
        """What was entered, checked for shape (AccountError says what is wrong)."""
        server = self.server.text().strip() if self.explicit.isChecked() else None
        address = self.address.text().strip()
        username = self.username.text().strip() or address
        auth = str(self.auth.currentData())
        new_account(address, server or None, username, auth, self.verify_tls.isChecked())
        if self.explicit.isChecked() and not server:
            raise AccountError(self.tr("Give the server's address, or choose autodiscover"))
        if not self._editing and not self.secret.text():
            raise AccountError(self.tr("Enter the password"))
        return AccountForm(
            address, server, username, auth, self.secret.text(), self.verify_tls.isChecked()
        )

    def test(self) -> None:
        try:
            form = self.form()
        except AccountError as exc:
            self._complain(str(exc))
            return
        self.error.hide()
        self.checks.clear()
        self.test_button.setEnabled(False)
        self._waiting_line = QListWidgetItem(icon("sync"), self.tr("Contacting the server…"))
        self.checks.addItem(self._waiting_line)
        self._background.run(
            lambda: self._services.test_account(form, self._relay.arrived.emit),
            self._tested,
            self._test_failed,
        )

    def _show_check(self, check: ConnectionCheck) -> None:
        self._drop_waiting_line()
        self.checks.addItem(
            QListWidgetItem(
                icon("passed" if check.passed else "failed"),
                f"{self._check_name(check.name)}: {check.detail}",
            )
        )
        if not check.passed and check.advice:
            self.checks.addItem(QListWidgetItem(f"    {check.advice}"))

    def _check_name(self, name: str) -> str:
        """The connection check's name in the window's language (its detail is the server's)."""
        names = {
            "DNS": self.tr("Server name"),
            "TLS": self.tr("Secure connection"),
            "Credentials": self.tr("Sign-in"),
            "Mailbox": self.tr("Mailbox"),
            "Server version": self.tr("Server version"),
        }
        return names.get(name, name)

    def _drop_waiting_line(self) -> None:
        if self._waiting_line is not None:
            self.checks.takeItem(self.checks.row(self._waiting_line))
            self._waiting_line = None

    def _tested(self, results: list[ConnectionCheck]) -> None:
        self._drop_waiting_line()
        self.test_button.setEnabled(True)
        passed = bool(results) and all(check.passed for check in results)
        if passed:
            self.checks.addItem(
                QListWidgetItem(icon("online"), self.tr("Everything works: save to start syncing."))
            )
        self.tested.emit(passed)

    def _test_failed(self, error: BaseException) -> None:
        self._drop_waiting_line()
        self.test_button.setEnabled(True)
        self._complain(user_message(error))
        self.tested.emit(False)

    def accept(self) -> None:
        if self.microsoft_365.isChecked():
            # Signing in kept the account; without a sign-in there is nothing to sync with.
            if not self._signed_in:
                self._complain(self.tr("Sign in with Microsoft first"))
                return
            super().accept()
            return
        try:
            self._services.save_account(self.form())
        except Exception as exc:
            # The words may point at the log for the details: they must be there.
            log.exception("the account was not saved")
            self._complain(user_message(exc))
            return
        super().accept()

    def _complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def done(self, result: int) -> None:
        # A test still running finishes in the background; its result is not shown any more.
        self._relay.arrived.disconnect(self._show_check)
        self._cancel_sign_in.set()
        super().done(result)
