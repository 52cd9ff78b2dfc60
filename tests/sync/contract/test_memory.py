"""The backend contract for the in-memory backend (app.sync.memory), plus what only it offers:
losing every sync state on demand, as a mailbox restored from a backup does; and its paging,
checked against any sequence of edits."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.backend import DistinguishedFolder, ItemKind, MailBackend
from app.sync.errors import InvalidSyncState
from tests.support.remote import MemoryRemote, Remote
from tests.sync.contract.contract import LUKASZ, PAGE, BackendContract
from tests.sync.engine.conftest import mime


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


# Whatever another client does between syncs, and whatever the page size, a client that applies
# every page knows the folder as it is: creates only of items it did not know, updates, deletes
# and read flags only of items it knew.
EDIT = st.tuples(
    st.sampled_from(["deliver", "categorise", "read", "delete", "sync"]), st.integers(0, 9)
)


@settings(max_examples=100, deadline=None)
@given(edits=st.lists(EDIT, max_size=25), page_size=st.integers(1, 4))
def test_pages_applied_in_order_rebuild_the_folder_exactly(
    edits: list[tuple[str, int]], page_size: int
) -> None:
    remote = MemoryRemote.new("Anna Nowak", "brightwave.example")
    backend = (
        remote.backends()
        .connect(remote.account(), lambda: remote.user.password, threading.Event(), lambda *_: None)
        .backend
    )
    mailbox = remote.mailbox
    inbox = mailbox.folder_id("inbox")
    known: dict[str, tuple[tuple[str, ...], bool]] = {}
    state: str | None = None

    def sync() -> None:
        nonlocal state
        more = True
        while more:
            page = backend.item_changes(inbox, ItemKind.MESSAGE, state, page_size)
            assert page.count <= page_size
            for item in page.created:
                assert item.id not in known
                known[item.id] = (item.categories, item.is_read)
            for item in page.updated:
                assert item.id in known
                known[item.id] = (item.categories, item.is_read)
            for item_id in page.deleted:
                assert known.pop(item_id, None) is not None
            for item_id, read in page.read_flags:
                known[item_id] = (known[item_id][0], read)
            state, more = page.sync_state, page.more

    for number, (edit, pick) in enumerate(edits):
        present = [item.id for item in mailbox.items("inbox")]
        target = present[pick % len(present)] if present else None
        if edit == "deliver" or target is None:
            mailbox.deliver(mime(LUKASZ, remote.user.address, f"Zamówienie nr {number}"))
        elif edit == "categorise":
            mailbox.set_categories(target, [f"Klient {pick}"])
        elif edit == "read":
            mailbox.set_read(target, pick % 2 == 0)
        elif edit == "delete":
            mailbox.delete(target)
        else:
            sync()
    sync()

    assert known == {item.id: (item.categories, item.is_read) for item in mailbox.items("inbox")}
