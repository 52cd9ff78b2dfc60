"""Account setup: the address, then autodiscover or a server, the sign-in, and a Test connection
step that shows each check (DNS, TLS, credentials, mailbox, server version) and what failed."""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import QObject, Signal
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

from app.accounts import AccountError, new_account
from app.services.account import AccountForm, ConnectionCheck
from app.ui.background import Background
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line, keep_content_whole
from app.ui.errors import user_message
from app.ui.icons import icon
from app.ui.ports import AccountService

log = logging.getLogger(__name__)


class _CheckRelay(QObject):
    """Checks arrive on the worker's thread; a queued signal brings each to the dialog."""

    arrived = Signal(object)


class AccountDialog(QDialog):
    tested = Signal(bool)  # every check passed

    def __init__(
        self,
        services: AccountService,
        form: AccountForm | None,
        parent: QWidget | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mail account"))
        self._services = services
        self._background = Background(self)
        self._relay = _CheckRelay(self)
        self._relay.arrived.connect(self._show_check)
        self._editing = form is not None
        layout = QVBoxLayout(self)
        keep_content_whole(self, 560)
        if reason:
            why = QLabel(escape(reason))
            why.setObjectName("accountReason")
            why.setWordWrap(True)
            layout.addWidget(why)
        fields = QFormLayout()
        self.address = QLineEdit(form.address if form else "")
        self.address.setObjectName("accountAddress")
        self.address.setPlaceholderText("anna.nowak@example.com")
        fields.addRow(self.tr("Email address:"), self.address)
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
        layout.addLayout(fields)
        self.tls_warning = QLabel(
            self.tr("Without verification anyone between you and the server could read your mail.")
        )
        self.tls_warning.setWordWrap(True)
        self.tls_warning.setVisible(not self.verify_tls.isChecked())
        self.verify_tls.toggled.connect(lambda on: self.tls_warning.setVisible(not on))
        layout.addWidget(self.tls_warning)
        self.test_button = QPushButton(icon("sync"), self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        layout.addWidget(self.test_button)
        self.checks = QListWidget()
        self.checks.setObjectName("connectionChecks")
        self.checks.setAccessibleName(self.tr("Connection checks"))
        self.checks.setMinimumHeight(self.fontMetrics().height() * 7)
        layout.addWidget(self.checks)
        self.error = error_line("accountError")
        layout.addWidget(self.error)
        self.buttons = accept_buttons(self, StandardButton.Save)
        layout.addWidget(self.buttons)
        self.test_button.clicked.connect(self.test)
        self._waiting_line: QListWidgetItem | None = None
        (self.secret if self._editing else self.address).setFocus()

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
        super().done(result)
