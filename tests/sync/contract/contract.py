"""What every mail backend must do, as one suite (vdirsyncer's StorageTests pattern); what a
mail client needs of it (read state, flags, moves, junk, attachments, drafts, sending) is in
mail_contract.py, included here.

`BackendContract` holds the tests; a subclass per backend (test_memory.py, test_ews.py, a
Graph backend's test_graph.py) provides the `remote` fixture: the server behind the backend,
with "another client" and fault switches (tests/support/remote.py). Each test connects a
backend through its factory, as the engine does, and checks what it reports, writes and
refuses against what the other client sees.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from email.utils import make_msgid
from typing import Any

import pytest

from app.sync import activity_fields
from app.sync.backend import (
    Check,
    DistinguishedFolder,
    FolderContent,
    ItemKind,
    LinkState,
    MailBackend,
    MarkChange,
    OutgoingMessage,
    RemoteMark,
)
from app.sync.errors import (
    AuthenticationFailed,
    ChangeConflict,
    FolderGone,
    InvalidSyncState,
    ItemGone,
    ServerUnreachable,
)
from app.tracking.model import Address
from tests.support.remote import Remote
from tests.sync.contract.mail_contract import MailClientContract
from tests.sync.engine.conftest import mime

TRACKED = "Tracked to Liaison"
LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
GRETA = "Greta Schulz <greta.schulz@mueller-mb.example>"
PAGE = 512


class BackendContract(MailClientContract):
    @pytest.fixture
    def remote(self) -> Remote:
        raise NotImplementedError("a backend's test module provides the server behind it")

    @pytest.fixture
    def backend(self, remote: Remote) -> Iterator[MailBackend]:
        connected = remote.backends().connect(
            remote.account(), lambda: remote.user.password, threading.Event(), _ignore
        )
        yield connected.backend
        connected.backend.close()

    @contextmanager
    def connected(self, remote: Remote) -> Iterator[MailBackend]:
        """A backend of its own, connected as the engine connects one."""
        connection = remote.backends().connect(
            remote.account(), lambda: remote.user.password, threading.Event(), _ignore
        )
        try:
            yield connection.backend
        finally:
            connection.backend.close()

    @pytest.fixture
    def folders(self, backend: MailBackend) -> dict[DistinguishedFolder, str]:
        return {name: folder.id for name, folder in backend.distinguished_folders().items()}

    def deliver(self, remote: Remote, sender: str, subject: str) -> str:
        message_id = make_msgid(domain="acme-logistics.example")
        remote.deliver(mime(sender, remote.user.address, subject, message_id=message_id))
        return message_id

    def synced(self, backend: MailBackend, folder_id: str) -> str:
        """The folder read to its end; the sync state after it."""
        state = None
        while True:
            page = backend.item_changes(folder_id, ItemKind.MESSAGE, state, PAGE)
            state = page.sync_state
            if not page.more:
                return state

    # The account test

    def test_the_account_test_passes_every_check_for_the_right_password(
        self, remote: Remote
    ) -> None:
        heard: list[Check] = []
        checks, _build = remote.backends().diagnose(
            remote.account(), lambda: remote.user.password, heard.append
        )

        assert checks and all(check.ok for check in checks)
        assert heard == checks

    def test_the_account_test_stops_at_a_wrong_password_and_says_what_to_do(
        self, remote: Remote
    ) -> None:
        checks, _build = remote.backends().diagnose(
            remote.account(), lambda: "not-the-password", None
        )

        assert [check.ok for check in checks] == [True] * (len(checks) - 1) + [False]
        assert checks[-1].advice

    # Folders

    def test_the_distinguished_folders_say_what_they_hold(self, backend: MailBackend) -> None:
        found = backend.distinguished_folders()

        assert found[DistinguishedFolder.INBOX].content is FolderContent.MAIL
        assert found[DistinguishedFolder.SENT].content is FolderContent.MAIL
        assert found[DistinguishedFolder.CALENDAR].content is FolderContent.CALENDAR
        assert found[DistinguishedFolder.TASKS].content is FolderContent.TASKS
        assert len({folder.id for folder in found.values()}) == len(found)

    def test_the_hierarchy_lists_every_folder_then_only_what_changed(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        first = backend.folder_changes(None)
        assert folders[DistinguishedFolder.INBOX] in {f.id for f in first.changed}
        remote.create_folder("Acme Logistics")

        second = backend.folder_changes(first.sync_state)

        # The new folder, and its parent, whose children changed; nothing else.
        changed = {folder.name: folder for folder in second.changed}
        assert set(changed) <= {"Acme Logistics", "Inbox"}
        created = changed["Acme Logistics"]
        assert created.parent_id == folders[DistinguishedFolder.INBOX]
        assert created.content is FolderContent.MAIL
        remote.delete_folder("Acme Logistics")
        third = backend.folder_changes(second.sync_state)
        assert third.deleted == [created.id]
        assert {folder.name for folder in third.changed} <= {"Inbox"}

    # Changes, page by page

    def test_changes_come_in_pages_and_the_last_state_covers_them_all(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        subjects = [f"Zamówienie nr {n}" for n in range(1, 6)]
        for subject in subjects:
            self.deliver(remote, LUKASZ, subject)
        inbox = folders[DistinguishedFolder.INBOX]

        pages, state = [], None
        while True:
            page = backend.item_changes(inbox, ItemKind.MESSAGE, state, 2)
            pages.append(page)
            state = page.sync_state
            if not page.more:
                break

        assert [len(page.created) for page in pages] == [2, 2, 1]
        assert [item.subject for page in pages for item in page.created] == subjects
        after = backend.item_changes(inbox, ItemKind.MESSAGE, state, 2)
        assert after.count == 0 and not after.more

    def test_a_page_asked_for_again_with_the_same_state_comes_again(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        for subject in ("Angebot 1", "Angebot 2", "Angebot 3"):
            self.deliver(remote, GRETA, subject)
        inbox = folders[DistinguishedFolder.INBOX]
        first = backend.item_changes(inbox, ItemKind.MESSAGE, None, 2)

        # A crash before the page was committed: the same state asks for the same page.
        again = backend.item_changes(inbox, ItemKind.MESSAGE, first.sync_state, 2)
        once_more = backend.item_changes(inbox, ItemKind.MESSAGE, first.sync_state, 2)

        assert [i.id for i in again.created] == [i.id for i in once_more.created]
        assert [i.subject for i in again.created] == ["Angebot 3"]

    def test_changes_since_a_state_are_creates_updates_deletes_and_read_flags(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        for subject in ("Termin dostawy", "Reklamacja 4711", "Faktura 2026/10/17"):
            self.deliver(remote, LUKASZ, subject)
        inbox = folders[DistinguishedFolder.INBOX]
        first = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE)
        ids = {item.subject: item.id for item in first.created}

        remote.set_categories("inbox", "Termin dostawy", ["Pilne"])
        remote.delete("inbox", "Reklamacja 4711")
        remote.set_read("inbox", "Faktura 2026/10/17", True)
        self.deliver(remote, GRETA, "Angebot Wartungsvertrag")
        changes = backend.item_changes(inbox, ItemKind.MESSAGE, first.sync_state, PAGE)

        assert [item.subject for item in changes.created] == ["Angebot Wartungsvertrag"]
        assert [(item.id, item.categories) for item in changes.updated] == [
            (ids["Termin dostawy"], ("Pilne",))
        ]
        assert changes.deleted == [ids["Reklamacja 4711"]]
        assert changes.read_flags == [(ids["Faktura 2026/10/17"], True)]

    def test_an_item_changed_twice_is_reported_once_as_it_is_now(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Termin dostawy")
        state = self.synced(backend, folders[DistinguishedFolder.INBOX])
        remote.set_categories("inbox", "Termin dostawy", ["Pilne"])
        remote.set_categories("inbox", "Termin dostawy", ["Pilne", "Acme"])

        changes = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, state, PAGE
        )

        assert [item.categories for item in changes.updated] == [("Pilne", "Acme")]

    def test_an_item_created_and_deleted_between_two_syncs_is_not_reported(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        state = self.synced(backend, folders[DistinguishedFolder.INBOX])
        self.deliver(remote, GRETA, "Spam? Gewinnspiel")
        remote.delete("inbox", "Spam? Gewinnspiel")

        changes = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, state, PAGE
        )

        assert changes.count == 0

    # Lost sync states

    def test_a_sync_state_the_server_did_not_give_for_this_folder_is_invalid(
        self, backend: MailBackend, folders: dict[DistinguishedFolder, str]
    ) -> None:
        of_the_inbox = self.synced(backend, folders[DistinguishedFolder.INBOX])
        sent = folders[DistinguishedFolder.SENT]

        with pytest.raises(InvalidSyncState):
            backend.item_changes(sent, ItemKind.MESSAGE, of_the_inbox, PAGE)
        with pytest.raises(InvalidSyncState):
            backend.item_changes(sent, ItemKind.MESSAGE, "H4sIAAAAAAAEAO29B2AcSZYlJi9t", PAGE)

    def test_a_sync_from_scratch_lists_every_item_again(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Termin dostawy")
        self.deliver(remote, GRETA, "Angebot Wartungsvertrag")
        inbox = folders[DistinguishedFolder.INBOX]
        self.synced(backend, inbox)

        again = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE)

        assert sorted(i.subject for i in again.created) == [
            "Angebot Wartungsvertrag",
            "Termin dostawy",
        ]

    def test_changes_of_a_folder_deleted_meanwhile_raise_folder_gone(
        self, backend: MailBackend, remote: Remote
    ) -> None:
        remote.create_folder("Do przeczytania")
        (folder,) = [f for f in backend.folder_changes(None).changed if f.name == "Do przeczytania"]
        remote.delete_folder("Do przeczytania")

        with pytest.raises(FolderGone):
            backend.item_changes(folder.id, ItemKind.MESSAGE, None, PAGE)

    # Items and bodies

    def test_messages_carry_their_headers_and_bodies_come_on_request(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        message_id = self.deliver(remote, LUKASZ, "Oferta na Q4")
        (item,) = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created

        assert item.message_id == message_id
        assert item.sender is not None
        assert (item.sender.email, item.sender.name) == (
            "l.wisniewski@acme-logistics.example",
            "Łukasz Wiśniewski",
        )
        assert [a.email for a in item.to] == [remote.user.address]
        assert item.conversation_id and not item.is_read
        bodies = backend.bodies([item.id])
        assert "Dzień dobry" in (bodies[item.id].text or "")

    def test_a_page_read_for_its_bodies_lists_and_gives_what_any_page_does(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Oferta na Q4")
        self.deliver(remote, GRETA, "Angebot Wartungsvertrag")
        inbox = folders[DistinguishedFolder.INBOX]
        plain = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE)
        plain_bodies = backend.bodies([item.id for item in plain.created])

        hinted = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE, bodies_follow=True)
        hinted_bodies = backend.bodies([item.id for item in hinted.created])

        assert hinted.created == plain.created and not hinted.more
        assert hinted_bodies == plain_bodies
        assert all("Dzień dobry" in (body.text or "") for body in hinted_bodies.values())

    def test_items_and_bodies_leave_out_an_item_that_is_gone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Termin dostawy")
        self.deliver(remote, GRETA, "Angebot Wartungsvertrag")
        created = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created
        ids = {item.subject: item.id for item in created}
        remote.delete("inbox", "Angebot Wartungsvertrag")

        found = backend.items(ItemKind.MESSAGE, list(ids.values()))

        assert list(found) == [ids["Termin dostawy"]]
        assert list(backend.bodies(list(ids.values()))) == [ids["Termin dostawy"]]

    # Marks

    def inbox_item(self, backend: MailBackend, folders: dict[DistinguishedFolder, str]) -> Any:
        (item,) = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created
        return item

    def test_a_mark_adds_and_removes_categories_and_sets_liaisons_properties(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        remote.set_categories("inbox", "Reklamacja dostawy 4711", ["Could not track", "Acme"])
        item = self.inbox_item(backend, folders)
        mark = RemoteMark(LinkState.TRACKED, 42, "account:7", TRACKED, "client-0001")

        written = backend.write_marks(
            [MarkChange(item.id, (TRACKED,), ("Could not track",), mark)]
        )[item.id]

        assert not isinstance(written, Exception)
        assert written.categories == ("Acme", TRACKED)
        assert written.change_key != item.change_key
        (now,) = backend.items(ItemKind.MESSAGE, [item.id]).values()
        assert now.mark == mark and now.categories == ("Acme", TRACKED)
        (seen,) = remote.items("inbox")
        assert seen.categories == ("Acme", TRACKED)

    def marks_for_new_mail(
        self,
        backend: MailBackend,
        remote: Remote,
        folders: dict[DistinguishedFolder, str],
        count: int,
    ) -> dict[str, RemoteMark]:
        """`count` messages delivered to the Inbox, and a mark of its own for each."""
        for number in range(count):
            self.deliver(remote, LUKASZ, f"Zamówienie nr {number:03}")
        items = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created
        assert len(items) == count
        return {
            item.id: RemoteMark(LinkState.TRACKED, 1000 + n, "account:7", TRACKED, f"client-{n}")
            for n, item in enumerate(items)
        }

    def assert_each_written(
        self,
        backend: MailBackend,
        remote: Remote,
        marks: dict[str, RemoteMark],
        written: dict[str, Any],
    ) -> None:
        assert written.keys() == marks.keys()
        assert not [result for result in written.values() if isinstance(result, Exception)]
        now = backend.items(ItemKind.MESSAGE, list(marks))
        assert {item_id: item.mark for item_id, item in now.items()} == marks
        assert {item.categories for item in remote.items("inbox")} == {(TRACKED,)}

    def test_marks_for_more_items_than_one_request_takes_are_each_written(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        marks = self.marks_for_new_mail(backend, remote, folders, 130)

        written = backend.write_marks(
            [MarkChange(item_id, (TRACKED,), (), mark) for item_id, mark in marks.items()]
        )

        self.assert_each_written(backend, remote, marks, written)

    def test_two_batches_of_marks_written_at_once_each_land(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """The push keeps two batches at the server at a time, each on a thread of its own."""
        marks = self.marks_for_new_mail(backend, remote, folders, 40)
        changes = [MarkChange(item_id, (TRACKED,), (), mark) for item_id, mark in marks.items()]

        with ThreadPoolExecutor(max_workers=2) as writers:
            halves = list(writers.map(backend.write_marks, (changes[::2], changes[1::2])))

        self.assert_each_written(backend, remote, marks, {**halves[0], **halves[1]})

    def test_properties_a_mark_leaves_out_are_deleted(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        item = self.inbox_item(backend, folders)
        tracked = RemoteMark(LinkState.TRACKED, 42, "account:7", TRACKED, "client-0001")
        backend.write_marks([MarkChange(item.id, (TRACKED,), (), tracked)])
        untracked = RemoteMark(LinkState.UNTRACKED_BUT_WAS, 42, None, None, "client-0002")

        backend.write_marks([MarkChange(item.id, (), (TRACKED,), untracked)])

        (now,) = backend.items(ItemKind.MESSAGE, [item.id]).values()
        assert now.mark == untracked and now.categories == ()

    def test_a_mark_carries_markup_characters_as_they_are(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        item = self.inbox_item(backend, folders)
        category = 'Sprzedaż & "Obsługa" <B2B>'
        mark = RemoteMark(LinkState.TRACKED, 42, "account:<7>&", category, "client-'0001'")

        backend.write_marks([MarkChange(item.id, (category,), (), mark)])

        (now,) = backend.items(ItemKind.MESSAGE, [item.id]).values()
        assert now.mark == mark and now.categories == (category,)

    def test_a_mark_with_a_stale_change_key_is_written_on_what_the_item_has_now(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        item = self.inbox_item(backend, folders)
        # Between our sync and our write, a phone adds a category of its own.
        remote.set_categories("inbox", "Reklamacja dostawy 4711", ["Pilne"])
        mark = RemoteMark(LinkState.TRACKED, 42, None, TRACKED, "client-0001")
        known = (item.change_key or "", item.categories)

        written = backend.write_marks([MarkChange(item.id, (TRACKED,), (), mark, known=known)])

        assert not isinstance(written[item.id], Exception)
        (seen,) = remote.items("inbox")
        assert set(seen.categories) == {"Pilne", TRACKED}

    def test_a_mark_on_an_item_that_is_gone_reports_item_gone(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        item = self.inbox_item(backend, folders)
        remote.delete("inbox", "Reklamacja dostawy 4711")
        known = (item.change_key or "", item.categories)
        mark = RemoteMark(LinkState.TRACKED, 42, None, TRACKED, "client-0001")

        for change in (
            MarkChange(item.id, (TRACKED,), (), mark),
            MarkChange(item.id, (TRACKED,), (), mark, known=known),
        ):
            assert isinstance(backend.write_marks([change])[item.id], ItemGone)

    def test_an_item_is_found_by_the_client_id_of_its_mark(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Reklamacja dostawy 4711")
        item = self.inbox_item(backend, folders)
        mark = RemoteMark(LinkState.PENDING, None, None, None, "client-0042")
        backend.write_marks([MarkChange(item.id, (), (), mark)])
        inbox = folders[DistinguishedFolder.INBOX]

        found = backend.find_by_client_id(inbox, ItemKind.MESSAGE, "client-0042")

        assert found is not None and found.id == item.id
        assert backend.find_by_client_id(inbox, ItemKind.MESSAGE, "client-0043") is None

    # Sending

    def test_a_sent_message_is_filed_in_sent_items_with_its_mark(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        sent = folders[DistinguishedFolder.SENT]
        message = OutgoingMessage(
            "Potwierdzenie zamówienia CRM:0001001",
            (Address("l.wisniewski@acme-logistics.example", "Łukasz Wiśniewski"),),
            body_text="Dzień dobry, potwierdzamy przyjęcie zamówienia.",
        )
        mark = RemoteMark(LinkState.PENDING, None, "account:7", None, "client-0007")
        assert backend.find_sent(sent, "client-0007") is None

        backend.send(message, mark, sent)

        assert backend.find_sent(sent, "client-0007") is not None
        (copy,) = backend.item_changes(sent, ItemKind.MESSAGE, None, PAGE).created
        assert copy.subject == message.subject and copy.message_id
        assert copy.mark.client_id == "client-0007" and copy.is_read
        assert copy.sender is not None and copy.sender.email == remote.user.address
        assert remote.outbound() == [message.subject]

    # Appointments and tasks

    def test_an_appointment_is_created_with_its_fields_and_the_tracking_mark(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        fields = activity_fields.normalised(ItemKind.APPOINTMENT, REVIEW)
        mark = RemoteMark(LinkState.TRACKED, 17, "account:7", TRACKED, "client-0017")
        calendar = folders[DistinguishedFolder.CALENDAR]

        ref = backend.create_item(calendar, ItemKind.APPOINTMENT, fields, mark)

        (item,) = backend.items(ItemKind.APPOINTMENT, [ref.id]).values()
        assert item.change_key == ref.change_key and item.mark == mark
        details = activity_fields.normalised(ItemKind.APPOINTMENT, item.details or {})
        assert details == fields
        (seen,) = remote.items("calendar")
        assert seen.categories == (TRACKED,)
        assert seen.fields == {key: fields[key] for key in ("subject", "start", "end", "location")}
        found = backend.find_by_client_id(calendar, ItemKind.APPOINTMENT, "client-0017")
        assert found is not None and found.id == ref.id

    def test_a_task_made_by_an_earlier_run_is_found_by_the_client_id_it_was_created_with(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """A run that stopped after the create and before saving its id finds the task again,
        among others, instead of creating it twice."""
        remote.create("tasks", ItemKind.TASK, {"subject": "Oddzwonić do Nova Retail"}, [TRACKED])
        tasks = folders[DistinguishedFolder.TASKS]
        fields = activity_fields.normalised(ItemKind.TASK, QUOTE)
        mark = RemoteMark(LinkState.TRACKED, 23, "account:7", TRACKED, "client-0023")
        ref = backend.create_item(tasks, ItemKind.TASK, fields, mark)

        found = backend.find_by_client_id(tasks, ItemKind.TASK, "client-0023")

        assert found is not None and found.id == ref.id
        assert backend.find_by_client_id(tasks, ItemKind.TASK, "client-0024") is None

    def test_a_recurring_appointment_keeps_its_pattern(
        self, backend: MailBackend, folders: dict[DistinguishedFolder, str]
    ) -> None:
        weekly = {
            "pattern": "weekly",
            "interval": 1,
            "weekdays": ["Monday", "Wednesday"],
            "first_day_of_week": "Monday",
            "start": "2026-10-05",
            "end": None,
            "count": 10,
        }
        fields = activity_fields.normalised(ItemKind.APPOINTMENT, {**REVIEW, "recurrence": weekly})

        ref = backend.create_item(
            folders[DistinguishedFolder.CALENDAR], ItemKind.APPOINTMENT, fields, RemoteMark()
        )

        (item,) = backend.items(ItemKind.APPOINTMENT, [ref.id]).values()
        recurrence = (item.details or {})["recurrence"]
        assert {key: recurrence[key] for key in weekly} == weekly
        assert recurrence["modified"] == [] and recurrence["deleted"] == []

    def test_an_update_writes_only_its_fields_and_a_stale_change_key_conflicts_on_them(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        fields = activity_fields.normalised(ItemKind.APPOINTMENT, REVIEW)
        ref = backend.create_item(
            folders[DistinguishedFolder.CALENDAR], ItemKind.APPOINTMENT, fields, RemoteMark()
        )
        # Outlook moves the room after we read the appointment.
        remote.edit("calendar", REVIEW["subject"], location="Sala Odra")

        with pytest.raises(ChangeConflict):
            backend.update_item(ItemKind.APPOINTMENT, ref, {"location": "Sala Bug"}, None)
        # Another field with the same stale key is no conflict (Exchange's AutoResolve).
        newer = backend.update_item(
            ItemKind.APPOINTMENT, ref, {"subject": "Przegląd umowy 2027 – Acme"}, None
        )

        assert newer.change_key != ref.change_key
        (seen,) = remote.items("calendar")
        assert (seen.fields["subject"], seen.fields["location"]) == (
            "Przegląd umowy 2027 – Acme",
            "Sala Odra",
        )

    def test_a_task_completed_on_the_server_is_100_percent_done(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        fields = activity_fields.normalised(ItemKind.TASK, QUOTE)
        ref = backend.create_item(
            folders[DistinguishedFolder.TASKS], ItemKind.TASK, fields, RemoteMark()
        )
        (seen,) = remote.items("tasks")
        assert seen.fields == {
            "subject": "Przygotować wycenę dla Müller",
            "due": "2026-10-15T00:00:00+00:00",
            "status": "NotStarted",
            "percent_complete": 0,
            "priority": "High",
        }

        backend.update_item(ItemKind.TASK, ref, {"status": "Completed"}, None)

        (item,) = backend.items(ItemKind.TASK, [ref.id]).values()
        details = item.details or {}
        assert (details["status"], details["percent_complete"]) == ("Completed", 100)
        assert details["completed_at"] is not None

    def test_a_task_made_in_another_client_is_reported_with_its_fields(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        remote.create(
            "tasks",
            ItemKind.TASK,
            {"subject": "Oddzwonić do Nova Retail", "due": "2026-10-12T00:00:00+00:00"},
            [TRACKED],
        )

        (item,) = backend.item_changes(
            folders[DistinguishedFolder.TASKS], ItemKind.TASK, None, PAGE
        ).created

        assert item.kind is ItemKind.TASK and item.categories == (TRACKED,)
        details = activity_fields.normalised(ItemKind.TASK, item.details or {})
        assert (details["subject"], details["due"], details["status"]) == (
            "Oddzwonić do Nova Retail",
            "2026-10-12T00:00:00+00:00",
            "NotStarted",
        )

    # Moves and deletes

    def test_a_move_is_a_delete_in_one_folder_and_a_create_in_the_other_with_the_same_message_id(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        message_id = self.deliver(remote, LUKASZ, "Faktura 2026/10/17")
        inbox = folders[DistinguishedFolder.INBOX]
        (before,) = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE).created
        state = self.synced(backend, inbox)
        remote.create_folder("Archiwum 2026")
        (archive,) = [f for f in backend.folder_changes(None).changed if f.name == "Archiwum 2026"]

        remote.move("inbox", "Faktura 2026/10/17", "Archiwum 2026")

        assert backend.item_changes(inbox, ItemKind.MESSAGE, state, PAGE).deleted == [before.id]
        (after,) = backend.item_changes(archive.id, ItemKind.MESSAGE, None, PAGE).created
        assert after.id != before.id and after.message_id == message_id

    # The change feed

    has_change_feed = True  # False: every sync reads every folder (Graph has no such feed)

    def started_feed(self, backend: MailBackend) -> str:
        if not self.has_change_feed:
            pytest.skip("this server has no change feed: every sync reads each folder")
        feed = backend.start_feed()
        assert feed is not None
        return feed

    def test_a_change_feed_is_offered_exactly_when_the_server_has_one(
        self, backend: MailBackend
    ) -> None:
        feed = backend.start_feed()
        if feed is not None:
            backend.end_feed(feed)

        assert (feed is not None) == self.has_change_feed

    def test_a_change_feed_names_the_folder_new_mail_arrived_in(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        feed = self.started_feed(backend)
        self.deliver(remote, LUKASZ, "Pilne: termin dostawy")

        changed = backend.read_feed(feed)
        backend.end_feed(feed)

        assert folders[DistinguishedFolder.INBOX] in changed.folders
        assert folders[DistinguishedFolder.SENT] not in changed.folders

    def test_a_change_feed_read_again_with_nothing_new_names_no_folder(
        self, backend: MailBackend, remote: Remote
    ) -> None:
        feed = self.started_feed(backend)
        self.deliver(remote, LUKASZ, "Pilne: termin dostawy")
        backend.read_feed(feed)

        changed = backend.read_feed(feed)
        backend.end_feed(feed)

        assert changed.folders == frozenset() and not changed.hierarchy

    def test_a_change_feed_names_both_folders_of_a_move_and_a_new_folder(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Faktura 2026/10/17")
        remote.create_folder("Archiwum 2026")
        feed = self.started_feed(backend)

        remote.move("inbox", "Faktura 2026/10/17", "Archiwum 2026")
        remote.create_folder("Archiwum 2027")
        changed = backend.read_feed(feed)
        backend.end_feed(feed)

        (archive,) = [
            f.id for f in backend.folder_changes(None).changed if f.name == "Archiwum 2026"
        ]
        assert {folders[DistinguishedFolder.INBOX], archive} <= changed.folders
        assert changed.hierarchy

    def test_a_change_feed_that_was_ended_reads_as_an_invalid_sync_state(
        self, backend: MailBackend
    ) -> None:
        feed = self.started_feed(backend)
        backend.end_feed(feed)

        with pytest.raises(InvalidSyncState):
            backend.read_feed(feed)

    # Notifications

    def test_a_change_since_a_subscription_ends_the_wait_at_once(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        inbox = [folders[DistinguishedFolder.INBOX]]
        subscription = backend.subscribe(inbox)
        self.deliver(remote, LUKASZ, "Pilne: termin dostawy")
        started = time.monotonic()

        changed = backend.wait_for_changes(inbox, 30, threading.Event(), subscription)

        assert changed and time.monotonic() - started < 10

    def test_a_wait_on_the_tasks_folder_sees_a_task_changed_elsewhere(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        remote.create("tasks", ItemKind.TASK, {"subject": "Oddzwonić do Nova Retail"}, [TRACKED])
        tasks = [folders[DistinguishedFolder.TASKS]]
        subscription = backend.subscribe(tasks)
        remote.edit("tasks", "Oddzwonić do Nova Retail", status="Completed")

        changed = backend.wait_for_changes(tasks, 30, threading.Event(), subscription)

        assert changed

    def test_an_appointment_made_since_a_subscription_to_the_calendar_ends_the_wait_at_once(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        calendar = [folders[DistinguishedFolder.CALENDAR]]
        subscription = backend.subscribe(calendar)
        remote.create("calendar", ItemKind.APPOINTMENT, REVIEW)
        started = time.monotonic()

        changed = backend.wait_for_changes(calendar, 30, threading.Event(), subscription)

        assert changed and time.monotonic() - started < 10

    def inbox_calendar_and_tasks(self, remote: Remote) -> list[str]:
        """The three folders' ids, a task, an appointment and a message in them."""
        remote.create("tasks", ItemKind.TASK, QUOTE, [TRACKED])
        remote.create("calendar", ItemKind.APPOINTMENT, REVIEW)
        self.deliver(remote, GRETA, "Angebot Wartungsvertrag")
        with self.connected(remote) as lister:
            found = lister.distinguished_folders()
        names = (DistinguishedFolder.INBOX, DistinguishedFolder.CALENDAR, DistinguishedFolder.TASKS)
        return [found[name].id for name in names]

    @pytest.mark.parametrize("changed_folder", ["inbox", "calendar", "tasks"])
    def test_a_wait_on_the_inbox_calendar_and_tasks_ends_for_a_change_in_any_of_them(
        self, remote: Remote, changed_folder: str
    ) -> None:
        """As the engine watches them: the subscription made by a backend just connected (it
        has not listed the distinguished folders), each kind of folder polled its own way."""
        watched = self.inbox_calendar_and_tasks(remote)
        with self.connected(remote) as watcher:
            subscription = watcher.subscribe(watched)
            if changed_folder == "inbox":
                self.deliver(remote, LUKASZ, "Pilne: termin dostawy")
            elif changed_folder == "calendar":
                remote.edit("calendar", REVIEW["subject"], location="Sala Odra")
            else:
                remote.edit("tasks", QUOTE["subject"], status="Completed")
            started = time.monotonic()

            changed = watcher.wait_for_changes(watched, 30, threading.Event(), subscription)

        assert changed and time.monotonic() - started < 10

    def test_a_wait_on_the_inbox_calendar_and_tasks_with_nothing_new_ends_at_its_timeout(
        self, remote: Remote
    ) -> None:
        watched = self.inbox_calendar_and_tasks(remote)
        with self.connected(remote) as watcher:
            watcher.distinguished_folders()
            subscription = watcher.subscribe(watched)
            started = time.monotonic()

            changed = watcher.wait_for_changes(watched, 3, threading.Event(), subscription)

        assert not changed and 3 <= time.monotonic() - started < 15

    def test_a_wait_with_nothing_new_ends_at_its_timeout(
        self, backend: MailBackend, folders: dict[DistinguishedFolder, str]
    ) -> None:
        started = time.monotonic()

        changed = backend.wait_for_changes(
            [folders[DistinguishedFolder.INBOX]], 0.5, threading.Event()
        )

        assert not changed and 0.5 <= time.monotonic() - started < 10

    def test_a_cancel_ends_a_wait(
        self, backend: MailBackend, folders: dict[DistinguishedFolder, str]
    ) -> None:
        cancel = threading.Event()
        threading.Timer(0.2, cancel.set).start()
        started = time.monotonic()

        changed = backend.wait_for_changes([folders[DistinguishedFolder.INBOX]], 60, cancel)

        assert not changed and time.monotonic() - started < 10

    # A server in trouble

    def test_an_unreachable_server_raises_server_unreachable(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        remote.go_down()
        try:
            with pytest.raises(ServerUnreachable):
                backend.item_changes(folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, 1)
        finally:
            remote.come_back()

    def test_a_busy_server_is_waited_out_as_it_asks(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        waits: list[tuple[float, str]] = []
        backend.bind(threading.Event(), lambda seconds, why: waits.append((seconds, why)))
        remote.throttle(2, 50)

        page = backend.item_changes(folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, 1)

        assert page.sync_state
        assert waits == [(0.05, "server busy"), (0.05, "server busy")]

    def test_a_server_busy_for_longer_than_the_budget_counts_as_unreachable(
        self, remote: Remote
    ) -> None:
        connected = remote.backends(max_wait=0.3).connect(
            remote.account(), lambda: remote.user.password, threading.Event(), _ignore
        )
        inbox = connected.backend.distinguished_folders()[DistinguishedFolder.INBOX].id
        remote.throttle(20, 100)
        try:
            with pytest.raises(ServerUnreachable, match="stayed busy"):
                connected.backend.item_changes(inbox, ItemKind.MESSAGE, None, 1)
        finally:
            connected.backend.close()

    def test_a_wrong_password_is_refused_at_connect(self, remote: Remote) -> None:
        with pytest.raises(AuthenticationFailed, match="refused the user name or password"):
            remote.backends().connect(
                remote.account(), lambda: "nie-to-haslo", threading.Event(), _ignore
            )


REVIEW = {
    "subject": "Przegląd umowy – Acme Logistics",
    "start": "2026-10-06T08:00:00+00:00",
    "end": "2026-10-06T09:00:00+00:00",
    "location": "Sala Wisła",
    "body": "Agenda: SLA, ceny, terminy.",
}
QUOTE = {
    "subject": "Przygotować wycenę dla Müller",
    "due": "2026-10-15T00:00:00+00:00",
    "status": "NotStarted",
    "priority": "High",
}


def _ignore(seconds: float, why: str) -> None:
    return None
