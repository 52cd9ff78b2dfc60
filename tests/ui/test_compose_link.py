"""`liaison --compose mailto:…`: the desktop's mailto handler opens a new email, filled in."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.accounts import new_account, save_account
from app.cli import build_parser, run
from app.mailbox.sync_options import set_sync_option
from app.ui.compose_dialog import ComposeDialog
from app.ui.launch import compose_link
from app.ui.mailto import parse_mailto
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.ui.dialogs import when_dialog_opens

LINK = (
    "mailto:jan.kowalski@acme.pl?cc=biuro@acme.pl"
    "&subject=Oferta%20na%20palety&body=Dzie%C5%84%20dobry%2C%0D%0A%0D%0Aw%20za%C5%82%C4%85czeniu"
)


def test_the_compose_option_takes_the_link_the_desktop_passes() -> None:
    assert build_parser().parse_args(["--compose", LINK]).compose == LINK


def test_a_link_fills_to_cc_subject_and_body(window: MainWindow) -> None:
    seen: dict[str, str] = {}

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        seen.update(
            to=dialog.to.text(),
            cc=dialog.cc.text(),
            subject=dialog.subject.text(),
            body=dialog.body.toPlainText(),
        )
        dialog.reject()

    failures = when_dialog_opens(read)
    window.new_email(parse_mailto(LINK))

    assert not failures
    assert seen == {
        "to": "jan.kowalski@acme.pl",
        "cc": "biuro@acme.pl",
        "subject": "Oferta na palety",
        "body": "Dzień dobry,\n\nw załączeniu",
    }


def test_a_blind_copy_the_link_asks_for_fills_bcc(window: MainWindow) -> None:
    seen: list[str] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        seen.append(dialog.bcc.text())
        dialog.reject()

    failures = when_dialog_opens(read)
    window.new_email(parse_mailto("mailto:jan@acme.pl?bcc=prezes@brightwave.pl"))

    assert not failures
    assert seen == ["prezes@brightwave.pl"]


def test_a_link_that_is_not_mailto_is_refused_in_words(window: MainWindow) -> None:
    said: list[str] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        said.append(dialog.text())
        dialog.accept()

    failures = when_dialog_opens(read)
    compose_link(window, "https://acme.pl/kontakt")

    assert not failures
    assert said == ["'https://acme.pl/kontakt' is not a mailto: link"]


def test_liaison_compose_opens_the_window_with_the_new_email(
    qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window installs its own exception hooks; the test run keeps pytest's.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    with Workspace.open() as workspace:
        workspace.initialise(mailbox.address, mailbox.display_name)
        save_account(workspace, new_account(mailbox.address, sandbox.url), mailbox.password)
        with workspace.local.sessions.begin() as session:
            set_sync_option(session, "streaming", "off")
    seen: list[tuple[str, str]] = []

    def read_and_quit(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        seen.append((dialog.to.text(), dialog.subject.text()))
        window = dialog.parent()
        dialog.reject()
        assert isinstance(window, MainWindow)
        window.close()  # the last window: the application's loop ends and run() returns

    failures = when_dialog_opens(read_and_quit)
    assert run(["--compose", LINK]) == 0

    assert not failures
    assert seen == [("jan.kowalski@acme.pl", "Oferta na palety")]
