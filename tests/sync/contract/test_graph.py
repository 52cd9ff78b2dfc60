"""The backend contract for the Microsoft Graph backend, end to end over HTTP against the
sandbox's Graph endpoint (the same mailbox another client changes through EWS).

Where Graph differs from EWS by design, the test here says how, in place of the contract's:
Graph's delta does not tell a new item from a changed one after the first round, Retry-After
is in whole seconds, a refused token means "sign in again", and v1.0 has no junk verdict.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.sync.backend import (
    DistinguishedFolder,
    ItemKind,
    MailBackend,
    OutgoingMessage,
    RemoteMark,
)
from app.sync.errors import InvalidSyncState, ServerFailure, ServerUnreachable, SignInNeeded
from tests.support.remote import GraphRemote, Remote
from tests.support.sandbox import Sandbox
from tests.sync.contract.contract import (
    GRETA,
    LUKASZ,
    PAGE,
    QUOTE,
    REVIEW,
    TRACKED,
    BackendContract,
)
from tests.sync.contract.mail_contract import LUKASZ_ADDRESS

# Each kind of item and the folder it is in
EVERY_KIND = [
    (DistinguishedFolder.INBOX, ItemKind.MESSAGE),
    (DistinguishedFolder.CALENDAR, ItemKind.APPOINTMENT),
    (DistinguishedFolder.TASKS, ItemKind.TASK),
]


class TestGraphBackend(BackendContract):
    # Change notifications need a public HTTPS endpoint a desktop app does not have
    has_change_feed = False

    @pytest.fixture
    def remote(self, sandbox: Sandbox) -> Remote:
        return GraphRemote(sandbox, sandbox.new_user("Anna Nowak", domain="brightwave.example"))

    def test_changes_since_a_state_are_creates_updates_deletes_and_read_flags(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """Graph's delta says an item is there as it is now, not whether it is new: after the
        first round every item listed is an update (the engine applies both alike)."""
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

        now = {item.subject: item for item in changes.updated}
        assert set(now) == {"Termin dostawy", "Faktura 2026/10/17", "Angebot Wartungsvertrag"}
        assert now["Termin dostawy"].categories == ("Pilne",)
        assert now["Faktura 2026/10/17"].is_read
        assert changes.deleted == [ids["Reklamacja 4711"]]

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

    # A request of a $batch Graph fails to answer (other than 404) is not an item gone

    def made_elsewhere(self, remote: GraphRemote, kind: ItemKind) -> None:
        """One tracked item of this kind, made by another client."""
        if kind is ItemKind.TASK:
            remote.create("tasks", ItemKind.TASK, QUOTE, [TRACKED])
        elif kind is ItemKind.APPOINTMENT:
            remote.create("calendar", ItemKind.APPOINTMENT, REVIEW, [TRACKED])
        else:
            self.deliver(remote, LUKASZ, "Termin dostawy")
            remote.set_categories("inbox", "Termin dostawy", [TRACKED])

    @pytest.mark.parametrize("name, kind", EVERY_KIND)
    def test_a_page_whose_items_graph_fails_to_read_fails_instead_of_reading_them_unmarked(
        self,
        backend: MailBackend,
        remote: GraphRemote,
        folders: dict[DistinguishedFolder, str],
        name: DistinguishedFolder,
        kind: ItemKind,
    ) -> None:
        folder = folders[name]
        self.made_elsewhere(remote, kind)
        remote.fail_in_batch(1, 500)

        with pytest.raises(ServerFailure):
            backend.item_changes(folder, kind, None, PAGE)

        (item,) = backend.item_changes(folder, kind, None, PAGE).created
        assert item.categories == (TRACKED,)

    @pytest.mark.parametrize("name, kind", EVERY_KIND)
    def test_an_item_graph_fails_to_read_is_not_left_out_as_gone(
        self,
        backend: MailBackend,
        remote: GraphRemote,
        folders: dict[DistinguishedFolder, str],
        name: DistinguishedFolder,
        kind: ItemKind,
    ) -> None:
        folder = folders[name]
        self.made_elsewhere(remote, kind)
        (item,) = backend.item_changes(folder, kind, None, PAGE).created
        remote.fail_in_batch(1, 500)

        with pytest.raises(ServerFailure):
            backend.items(kind, [item.id])

    def test_a_body_graph_fails_to_read_is_not_left_out_as_gone(
        self, backend: MailBackend, remote: GraphRemote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        self.deliver(remote, LUKASZ, "Termin dostawy")
        (item,) = backend.item_changes(
            folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE
        ).created
        remote.fail_in_batch(1, 500)

        with pytest.raises(ServerFailure):
            backend.bodies([item.id])

    def test_a_subscription_reads_delta_links_and_no_item(
        self, backend: MailBackend, remote: GraphRemote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """The engine subscribes afresh after every wait that timed out: reading the mark of
        every message and task of the watched folders each time would cost a $batch per 20."""
        for subject in ("Termin dostawy", "Reklamacja 4711", "Faktura 2026/10/17"):
            self.deliver(remote, LUKASZ, subject)
        remote.create("tasks", ItemKind.TASK, QUOTE, [TRACKED])
        remote.create("calendar", ItemKind.APPOINTMENT, REVIEW, [TRACKED])
        watched = [
            folders[DistinguishedFolder.INBOX],
            folders[DistinguishedFolder.CALENDAR],
            folders[DistinguishedFolder.TASKS],
        ]
        seen = remote.sandbox.server.graph.requests_seen
        seen.clear()

        backend.subscribe(watched)

        assert [path for _, path, _ in seen if not path.endswith("/delta")] == []

    def test_a_subscription_that_cannot_ask_for_the_task_list_fails_instead_of_watching_mail(
        self, remote: GraphRemote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """A backend just connected asks which folder is To Do's list: when Graph fails to say,
        the task list must not be watched as a mail folder (whose delta never lists a task)."""
        with self.connected(remote) as watcher:
            remote.sandbox.server.faults.fail_http(1, 500)

            with pytest.raises(ServerFailure):
                watcher.subscribe([folders[DistinguishedFolder.TASKS]])

    def _calendar_state_begun(self, state: str, days_ago: int) -> str:
        """The calendar's sync state as if its round had begun `days_ago` days ago."""
        round_, calendar, _, rest = state.split("|", 3)
        began = (datetime.now(UTC) - timedelta(days=days_ago)).date().isoformat()
        return "|".join((round_, calendar, began, rest))

    def test_the_calendars_window_is_renewed_a_month_after_its_round_began(
        self, backend: MailBackend, remote: GraphRemote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """A calendarView's delta keeps the window its round began with (two years back, three
        ahead): never renewed, it would in time see no appointment ahead at all."""
        remote.create("calendar", ItemKind.APPOINTMENT, REVIEW, [TRACKED])
        calendar = folders[DistinguishedFolder.CALENDAR]
        state = backend.item_changes(calendar, ItemKind.APPOINTMENT, None, PAGE).sync_state

        with pytest.raises(InvalidSyncState):
            backend.item_changes(
                calendar, ItemKind.APPOINTMENT, self._calendar_state_begun(state, 31), PAGE
            )

    def test_the_calendars_window_of_a_round_begun_this_month_is_kept(
        self, backend: MailBackend, remote: GraphRemote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        remote.create("calendar", ItemKind.APPOINTMENT, REVIEW, [TRACKED])
        calendar = folders[DistinguishedFolder.CALENDAR]
        state = backend.item_changes(calendar, ItemKind.APPOINTMENT, None, PAGE).sync_state
        remote.edit("calendar", REVIEW["subject"], location="Sala Odra")

        changes = backend.item_changes(
            calendar, ItemKind.APPOINTMENT, self._calendar_state_begun(state, 29), PAGE
        )

        assert [item.details["location"] for item in changes.updated] == ["Sala Odra"]

    def test_a_busy_server_is_waited_out_as_it_asks(
        self, backend: MailBackend, remote: Remote, folders: dict[DistinguishedFolder, str]
    ) -> None:
        """Graph's Retry-After counts whole seconds."""
        waits: list[tuple[float, str]] = []
        backend.bind(threading.Event(), lambda seconds, why: waits.append((seconds, why)))
        remote.throttle(1, 50)

        page = backend.item_changes(folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, 1)

        assert page.sync_state
        assert waits == [(1.0, "server busy")]

    def test_a_server_busy_for_longer_than_the_budget_counts_as_unreachable(
        self, remote: Remote
    ) -> None:
        connected = remote.backends(max_wait=1.5).connect(
            remote.account(), lambda: remote.user.password, threading.Event(), lambda *_: None
        )
        inbox = connected.backend.distinguished_folders()[DistinguishedFolder.INBOX].id
        remote.throttle(20, 1000)
        try:
            with pytest.raises(ServerUnreachable, match="stayed busy"):
                connected.backend.item_changes(inbox, ItemKind.MESSAGE, None, 1)
        finally:
            connected.backend.close()

    def test_a_wrong_password_is_refused_at_connect(self, remote: Remote) -> None:
        """A token Graph refuses stops at once: the user must sign in again."""
        with pytest.raises(SignInNeeded, match="Sign in again"):
            remote.backends().connect(
                remote.account(), lambda: "nie-to-haslo", threading.Event(), lambda *_: None
            )

    def test_a_token_revoked_during_sync_stops_it_at_once_with_sign_in_again(
        self,
        backend: MailBackend,
        remote: GraphRemote,
        folders: dict[DistinguishedFolder, str],
    ) -> None:
        remote.sandbox.server.graph_tokens.revoke_all(remote.user.address)
        before = remote.requests_seen

        with pytest.raises(SignInNeeded):
            backend.item_changes(folders[DistinguishedFolder.INBOX], ItemKind.MESSAGE, None, PAGE)
        assert remote.requests_seen == before + 1

    def test_a_send_whose_connection_drops_is_not_sent_again_by_the_backend(
        self,
        backend: MailBackend,
        remote: GraphRemote,
        folders: dict[DistinguishedFolder, str],
    ) -> None:
        """A lost answer to a request that may not run twice (the draft the message is sent
        from, made from its MIME) is left to the outbox."""
        message = OutgoingMessage("Oferta", (LUKASZ_ADDRESS,), body_text="W załączeniu.")
        remote.sandbox.server.faults.drop_connections(
            1, operation="POST /me/mailFolders/*/messages"
        )

        with pytest.raises(ServerUnreachable):
            backend.send(
                message, RemoteMark(client_id="client-0001"), folders[DistinguishedFolder.SENT]
            )
        assert remote.items("drafts") == [] and remote.outbound() == []

    @pytest.mark.skip(reason="Graph v1.0 has no junk verdict: the sender is not blocked")
    def test_junk_files_the_message_in_junk_email_and_the_senders_next_mail_too(self) -> None:
        pass

    @pytest.mark.skip(reason="Graph v1.0 has no junk verdict: the sender is not trusted")
    def test_not_junk_takes_the_message_back_to_the_inbox_and_trusts_its_sender(self) -> None:
        pass
