"""Moving a profile's local state from EWS's ids to Microsoft Graph's, in place.

Exchange Online names one message differently in EWS and in Graph; Graph's
`translateExchangeIds` converts one into the other. Everything the profile keeps under a
server id is rewritten with its Graph id: the cache's folders (and their parents) and items,
the links between CRM appointments/tasks and Exchange items, and the outbox entries that carry
an item's id. Sync states are dropped, so Graph's delta reads each folder from the start; as
the items keep their rows (their bodies, tracking states and marks) under the ids Graph
answers with, that first sync downloads no body again and decides nothing again.

Crash safety: every id is translated first (that only asks the server), then the whole
rewrite is one local transaction that also notes the cache as Graph's (`CACHE_IDS`). Cut
off before it, nothing changed; after it, running the move again sees the note and only
finishes what is left (the account's settings). The backend-neutral part lives here; Graph's
side (the sign-in held in memory, the translation call) comes from app.sync.backends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.mailbox.models import (
    ActivityLink,
    MailFolder,
    MailItem,
    OutboxEntry,
    PersonalSetting,
    SyncAccountState,
)
from app.sync.actions import OUTBOX_PLACEHOLDER, PLACEHOLDER
from app.sync.errors import check_cancel
from app.sync.signin import MicrosoftSignIn
from app.workspace import Workspace

# The local state's note that its server ids are Graph's (for the account it names).
CACHE_IDS = "cache_ids"
GRAPH_IDS = "graph"
# Outbox payload keys that hold an item's server id.
_PAYLOAD_ID_KEYS = ("remote_id", "draft_remote_id")

# EWS ids in, the Graph id of each one the server could translate out (the ones it refused are
# left out); waits and fails as sync does (app.sync.errors), cut short by the event.
IdTranslator = Callable[[Sequence[str], threading.Event], dict[str, str]]


@dataclass(frozen=True)
class GraphLink:
    """What the move needs of Graph: a sign-in that stays in memory until the move is done
    (the keyring entry still holds the EWS password until then), the id translation over that
    sign-in, and the sign-in to keep (the token cache) once the move is done."""

    sign_in: MicrosoftSignIn
    translate: IdTranslator
    kept_sign_in: Callable[[], str | None]


@dataclass(frozen=True)
class MoveCount:
    """What the move rewrote; `not_translated` ids Graph refused (their rows are left as they
    were: the first sync over Graph finds those items as new, by Message-ID where it can)."""

    folders: int = 0
    items: int = 0
    links: int = 0
    outbox_entries: int = 0
    not_translated: int = 0
    already_moved: bool = False


def cache_is_graphs(session: Session, account: str) -> bool:
    note = session.get(PersonalSetting, CACHE_IDS)
    return (
        note is not None
        and isinstance(note.value, dict)
        and note.value.get("format") == GRAPH_IDS
        and str(note.value.get("account", "")).casefold() == account.casefold()
    )


def stored_ids(session: Session, account: str) -> list[str]:
    """Every server id the local state keeps for this account, each once."""
    found: list[str] = []
    for ews_id, parent in session.execute(
        select(MailFolder.remote_id, MailFolder.parent_remote_id).where(
            MailFolder.account == account
        )
    ):
        found += [ews_id, *((parent,) if parent else ())]
    found += session.scalars(
        select(MailItem.remote_id).where(
            MailItem.account == account,
            ~MailItem.remote_id.startswith(PLACEHOLDER),
            ~MailItem.remote_id.startswith(OUTBOX_PLACEHOLDER),
        )
    )
    found += session.scalars(
        select(ActivityLink.remote_id).where(
            ActivityLink.account == account, ActivityLink.remote_id.is_not(None)
        )
    )
    for payload in session.scalars(
        select(OutboxEntry.payload).where(OutboxEntry.account == account)
    ):
        found += [payload[key] for key in _id_keys(payload)]
    return list(dict.fromkeys(i for i in found if i))


def _id_keys(payload: dict[str, Any]) -> list[str]:
    """The keys of an outbox payload that hold a server id (not a placeholder's)."""
    return [
        key
        for key in _PAYLOAD_ID_KEYS
        if isinstance(payload.get(key), str)
        and payload[key]
        and not payload[key].startswith(PLACEHOLDER)
    ]


def rewrite_ids(session: Session, account: str, graph_ids: dict[str, str]) -> MoveCount:
    """The local state under Graph's ids, in the caller's transaction, with the note that says
    so; sync states dropped so Graph's delta starts over."""
    folders = links = entries = 0
    missing: set[str] = set()

    def graph(ews_id: str) -> str:
        if ews_id not in graph_ids:
            missing.add(ews_id)
            return ews_id
        return graph_ids[ews_id]

    for folder in session.scalars(select(MailFolder).where(MailFolder.account == account)):
        folder.remote_id = graph(folder.remote_id)
        if folder.parent_remote_id:
            folder.parent_remote_id = graph(folder.parent_remote_id)
        folder.sync_state = None
        folders += 1
    rows = session.execute(
        select(MailItem.id, MailItem.remote_id).where(
            MailItem.account == account,
            ~MailItem.remote_id.startswith(PLACEHOLDER),
            ~MailItem.remote_id.startswith(OUTBOX_PLACEHOLDER),
        )
    ).all()
    if rows:
        session.execute(
            update(MailItem),
            [{"id": row_id, "remote_id": graph(ews_id)} for row_id, ews_id in rows],
        )
    items = len(rows)
    for link in session.scalars(
        select(ActivityLink).where(
            ActivityLink.account == account, ActivityLink.remote_id.is_not(None)
        )
    ):
        link.remote_id = graph(str(link.remote_id))
        links += 1
    for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.account == account)):
        carried = _id_keys(entry.payload)
        if carried:
            entry.payload = {
                **entry.payload,
                **{key: graph(str(entry.payload[key])) for key in carried},
            }
            entries += 1
    state = session.get(SyncAccountState, account)
    if state is not None:
        state.hierarchy_sync_state = None
    session.merge(PersonalSetting(key=CACHE_IDS, value={"account": account, "format": GRAPH_IDS}))
    return MoveCount(folders, items, links, entries, len(missing))


def move_cache(
    workspace: Workspace, account: str, translate: IdTranslator, cancel: threading.Event
) -> MoveCount:
    """Translate every stored id, then rewrite them in one local transaction. The caller holds
    the profile's sync lock, so no sync adds an id in between."""
    with workspace.local.sessions() as session:
        if cache_is_graphs(session, account):
            return MoveCount(already_moved=True)
        ews_ids = stored_ids(session, account)
    graph_ids = translate(ews_ids, cancel) if ews_ids else {}
    check_cancel(cancel)
    with workspace.local.sessions.begin() as session:
        return rewrite_ids(session, account, graph_ids)
