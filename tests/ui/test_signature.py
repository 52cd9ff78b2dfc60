"""The signature of Tools > Options > Mail: under an empty line in a new message, above the quoted
text in a reply or forward, as Outlook adds it; once only in a draft opened again; by request in
`liaison mail send|reply|forward --signature`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.mailbox.models import OutboxEntry
from app.mailbox.remote import FolderContent
from app.mailbox.replies import ResponseKind
from app.services.compose import EmailDraft
from app.services.workspace import WorkspaceServices
from app.ui.compose_dialog import ComposeDialog
from app.ui.main_window import MainWindow
from app.ui.options_dialog import OptionsDialog
from tests.ui.cli_runs import liaison
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile, add_folder

SIGNATURE = "Anna Nowak\nBrightwave Sp. z o.o. · +48 22 123 45 67"


@pytest.fixture
def signed(services: WorkspaceServices) -> WorkspaceServices:
    services.save_options(replace(services.options(), signature=SIGNATURE))
    return services


@pytest.fixture
def drafts(profile: BuiltProfile) -> int:
    profile.folders["drafts"] = add_folder(
        profile.workspace, "drafts", "Drafts", FolderContent.MAIL
    )
    return profile.folders["drafts"]


def composed(window: MainWindow, open_it: Any) -> dict[str, str]:
    """What the compose window shows when `open_it` opens it (then closed unsent)."""
    seen: dict[str, str] = {}

    def look(dialog: ComposeDialog) -> None:
        seen.update(body=dialog.body.toPlainText(), subject=dialog.subject.text())
        dialog.reject()

    failures = when_dialog_opens(look, ComposeDialog)
    open_it()
    assert not failures
    return seen


def waiting_sends(profile: BuiltProfile) -> list[dict[str, Any]]:
    with profile.workspace.local.sessions() as session:
        entries = session.query(OutboxEntry).filter_by(kind="send", state="pending")
        return [dict(entry.payload) for entry in entries]


# Options


def test_the_signature_typed_in_options_is_kept_in_the_profile(
    window: MainWindow, qtbot: QtBot
) -> None:
    def type_it(dialog: QDialog) -> None:
        assert isinstance(dialog, OptionsDialog)
        dialog.tabs.setCurrentIndex(1)
        dialog.signature.setPlainText(SIGNATURE)
        dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog_opens(type_it)
    window.options_action.trigger()

    assert not failures
    assert window.services.options().signature == SIGNATURE
    reopened = OptionsDialog(window.services.options())
    qtbot.addWidget(reopened)
    assert reopened.signature.toPlainText() == SIGNATURE


# The window


def test_a_new_email_opens_on_an_empty_line_above_the_signature(
    signed: WorkspaceServices, qtbot: QtBot
) -> None:
    window = MainWindow(signed)
    qtbot.addWidget(window)

    seen = composed(window, window.new_email_action.trigger)

    assert seen["body"] == f"\n\n{SIGNATURE}"


@pytest.mark.parametrize("kind", [ResponseKind.REPLY, ResponseKind.FORWARD])
def test_a_reply_or_forward_has_the_signature_above_the_quoted_text(
    signed: WorkspaceServices, profile: BuiltProfile, qtbot: QtBot, kind: ResponseKind
) -> None:
    window = MainWindow(signed)
    window.mail.mark_read_seconds = None
    qtbot.addWidget(window)
    assert window.message_list.select_item(profile.items["offer"])

    seen = composed(window, lambda: window.mail.respond(kind))

    body = seen["body"]
    assert body.index("Brightwave Sp. z o.o.") < body.index("w załączeniu przesyłam")
    assert body.lstrip("\n").startswith("Anna Nowak")


def test_a_draft_opened_again_has_its_signature_once(
    signed: WorkspaceServices, drafts: int, qtbot: QtBot
) -> None:
    window = MainWindow(signed)
    qtbot.addWidget(window)
    written = signed.new_email(
        EmailDraft(to=("ewa@wisniewska-design.pl",), cc=(), subject="Wycena", body="")
    )
    draft_id = signed.save_draft(replace(written, body="Dzień dobry," + written.body))

    seen = composed(window, lambda: window.mail.open_draft(draft_id))

    assert seen["body"].count("Brightwave Sp. z o.o.") == 1
    assert seen["body"].startswith("Dzień dobry,\n\nAnna Nowak")


def test_without_a_signature_a_new_email_opens_empty(
    services: WorkspaceServices, qtbot: QtBot
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)

    assert composed(window, window.new_email_action.trigger)["body"] == ""


def test_the_options_mail_tab_speaks_polish(
    in_polish: None, services: WorkspaceServices, qtbot: QtBot
) -> None:
    dialog = OptionsDialog(services.options())
    qtbot.addWidget(dialog)

    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Co śledzić",
        "Poczta",
        "Ogólne",
    ]
    assert dialog.signature.accessibleName() == "Podpis"


# The command line


def test_send_with_signature_puts_it_under_the_text(
    signed: WorkspaceServices, profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    liaison(
        capsys, "mail", "send", "--to", "ewa@wisniewska-design.pl", "--subject", "Wycena",
        "--body", "W załączeniu wycena.", "--signature",
    )  # fmt: skip

    (sent,) = waiting_sends(profile)
    assert sent["body_text"] == f"W załączeniu wycena.\n\n{SIGNATURE}"


def test_a_reply_without_signature_leaves_it_out_for_scripts(
    signed: WorkspaceServices, profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    liaison(capsys, "mail", "reply", str(profile.items["offer"]), "--body", "Dziękuję.")

    (sent,) = waiting_sends(profile)
    assert "Brightwave Sp. z o.o." not in sent["body_text"]


def test_a_reply_with_signature_puts_it_above_the_quote(
    signed: WorkspaceServices, profile: BuiltProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    liaison(
        capsys, "mail", "reply", str(profile.items["offer"]), "--body", "Dziękuję.",
        "--signature", "--language", "en",
    )  # fmt: skip

    (sent,) = waiting_sends(profile)
    assert sent["body_text"].startswith(f"Dziękuję.\n\n{SIGNATURE}\n\n-----Original Message-----")
