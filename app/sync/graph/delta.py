"""A folder's sync state over Graph: the delta or next link Graph gave, with a letter saying
whether the round began from nothing (every item it lists is new to the caller: created) or
from an earlier state (Graph does not tell a new item from a changed one: updated)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from app.sync.errors import FolderGone, InvalidSyncState, ServerFailure
from app.sync.graph.client import GraphClient

INITIAL, LATER = "i", "u"
_KEY = re.compile(r"\('((?:[^']|'')*)'\)")


def state(kind: str, link: str) -> str:
    return f"{kind}|{link}"


def parse_state(text: str, delta_path: str) -> tuple[bool, str]:
    """(whether the round began from nothing, the link); InvalidSyncState for anything that
    is not a link Graph gave for this delta (`delta_path`, e.g. /mailFolders/ID/messages/delta)."""
    kind, _, link = text.partition("|")
    if kind not in (INITIAL, LATER) or not is_link_of(link, delta_path):
        raise InvalidSyncState("The sync state is not one this server gave for the folder")
    return kind == INITIAL, link


def is_link_of(link: str, delta_path: str) -> bool:
    """Whether a next or delta link Graph gave is one of this delta query."""
    return f"{_plain(delta_path)}?" in _plain(link)


def _plain(path: str) -> str:
    """A path as compared: Graph's links name an entity in OData's key syntax and their own
    case ("/me/mailfolders('ID')/messages/delta?..." for /me/mailFolders/ID/messages/delta),
    and may percent-encode it."""
    return _KEY.sub(lambda key: "/" + key.group(1).replace("''", "'"), unquote(path)).casefold()


def delta_link(page: dict[str, Any]) -> str:
    link = page.get("@odata.deltaLink")
    if not isinstance(link, str):
        raise ServerFailure("Microsoft Graph answered a delta query without a delta link")
    return link


def next_state(page: dict[str, Any], initial: bool) -> tuple[str, bool]:
    """The state after this page, and whether more pages follow. A round from nothing stays
    one until its last page; after it, rounds are "later"."""
    more = "@odata.nextLink" in page
    link = page.get("@odata.nextLink") or delta_link(page)
    return state(INITIAL if initial and more else LATER, link), more


def page_of(
    client: GraphClient, link: str, params: dict[str, str] | None, page_size: int
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """One page of a delta query: the page (for next_state), the items listed on it and the
    ids of those it reports `@removed`. A folder or list gone answers FolderGone."""
    page = client.get(
        link, params, headers={"Prefer": f"odata.maxpagesize={page_size}"}, gone=FolderGone
    )
    values = page.get("value", [])
    listed = [v for v in values if "@removed" not in v]
    return page, listed, [str(v["id"]) for v in values if "@removed" in v]


# Polling for changes: delta links alone, no item read

_LATEST_PAGE = "odata.maxpagesize=1000"


def latest(client: GraphClient, link: str, params: dict[str, str] | None = None) -> str:
    """The delta link of this delta query as of now (its pages paged through, nothing else
    read), for `changed_since`."""
    while True:
        page = client.get(link, params, headers={"Prefer": _LATEST_PAGE})
        params = None
        if "@odata.nextLink" not in page:
            return delta_link(page)
        link = page["@odata.nextLink"]


def changed_since(client: GraphClient, link: str) -> bool:
    """Whether anything changed since `latest` gave this link (one item asked for, no more)."""
    return bool(client.get(link, headers={"Prefer": "odata.maxpagesize=1"}).get("value"))
