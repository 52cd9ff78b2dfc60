"""The backend contract for the in-memory backend (app.sync.memory), plus what only it offers:
losing every sync state on demand, as a mailbox restored from a backup does."""

from __future__ import annotations

import pytest

from app.sync.backend import DistinguishedFolder, ItemKind, MailBackend
from app.sync.errors import InvalidSyncState
from tests.support.remote import MemoryRemote, Remote
from tests.sync.contract.contract import LUKASZ, PAGE, BackendContract


class TestMemoryBackend(BackendContract):
    @pytest.fixture
    def remote(self) -> Remote:
        return MemoryRemote.new("Anna Nowak", "brightwave.example")

    def test_forgotten_sync_states_are_invalid_and_a_resync_finds_everything(
        self,
        backend: MailBackend,
        remote: MemoryRemote,
        folders: dict[DistinguishedFolder, str],
    ) -> None:
        self.deliver(remote, LUKASZ, "Termin dostawy")
        inbox = folders[DistinguishedFolder.INBOX]
        state = self.synced(backend, inbox)

        remote.mailbox.forget_sync_states()

        with pytest.raises(InvalidSyncState):
            backend.item_changes(inbox, ItemKind.MESSAGE, state, PAGE)
        with pytest.raises(InvalidSyncState):
            backend.folder_changes(backend.folder_changes(None).sync_state + "x")
        again = backend.item_changes(inbox, ItemKind.MESSAGE, None, PAGE)
        assert [item.subject for item in again.created] == ["Termin dostawy"]
