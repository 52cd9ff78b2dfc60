"""How fast the EWS sandbox serves a 10 000-item folder to exchangelib.

Fills an Inbox with 10 000 messages (through exchangelib's CreateItem, in batches), then times
a full SyncFolderItems (only the fields a sync engine needs, 512 changes per page) and a GetItem
of every message in batches of 100 (bodies and recipients). Prints items per second end to end
(client and server share this process and its one core), and the server's own rate: items per
CPU-second spent inside the sandbox's request handling.

    .venv/bin/python bench/bench_sandbox.py [--items 10000]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from exchangelib import BASIC, DELEGATE, Account, Configuration, Credentials, HTMLBody, Message
from exchangelib.protocol import FailFast

from exchange_sandbox import SandboxServer
from exchange_sandbox.httpserver import WsgiHttpServer

ADDRESS, PASSWORD = "anna.nowak@brightwave.test", "demo"
SYNC_FIELDS = ["subject", "datetime_received", "message_id", "is_read", "author", "categories"]
FETCH_FIELDS = ["body", "to_recipients", "cc_recipients", "in_reply_to", "references"]


@dataclass
class ServerClock:
    """CPU time the server's request threads spend inside the WSGI application."""

    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wrap(self, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        def timed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            started = time.thread_time()
            body = list(app(environ, start_response))
            with self.lock:
                self.seconds += time.thread_time() - started
            return body

        return timed


def _account(url: str) -> Account:
    config = Configuration(
        service_endpoint=url,
        credentials=Credentials(ADDRESS, PASSWORD),
        auth_type=BASIC,
        retry_policy=FailFast(),
    )
    return Account(ADDRESS, config=config, autodiscover=False, access_type=DELEGATE)


def _fill(account: Account, count: int) -> None:
    batch = 250
    for first in range(0, count, batch):
        account.bulk_create(
            folder=account.inbox,
            items=[
                Message(
                    account=account,
                    subject=f"Zapytanie ofertowe nr {n:05d} – system WMS",
                    body=HTMLBody(f"<p>Dzień dobry,</p><p>prosimy o ofertę nr {n}.</p>"),
                    to_recipients=[ADDRESS],
                    cc_recipients=["piotr.zielinski@brightwave.test"],
                    categories=["Customer"] if n % 7 == 0 else [],
                )
                for n in range(first, min(first + batch, count))
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()

    clock = ServerClock()
    sandbox = SandboxServer()
    sandbox.add_mailbox(ADDRESS, PASSWORD, "Anna Nowak")
    # The sandbox's application behind a clock, on the same kind of HTTP server it uses itself.
    http = WsgiHttpServer(("127.0.0.1", 0), clock.wrap(sandbox.application))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    account = _account(f"http://127.0.0.1:{http.server_address[1]}/EWS/Exchange.asmx")

    started = time.perf_counter()
    _fill(account, args.items)
    print(f"filled {args.items} messages in {time.perf_counter() - started:.1f} s")

    clock.seconds = 0.0
    started = time.perf_counter()
    ids = [
        item.id
        for kind, item in account.inbox.sync_items(
            only_fields=SYNC_FIELDS, max_changes_returned=512
        )
        if kind == "create"
    ]
    sync_wall, sync_server = time.perf_counter() - started, clock.seconds
    assert len(ids) == args.items, len(ids)

    clock.seconds = 0.0
    started = time.perf_counter()
    fetched = sum(1 for _ in account.fetch(ids=ids, only_fields=FETCH_FIELDS, chunk_size=100))
    fetch_wall, fetch_server = time.perf_counter() - started, clock.seconds
    assert fetched == args.items

    count = args.items
    print(
        f"SyncFolderItems: {count / sync_wall:8.0f} items/s end to end ({sync_wall:.2f} s), "
        f"{count / sync_server:8.0f} items/s server CPU ({sync_server:.2f} s)"
    )
    print(
        f"GetItem x100:    {count / fetch_wall:8.0f} items/s end to end ({fetch_wall:.2f} s), "
        f"{count / fetch_server:8.0f} items/s server CPU ({fetch_server:.2f} s)"
    )
    total_wall, total_server = sync_wall + fetch_wall, sync_server + fetch_server
    print(
        f"sync then fetch: {count / total_wall:8.0f} items/s end to end, "
        f"{count / total_server:8.0f} items/s server CPU"
    )
    account.protocol.close()
    http.shutdown()
    http.server_close()


if __name__ == "__main__":
    main()
