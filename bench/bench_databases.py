"""Profile safety benchmark: what checking and backing up a profile's databases costs, and what
reading crafted messages costs, on the window benchmark's profile (bench_ui.build_profile).

Prints:
- the size of crm.sqlite3 and local.sqlite3 (mail bodies padded to --body-kb each, as a real
  mailbox cache holds them);
- PRAGMA quick_check (every start, before the window) and PRAGMA integrity_check (in the
  background, and before each daily backup) of each;
- a backup of each with SQLite's online backup API;
- opening the profile as the window does (quick checks and migrations, no backup);
- `liaison explain` of a message with one Cc, with 50 000 Cc and of /dev/zero, each in a process
  of its own, with its peak memory (the CRM's tracking index is most of both with 100 000
  records).

    .venv/bin/python bench/bench_databases.py                 # 100 000 messages and records
    .venv/bin/python bench/bench_databases.py --quick         # 10 000 of each
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_ui import build_profile

from app.db.backup import make_backup
from app.db.sqlite_files import find_problems

CC = 50_000


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def pad_bodies(local: Path, body_kb: int) -> None:
    import sqlite3

    connection = sqlite3.connect(local)
    with connection:
        connection.execute(
            "UPDATE mail_items SET body_text = body_text || printf('%.*c', ?, 'x')",
            (body_kb * 1024,),
        )
    connection.execute("VACUUM")
    connection.close()


def explain(home: Path, message: Path) -> tuple[float, float]:
    """Seconds and peak MB of `liaison explain MESSAGE` in a process of its own."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "app", "explain", str(message)],
        env=dict(os.environ, LIAISON_HOME=str(home)),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--body-kb", type=int, default=4, help="mail body size in the cache")
    parser.add_argument("--quick", action="store_true", help="10 000 messages and records")
    args = parser.parse_args()
    messages, records = (10_000, 10_000) if args.quick else (args.messages, args.records)
    with tempfile.TemporaryDirectory(prefix="liaison-bench-db-") as root:
        home = Path(root) / "home"
        build_profile(home, messages, records)
        data = home / "data"
        pad_bodies(data / "local.sqlite3", args.body_kb)
        print(f"{messages:,} messages ({args.body_kb} KB bodies), {records:,} CRM records")
        for name in ("crm", "local"):
            database = data / f"{name}.sqlite3"
            size = database.stat().st_size / 1e6
            quick = timed(lambda database=database: find_problems(database))
            thorough = timed(lambda database=database: find_problems(database, thorough=True))
            backup = timed(lambda database=database: make_backup(database))
            print(
                f"{name}.sqlite3 {size:7.1f} MB: quick_check {quick * 1000:6.0f} ms, "
                f"integrity_check {thorough * 1000:6.0f} ms, backup {backup * 1000:6.0f} ms"
            )

        from app.workspace import Workspace

        opening = timed(lambda: Workspace.open(daily_backup=False).close())
        print(f"opening the profile as the window does (quick checks, no backup): "
              f"{opening * 1000:.0f} ms")  # fmt: skip

        for cc in (1, CC):
            message = Path(root) / f"cc-{cc}.eml"
            everyone = ", ".join(f"Osoba {n} <osoba{n}@firma{n % 700}.example>" for n in range(cc))
            message.write_bytes(
                (
                    "From: Jan Kowalski <jan.kowalski@acme.example>\r\n"
                    "To: Anna Nowak <anna.nowak@brightwave.example>\r\n"
                    f"Cc: {everyone}\r\nSubject: Do wszystkich\r\n"
                    "Date: Mon, 1 Jun 2026 10:00:00 +0200\r\n"
                    "Message-ID: <all@acme.example>\r\n\r\nDzień dobry wszystkim\r\n"
                ).encode()
            )
            seconds, peak = explain(home, message)
            print(f"explain, {cc:,} Cc: {seconds:.2f} s, peak {peak:.0f} MB (the process whole)")
        seconds, peak = explain(home, Path("/dev/zero"))
        print(f"explain /dev/zero (refused): {seconds:.2f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
