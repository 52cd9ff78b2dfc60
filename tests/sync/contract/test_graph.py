"""The backend contract for the Microsoft Graph backend, end to end over HTTP against the
sandbox's Graph endpoint (the same mailbox another client changes through EWS).

Where Graph differs from EWS by design, the test here says how, in place of the contract's:
Graph's delta does not tell a new item from a changed one after the first round, Retry-After
is in whole seconds, a refused token means "sign in again", and v1.0 has no junk verdict.
"""

from __future__ import annotations

import threading

import pytest

from app.sync.backend import (
    DistinguishedFolder,
    ItemKind,
    MailBackend,
    OutgoingMessage,
    RemoteMark,
)
from app.sync.errors import ServerUnreachable, SignInNeeded
from tests.support.remote import GraphRemote, Remote
from tests.support.sandbox import Sandbox
from tests.sync.contract.contract import GRETA, LUKASZ, PAGE, BackendContract
from tests.sync.contract.mail_contract import LUKASZ_ADDRESS


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
