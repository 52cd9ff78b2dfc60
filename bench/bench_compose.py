"""Mail client benchmark: what address completion, a search across every folder, the
conversation view and the unread counts cost on the window benchmark's profile
(bench_ui.build_profile: 100 000 messages, 100 000 CRM records).

Prints:
- noting the correspondents of the whole mailbox (what pull does a page at a time);
- building the record index completion reads (once, off the window's thread);
- completing what a user types, keystroke by keystroke (median and worst, milliseconds);
- listing the whole mailbox for a search, the Inbox as conversations, and the unread counts.

    .venv/bin/python bench/bench_compose.py            # 100 000 messages and records
    .venv/bin/python bench/bench_compose.py --quick    # 10 000 of each
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench_ui import build_profile

T = TypeVar("T")
TYPED = ("a", "an", "ann", "anna", "kowal", "łuk", "firma12", "nowak@", "zz")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10 000 messages and records")
    args = parser.parse_args()
    messages, records = (10_000, 10_000) if args.quick else (args.messages, args.records)
    with tempfile.TemporaryDirectory(prefix="liaison-bench-compose-") as root:
        build_profile(Path(root), messages, records)
        from sqlalchemy import select

        from app.mailbox.cache import remember_correspondents
        from app.mailbox.models import MailItem
        from app.mailbox.views import ListingQuery
        from app.services.workspace import WorkspaceServices
        from app.tracking.model import Address
        from app.workspace import Workspace

        with Workspace.open() as workspace:
            services = WorkspaceServices(workspace)
            with workspace.local.sessions.begin() as session:
                seen = [
                    (Address(email, name or ""), moment)
                    for email, name, moment in session.execute(
                        select(MailItem.sender_email, MailItem.sender_name, MailItem.received_at)
                    )
                    if email
                ]
                account = services.account_address() or ""
                noted, _ = timed(lambda: remember_correspondents(session, account, seen))
            print(f"correspondents of {len(seen)} messages noted: {noted:.2f} s")
            built, _ = timed(services.prepare_search)
            print(f"record index for completion, once: {built:.2f} s")
            per_key = []
            for word in TYPED:
                for end in range(1, len(word) + 1):
                    took, _ = timed(lambda prefix=word[:end]: services.complete_addresses(prefix))
                    per_key.append(took * 1000)
            print(
                f"completion per keystroke ({len(per_key)}): median "
                f"{statistics.median(per_key):.1f} ms, worst {max(per_key):.1f} ms"
            )
            inbox = next(f for f in services.folders() if f.distinguished == "inbox").id
            for name, query in (
                ("search every folder for 'oferta'", ListingQuery(None, search="oferta")),
                ("Inbox as conversations", ListingQuery(inbox, conversations=True)),
                ("unread only", ListingQuery(inbox, unread_only=True)),
            ):
                took, ids = timed(lambda q=query: services.listing(q))
                print(f"{name}: {took * 1000:.0f} ms ({len(ids)} ids)")
            took, counts = timed(services.unread_counts)
            print(f"unread counts of {len(counts)} folders: {took * 1000:.0f} ms")


if __name__ == "__main__":
    main()
