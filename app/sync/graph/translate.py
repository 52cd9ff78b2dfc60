"""Graph's translateExchangeIds: the ids a profile kept from EWS, as Graph names the same items
and folders (moving an account from EWS to Graph, app.sync.graph_move)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass

from app.accounts import AccountSettings
from app.sync.graph.client import GraphClient
from app.sync.graph.factory import GRAPH_URL
from app.sync.graph.tokens import TokenSource
from app.sync.retry import RetryBudget

MAX_IDS = 1000  # Graph's limit per request


def translate_ews_ids(client: GraphClient, ews_ids: Sequence[str]) -> dict[str, str]:
    """Graph's (REST) id of each EWS id, in requests of up to 1000; an id Graph answers with
    errorDetails (malformed, another mailbox's) is left out."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(ews_ids))
    for start in range(0, len(unique), MAX_IDS):
        answer = client.request(
            "POST",
            "/me/translateExchangeIds",
            body={
                "inputIds": unique[start : start + MAX_IDS],
                "sourceIdType": "ewsId",
                "targetIdType": "restId",
            },
        ).json()
        for result in answer.get("value", []):
            source, target = result.get("sourceId"), result.get("targetId")
            if isinstance(source, str) and isinstance(target, str) and target:
                found[source] = target
    return found


@dataclass(frozen=True)
class GraphIdTranslator:
    """app.sync.graph_move.IdTranslator over the account's Graph, with these tokens."""

    account: AccountSettings
    tokens: TokenSource
    max_wait: float = 120.0
    first_retry: float = 1.0
    timeout: float = 60.0

    def __call__(self, ews_ids: Sequence[str], cancel: threading.Event) -> dict[str, str]:
        budget = RetryBudget(self.max_wait, self.first_retry, cancel)
        url = self.account.server_url or GRAPH_URL
        client = GraphClient(url, self.tokens, budget, self.timeout, self.account.verify_tls)
        with closing(client):
            return translate_ews_ids(client, ews_ids)
