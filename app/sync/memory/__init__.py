"""A mail server kept in memory, and the MailBackend over it.

A real implementation of app.sync.backend, not a stub: the engine tests run against it in
milliseconds, and the contract suite (tests/sync/contract) holds it to the same behaviour as the
EWS backend on the sandbox. It behaves as Exchange does wherever sync depends on it:

- Folders hold items; an item keeps its id while it stays in its folder. A move is a delete in
  one folder and a create in the other, with a new id and the same Message-ID.
- Every write gives the item a new change key. A write that brings an older change key is
  refused (ChangeConflict) only when a field it writes changed since that key, as Exchange's
  AutoResolve does; one without a change key overwrites.
- A sync state stands for "changes up to change number N" of one folder and, as in Exchange,
  the items the client knows with the version it has of each. Changes since a state come
  oldest first, each item once at its newest: a create for an item the client does not know,
  an update when its content changed, a read-flag change when only that changed, a delete for
  an item it knows; at most `page_size` at a time, with `more` set while some remain. An item
  created and deleted between two states is not reported. A state the server does not know
  (garbled, of another folder, or from before `forget_sync_states()`) raises InvalidSyncState.
- Liaison's mark is the item's categories plus its properties (RemoteMark), found by client id.
- Sending files a copy in Sent Items, delivers it to recipients on this server and records the
  rest in `MemoryServer.outbound`.
- Changes wake `wait_for_changes` through a condition (no polling of the mailbox).

Tests act as "another client" through MemoryMailbox's methods (deliver, create, edit,
set_categories, set_read, move, delete, create_folder, delete_folder, forget_sync_states) and
make the server fail through MemoryServer's (go_down, come_back, throttle). Appointment and
task details are the flat values of app.sync.activity_fields, completed the way Exchange
completes them (the organizer, a task's completion).

The modules: server (mailboxes, faults, what left), mailbox (folders, items, sync states,
marks, subscriptions), values (change keys and what the server computes), backend (the
MailBackend and its factory).
"""

from app.sync.memory.backend import MemoryBackend, MemoryFactory
from app.sync.memory.mailbox import MemoryMailbox
from app.sync.memory.server import MemoryServer, SentMessage

__all__ = ["MemoryBackend", "MemoryFactory", "MemoryMailbox", "MemoryServer", "SentMessage"]
