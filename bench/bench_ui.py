"""Desktop window benchmark: a cache of 100 000 messages beside a CRM of 100 000 records.

Prints, each measured in a fresh process so the figures are what a user gets:
- start to first painted message list, for an empty mailbox and for the full one (and the ratio);
- scrolling: jump to the end of the list, and page-down steps, until painted;
- sorting by subject and searching the list;
- Set Regarding: when its index (built in the background from the start) is ready, then the
  latency of every keystroke;
- peak memory (ru_maxrss of the window's process);
- the longest the event loop waits while the window runs the demo's first sync on its thread
  (and with --sync N, a first sync of N messages delivered to the EWS sandbox, which then runs
  in a process of its own).

    .venv/bin/python bench/bench_ui.py                  # 100 000 messages and records
    .venv/bin/python bench/bench_ui.py --quick          # 10 000 of each
    .venv/bin/python bench/bench_ui.py --sync 2000      # also a first sync of 2 000 messages
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.secrets import MemoryKeyring

START = time.perf_counter()  # a child's clock starts with the interpreter

FIRST_NAMES = ["Jan", "Anna", "Piotr", "Ewa", "Klaus", "Marta", "Łukasz", "Zofia", "Jürgen", "Olga",
               "Tomasz", "Katarzyna", "Hannah", "Oliver", "Agata", "Grzegorz"]  # fmt: skip
LAST_NAMES = ["Kowalski", "Nowak", "Wiśniewska", "Becker", "Zając", "Müller", "Lewandowski",
              "Król", "Wróbel", "Hoffmann", "Kamińska", "Grant", "Brooks", "Zieliński"]  # fmt: skip
COMPANY_WORDS = ["Acme", "Nordlicht", "Zielony", "Koszyk", "Orzeł", "Drukarnia", "Logistik",
                 "Bau", "Tech", "Medical", "Handel", "Systems", "Polska", "Trans"]  # fmt: skip
SUBJECT_WORDS = ["oferta", "faktura", "umowa", "dostawa", "szkolenie", "wdrożenie", "offer",
                 "invoice", "delivery", "contract", "renewal", "Angebot", "Lieferung",
                 "Rechnung", "pricing", "support", "rollout", "audit", "schedule"]  # fmt: skip
PREFIXES = ["", "", "RE: ", "AW: ", "Odp: ", "FW: "]
KEYSTROKE_QUERIES = ["kowalski", "anna nowak", "acme", "łukasz wró", "zielony koszyk"]
OWNER = "anna.nowak@brightwave.example"


def _words(rng: random.Random, pool: list[str], count: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(count))


def build_profile(home: Path, messages: int, records: int) -> None:
    """A profile under `home`: owner, account settings, `records` CRM records, `messages` in the
    Inbox. Bulk inserts straight into the real tables (the ORM's per-object path would take
    minutes for 200 000 rows)."""
    os.environ["LIAISON_HOME"] = str(home)
    from sqlalchemy import insert

    from app.config import save_settings
    from app.crm.models import Account, Contact, EmailAddress, Lead, Opportunity, Record
    from app.mailbox.models import MailFolder, MailItem
    from app.mailbox.remote import FolderContent
    from app.workspace import Workspace

    rng = random.Random(7)
    with Workspace.open() as workspace:
        workspace.initialise(OWNER, "Anna Nowak")
        workspace.settings["account"] = {
            "address": OWNER,
            "username": OWNER,
            "auth": "basic",
            "server_url": "https://mail.brightwave.example/EWS/Exchange.asmx",
            "verify_tls": True,
        }
        save_settings(workspace.paths, workspace.settings)
        with workspace.crm.sessions.begin() as session:
            first_id = (session.query(Record.id).order_by(Record.id.desc()).first() or (0,))[0] + 1
            kinds = _record_kinds(records)
            record_rows, address_rows = [], []
            tables: dict[str, list[dict[str, Any]]] = {
                "account": [], "contact": [], "lead": [], "opportunity": []
            }  # fmt: skip
            accounts: list[int] = []
            for offset, kind in enumerate(kinds):
                record_id = first_id + offset
                record_rows.append({"id": record_id, "type": kind, "active": True})
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                company = f"{_words(rng, COMPANY_WORDS, 2)} {record_id}"
                domain = f"firma{record_id % 20_000}.example"
                if kind == "account":
                    accounts.append(record_id)
                    tables[kind].append({"id": record_id, "name": company, "city": "Kraków"})
                    email = f"biuro@{domain}"
                elif kind == "contact":
                    tables[kind].append(
                        {"id": record_id, "first_name": first, "last_name": last,
                         "account_id": rng.choice(accounts) if accounts else None}
                    )  # fmt: skip
                    email = f"{first}.{last}.{record_id}@{domain}".lower()
                elif kind == "lead":
                    tables[kind].append(
                        {
                            "id": record_id,
                            "first_name": first,
                            "last_name": last,
                            "company": company,
                        }
                    )
                    email = f"{first[0]}.{last}{record_id}@{domain}".lower()
                else:
                    tables[kind].append(
                        {"id": record_id, "name": f"{company}: {_words(rng, SUBJECT_WORDS, 2)}",
                         "account_id": rng.choice(accounts) if accounts else None}
                    )  # fmt: skip
                    continue
                address_rows.append(
                    {"record_id": record_id, "email": email, "normalized": email, "position": 0}
                )
            if record_rows:
                session.execute(insert(Record.__table__), record_rows)
            for kind, model in (
                ("account", Account), ("contact", Contact), ("lead", Lead),
                ("opportunity", Opportunity),
            ):  # fmt: skip
                if tables[kind]:
                    session.execute(insert(model.__table__), tables[kind])
            if address_rows:
                session.execute(insert(EmailAddress.__table__), address_rows)
        with workspace.local.sessions.begin() as session:
            inbox = MailFolder(
                account=OWNER,
                remote_id="inbox",
                distinguished="inbox",
                display_name="Inbox",
                content=FolderContent.MAIL,
                unread_count=messages // 10,
                total_count=messages,
            )
            session.add(inbox)
            session.flush()
            now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
            rows = []
            for number in range(messages):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                subject = rng.choice(PREFIXES) + _words(rng, SUBJECT_WORDS, rng.randint(2, 6))
                rows.append(
                    {
                        "account": OWNER,
                        "folder_id": inbox.id,
                        "remote_id": f"item-{number}",
                        "internet_message_id": f"<m{number}@bench.example>",
                        "subject": f"{subject} #{number}",
                        "sender_name": f"{first} {last}",
                        "sender_email": f"{first}.{last}@firma{number % 20_000}.example".lower(),
                        "to_recipients": [{"name": "Anna Nowak", "email": OWNER}],
                        "cc_recipients": [],
                        "received_at": now - timedelta(minutes=7 * number),
                        "is_read": number % 10 != 0,
                        "body_text": "Dzień dobry,\n\nw załączeniu szczegóły.\n",
                        "body_fetched": True,
                        "tracking_state": "tracked" if number % 7 == 0 else "none",
                        "regarding_name": f"Acme {number % 500}" if number % 7 == 0 else None,
                        "categories": [],
                        "attachments": [],
                    }
                )
            for start in range(0, len(rows), 20_000):  # none for the empty mailbox
                session.execute(insert(MailItem.__table__), rows[start : start + 20_000])


def _record_kinds(count: int) -> list[str]:
    """10 % accounts, 50 % contacts, 30 % leads, 10 % opportunities; accounts first."""
    accounts = count // 10
    opportunities = count // 10
    leads = count * 3 // 10
    contacts = count - accounts - opportunities - leads
    return (
        ["account"] * accounts
        + ["contact"] * contacts
        + ["lead"] * leads
        + ["opportunity"] * opportunities
    )


# The window's process


def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()


class _PaintWatch:
    """Counts paints of a widget; `wait()` returns once the next one has happened."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self, watch: _PaintWatch) -> None:
                super().__init__()
                self.watch = watch

            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.watch.paints += 1
                    self.watch.last = time.perf_counter()
                return False

        self.paints = 0
        self.last = 0.0
        self._filter = Filter(self)
        widget.installEventFilter(self._filter)

    def wait(self, after: int) -> float:
        _until(lambda: self.paints > after)
        return self.last


def child_window(full: bool) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    application = QApplication([])
    from app.services.workspace import WorkspaceServices
    from app.ui.i18n import install_language
    from app.ui.main_window import MainWindow
    from app.workspace import Workspace

    install_language("en")
    # As the window opens a profile (app.ui.launch): the daily thorough check and backup run
    # in the background once it shows, not before its first paint.
    workspace = Workspace.open(daily_backup=False)
    services = WorkspaceServices(workspace)
    window = MainWindow(services)
    watch = _PaintWatch(window.message_list.view.viewport())
    window.show()
    first_paint = watch.wait(0) - START
    figures: dict[str, Any] = {
        "first_paint_s": first_paint,
        "rows": window.message_list.model.rowCount(),
    }
    if full:
        figures.update(_scrolling(window, watch))
        figures.update(_list_queries(window))
        figures.update(_regarding_search(services, application))
    figures["peak_rss_mb"] = peak_memory_mb()
    window.close()
    workspace.close()
    return figures


def peak_memory_mb() -> float:
    """The process's own peak resident memory. Not ru_maxrss: on Linux it carries over the
    parent's resident size across fork and exec, so a child started by a parent that has just
    built a 100 000-record profile would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _scrolling(window: Any, watch: _PaintWatch) -> dict[str, float]:
    view = window.message_list.view
    before = watch.paints
    started = time.perf_counter()
    view.scrollToBottom()
    to_end = watch.wait(before) - started
    view.scrollToTop()
    watch.wait(watch.paints)
    steps = []
    bar = view.verticalScrollBar()
    for _ in range(200):
        before = watch.paints
        started = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        steps.append(watch.wait(before) - started)
    return {
        "scroll_to_end_ms": to_end * 1000,
        "page_down_mean_ms": statistics.mean(steps) * 1000,
        "page_down_max_ms": max(steps) * 1000,
    }


def _list_queries(window: Any) -> dict[str, float]:
    from PySide6.QtCore import Qt

    from app.ui.message_model import COLUMN_RECEIVED, COLUMN_SUBJECT

    view = window.message_list.view
    started = time.perf_counter()
    view.sortByColumn(COLUMN_SUBJECT, Qt.SortOrder.AscendingOrder)
    by_subject = time.perf_counter() - started
    view.sortByColumn(COLUMN_RECEIVED, Qt.SortOrder.DescendingOrder)
    started = time.perf_counter()
    window.message_list.search.setText("faktura dostawa")
    window.message_list._apply_search()
    search = time.perf_counter() - started
    return {
        "sort_by_subject_ms": by_subject * 1000,
        "list_search_ms": search * 1000,
        "list_search_hits": window.message_list.model.rowCount(),
    }


def _regarding_search(services: Any, application: Any) -> dict[str, Any]:
    from app.ui.regarding_dialog import RegardingDialog

    # The window builds the index on a pool thread as it opens; this waits for that build.
    services.prepare_search()
    ready = time.perf_counter() - START
    dialog = RegardingDialog(services.search_records)
    dialog.show()
    latencies = []
    for query in KEYSTROKE_QUERIES:
        dialog.query.clear()
        for length in range(1, len(query) + 1):
            started = time.perf_counter()
            dialog.query.setText(query[:length])  # what one keystroke does: search and relist
            application.processEvents()
            latencies.append(time.perf_counter() - started)
    dialog.close()
    return {
        "search_index_ready_s": ready,
        "keystrokes": len(latencies),
        "keystroke_mean_ms": statistics.mean(latencies) * 1000,
        "keystroke_p95_ms": sorted(latencies)[int(len(latencies) * 0.95)] * 1000,
        "keystroke_max_ms": max(latencies) * 1000,
    }


def child_sync(messages: int) -> dict[str, Any]:
    """The window syncing `messages` from the sandbox; the event loop's longest wait meanwhile.
    The sandbox runs in a process of its own, as a real server would: in this one its threads
    would compete with the window for the interpreter."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtWidgets import QApplication

    from app.accounts import new_account, save_account
    from app.services.workspace import WorkspaceServices
    from app.ui.main_window import MainWindow
    from app.workspace import Workspace

    keyring.set_keyring(MemoryKeyring())
    application = QApplication([])
    server = subprocess.Popen(
        [sys.executable, __file__, "--child", "sandbox", str(messages)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        workspace = Workspace.open()
        workspace.initialise(OWNER, "Anna Nowak")
        save_account(workspace, new_account(OWNER, url), "bench-password")
        window = MainWindow(WorkspaceServices(workspace))
        figures = _event_loop_during_first_sync(window)
        workspace.close()
    finally:
        server.communicate("")  # closing its input stops it
    del application
    return figures


def child_sandbox(messages: int) -> None:
    """The sync bench's server: Anna's mailbox with `messages` delivered; prints its URL, serves
    until its input is closed."""
    from exchange_sandbox import SandboxServer

    with SandboxServer() as server:
        server.add_mailbox(OWNER, "bench-password", "Anna Nowak")
        for number in range(messages):
            server.deliver(OWNER, _mime(number))
        print(server.url, flush=True)
        sys.stdin.read()


def child_demo() -> dict[str, Any]:
    """The demo (`liaison --demo`): the window's first sync of the demo mailbox."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtWidgets import QApplication

    from app.demo import prepare_demo
    from app.services.workspace import WorkspaceServices
    from app.ui.main_window import MainWindow

    keyring.set_keyring(MemoryKeyring())
    application = QApplication([])
    demo = prepare_demo()
    try:
        window = MainWindow(WorkspaceServices(demo.workspace))
        figures = _event_loop_during_first_sync(window)
    finally:
        demo.close()
    del application
    return figures


def _event_loop_during_first_sync(window: Any) -> dict[str, Any]:
    """A 5 ms timer ticks on the event loop while the window's sync thread runs its first sync;
    the longest gap between ticks is the longest the window could not answer the user. The
    window has painted before the clock starts: its first paint is measured above."""
    from PySide6.QtCore import QTimer

    watch = _PaintWatch(window)
    window.show()
    watch.wait(0)
    settled = time.perf_counter() + 0.3
    _until(lambda: time.perf_counter() > settled)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    done: list[Any] = []
    window.sync_finished.connect(done.append)
    started = time.perf_counter()
    timer.start()
    last[0] = time.perf_counter()
    window.start_sync()
    _until(lambda: bool(done), timeout=1800)
    seconds = time.perf_counter() - started
    timer.stop()
    window.stop_sync()
    return {
        "synced_messages": sum(folder.total for folder in window.services.folders()),
        "sync_s": seconds,
        "event_loop_longest_wait_ms": max(gaps) * 1000,
        "event_loop_waits_over_50ms": sum(1 for gap in gaps if gap > 0.05),
        "timer_ticks": len(gaps),
    }


def _mime(number: int) -> bytes:
    rng = random.Random(number)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    subject = rng.choice(PREFIXES) + _words(rng, SUBJECT_WORDS, 4)
    date = (datetime(2026, 11, 20, 9, 0, tzinfo=UTC) - timedelta(minutes=13 * number)).strftime(
        "%a, %d %b %Y %H:%M:%S +0000"
    )
    return (
        f"From: {first} {last} <{first}.{last}@firma{number % 500}.example>\r\n"
        f"To: Anna Nowak <{OWNER}>\r\nSubject: {subject} #{number}\r\nDate: {date}\r\n"
        f"Message-ID: <sync{number}@bench.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nDzień dobry,\r\nw załączeniu szczegóły.\r\n"
    ).encode()


# The parent: build profiles, run the children, print


def _run_child(home: Path, *arguments: str) -> dict[str, Any]:
    environment = dict(os.environ, LIAISON_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, __file__, "--child", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the window process failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _homes(root: Path) -> Iterator[Path]:
    for name in ("empty", "full", "demo", "sync"):
        path = root / name
        path.mkdir()
        yield path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10 000 messages and records")
    parser.add_argument("--sync", type=int, default=0, help="also sync this many messages")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind = args.child[0]
        if kind == "sandbox":
            child_sandbox(int(args.child[1]))
            return
        if kind == "sync":
            figures = child_sync(int(args.child[1]))
        elif kind == "demo":
            figures = child_demo()
        else:
            figures = child_window(kind == "full")
        print(json.dumps(figures))
        return
    messages, records = (10_000, 10_000) if args.quick else (args.messages, args.records)
    with tempfile.TemporaryDirectory(prefix="liaison-bench-ui-") as root:
        empty, full, demo, sync = _homes(Path(root))
        started = time.perf_counter()
        build_profile(empty, 0, 0)
        build_profile(full, messages, records)
        print(f"built profiles in {time.perf_counter() - started:.1f} s "
              f"({messages:,} messages, {records:,} CRM records)")  # fmt: skip
        empty_figures = _run_child(empty, "empty")
        full_figures = _run_child(full, "full")
        _print(empty_figures, full_figures)
        _print_sync(
            "the demo (its sandbox in the window's process, as in liaison --demo)",
            _run_child(demo, "demo"),
        )
        if args.sync:
            _print_sync(
                f"{args.sync:,} delivered messages (the sandbox in a process of its own)",
                _run_child(sync, "sync", str(args.sync)),
            )


def _print(empty: dict[str, Any], full: dict[str, Any]) -> None:
    ratio = full["first_paint_s"] / empty["first_paint_s"]
    print(f"first painted list, empty mailbox:   {empty['first_paint_s'] * 1000:8.0f} ms")
    print(f"first painted list, {full['rows']:,} messages: {full['first_paint_s'] * 1000:6.0f} ms"
          f"   ratio {ratio:.2f} (target < 1.5)")  # fmt: skip
    print(f"scroll to the end:                   {full['scroll_to_end_ms']:8.1f} ms")
    print(f"page down (200 steps):    mean {full['page_down_mean_ms']:6.1f} ms, "
          f"max {full['page_down_max_ms']:6.1f} ms")  # fmt: skip
    print(f"sort by subject:                     {full['sort_by_subject_ms']:8.0f} ms")
    print(f"list search (2 words, {full['list_search_hits']:,} hits): "
          f"{full['list_search_ms']:8.0f} ms")  # fmt: skip
    print(f"Set Regarding index ready, since start: {full['search_index_ready_s'] * 1000:5.0f} ms"
          " (built on a pool thread as the window opens)")  # fmt: skip
    print(f"Set Regarding per keystroke ({full['keystrokes']} keys): "
          f"mean {full['keystroke_mean_ms']:.1f} ms, p95 {full['keystroke_p95_ms']:.1f} ms, "
          f"max {full['keystroke_max_ms']:.1f} ms (target < 50)")  # fmt: skip
    print(f"peak memory, empty mailbox:          {empty['peak_rss_mb']:8.0f} MB")
    print(f"peak memory, full:                   {full['peak_rss_mb']:8.0f} MB (target < 400)")


def _print_sync(what: str, figures: dict[str, Any]) -> None:
    print(f"first sync of {what} ({figures['synced_messages']:,} items) on the sync thread: "
          f"{figures['sync_s']:.1f} s")  # fmt: skip
    print(f"  event loop, longest wait while syncing: "
          f"{figures['event_loop_longest_wait_ms']:.0f} ms"
          f" ({figures['event_loop_waits_over_50ms']} waits over 50 ms in "
          f"{figures['timer_ticks']:,} ticks; target: none)")  # fmt: skip


if __name__ == "__main__":
    main()
