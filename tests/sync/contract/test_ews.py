"""The backend contract for the EWS backend, end to end over HTTP against the sandbox; and how
EWS folder classes become what a folder holds."""

from __future__ import annotations

import pytest

from app.sync.backend import FolderContent
from app.sync.ews.convert import folder_content
from tests.support.remote import Remote, SandboxRemote
from tests.support.sandbox import Sandbox
from tests.sync.contract.contract import BackendContract


class TestEwsBackend(BackendContract):
    @pytest.fixture
    def remote(self, sandbox: Sandbox) -> Remote:
        return SandboxRemote(sandbox, sandbox.new_user("Anna Nowak", domain="brightwave.example"))


@pytest.mark.parametrize(
    ("folder_class", "content"),
    [
        ("IPF.Note", FolderContent.MAIL),
        ("IPF.Note.OutlookHomepage", FolderContent.MAIL),
        (None, FolderContent.MAIL),  # Outlook treats a folder without a class as mail
        ("IPF.Appointment", FolderContent.CALENDAR),
        ("IPF.Task", FolderContent.TASKS),
        ("IPF.Contact.MOC.QuickContacts", FolderContent.CONTACTS),
        ("IPF.StickyNote", FolderContent.NOTES),
        ("IPF.Journal", FolderContent.JOURNAL),
        ("IPF.Configuration", FolderContent.OTHER),
        ("IPF.Notes", FolderContent.OTHER),  # not a kind of IPF.Note
    ],
)
def test_a_folder_class_says_what_the_folder_holds(
    folder_class: str | None, content: FolderContent
) -> None:
    assert folder_content(folder_class) is content
